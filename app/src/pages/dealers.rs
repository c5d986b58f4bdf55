//! Dealers: the list in the actor's scope and, for admins, a new dealer.

use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::network::{CreateDealer, search_dealers};
use crate::components::form::{ErrorAlert, FieldError, FormError, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::network::DealerFilter;

#[component]
pub fn DealersPage() -> impl IntoView {
    let create = ServerAction::<CreateDealer>::new();
    view! { <RequireRole roles=&[Role::Admin, Role::ServiceManager]><Dealers create /></RequireRole> }
}

#[component]
fn Dealers(create: ServerAction<CreateDealer>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        DealerFilter { q: text("q"), cursor: text("cursor"), ..Default::default() }
    };
    let dealers = Resource::new(move || (filter(), create.version().get()), |(filter, _)| search_dealers(filter));
    let result = Signal::derive(move || create.value().get());
    let is_admin = move || session.current().is_some_and(|u| u.role == Role::Admin);
    let field = move |id: &'static str, label: AnyView, kind: &'static str, hint: Option<&'static str>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=id type=kind required placeholder=hint.unwrap_or_default() />
                <FieldError result field=id />
            </div>
        }
    };
    view! {
        <Title text=move || t_string!(i18n, nav_dealers).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_dealers)}</h1>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="q">{t!(i18n, users_search)}</label>
                    <input id="q" name="q" type="search" prop:value=move || filter().q.unwrap_or_default() />
                </div>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/dealers">{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match dealers.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">{t!(i18n, dealers_empty)}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next_cursor.clone().map(|cursor| {
                                let f = filter();
                                format!("/dealers?q={}&cursor={cursor}", url_encode(&f.q.unwrap_or_default()))
                            });
                            view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, dealer_code)}</th>
                                        <th scope="col">{t!(i18n, users_col_name)}</th>
                                        <th scope="col">{t!(i18n, dealer_city)}</th>
                                        <th scope="col">{t!(i18n, dealer_time_zone)}</th>
                                        <th scope="col" class="num">{t!(i18n, dealer_labor_rate)}</th>
                                        <th scope="col">{t!(i18n, users_col_status)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|d| view! {
                                            <tr>
                                                <td>{if is_admin() {
                                                    view! { <a href=format!("/dealers/{}", d.id)>{d.code.clone()}</a> }.into_any()
                                                } else {
                                                    d.code.clone().into_any()
                                                }}</td>
                                                <td>{d.name.clone()}</td>
                                                <td>{format!("{}, {}", d.city, d.country)}</td>
                                                <td>{d.time_zone.clone()}</td>
                                                <td class="num">{crate::model::network::format_amount(d.labor_rate.amount_minor, &d.currency)}</td>
                                                <td>{if d.active { t!(i18n, users_active).into_any() } else { t!(i18n, users_inactive).into_any() }}</td>
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
            <Show when=is_admin>
                <h2>{t!(i18n, dealer_new)}</h2>
                <Show when=move || matches!(create.value().get(), Some(Ok(_)))>
                    <div class="alert alert-ok" role="status">{t!(i18n, dealer_created)}</div>
                </Show>
                <FormError result />
                <ActionForm action=create attr:class="narrow">
                    {field("code", t!(i18n, dealer_code).into_any(), "text", Some("EG001"))}
                    {field("name", t!(i18n, users_col_name).into_any(), "text", None)}
                    {field("country", t!(i18n, dealer_country).into_any(), "text", Some("EG"))}
                    {field("city", t!(i18n, dealer_city).into_any(), "text", None)}
                    {field("time_zone", t!(i18n, dealer_time_zone).into_any(), "text", Some("Africa/Cairo"))}
                    {field("currency", t!(i18n, dealer_currency).into_any(), "text", Some("EGP"))}
                    {field("labor_rate", t!(i18n, dealer_labor_rate).into_any(), "text", Some("1500.00"))}
                    <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>{t!(i18n, dealer_create)}</button>
                </ActionForm>
            </Show>
        </section>
    }
}
