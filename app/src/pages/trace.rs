//! Trace a serialized part: where the unit is and its life from the
//! ledger — delivery, transfers, installation, removal, return, recycling.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::stock::get_part_unit;
use crate::components::form::ErrorAlert;
use crate::components::guard::RequireRole;
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::stock::{PartUnitDto, UnitStatus};

#[component]
pub fn TracePage() -> impl IntoView {
    view! { <RequireRole><Trace /></RequireRole> }
}

#[component]
fn Trace() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = use_params_map();
    let serial = move || {
        params
            .read()
            .get("serial")
            .or_else(|| query.read().get("serial"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let part_id = move || query.read().get("part_id").and_then(|v| v.parse::<i64>().ok());
    let unit = Resource::new(
        move || (serial(), part_id()),
        |(serial, part_id)| async move {
            match serial {
                Some(serial) => Some(get_part_unit(serial, part_id).await),
                None => None,
            }
        },
    );
    view! {
        <Title text=move || t_string!(i18n, nav_trace).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_trace)}</h1>
            <Form method="GET" action="/trace" attr:class="filters">
                <div class="field">
                    <label for="serial">{t!(i18n, trace_serial)}</label>
                    <input id="serial" name="serial" type="search" required prop:value=move || serial().unwrap_or_default() />
                </div>
                <button type="submit" class="btn btn-primary">{t!(i18n, trace_search)}</button>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match unit.await {
                        None => view! { <p class="muted">{t!(i18n, trace_intro)}</p> }.into_any(),
                        Some(Err(err)) => view! { <ErrorAlert error=err /> }.into_any(),
                        Some(Ok(unit)) => view! { <Unit unit /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Unit(unit: PartUnitDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{format!("{} · {}", unit.serial, unit.part_number)}</h2>
        <dl class="facts">
            <div><dt>{t!(i18n, users_col_status)}</dt><dd><UnitChip status=unit.status /></dd></div>
            <div><dt>{t!(i18n, part_description)}</dt><dd><a href=format!("/parts/{}", unit.part_id)>{unit.description.clone()}</a></dd></div>
            <div><dt>{t!(i18n, user_dealer)}</dt><dd>{unit.dealer_code.clone().unwrap_or_else(|| "—".into())}</dd></div>
        </dl>
        <h3>{t!(i18n, trace_timeline)}</h3>
        <ol class="timeline">
            {unit.timeline.into_iter().map(|e| {
                let data = &e.data;
                let text = |key: &str| data.get(key).and_then(|v| v.as_str()).map(str::to_string);
                let detail = [text("kind"), text("reference"), data.get("dealer_id").and_then(|v| v.as_i64()).map(|d| format!("dealer #{d}"))]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                view! {
                    <li>
                        <Time at=e.at />
                        " — " <strong>{e.action.clone()}</strong>
                        {text("from").map(|f| format!(" ({f} → {})", text("to").unwrap_or_default()))}
                        <span class="muted">{format!(" {detail}")}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn UnitChip(status: UnitStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        UnitStatus::InStock => "chip chip-ok",
        UnitStatus::Installed => "chip chip-info",
        UnitStatus::Removed => "chip chip-warn",
        UnitStatus::ReturnedToOem | UnitStatus::Recycled | UnitStatus::Scrapped => "chip chip-muted",
    };
    let label = match status {
        UnitStatus::InStock => t!(i18n, us_in_stock).into_any(),
        UnitStatus::Installed => t!(i18n, us_installed).into_any(),
        UnitStatus::Removed => t!(i18n, us_removed).into_any(),
        UnitStatus::ReturnedToOem => t!(i18n, us_returned_to_oem).into_any(),
        UnitStatus::Recycled => t!(i18n, us_recycled).into_any(),
        UnitStatus::Scrapped => t!(i18n, us_scrapped).into_any(),
    };
    view! { <span class=class>{label}</span> }
}
