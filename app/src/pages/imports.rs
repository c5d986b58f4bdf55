//! CSV uploads with a progress bar: the catalogue (admins) and goods
//! received (dealers; admins for a chosen dealer).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::network::oems_with_models;
use crate::components::guard::RequireRole;
use crate::components::upload::{CsvUpload, UploadOutcome, UploadResult};
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::parts::CSV_COLUMNS;
use crate::model::stock::RECEIPT_COLUMNS;

#[component]
pub fn PartsImportPage() -> impl IntoView {
    view! { <RequireRole roles=&[Role::Admin]><PartsImport /></RequireRole> }
}

#[component]
fn PartsImport() -> impl IntoView {
    let i18n = use_i18n();
    let oems = Resource::new(|| (), |_| oems_with_models());
    let oem_id = RwSignal::new(None::<i64>);
    let outcome = RwSignal::new(None::<UploadOutcome>);
    let endpoint = Signal::derive(move || format!("/api/v1/parts/import?oem_id={}", oem_id.get().unwrap_or_default()));
    view! {
        <Title text=move || t_string!(i18n, parts_import).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, parts_import)}</h1>
            <p>{t!(i18n, parts_import_intro)}</p>
            <p><code>{CSV_COLUMNS.join(",")}</code></p>
            <div class="field">
                <label for="import-oem">{t!(i18n, user_oem)}</label>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = oems.await.unwrap_or_default();
                        if oem_id.get_untracked().is_none() {
                            oem_id.set(list.first().map(|(o, _)| o.id));
                        }
                        view! {
                            <select id="import-oem" on:change=move |ev| oem_id.set(event_target_value(&ev).parse().ok())>
                                {list.into_iter().map(|(o, _)| view! { <option value=o.id>{format!("{} · {}", o.code, o.name)}</option> }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
            </div>
            <CsvUpload endpoint label=Signal::derive(move || t_string!(i18n, upload_file).to_string()) outcome />
            <UploadResult outcome />
            <p>
                <a class="btn btn-quiet" href=move || format!("/api/v1/parts/export?oem_id={}", oem_id.get().unwrap_or_default()) download="parts.csv">
                    {t!(i18n, parts_export)}
                </a>
            </p>
        </section>
    }
}

#[component]
pub fn StockImportPage() -> impl IntoView {
    view! { <RequireRole roles=&[Role::Admin, Role::Dealer]><StockImport /></RequireRole> }
}

#[component]
fn StockImport() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let dealer = move || query.read().get("dealer_id").filter(|v| !v.is_empty());
    let outcome = RwSignal::new(None::<UploadOutcome>);
    let endpoint = Signal::derive(move || match dealer() {
        Some(id) => format!("/api/v1/stock/import?dealer_id={id}"),
        None => "/api/v1/stock/import".to_string(),
    });
    view! {
        <Title text=move || t_string!(i18n, stock_import).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, stock_import)}</h1>
            <p>{t!(i18n, stock_import_intro)}</p>
            <p><code>{RECEIPT_COLUMNS.join(",")}</code></p>
            <CsvUpload endpoint label=Signal::derive(move || t_string!(i18n, upload_file).to_string()) outcome />
            <UploadResult outcome />
            <p><a class="btn btn-quiet" href="/stock">{t!(i18n, stock_back)}</a></p>
        </section>
    }
}
