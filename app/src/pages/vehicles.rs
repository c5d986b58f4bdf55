//! Vehicles: the list (VIN prefix search) and one vehicle — model, warranty
//! left per component category, repairs, parts installed and removed, and
//! the odometer history as a small chart.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::repairs::{get_vehicle, list_vehicles};
use crate::components::form::{ErrorAlert, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::status::category_label;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::vehicle::{CoverageDto, OdometerDto, VehicleDto, VehicleFilter, VehiclePartDto};
use crate::pages::claims::ClaimsTable;
use crate::pages::repair::DirectionChip;
use crate::pages::repairs::RepairsTable;
use crate::pages::trace::SerialLink;

#[component]
pub fn VehiclesPage() -> impl IntoView {
    view! { <RequireRole><Vehicles /></RequireRole> }
}

#[component]
fn Vehicles() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        VehicleFilter { q: text("q"), cursor: text("cursor"), ..Default::default() }
    };
    let vehicles = Resource::new(filter, list_vehicles);
    let next_href =
        move |cursor: String| format!("/vehicles?q={}&cursor={cursor}", url_encode(&filter().q.unwrap_or_default()));
    view! {
        <Title text=move || t_string!(i18n, nav_vehicles).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_vehicles)}</h1>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="q">{t!(i18n, vehicle_vin_starts)}</label>
                    <input id="q" name="q" type="search" class="mono" prop:value=move || filter().q.unwrap_or_default() />
                </div>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/vehicles">{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match vehicles.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) if page.items.is_empty() => view! { <p class="muted">{t!(i18n, vehicle_none)}</p> }.into_any(),
                        Ok(page) => view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, vehicle_vin)}</th>
                                        <th scope="col">{t!(i18n, vehicle_model)}</th>
                                        <th scope="col" class="num">{t!(i18n, vehicle_model_year)}</th>
                                        <th scope="col">{t!(i18n, vehicle_in_service)}</th>
                                        <th scope="col">{t!(i18n, dealer_country)}</th>
                                        <th scope="col" class="num">{t!(i18n, repair_odometer)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|v| view! {
                                            <tr>
                                                <td><a class="mono" href=format!("/vehicles/{}", v.vin)>{v.vin.clone()}</a></td>
                                                <td>{format!("{} {}", v.oem_code, v.model_name)}</td>
                                                <td class="num">{v.model_year}</td>
                                                <td>{v.in_service_date.to_string()}</td>
                                                <td>{v.country.clone()}</td>
                                                <td class="num">{v.last_odometer_km.map(|k| format!("{k} km"))}</td>
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

#[component]
pub fn VehiclePage() -> impl IntoView {
    view! { <RequireRole><VehicleView /></RequireRole> }
}

#[component]
fn VehicleView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let vin = move || params.read().get("vin").unwrap_or_default();
    let vehicle = Resource::new(vin, get_vehicle);
    view! {
        <section class="page">
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match vehicle.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(v) => view! { <Title text=v.vin.clone() /><VehicleDetails vehicle=v /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The facts, coverage, odometer, repairs and parts of one vehicle.
#[component]
pub fn VehicleDetails(vehicle: VehicleDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="mono">{vehicle.vin.clone()}</h1>
        <dl class="facts">
            <div><dt>{t!(i18n, vehicle_model)}</dt><dd>{format!("{} {} ({})", vehicle.oem_code, vehicle.model_name, vehicle.model_code)}</dd></div>
            <div><dt>{t!(i18n, vehicle_model_year)}</dt><dd>{vehicle.model_year}</dd></div>
            <div><dt>{t!(i18n, vehicle_in_service)}</dt><dd>{vehicle.in_service_date.to_string()}</dd></div>
            <div><dt>{t!(i18n, dealer_country)}</dt><dd>{vehicle.country.clone()}</dd></div>
            <div><dt>{t!(i18n, repair_odometer)}</dt><dd>{vehicle.last_odometer_km.map_or_else(|| "—".into(), |k| format!("{k} km"))}</dd></div>
        </dl>
        <h2>{t!(i18n, vehicle_coverage)}</h2>
        <Coverage coverage=vehicle.coverage.clone() />
        <h2>{t!(i18n, vehicle_odometer_history)}</h2>
        <OdometerChart readings=vehicle.odometer.clone() />
        <h2>{t!(i18n, nav_repairs)}</h2>
        <RepairsTable repairs=vehicle.repairs.clone() />
        <h2>{t!(i18n, vehicle_claims)}</h2>
        <ClaimsTable claims=vehicle.claims />
        <h2>{t!(i18n, vehicle_parts)}</h2>
        <VehicleParts parts=vehicle.parts />
    }
}

#[component]
fn Coverage(coverage: Vec<CoverageDto>) -> impl IntoView {
    let i18n = use_i18n();
    if coverage.is_empty() {
        return view! { <p class="muted">{t!(i18n, vehicle_no_policy)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">{t!(i18n, oem_category)}</th>
                    <th scope="col" class="num">{t!(i18n, vehicle_policy)}</th>
                    <th scope="col">{t!(i18n, vehicle_ends_on)}</th>
                    <th scope="col" class="num">{t!(i18n, vehicle_months_left)}</th>
                    <th scope="col" class="num">{t!(i18n, vehicle_km_left)}</th>
                    <th scope="col">{t!(i18n, users_col_status)}</th>
                </tr></thead>
                <tbody>
                    {coverage.into_iter().map(|c| view! {
                        <tr>
                            <td>
                                {category_label(c.component_category)}
                                {c.basic_fallback.then(|| view! { " " <span class="muted">{t!(i18n, vehicle_basic_fallback)}</span> })}
                            </td>
                            <td class="num">{format!("{} mo / {} km", c.months, c.km)}</td>
                            <td>{c.ends_on.to_string()}</td>
                            <td class="num">{c.months_left}</td>
                            <td class="num">{c.km_left.map_or_else(|| "—".into(), |k| k.to_string())}</td>
                            <td>{if c.active {
                                view! { <span class="chip chip-ok">{t!(i18n, vehicle_covered)}</span> }.into_any()
                            } else {
                                view! { <span class="chip chip-muted">{t!(i18n, vehicle_expired)}</span> }.into_any()
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Readings over time as a line; a flagged (lower) reading is marked.
#[component]
fn OdometerChart(readings: Vec<OdometerDto>) -> impl IntoView {
    let i18n = use_i18n();
    if readings.is_empty() {
        return view! { <p class="muted">{t!(i18n, vehicle_no_readings)}</p> }.into_any();
    }
    let (width, height, pad) = (480.0_f64, 160.0_f64, 28.0_f64);
    let first = readings.first().map(|r| r.date).unwrap_or_default();
    let last = readings.last().map(|r| r.date).unwrap_or_default();
    let days = (last - first).num_days().max(1) as f64;
    let top = readings.iter().map(|r| r.km).max().unwrap_or(1).max(1) as f64;
    let points: Vec<(f64, f64, &OdometerDto)> = readings
        .iter()
        .map(|r| {
            let x = pad + (r.date - first).num_days() as f64 / days * (width - 2.0 * pad);
            let y = height - pad - r.km as f64 / top * (height - 2.0 * pad);
            (x, y, r)
        })
        .collect();
    let line = points.iter().map(|(x, y, _)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let summary = readings.iter().map(|r| format!("{} {} km", r.date, r.km)).collect::<Vec<_>>().join(", ");
    view! {
        <svg class="odometer-chart" viewBox=format!("0 0 {width} {height}") role="img" aria-label=summary>
            <line x1=pad y1=height - pad x2=width - pad y2=height - pad />
            <polyline points=line />
            {points.iter().map(|(x, y, r)| view! {
                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="3.5" class=if r.flagged { "flagged" } else { "" }>
                    <title>{format!("{}: {} km{}", r.date, r.km, if r.flagged { " (lower than before)" } else { "" })}</title>
                </circle>
            }).collect_view()}
            <text x=pad y=height - 8.0>{first.to_string()}</text>
            <text x=width - pad y=height - 8.0 text-anchor="end">{last.to_string()}</text>
            <text x=pad y="14">{format!("{} km", top as i64)}</text>
        </svg>
    }
    .into_any()
}

#[component]
fn VehicleParts(parts: Vec<VehiclePartDto>) -> impl IntoView {
    let i18n = use_i18n();
    if parts.is_empty() {
        return view! { <p class="muted">{t!(i18n, repair_no_parts)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">{t!(i18n, repair_direction)}</th>
                    <th scope="col">{t!(i18n, part_number)}</th>
                    <th scope="col">{t!(i18n, part_description)}</th>
                    <th scope="col" class="num">{t!(i18n, stock_quantity)}</th>
                    <th scope="col">{t!(i18n, stock_serial)}</th>
                    <th scope="col">{t!(i18n, repair_number)}</th>
                    <th scope="col">{t!(i18n, repair_date)}</th>
                </tr></thead>
                <tbody>
                    {parts.into_iter().map(|p| view! {
                        <tr>
                            <td><DirectionChip direction=p.direction /></td>
                            <td class="mono">{p.part_number}</td>
                            <td>{p.description}</td>
                            <td class="num">{p.quantity}</td>
                            <td>{p.serial.clone().map(|serial| view! { <SerialLink serial /> })}</td>
                            <td><a href=format!("/repairs/{}", p.repair_id)>{p.repair_number}</a></td>
                            <td>{p.date.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
