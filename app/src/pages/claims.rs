//! Warranty claims: the list (status, dates, amounts in the URL) and, for
//! service managers, the review queue — oldest first, with how long claims
//! have waited.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::claims::list_claims;
use crate::api::network::{list_dealers, oems_with_models};
use crate::components::form::{ErrorAlert, IdFilter, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::claim::{ClaimDto, ClaimFilter, ClaimStatus};
use crate::model::network::format_amount;

#[component]
pub fn ClaimsPage() -> impl IntoView {
    view! { <RequireRole><Claims /></RequireRole> }
}

#[component]
fn Claims() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        ClaimFilter {
            status: text("status"),
            from: text("from"),
            to: text("to"),
            min_amount: text("min_amount").and_then(|v| v.parse().ok()),
            max_amount: text("max_amount").and_then(|v| v.parse().ok()),
            queue: text("queue").map(|v| v == "true"),
            dealer_id: text("dealer_id").and_then(|v| v.parse().ok()),
            model_id: text("model_id").and_then(|v| v.parse().ok()),
            cursor: text("cursor"),
            ..Default::default()
        }
    };
    let claims = Resource::new(filter, list_claims);
    let dealers = Resource::new(|| (), |()| list_dealers());
    let models = Resource::new(|| (), |()| oems_with_models());
    // The filters as a query string, for the next page and the CSV export.
    let query_of = move |f: &ClaimFilter| {
        let text = |v: &Option<String>| url_encode(v.as_deref().unwrap_or_default());
        let id = |name: &str, v: Option<i64>| v.map(|v| format!("&{name}={v}")).unwrap_or_default();
        format!(
            "status={}&from={}&to={}{}{}{}{}",
            text(&f.status),
            text(&f.from),
            text(&f.to),
            id("min_amount", f.min_amount),
            id("max_amount", f.max_amount),
            id("dealer_id", f.dealer_id),
            id("model_id", f.model_id)
        )
    };
    let next_href = move |cursor: String| {
        let f = filter();
        format!("/claims?{}&queue={}&cursor={cursor}", query_of(&f), f.queue.unwrap_or(false))
    };
    let reviewer = move || session.current().is_some_and(|u| u.role == Role::ServiceManager);
    view! {
        <Title text=move || t_string!(i18n, nav_claims).to_string() />
        <section class="page">
            <div class="page-header">
                <h1>{move || if filter().queue == Some(true) { t_string!(i18n, claim_queue).to_string() } else { t_string!(i18n, nav_claims).to_string() }}</h1>
                <Show when=reviewer>
                    <a class="btn" href="/claims?queue=true">{t!(i18n, claim_queue)}</a>
                </Show>
            </div>
            <Form method="GET" action="" attr:class="filters">
                {move || filter().queue.map(|q| view! { <input type="hidden" name="queue" value=q.to_string() /> })}
                <div class="field">
                    <label for="status">{t!(i18n, users_col_status)}</label>
                    <select id="status" name="status">
                        <option value="">{t!(i18n, users_any)}</option>
                        {ClaimStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || filter().status.as_deref() == Some(s.as_str())>{claim_status_label(s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="from">{t!(i18n, claim_repair_from)}</label>
                    <input id="from" name="from" type="date" prop:value=move || filter().from.unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="to">{t!(i18n, claim_repair_to)}</label>
                    <input id="to" name="to" type="date" prop:value=move || filter().to.unwrap_or_default() />
                </div>
                <div class="field narrow">
                    <label for="min_amount">{t!(i18n, claim_min_amount)}</label>
                    <input id="min_amount" name="min_amount" type="number" min="0" prop:value=move || filter().min_amount.map(|v| v.to_string()).unwrap_or_default() />
                </div>
                <div class="field narrow">
                    <label for="max_amount">{t!(i18n, claim_max_amount)}</label>
                    <input id="max_amount" name="max_amount" type="number" min="0" prop:value=move || filter().max_amount.map(|v| v.to_string()).unwrap_or_default() />
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let dealers = dealers.await.unwrap_or_default();
                        let models: Vec<(i64, String)> = models
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .flat_map(|(oem, models)| models.into_iter().map(move |m| (m.id, format!("{} {}", oem.code, m.name))))
                            .collect();
                        view! {
                            {(dealers.len() > 1).then(|| view! {
                                <IdFilter id="dealer_id" label=t!(i18n, user_dealer).into_any() any=t!(i18n, users_any).into_any()
                                    choices=dealers.into_iter().map(|d| (d.id, format!("{} · {}", d.code, d.name))).collect()
                                    selected=Signal::derive(move || filter().dealer_id) />
                            })}
                            <IdFilter id="model_id" label=t!(i18n, vehicle_model).into_any() any=t!(i18n, users_any).into_any()
                                choices=models selected=Signal::derive(move || filter().model_id) />
                        }
                    })}
                </Suspense>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/claims">{t!(i18n, users_clear)}</a>
                <a class="btn btn-quiet" download="claims.csv" href=move || format!("/api/v1/claims/export?{}", query_of(&filter()))>
                    {t!(i18n, claim_export)}
                </a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match claims.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(list) => view! {
                            {list.ages.map(|[fresh, waiting, late]| view! {
                                <dl class="facts">
                                    <div><dt>{t!(i18n, claim_age_fresh)}</dt><dd>{fresh}</dd></div>
                                    <div><dt>{t!(i18n, claim_age_waiting)}</dt><dd>{waiting}</dd></div>
                                    <div><dt>{t!(i18n, claim_age_late)}</dt><dd>{late}</dd></div>
                                </dl>
                            })}
                            <ClaimsTable claims=list.page.items />
                            <NextPage href=list.page.next_cursor.map(next_href) />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Claims as rows: number, dealer, vehicle, repair date, amounts, warnings and status.
#[component]
pub fn ClaimsTable(claims: Vec<ClaimDto>) -> impl IntoView {
    let i18n = use_i18n();
    if claims.is_empty() {
        return view! { <p class="muted">{t!(i18n, claim_none)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">{t!(i18n, claim_number)}</th>
                    <th scope="col">{t!(i18n, user_dealer)}</th>
                    <th scope="col">{t!(i18n, vehicle_model)}</th>
                    <th scope="col">{t!(i18n, vehicle_vin)}</th>
                    <th scope="col">{t!(i18n, repair_date)}</th>
                    <th scope="col" class="num">{t!(i18n, claim_age)}</th>
                    <th scope="col" class="num">{t!(i18n, claim_requested)}</th>
                    <th scope="col" class="num">{t!(i18n, claim_approved)}</th>
                    <th scope="col">{t!(i18n, users_col_status)}</th>
                </tr></thead>
                <tbody>
                    {claims.into_iter().map(|c| {
                        let age = c.age_days;
                        view! {
                            <tr>
                                <td><a href=format!("/claims/{}", c.id)>{c.number.clone()}</a></td>
                                <td>{c.dealer_code.clone()}</td>
                                <td>{c.model_name.clone()}</td>
                                <td class="mono">{c.vin.clone()}</td>
                                <td>{c.repair_date.to_string()}</td>
                                <td class="num">{age.map(|d| format!("{d} d"))}</td>
                                <td class="num">{format_amount(c.requested_total.amount_minor, &c.currency)}</td>
                                <td class="num">{c.approved_total.as_ref().map(|a| format_amount(a.amount_minor, &a.currency))}</td>
                                <td>
                                    <ClaimChip status=c.status />
                                    {(!c.warnings.is_empty()).then(|| view! { " " <span class="chip chip-warn">{t!(i18n, claim_warning)}</span> })}
                                    {c.info_answered.then(|| view! { " " <span class="chip chip-info">{t!(i18n, claim_answered)}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

pub fn claim_status_label(status: ClaimStatus) -> AnyView {
    let i18n = use_i18n();
    match status {
        ClaimStatus::Draft => t!(i18n, cs_draft).into_any(),
        ClaimStatus::Submitted => t!(i18n, cs_submitted).into_any(),
        ClaimStatus::InReview => t!(i18n, cs_in_review).into_any(),
        ClaimStatus::InfoRequested => t!(i18n, cs_info_requested).into_any(),
        ClaimStatus::Approved => t!(i18n, cs_approved).into_any(),
        ClaimStatus::PartiallyApproved => t!(i18n, cs_partially_approved).into_any(),
        ClaimStatus::Rejected => t!(i18n, cs_rejected).into_any(),
        ClaimStatus::Paid => t!(i18n, cs_paid).into_any(),
        ClaimStatus::Withdrawn => t!(i18n, cs_withdrawn).into_any(),
    }
}

#[component]
pub fn ClaimChip(status: ClaimStatus) -> impl IntoView {
    let class = match status {
        ClaimStatus::Approved | ClaimStatus::Paid => "chip chip-ok",
        ClaimStatus::PartiallyApproved | ClaimStatus::InfoRequested => "chip chip-warn",
        ClaimStatus::Rejected => "chip chip-error",
        ClaimStatus::Draft | ClaimStatus::Withdrawn => "chip chip-muted",
        ClaimStatus::Submitted | ClaimStatus::InReview => "chip chip-info",
    };
    view! { <span class=class>{claim_status_label(status)}</span> }
}
