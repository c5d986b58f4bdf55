//! The parts catalogue: search by part number or description words, filter
//! by OEM and category; admins add parts and import or export CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::network::oems_with_models;
use crate::api::parts::{CreatePart, search_parts};
use crate::components::form::{ErrorAlert, FieldError, FormError, IdFilter, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::components::status::category_label;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::network::format_amount;
use crate::model::parts::{PartDto, PartFilter};
use crate::model::policy::ComponentCategory;

#[component]
pub fn PartsPage() -> impl IntoView {
    let create = ServerAction::<CreatePart>::new();
    view! { <RequireRole><Parts create /></RequireRole> }
}

/// The catalogue's filters as they stand in the URL.
fn filter_from_query(q: &leptos_router::params::ParamsMap) -> PartFilter {
    let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
    PartFilter {
        q: text("q"),
        oem_id: text("oem_id").and_then(|v| v.parse().ok()),
        component_category: text("component_category"),
        cursor: text("cursor"),
        ..Default::default()
    }
}

#[component]
fn Parts(create: ServerAction<CreatePart>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let filter = move || filter_from_query(&query.read());
    let parts = Resource::new(move || (filter(), create.version().get()), |(f, _)| search_parts(f));
    let oems = Resource::new(|| (), |_| oems_with_models());
    let is_admin = move || session.current().is_some_and(|u| u.role == Role::Admin);
    let next_href = move |cursor: String| {
        let f = filter();
        format!(
            "/parts?q={}&oem_id={}&component_category={}&cursor={cursor}",
            url_encode(&f.q.unwrap_or_default()),
            f.oem_id.map(|id| id.to_string()).unwrap_or_default(),
            f.component_category.unwrap_or_default()
        )
    };
    view! {
        <Title text=move || t_string!(i18n, nav_parts).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_parts)}</h1>
            <Show when=is_admin>
                <p class="actions">
                    <a class="btn" href="/parts/import">{t!(i18n, parts_import)}</a>
                </p>
            </Show>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="q">{t!(i18n, parts_search)}</label>
                    <input id="q" name="q" type="search" placeholder="SV-HV / pack" prop:value=move || filter().q.unwrap_or_default() />
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let choices = oems.await.unwrap_or_default().into_iter().map(|(o, _)| (o.id, format!("{} · {}", o.code, o.name))).collect();
                        view! { <IdFilter id="oem_id" label=t!(i18n, user_oem).into_any() any=t!(i18n, users_any).into_any() choices selected=Signal::derive(move || filter().oem_id) /> }
                    })}
                </Suspense>
                <CategoryFilter selected=Signal::derive(move || filter().component_category) />
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/parts">{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match parts.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, parts_empty)}</p> }.into_any(),
                        Ok(page) => view! {
                            <PartsTable parts=page.items />
                            <NextPage href=page.next_cursor.map(next_href) />
                        }.into_any(),
                    }
                })}
            </Transition>
            <Show when=is_admin>
                <NewPartForm create oems />
            </Show>
        </section>
    }
}

