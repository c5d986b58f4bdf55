//! Exchange rates (DESIGN §9): the admin uploads the ECB's files, enters
//! rates the ECB does not publish, and sees what is stored.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::reports::{SetRate, list_rates};
use crate::components::form::{DateRange, ErrorAlert, FieldError, FormError, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::upload::{CsvUpload, UploadOutcome, UploadResult};
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::reporting::RateFilter;

#[component]
pub fn RatesPage() -> impl IntoView {
    view! { <RequireRole roles=&[Role::Admin]><Rates /></RequireRole> }
}

#[component]
fn Rates() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let set = ServerAction::<SetRate>::new();
    let outcome = RwSignal::new(None::<UploadOutcome>);
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        RateFilter {
            currency: text("currency"),
            from: text("from").and_then(|v| v.parse().ok()),
            to: text("to").and_then(|v| v.parse().ok()),
            cursor: text("cursor"),
            ..Default::default()
        }
    };
    let rates =
        Resource::new(move || (filter(), set.version().get(), outcome.get().is_some()), |(f, _, _)| list_rates(f));
    let result = Signal::derive(move || set.value().get());
    let next_href = move |cursor: String| {
        let f = filter();
        format!("/admin/rates?currency={}&cursor={cursor}", url_encode(f.currency.as_deref().unwrap_or_default()))
    };
    view! {
        <Title text=move || t_string!(i18n, nav_rates).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_rates)}</h1>
            <p class="lead">{t!(i18n, rates_intro)}</p>
            <div class="columns">
                <div class="panel">
                    <h2>{t!(i18n, rates_import)}</h2>
                    <p>{t!(i18n, rates_import_intro)}</p>
                    <CsvUpload endpoint="/api/v1/exchange-rates/import".to_string() label=Signal::derive(move || t_string!(i18n, rates_file).to_string()) outcome />
                    <UploadResult outcome />
                </div>
                <div class="panel">
                    <h2>{t!(i18n, rates_manual)}</h2>
                    <p>{t!(i18n, rates_manual_intro)}</p>
                    <FormError result />
                    <ActionForm action=set>
                        <div class="field">
                            <label for="rate-currency">{t!(i18n, rates_currency)}</label>
                            <input id="rate-currency" name="currency" type="text" required size="4" maxlength="3" placeholder="EGP" />
                            <FieldError result field="currency" />
                        </div>
                        <div class="field">
                            <label for="rate-date">{t!(i18n, rates_date)}</label>
                            <input id="rate-date" name="on_date" type="date" required />
                            <FieldError result field="on_date" />
                        </div>
                        <div class="field">
                            <label for="rate-per-eur">{t!(i18n, rates_per_eur)}</label>
                            <input id="rate-per-eur" name="per_eur" type="text" inputmode="decimal" required placeholder="52.1034" />
                            <FieldError result field="per_eur" />
                        </div>
                        <button type="submit" class="btn btn-primary" disabled=move || set.pending().get()>{t!(i18n, rates_save)}</button>
                    </ActionForm>
                </div>
            </div>
            <h2>{t!(i18n, rates_stored)}</h2>
            <Form method="GET" action="" attr:class="filters">
                <div class="field narrow">
                    <label for="currency">{t!(i18n, rates_currency)}</label>
                    <input id="currency" name="currency" type="text" size="4" prop:value=move || filter().currency.unwrap_or_default() />
                </div>
                <DateRange from=Signal::derive(move || filter().from) to=Signal::derive(move || filter().to) />
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match rates.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="muted">{t!(i18n, rates_none)}</p> }.into_any(),
                        Ok(page) => view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, rates_date)}</th>
                                        <th scope="col">{t!(i18n, rates_currency)}</th>
                                        <th scope="col" class="num">{t!(i18n, rates_per_eur)}</th>
                                        <th scope="col">{t!(i18n, rates_source)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|r| view! {
                                            <tr>
                                                <td>{r.on_date.to_string()}</td>
                                                <td>{r.currency}</td>
                                                <td class="num mono">{r.per_eur}</td>
                                                <td>{r.source}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <NextPage href=page.next_cursor.map(next_href) />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
