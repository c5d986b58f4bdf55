//! The OEM's numbers (DESIGN §10): claims cost, cycle time and failure
//! rate, filtered in the URL, each as a server-rendered chart with its
//! table beside it, a CSV download and a print view.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde_json::Value;

use crate::api::network::{list_dealers, oems_with_models};
use crate::api::reports::{get_report, list_alerts};
use crate::components::chart::BarChart;
use crate::components::form::{DateRange, ErrorAlert, IdFilter, url_encode};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::field::YearMonth;
use crate::model::network::format_amount;
use crate::model::reporting::{AlertDto, AlertFilter, ReportDto, ReportName, ReportQuery};

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <RequireRole><Reports /></RequireRole> }
}

/// The URL's filters as a query.
fn query_of(q: &leptos_router::params::ParamsMap) -> ReportQuery {
    let text = |key: &str| q.get(key).filter(|v| !v.trim().is_empty());
    let id = |key: &str| text(key).and_then(|v| v.parse().ok());
    ReportQuery {
        from: text("from").and_then(|v| v.parse().ok()),
        to: text("to").and_then(|v| v.parse().ok()),
        oem_id: id("oem_id"),
        dealer_id: id("dealer_id"),
        model_id: id("model_id"),
        part_id: id("part_id"),
        part_number: text("part_number"),
        group_by: text("group_by"),
        mis: text("mis").and_then(|v| v.parse().ok()),
    }
}

/// The same filters written back as a query string (CSV link, tabs).
fn query_string(q: &ReportQuery) -> String {
    let mut pairs = Vec::new();
    let mut add = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            pairs.push(format!("{key}={}", url_encode(&value)));
        }
    };
    add("from", q.from.map(|d| d.to_string()));
    add("to", q.to.map(|d| d.to_string()));
    add("oem_id", q.oem_id.map(|v| v.to_string()));
    add("dealer_id", q.dealer_id.map(|v| v.to_string()));
    add("model_id", q.model_id.map(|v| v.to_string()));
    add("part_id", q.part_id.map(|v| v.to_string()));
    add("part_number", q.part_number.clone());
    add("group_by", q.group_by.clone());
    add("mis", q.mis.map(|v| v.to_string()));
    pairs.join("&")
}

