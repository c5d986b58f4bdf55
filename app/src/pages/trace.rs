//! Trace: a VIN, a repair number or a part serial, and the chain around
//! it — vehicle ↔ repairs ↔ parts installed and removed ↔ stock movements ↔
//! dealers — with the unit's life from the ledger.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::repairs::trace;
use crate::components::form::{ErrorAlert, url_encode};
use crate::components::guard::RequireRole;
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::repair::{RepairDto, TraceDto};
use crate::model::stock::{PartUnitDto, UnitStatus};
use crate::model::vehicle::VehicleDto;
use crate::pages::movements::MovementsTable;
use crate::pages::repair::DirectionChip;
use crate::pages::repairs::RepairChip;

#[component]
pub fn TracePage() -> impl IntoView {
    view! { <RequireRole><Trace /></RequireRole> }
}

#[component]
fn Trace() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = use_params_map();
    let q = move || {
        params
            .read()
            .get("serial")
            .or_else(|| query.read().get("q"))
            .or_else(|| query.read().get("serial"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let part_id = move || query.read().get("part_id").and_then(|v| v.parse::<i64>().ok());
    let found = Resource::new(
        move || (q(), part_id()),
        |(q, part_id)| async move {
            match q {
                Some(q) => Some(trace(q, part_id).await),
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
                    <label for="q">{t!(i18n, trace_query)}</label>
                    <input id="q" name="q" type="search" class="mono" required prop:value=move || q().unwrap_or_default() />
                </div>
                <button type="submit" class="btn btn-primary">{t!(i18n, trace_search)}</button>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        None => view! { <p class="muted">{t!(i18n, trace_intro)}</p> }.into_any(),
                        Some(Err(err)) => view! { <ErrorAlert error=err /> }.into_any(),
                        Some(Ok(found)) => view! { <Chain found /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Chain(found: TraceDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {found.unit.map(|unit| view! { <Unit unit /> })}
        {found.vehicle.map(|vehicle| view! { <VehicleFacts vehicle /> })}
        {(!found.repairs.is_empty()).then(|| view! { <h2>{t!(i18n, nav_repairs)}</h2> })}
        {found.repairs.into_iter().map(|repair| view! { <RepairLink repair /> }).collect_view()}
    }
}

#[component]
fn VehicleFacts(vehicle: VehicleDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, trace_vehicle)}</h2>
        <dl class="facts">
            <div><dt>{t!(i18n, vehicle_vin)}</dt><dd><a class="mono" href=format!("/vehicles/{}", vehicle.vin)>{vehicle.vin.clone()}</a></dd></div>
            <div><dt>{t!(i18n, vehicle_model)}</dt><dd>{format!("{} {}", vehicle.oem_code, vehicle.model_name)}</dd></div>
            <div><dt>{t!(i18n, vehicle_in_service)}</dt><dd>{vehicle.in_service_date.to_string()}</dd></div>
            <div><dt>{t!(i18n, repair_odometer)}</dt><dd>{vehicle.last_odometer_km.map_or_else(|| "—".into(), |k| format!("{k} km"))}</dd></div>
        </dl>
    }
}

/// One repair in the chain: its dealer and dates, parts in and out, and
/// the stock movements they made.
#[component]
fn RepairLink(repair: RepairDto) -> impl IntoView {
    view! {
        <div class="chain">
            <h3>
                <a href=format!("/repairs/{}", repair.id)>{repair.number.clone()}</a>
                " " <RepairChip status=repair.status />
            </h3>
            <p class="muted">{format!("{} · {} · {} km · {}", repair.dealer_code, repair.opened_on, repair.odometer_km, repair.complaint)}</p>
            <ul class="plain">
                {repair.parts.into_iter().map(|p| view! {
                    <li>
                        <DirectionChip direction=p.direction />
                        {format!(" {} × {} {}", p.quantity, p.part_number, p.description)}
                        {p.serial.map(|serial| view! { " · " <SerialLink serial /> })}
                    </li>
                }).collect_view()}
            </ul>
            {(!repair.movements.is_empty()).then(|| view! { <MovementsTable movements=repair.movements /> })}
        </div>
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

/// A serial, linked to its trace.
#[component]
pub fn SerialLink(serial: String) -> impl IntoView {
    view! { <a class="mono" href=format!("/trace?q={}", url_encode(&serial))>{serial.clone()}</a> }
}