/// A select over the component categories, the current one from the URL.
#[component]
pub fn CategoryFilter(#[prop(into)] selected: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="component_category">{t!(i18n, oem_category)}</label>
            <select id="component_category" name="component_category">
                <option value="">{t!(i18n, users_any)}</option>
                {ComponentCategory::ALL.into_iter().map(|c| view! {
                    <option value=c.as_str() selected=move || selected.get().as_deref() == Some(c.as_str())>{category_label(c)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn PartsTable(parts: Vec<PartDto>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">{t!(i18n, part_number)}</th>
                    <th scope="col">{t!(i18n, part_description)}</th>
                    <th scope="col">{t!(i18n, oem_category)}</th>
                    <th scope="col" class="num">{t!(i18n, part_list_price)}</th>
                    <th scope="col">{t!(i18n, part_flags)}</th>
                    <th scope="col">{t!(i18n, users_col_status)}</th>
                </tr></thead>
                <tbody>
                    {parts.into_iter().map(|p| {
                        let superseded = p.current_part_id != p.id;
                        view! {
                            <tr>
                                <td><a href=format!("/parts/{}", p.id)>{p.part_number.clone()}</a> <span class="muted">{format!(" {}", p.oem_code)}</span></td>
                                <td>{p.description.clone()}</td>
                                <td>{category_label(p.component_category)}</td>
                                <td class="num">{format_amount(p.list_price.amount_minor, &p.list_price.currency)}</td>
                                <td><PartFlags part=p.clone() /></td>
                                <td>{if superseded {
                                    view! { <span class="chip chip-warn">{t!(i18n, part_superseded_by)} " " {p.current_part_number.clone()}</span> }.into_any()
                                } else if p.active {
                                    view! { <span class="chip chip-ok">{t!(i18n, users_active)}</span> }.into_any()
                                } else {
                                    view! { <span class="chip chip-muted">{t!(i18n, users_inactive)}</span> }.into_any()
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Serialized, warranty-eligible and dangerous-goods marks, in words.
#[component]
pub fn PartFlags(part: PartDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {part.serialized.then(|| view! { <span class="chip chip-muted">{t!(i18n, part_serialized)}</span> })}
        {part.warranty_eligible.then(|| view! { <span class="chip chip-muted">{t!(i18n, part_warranty)}</span> })}
        {part.dangerous_goods.then(|| view! { <span class="chip chip-warn">{t!(i18n, part_dangerous)}</span> })}
    }
}

type OemWithModels = (crate::model::network::OemDto, Vec<crate::model::network::VehicleModelDto>);

#[component]
fn NewPartForm(
    create: ServerAction<CreatePart>,
    oems: Resource<Result<Vec<OemWithModels>, crate::model::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || create.value().get());
    let text = move |id: &'static str, label: AnyView, hint: &'static str| {
        view! {
            <div class="field">
                <label for=format!("new-{id}")>{label}</label>
                <input id=format!("new-{id}") name=id type="text" required placeholder=hint />
                <FieldError result field=id />
            </div>
        }
    };
    view! {
        <h2>{t!(i18n, part_new)}</h2>
        <Show when=move || matches!(create.value().get(), Some(Ok(_)))>
            <div class="alert alert-ok" role="status">{t!(i18n, part_created)}</div>
        </Show>
        <FormError result />
        <ActionForm action=create attr:class="narrow">
            <div class="field">
                <label for="new-oem_id">{t!(i18n, user_oem)}</label>
                <select id="new-oem_id" name="oem_id" required>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            oems.await.unwrap_or_default().into_iter().map(|(o, _)| view! { <option value=o.id>{format!("{} · {}", o.code, o.name)}</option> }).collect_view()
                        })}
                    </Suspense>
                </select>
                <FieldError result field="oem_id" />
            </div>
            {text("part_number", t!(i18n, part_number).into_any(), "SV-HV-MOD-12S")}
            {text("description", t!(i18n, part_description).into_any(), "")}
            <div class="field">
                <label for="new-component_category">{t!(i18n, oem_category)}</label>
                <select id="new-component_category" name="component_category">
                    {ComponentCategory::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{category_label(c)}</option> }).collect_view()}
                </select>
            </div>
            {text("list_price", t!(i18n, part_list_price).into_any(), "1250.00")}
            {text("currency", t!(i18n, dealer_currency).into_any(), "EUR")}
            <label class="check"><input type="checkbox" name="serialized" value="true" />{t!(i18n, part_serialized)}</label>
            <label class="check"><input type="checkbox" name="warranty_eligible" value="true" checked />{t!(i18n, part_warranty)}</label>
            <label class="check"><input type="checkbox" name="dangerous_goods" value="true" />{t!(i18n, part_dangerous)}</label>
            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{t!(i18n, part_create)}</button>
        </ActionForm>
    }
}