#[component]
fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let query = use_query_map();
    let name = move || params.read().get("name").and_then(|n| ReportName::parse(&n)).unwrap_or(ReportName::ClaimsCost);
    let filter = move || query_of(&query.read());
    let alert_id = move || query.read().get("alert").and_then(|v| v.parse::<i64>().ok());
    let report = Resource::new(move || (name(), filter()), |(name, q)| get_report(name.as_str().to_string(), q));
    let alert = Resource::new(alert_id, |id| async move {
        match id {
            Some(id) => {
                list_alerts(AlertFilter::default()).await.ok().and_then(|all| all.into_iter().find(|a| a.id == id))
            }
            None => None,
        }
    });
    let models = Resource::new(|| (), |()| oems_with_models());
    let dealers = Resource::new(|| (), |()| list_dealers());
    let oem_side = move || session.current().is_some_and(|u| u.role != Role::Dealer);
    let admin = move || session.current().is_some_and(|u| u.role == Role::Admin);
    let tab = move |n: ReportName| {
        let label = match n {
            ReportName::ClaimsCost => t_string!(i18n, report_claims_cost),
            ReportName::CycleTime => t_string!(i18n, report_cycle_time),
            ReportName::FailureRate => t_string!(i18n, report_failure_rate),
        };
        view! {
            <a href=move || format!("/reports/{}", n.as_str()) aria-current=move || (name() == n).then_some("page")
                class=move || if name() == n { "tab tab-current" } else { "tab" }>{label}</a>
        }
    };
    view! {
        <Title text=move || t_string!(i18n, nav_reports).to_string() />
        <section class="page">
            <div class="page-header">
                <h1>{t!(i18n, nav_reports)}</h1>
                <Show when=oem_side>
                    <a class="btn no-print" href="/alerts">{t!(i18n, nav_alerts)}</a>
                </Show>
            </div>
            <nav class="tabs no-print" aria-label=move || t_string!(i18n, nav_reports).to_string()>
                {ReportName::ALL.into_iter().map(tab).collect_view()}
            </nav>
            <Form method="GET" action="" attr:class="filters no-print">
                <DateRange from=Signal::derive(move || filter().from) to=Signal::derive(move || filter().to) />
                {move || (!name().groupings().is_empty()).then(|| view! {
                    <div class="field">
                        <label for="group_by">{t!(i18n, report_group_by)}</label>
                        <select id="group_by" name="group_by">
                            {name().groupings().iter().map(|g| {
                                let g = *g;
                                view! { <option value=g selected=move || filter().group_by.as_deref() == Some(g)>{group_label(g)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                })}
                {move || (name() == ReportName::FailureRate).then(|| view! {
                    <div class="field narrow">
                        <label for="mis">{t!(i18n, report_mis)}</label>
                        <input id="mis" name="mis" type="number" min="1" max="36" prop:value=move || filter().mis.unwrap_or(3).to_string() />
                    </div>
                })}
                <div class="field">
                    <label for="part_number">{t!(i18n, report_part_number)}</label>
                    <input id="part_number" name="part_number" type="text" size="14"
                        prop:value=move || filter().part_number.unwrap_or_default() />
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let all = models.await.unwrap_or_default();
                        let oems: Vec<(i64, String)> = all.iter().map(|(o, _)| (o.id, format!("{} · {}", o.code, o.name))).collect();
                        let models: Vec<(i64, String)> = all
                            .into_iter()
                            .flat_map(|(oem, models)| models.into_iter().map(move |m| (m.id, format!("{} {}", oem.code, m.name))))
                            .collect();
                        let dealers = dealers.await.unwrap_or_default();
                        view! {
                            {admin().then(|| view! {
                                <IdFilter id="oem_id" label=t!(i18n, user_oem).into_any() any=t!(i18n, users_any).into_any()
                                    choices=oems selected=Signal::derive(move || filter().oem_id) />
                            })}
                            <IdFilter id="model_id" label=t!(i18n, vehicle_model).into_any() any=t!(i18n, users_any).into_any()
                                choices=models selected=Signal::derive(move || filter().model_id) />
                            {oem_side().then(|| view! {
                                <IdFilter id="dealer_id" label=t!(i18n, user_dealer).into_any() any=t!(i18n, users_any).into_any()
                                    choices=dealers.into_iter().map(|d| (d.id, format!("{} · {}", d.code, d.name))).collect()
                                    selected=Signal::derive(move || filter().dealer_id) />
                            })}
                        }
                    })}
                </Suspense>
                {move || filter().part_id.map(|id| view! { <input type="hidden" name="part_id" value=id /> })}
                {move || alert_id().map(|id| view! { <input type="hidden" name="alert" value=id /> })}
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href=move || format!("/reports/{}", name().as_str())>{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    let highlight = alert.await;
                    match report.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(r) => {
                            let csv = format!("/api/v1/reports/{}.csv?{}", r.name.as_str(), query_string(&filter()));
                            view! { <ReportView report=r csv alert=highlight /> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// A grouping's name in the current language.
fn group_label(group: &str) -> String {
    let i18n = use_i18n();
    match group {
        "part" => t_string!(i18n, report_by_part),
        "dealer" => t_string!(i18n, report_by_dealer),
        "country" => t_string!(i18n, report_by_country),
        "month" => t_string!(i18n, report_by_month),
        _ => t_string!(i18n, report_by_model),
    }
    .to_string()
}

/// A column's heading in the current language.
fn column_label(column: &str) -> String {
    let i18n = use_i18n();
    match column {
        "group" => t_string!(i18n, report_col_group),
        "claims" => t_string!(i18n, report_col_claims),
        "requested_minor" => t_string!(i18n, report_col_requested),
        "approved_minor" => t_string!(i18n, report_col_approved),
        "approval_rate_amount" => t_string!(i18n, report_col_rate_amount),
        "approval_rate_claims" => t_string!(i18n, report_col_rate_claims),
        "unconverted" => t_string!(i18n, report_col_unconverted),
        "decided" => t_string!(i18n, report_col_decided),
        "median_days_to_decision" => t_string!(i18n, report_col_median_decision),
        "p90_days_to_decision" => t_string!(i18n, report_col_p90_decision),
        "paid" => t_string!(i18n, report_col_paid),
        "median_days_to_payment" => t_string!(i18n, report_col_median_payment),
        "p90_days_to_payment" => t_string!(i18n, report_col_p90_payment),
        "cohort" => t_string!(i18n, report_col_cohort),
        "vehicles" => t_string!(i18n, report_col_vehicles),
        "per_1000" => t_string!(i18n, report_col_per_1000),
        "cost_per_vehicle_minor" => t_string!(i18n, report_col_cost_per_vehicle),
        "part_number" => t_string!(i18n, report_part_number),
        other => return other.to_string(),
    }
    .to_string()
}

/// One cell as a person reads it: amounts in the currency, rates as a percentage.
fn cell(column: &str, value: &Value, currency: &str) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) if column.ends_with("_minor") => {
            n.as_i64().map_or_else(|| n.to_string(), |m| format_amount(m, currency))
        }
        Value::Number(n) if column.starts_with("approval_rate") => {
            n.as_f64().map_or_else(String::new, |f| format!("{:.1} %", f * 100.0))
        }
        Value::Number(n) => {
            n.as_i64().map_or_else(|| n.to_string(), |i| crate::model::limits::grouped(i.unsigned_abs()))
        }
        other => other.to_string(),
    }
}

/// Minor units of `currency` per major unit.
fn unit(currency: &str) -> f64 {
    let exponent = iso_currency::Currency::from_code(currency).and_then(|c| c.exponent()).unwrap_or(2);
    10f64.powi(i32::from(exponent))
}

#[component]
fn ReportView(report: ReportDto, csv: String, alert: Option<AlertDto>) -> impl IntoView {
    let i18n = use_i18n();
    let currency = report.currency.clone();
    let by_cohort = report.columns.first().is_some_and(|c| c == "cohort");
    let (title, y_label, column) = match report.name {
        ReportName::ClaimsCost => (t_string!(i18n, report_chart_cost).to_string(), currency.clone(), "approved_minor"),
        ReportName::CycleTime => (
            t_string!(i18n, report_chart_cycle).to_string(),
            t_string!(i18n, report_days).to_string(),
            "median_days_to_decision",
        ),
        ReportName::FailureRate => (
            t_string!(i18n, report_chart_failure).to_string(),
            t_string!(i18n, report_col_per_1000).to_string(),
            "per_1000",
        ),
    };
    let scale = if column.ends_with("_minor") { unit(&currency) } else { 1.0 };
    let data: Vec<(String, f64)> = report.series(column).into_iter().map(|(label, v)| (label, v / scale)).collect();
    // An alert's cohorts stand out, against what the year before predicted.
    let (highlight, reference) = match (&alert, by_cohort) {
        (Some(a), true) => {
            let span = (a.cohorts.from.parse::<YearMonth>().ok(), a.cohorts.to.parse::<YearMonth>().ok());
            let marked = data
                .iter()
                .map(|(label, _)| match (label.parse::<YearMonth>().ok(), span) {
                    (Some(m), (Some(from), Some(to))) => m >= from && m <= to,
                    _ => false,
                })
                .collect();
            (marked, Some((a.baseline_per_1000, t_string!(i18n, alert_baseline).to_string())))
        }
        _ => (Vec::new(), None),
    };
    let x_label = column_label(report.columns.first().map_or("group", String::as_str));
    let columns = report.columns.clone();
    let totals = report.totals.clone();
    view! {
        {alert.map(|a| view! { <div class="alert alert-warn" role="note">{a.explanation}</div> })}
        <div class="report">
            <BarChart title=title.clone() x_label y_label data highlight reference />
            <div class="table-wrap">
                <table class="data">
                    <caption>{title}</caption>
                    <thead><tr>
                        {columns.iter().map(|c| view! { <th scope="col">{column_label(c)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {report.rows.iter().map(|row| view! {
                            <tr>
                                {row.iter().zip(&columns).enumerate().map(|(i, (v, c))| {
                                    let text = cell(c, v, &currency);
                                    if i == 0 { view! { <th scope="row">{text}</th> }.into_any() } else { view! { <td class="num">{text}</td> }.into_any() }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot><tr>
                        <th scope="row">{t!(i18n, report_total)}</th>
                        {columns.iter().skip(1).map(|c| view! { <td class="num">{cell(c, totals.get(c).unwrap_or(&Value::Null), &currency)}</td> }).collect_view()}
                    </tr></tfoot>
                </table>
            </div>
        </div>
        {(!report.queue.is_empty()).then(|| view! {
            <h2>{t!(i18n, report_queue)}</h2>
            <dl class="facts">
                {report.queue.iter().map(|b| view! { <div><dt>{b.label.clone()}</dt><dd>{b.claims}</dd></div> }).collect_view()}
            </dl>
        })}
        {(!report.notes.is_empty()).then(|| view! {
            <ul class="notes">{report.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
        })}
        <p class="actions no-print">
            <a class="btn" href=csv download=format!("{}.csv", report.name.as_str())>{t!(i18n, report_csv)}</a>
            <PrintButton />
        </p>
    }
}

/// Prints the page (the print stylesheet leaves the chart and the table).
#[component]
pub fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! { <button type="button" class="btn btn-quiet" on:click=print>{t!(i18n, report_print)}</button> }
}
