//! Admin: people. The list's filters live in the URL, so a filtered list can
//! be bookmarked and shared.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::users::{CreateUser, ResetUserPassword, SetUserActive, get_user, list_users, org_options};
use crate::components::form::{ErrorAlert, FieldError, FormError, IdFilter, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::layout::role_label;
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::user::{UserDto, UserFilter};

const ADMIN: &[Role] = &[Role::Admin];

#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <RequireRole roles=ADMIN><UsersList /></RequireRole> }
}

#[component]
fn UsersList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let set_active = ServerAction::<SetUserActive>::new();
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        UserFilter {
            q: text("q"),
            role: text("role"),
            active: text("active").and_then(|v| v.parse().ok()),
            dealer_id: text("dealer_id").and_then(|v| v.parse().ok()),
            oem_id: text("oem_id").and_then(|v| v.parse().ok()),
            cursor: text("cursor"),
            ..Default::default()
        }
    };
    let users = Resource::new(move || (filter(), set_active.version().get()), |(filter, _)| list_users(filter));
    let orgs = Resource::new(|| (), |_| org_options());
    let action_result = Signal::derive(move || set_active.value().get());
    view! {
        <Title text=move || t_string!(i18n, users_title).to_string() />
        <section class="page">
            <header class="page-header">
                <h1>{t!(i18n, users_title)}</h1>
                <a class="btn btn-primary" href="/admin/users/new">{t!(i18n, users_new)}</a>
            </header>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="q">{t!(i18n, users_search)}</label>
                    <input id="q" name="q" type="search" placeholder=move || t_string!(i18n, users_search_placeholder)
                        prop:value=move || filter().q.unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="role">{t!(i18n, user_role)}</label>
                    <select id="role" name="role">
                        <option value="">{t!(i18n, users_role_any)}</option>
                        {Role::ALL.into_iter().map(|role| view! {
                            <option value=role.as_str() selected=move || filter().role.as_deref() == Some(role.as_str())>
                                {role_label(role)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let (dealers, oems) = orgs.await.unwrap_or_default();
                        view! {
                            <IdFilter id="dealer_id" label=t!(i18n, user_dealer).into_any() any=t!(i18n, users_any).into_any()
                                choices=dealers.into_iter().map(|d| (d.id, format!("{} · {}", d.code, d.name))).collect()
                                selected=Signal::derive(move || filter().dealer_id) />
                            <IdFilter id="oem_id" label=t!(i18n, user_oem).into_any() any=t!(i18n, users_any).into_any()
                                choices=oems.into_iter().map(|o| (o.id, format!("{} · {}", o.code, o.name))).collect()
                                selected=Signal::derive(move || filter().oem_id) />
                        }
                    })}
                </Suspense>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/admin/users">{t!(i18n, users_clear)}</a>
            </Form>
            <FormError result=action_result />
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, users_empty)}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next_cursor.clone();
                            view! {
                                <div class="table-wrap">
                                    <table class="data">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, users_col_name)}</th>
                                                <th scope="col">{t!(i18n, users_col_email)}</th>
                                                <th scope="col">{t!(i18n, users_col_role)}</th>
                                                <th scope="col">{t!(i18n, users_col_org)}</th>
                                                <th scope="col">{t!(i18n, users_col_status)}</th>
                                                <th scope="col">{t!(i18n, users_col_created)}</th>
                                                <th scope="col">{t!(i18n, users_col_actions)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {page.items.into_iter().map(|user| view! { <UserRow user set_active /> }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <NextPage href=next.map(|cursor| next_page_href(&filter(), &cursor)) />
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The same filters, one page further.
fn next_page_href(filter: &UserFilter, cursor: &str) -> String {
    let mut pairs = vec![("cursor", cursor.to_string())];
    if let Some(q) = &filter.q {
        pairs.push(("q", q.clone()));
    }
    if let Some(role) = &filter.role {
        pairs.push(("role", role.clone()));
    }
    if let Some(id) = filter.dealer_id {
        pairs.push(("dealer_id", id.to_string()));
    }
    if let Some(id) = filter.oem_id {
        pairs.push(("oem_id", id.to_string()));
    }
    if let Some(active) = filter.active {
        pairs.push(("active", active.to_string()));
    }
    let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", url_encode(&v))).collect();
    format!("/admin/users?{}", query.join("&"))
}

#[component]
fn UserRow(user: UserDto, set_active: ServerAction<SetUserActive>) -> impl IntoView {
    let i18n = use_i18n();
    let org = user.dealer_name.clone().or(user.oem_name.clone()).unwrap_or_default();
    let confirm_text = format!("{}: {}", user.display_name, t_string!(i18n, users_confirm_deactivate));
    let locked = user.locked_until.is_some_and(|until| until > chrono::Utc::now());
    let id = user.id;
    let active = user.active;
    let label = user.display_name.clone();
    view! {
        <tr>
            <td>{user.display_name.clone()}</td>
            <td>{user.email.clone()}</td>
            <td>{role_label(user.role)}</td>
            <td>{org}</td>
            <td>
                {if active {
                    view! { <span class="chip chip-ok">{t!(i18n, users_active)}</span> }.into_any()
                } else {
                    view! { <span class="chip chip-muted">{t!(i18n, users_inactive)}</span> }.into_any()
                }}
                {locked.then(|| view! { <span class="chip chip-warn">{t!(i18n, users_locked)}</span> })}
            </td>
            <td><Time at=user.created_at /></td>
            <td class="row-actions">
                <ActionForm action=set_active attr:class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="active" value=(!active).to_string() />
                    <button
                        type="submit"
                        class="btn btn-small"
                        aria-label=format!("{} {label}", if active { "Deactivate" } else { "Activate" })
                        on:click=move |ev| {
                            if active && !crate::components::form::confirm(&confirm_text) {
                                ev.prevent_default();
                            }
                        }
                    >
                        {if active { t!(i18n, users_deactivate).into_any() } else { t!(i18n, users_activate).into_any() }}
                    </button>
                </ActionForm>
                <a class="btn btn-small btn-quiet" href=format!("/admin/users/{id}/password")>{t!(i18n, users_reset_password)}</a>
            </td>
        </tr>
    }
}

#[component]
pub fn NewUserPage() -> impl IntoView {
    view! { <RequireRole roles=ADMIN><NewUserForm /></RequireRole> }
}

#[component]
fn NewUserForm() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let result = Signal::derive(move || create.value().get());
    let options = Resource::new(|| (), |_| org_options());
    let role = RwSignal::new("dealer".to_string());
    let created = move || match create.value().get() {
        Some(Ok(user)) => Some(user.email),
        _ => None,
    };
    view! {
        <Title text=move || t_string!(i18n, user_new_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, user_new_title)}</h1>
            <Show when=move || created().is_some()>
                <div class="alert alert-ok" role="status">
                    {t!(i18n, user_created, email = move || created().unwrap_or_default())}
                    " " <a href="/admin/users">{t!(i18n, users_title)}</a>
                </div>
            </Show>
            <FormError result />
            <ActionForm action=create>
                <div class="field">
                    <label for="email">{t!(i18n, email)}</label>
                    <input id="email" name="email" type="email" required autocomplete="off" />
                    <FieldError result field="email" />
                </div>
                <div class="field">
                    <label for="display_name">{t!(i18n, user_display_name)}</label>
                    <input id="display_name" name="display_name" type="text" required maxlength="100" />
                    <FieldError result field="display_name" />
                </div>
                <div class="field">
                    <label for="role">{t!(i18n, user_role)}</label>
                    <select id="role" name="role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{role_label(r)}</option> }).collect_view()}
                    </select>
                    <FieldError result field="role" />
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let (dealers, oems) = options.await.unwrap_or_default();
                        view! {
                            <div class="field" class:hidden=move || role.get() != "dealer">
                                <label for="dealer_id">{t!(i18n, user_dealer)}</label>
                                <select id="dealer_id" name="dealer_id" disabled=move || role.get() != "dealer">
                                    <option value="">{t!(i18n, user_choose)}</option>
                                    {dealers.into_iter().map(|d| view! { <option value=d.id>{format!("{} · {}", d.code, d.name)}</option> }).collect_view()}
                                </select>
                                <FieldError result field="dealer_id" />
                            </div>
                            <div class="field" class:hidden=move || role.get() != "service_manager">
                                <label for="oem_id">{t!(i18n, user_oem)}</label>
                                <select id="oem_id" name="oem_id" disabled=move || role.get() != "service_manager">
                                    <option value="">{t!(i18n, user_choose)}</option>
                                    {oems.into_iter().map(|o| view! { <option value=o.id>{format!("{} · {}", o.code, o.name)}</option> }).collect_view()}
                                </select>
                                <FieldError result field="oem_id" />
                            </div>
                        }
                    })}
                </Suspense>
                <div class="field">
                    <label for="password">{t!(i18n, user_initial_password)}</label>
                    <input id="password" name="password" type="password" required autocomplete="new-password"
                        aria-describedby="password-hint" />
                    <p class="hint" id="password-hint">{t!(i18n, user_password_hint)}</p>
                    <FieldError result field="password" />
                </div>
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{t!(i18n, user_create)}</button>
                    <a class="btn btn-quiet" href="/admin/users">{t!(i18n, cancel)}</a>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    view! { <RequireRole roles=ADMIN><ResetPasswordForm /></RequireRole> }
}

#[component]
fn ResetPasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let user = Resource::new(id, get_user);
    let reset = ServerAction::<ResetUserPassword>::new();
    let result = Signal::derive(move || reset.value().get());
    view! {
        <section class="page narrow">
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match user.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(user) => view! {
                            <h1>{t!(i18n, user_reset_title, name = user.display_name.clone())}</h1>
                            <Show when=move || matches!(reset.value().get(), Some(Ok(_)))>
                                <div class="alert alert-ok" role="status">{t!(i18n, user_reset_done)}</div>
                            </Show>
                            <FormError result />
                            <ActionForm action=reset>
                                <input type="hidden" name="id" value=user.id />
                                <div class="field">
                                    <label for="password">{t!(i18n, user_new_password)}</label>
                                    <input id="password" name="password" type="password" required autocomplete="new-password" />
                                    <p class="hint">{t!(i18n, user_password_hint)}</p>
                                    <FieldError result field="password" />
                                </div>
                                <div class="actions">
                                    <button type="submit" class="btn btn-primary" disabled=move || reset.pending().get()>{t!(i18n, save)}</button>
                                    <a class="btn btn-quiet" href="/admin/users">{t!(i18n, cancel)}</a>
                                </div>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
