//! OEM authorizations: the list (filters in the URL) and the grant form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::network::{CreateAuthorization, list_authorizations, list_dealers, oems_with_models};
use crate::components::form::{ErrorAlert, FieldError, FormError, IdFilter, NextPage};
use crate::components::guard::RequireRole;
use crate::components::status::{AuthorizationChip, ServiceTypes, service_type_label, status_label};
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::authorization::{AuthorizationFilter, AuthorizationStatus, ServiceType};

#[component]
pub fn AuthorizationsPage() -> impl IntoView {
    view! { <RequireRole><AuthorizationsList /></RequireRole> }
}

#[component]
fn AuthorizationsList() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let session = crate::components::session::use_session();
    let is_admin = move || session.current().is_some_and(|u| u.role == Role::Admin);
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        AuthorizationFilter {
            status: text("status"),
            dealer_id: text("dealer_id").and_then(|v| v.parse().ok()),
            expiring_within_days: text("expiring_within_days").and_then(|v| v.parse().ok()),
            cursor: text("cursor"),
            ..Default::default()
        }
    };
    let page = Resource::new(filter, list_authorizations);
    let dealers = Resource::new(|| (), |_| list_dealers());
    view! {
        <Title text=move || t_string!(i18n, nav_authorizations).to_string() />
        <section class="page">
            <header class="page-header">
                <h1>{t!(i18n, nav_authorizations)}</h1>
                <Show when=is_admin>
                    <a class="btn btn-primary" href="/authorizations/new">{t!(i18n, auth_new)}</a>
                </Show>
            </header>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="status">{t!(i18n, auth_status)}</label>
                    <select id="status" name="status">
                        <option value="">{t!(i18n, users_any)}</option>
                        {[AuthorizationStatus::Active, AuthorizationStatus::Suspended, AuthorizationStatus::Revoked, AuthorizationStatus::Expired, AuthorizationStatus::Pending].into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || filter().status.as_deref() == Some(s.as_str())>{status_label(s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="expiring_within_days">{t!(i18n, auth_expiring)}</label>
                    <select id="expiring_within_days" name="expiring_within_days">
                        <option value="">{t!(i18n, users_any)}</option>
                        {[30, 60, 90].into_iter().map(|d| view! {
                            <option value=d selected=move || filter().expiring_within_days == Some(d)>{format!("≤ {d}")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let dealers = dealers.await.unwrap_or_default();
                        (dealers.len() > 1).then(|| {
                            let choices = dealers.into_iter().map(|d| (d.id, format!("{} · {}", d.code, d.name))).collect();
                            view! {
                                <IdFilter id="dealer_id" label=t!(i18n, user_dealer).into_any() any=t!(i18n, users_any).into_any()
                                    choices selected=Signal::derive(move || filter().dealer_id) />
                            }
                        })
                    })}
                </Suspense>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/authorizations">{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, auth_empty)}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next_cursor.clone().map(|cursor| {
                                let f = filter();
                                let mut query = vec![format!("cursor={cursor}")];
                                if let Some(s) = f.status { query.push(format!("status={s}")); }
                                if let Some(d) = f.dealer_id { query.push(format!("dealer_id={d}")); }
                                if let Some(e) = f.expiring_within_days { query.push(format!("expiring_within_days={e}")); }
                                format!("/authorizations?{}", query.join("&"))
                            });
                            view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, auth_number)}</th>
                                        <th scope="col">{t!(i18n, user_dealer)}</th>
                                        <th scope="col">{t!(i18n, user_oem)}</th>
                                        <th scope="col">{t!(i18n, auth_service_types)}</th>
                                        <th scope="col">{t!(i18n, auth_valid)}</th>
                                        <th scope="col">{t!(i18n, auth_status)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|a| view! {
                                            <tr>
                                                <td><a href=format!("/authorizations/{}", a.id)>{a.number.clone()}</a></td>
                                                <td>{a.dealer_name.clone()}</td>
                                                <td>{a.oem_name.clone()}</td>
                                                <td><ServiceTypes types=a.service_types.clone() /></td>
                                                <td>{format!("{} – {}", a.valid_from, a.valid_to)}</td>
                                                <td><AuthorizationChip status=a.status /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <NextPage href=next />
                        }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn NewAuthorizationPage() -> impl IntoView {
    let create = ServerAction::<CreateAuthorization>::new();
    view! { <RequireRole roles=&[Role::Admin]><NewAuthorizationForm create /></RequireRole> }
}

#[component]
fn NewAuthorizationForm(create: ServerAction<CreateAuthorization>) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || create.value().get());
    let dealers = Resource::new(|| (), |_| list_dealers());
    let oems = Resource::new(|| (), |_| oems_with_models());
    let oem = RwSignal::new(String::new());
    let created = move || match create.value().get() {
        Some(Ok(a)) => Some((a.id, a.number)),
        _ => None,
    };
    view! {
        <Title text=move || t_string!(i18n, auth_new).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, auth_new)}</h1>
            {move || created().map(|(id, number)| view! {
                <div class="alert alert-ok" role="status">
                    {t!(i18n, auth_created)} " " <a href=format!("/authorizations/{id}")>{number}</a>
                </div>
            })}
            <FormError result />
            <ActionForm action=create>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let dealers = dealers.await.unwrap_or_default();
                        let oems = oems.await.unwrap_or_default();
                        let all_models = oems.iter().flat_map(|(o, models)| models.iter().map(move |m| (o.id, m.clone()))).collect::<Vec<_>>();
                        view! {
                            <div class="field">
                                <label for="oem_id">{t!(i18n, user_oem)}</label>
                                <select id="oem_id" name="oem_id" on:change=move |ev| oem.set(event_target_value(&ev))>
                                    <option value="">{t!(i18n, user_choose)}</option>
                                    {oems.iter().map(|(o, _)| view! { <option value=o.id>{format!("{} · {}", o.code, o.name)}</option> }).collect_view()}
                                </select>
                                <FieldError result field="oem_id" />
                            </div>
                            <div class="field">
                                <label for="dealer_id">{t!(i18n, user_dealer)}</label>
                                <select id="dealer_id" name="dealer_id">
                                    <option value="">{t!(i18n, user_choose)}</option>
                                    {dealers.into_iter().map(|d| view! { <option value=d.id>{format!("{} · {}", d.code, d.name)}</option> }).collect_view()}
                                </select>
                                <FieldError result field="dealer_id" />
                            </div>
                            <fieldset class="field">
                                <legend>{t!(i18n, auth_models)}</legend>
                                <p class="hint">{t!(i18n, auth_models_hint)}</p>
                                {all_models.into_iter().map(|(oem_id, m)| view! {
                                    <label class="check" class:hidden=move || oem.get() != oem_id.to_string()>
                                        <input type="checkbox" name="model_ids[]" value=m.id />
                                        {format!("{} · {}", m.code, m.name)}
                                    </label>
                                }).collect_view()}
                                <FieldError result field="model_ids" />
                            </fieldset>
                        }
                    })}
                </Suspense>
                <fieldset class="field">
                    <legend>{t!(i18n, auth_service_types)}</legend>
                    {ServiceType::ALL.into_iter().map(|s| view! {
                        <label class="check"><input type="checkbox" name="service_types[]" value=s.as_str() />{service_type_label(s)}</label>
                    }).collect_view()}
                    <FieldError result field="service_types" />
                </fieldset>
                <div class="field">
                    <label for="valid_from">{t!(i18n, auth_valid_from)}</label>
                    <input id="valid_from" name="valid_from" type="date" required />
                    <FieldError result field="valid_from" />
                </div>
                <div class="field">
                    <label for="valid_to">{t!(i18n, auth_valid_to)}</label>
                    <input id="valid_to" name="valid_to" type="date" required />
                    <FieldError result field="valid_to" />
                </div>
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{t!(i18n, auth_grant)}</button>
                    <a class="btn btn-quiet" href="/authorizations">{t!(i18n, cancel)}</a>
                </div>
            </ActionForm>
        </section>
    }
}
