//! One claim: header and status with the allowed next actions only, the
//! checks as a checklist with their explanations, lines requested vs
//! approved (editable while draft; decided line by line by the reviewer),
//! comments, part returns and the timeline from the ledger. It prints as a
//! claim sheet.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

mod forms;
mod panels;

use forms::*;
use panels::*;

use crate::api::claims::{
    AddSubletLine, ClaimAction as Act, RemoveClaimLine, RequestPartReturn, ReviewClaim, UpdatePartReturn, get_claim,
};
use crate::components::form::{ErrorAlert, FieldError, FormError, confirm};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::components::time::Time;
use crate::components::upload::FileUpload;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::claim::{CheckResult, ClaimAction, ClaimDto, ClaimStatus, Decision, ReasonCode, next_actions};
use crate::model::network::format_amount;
use crate::pages::claims::ClaimChip;

#[derive(Clone, Copy)]
struct Actions {
    act: ServerAction<Act>,
    review: ServerAction<ReviewClaim>,
    add_line: ServerAction<AddSubletLine>,
    remove_line: ServerAction<RemoveClaimLine>,
    /// Bumped when a file is uploaded (outside server functions).
    uploads: RwSignal<u32>,
    ask_return: ServerAction<RequestPartReturn>,
    step_return: ServerAction<UpdatePartReturn>,
}

#[component]
pub fn ClaimPage() -> impl IntoView {
    let actions = Actions {
        act: ServerAction::new(),
        review: ServerAction::new(),
        add_line: ServerAction::new(),
        remove_line: ServerAction::new(),
        uploads: RwSignal::new(0),
        ask_return: ServerAction::new(),
        step_return: ServerAction::new(),
    };
    view! { <RequireRole><Claim actions /></RequireRole> }
}

#[component]
fn Claim(actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let versions = move || {
        (
            actions.act.version().get(),
            actions.review.version().get(),
            actions.add_line.version().get(),
            actions.remove_line.version().get(),
            actions.uploads.get(),
            actions.ask_return.version().get(),
            actions.step_return.version().get(),
        )
    };
    let claim = Resource::new(move || (id(), versions()), |(id, _)| get_claim(id));
    let act_result = Signal::derive(move || actions.act.value().get());
    let blocked = move || match actions.act.value().get() {
        Some(Err(err)) => err.failed_checks().to_vec(),
        _ => Vec::new(),
    };
    view! {
        <section class="page">
            <FormError result=act_result />
            {move || {
                let failing = blocked();
                (!failing.is_empty()).then(|| view! {
                    <ul class="checklist">
                        {failing.into_iter().map(|c| view! { <li class="fail">{c.explanation}</li> }).collect_view()}
                    </ul>
                })
            }}
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match claim.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(claim) => {
                            let role = session.current().map_or(Role::Admin, |u| u.role);
                            let next = next_actions(claim.status, role, claim.appealed);
                            let draft = claim.status == ClaimStatus::Draft && role == Role::Dealer;
                            let reviewing = next.contains(&ClaimAction::Decide(crate::model::claim::Outcome::Approved));
                            view! {
                                <Title text=claim.number.clone() />
                                <Header claim=claim.clone() />
                                <Checks claim=claim.clone() />
                                {if reviewing {
                                    view! { <ReviewForm action=actions.review claim=claim.clone() /> }.into_any()
                                } else {
                                    view! { <Lines claim=claim.clone() draft remove=actions.remove_line /> }.into_any()
                                }}
                                {draft.then(|| view! { <SubletForm action=actions.add_line id=claim.id /> })}
                                <NextActions act=actions.act claim=claim.clone() next />
                                <div class="actions">
                                    <button type="button" class="btn" on:click=move |_| print()>{t!(i18n, claim_print)}</button>
                                </div>
                                <Attachments claim=claim.clone() uploads=actions.uploads role />
                                <PartReturns claim=claim.clone() ask=actions.ask_return step=actions.step_return role />
                                <Comments claim=claim.clone() act=actions.act role />
                                <h2>{t!(i18n, trace_timeline)}</h2>
                                <ol class="timeline">
                                    {claim.timeline.iter().map(|e| view! {
                                        <li><Time at=e.at />" — "<strong>{e.action.clone()}</strong></li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}

#[component]
fn Header(claim: ClaimDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page-header">
            <h1>{claim.number.clone()}</h1>
            <span>
                <ClaimChip status=claim.status />
                {(!claim.warnings.is_empty()).then(|| view! { " " <span class="chip chip-warn">{t!(i18n, claim_warning)}</span> })}
                {claim.info_answered.then(|| view! { " " <span class="chip chip-info">{t!(i18n, claim_answered)}</span> })}
                {claim.appealed.then(|| view! { " " <span class="chip chip-muted">{t!(i18n, claim_appealed)}</span> })}
            </span>
        </div>
        <dl class="facts">
            <div><dt>{t!(i18n, user_dealer)}</dt><dd>{claim.dealer_code.clone()}</dd></div>
            <div><dt>{t!(i18n, repair_number)}</dt><dd><a href=format!("/repairs/{}", claim.repair_id)>{claim.repair_number.clone()}</a></dd></div>
            <div><dt>{t!(i18n, vehicle_vin)}</dt><dd><a class="mono" href=format!("/vehicles/{}", claim.vin)>{claim.vin.clone()}</a></dd></div>
            <div><dt>{t!(i18n, vehicle_model)}</dt><dd>{claim.model_name.clone()}</dd></div>
            <div><dt>{t!(i18n, claim_causal_part)}</dt><dd class="mono">{claim.causal_part_number.clone()}</dd></div>
            <div><dt>{t!(i18n, claim_failure_code)}</dt><dd class="mono">{claim.failure_code.clone()}</dd></div>
            <div><dt>{t!(i18n, repair_date)}</dt><dd>{claim.repair_date.to_string()}</dd></div>
            <div><dt>{t!(i18n, claim_requested)}</dt><dd>{format_amount(claim.requested_total.amount_minor, &claim.currency)}</dd></div>
            <div><dt>{t!(i18n, claim_approved)}</dt><dd>{claim.approved_total.as_ref().map_or_else(|| "—".into(), |a| format_amount(a.amount_minor, &a.currency))}</dd></div>
            {claim.payment_reference.clone().map(|r| view! { <div><dt>{t!(i18n, claim_payment_reference)}</dt><dd>{r}</dd></div> })}
            {reporting(&claim)}
        </dl>
    }
}

/// The amounts in the OEM's reporting currency, frozen at submission, with
/// the rate that made them (or why there are none).
fn reporting(claim: &ClaimDto) -> Option<AnyView> {
    let i18n = use_i18n();
    claim.submitted_at?;
    Some(match &claim.reporting {
        None => view! { <div><dt>{t!(i18n, claim_reporting)}</dt><dd class="muted">{t!(i18n, claim_unconverted)}</dd></div> }.into_any(),
        Some(r) => {
            let amounts = match r.approved_minor {
                Some(a) => format!("{} / {}", format_amount(r.requested_minor, &r.currency), format_amount(a, &r.currency)),
                None => format_amount(r.requested_minor, &r.currency),
            };
            let rate = format!("1 {} = {} {} · {} · {}", claim.currency, r.rate, r.currency, r.rate_date, r.source);
            view! { <div><dt>{t!(i18n, claim_reporting)}</dt><dd>{amounts}<br /><small class="muted">{rate}</small></dd></div> }.into_any()
        }
    })
}

/// The checks of the last submission as a checklist.
#[component]
fn Checks(claim: ClaimDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, claim_checks)}</h2>
        {if claim.checks.is_empty() {
            view! { <p class="muted">{t!(i18n, claim_no_checks)}</p> }.into_any()
        } else {
            view! {
                <ul class="checklist">
                    {claim.checks.into_iter().map(|c| {
                        let class = match c.result {
                            CheckResult::Pass => "pass",
                            CheckResult::Warn => "warn",
                            CheckResult::Fail => "fail",
                        };
                        view! { <li class=class><strong>{c.check.as_str().replace('_', " ")}</strong>": "{c.explanation}</li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

fn reason_label(code: ReasonCode) -> String {
    code.as_str().replace('_', " ")
}

#[component]
fn Lines(claim: ClaimDto, draft: bool, remove: ServerAction<RemoveClaimLine>) -> impl IntoView {
    let i18n = use_i18n();
    let id = claim.id;
    let currency = claim.currency.clone();
    view! {
        <h2>{t!(i18n, claim_lines)}</h2>
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">{t!(i18n, claim_kind)}</th>
                    <th scope="col">{t!(i18n, part_description)}</th>
                    <th scope="col" class="num">{t!(i18n, stock_quantity)}</th>
                    <th scope="col" class="num">{t!(i18n, claim_requested)}</th>
                    <th scope="col" class="num">{t!(i18n, claim_approved)}</th>
                    <th scope="col">{t!(i18n, claim_decision)}</th>
                    {draft.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, repair_remove_line)}</span></th> })}
                </tr></thead>
                <tbody>
                    {claim.lines.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.kind.as_str()}</td>
                            <td>{l.description.clone()}</td>
                            <td class="num">{l.quantity}</td>
                            <td class="num">{format_amount(l.requested_minor, &currency)}</td>
                            <td class="num">{l.approved_minor.map(|a| format_amount(a, &currency))}</td>
                            <td>
                                {(l.decision != Decision::Pending).then(|| l.decision.as_str())}
                                {l.reason_code.map(|r| format!(" · {}", reason_label(r)))}
                            </td>
                            {draft.then(|| view! {
                                <td>
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="id" value=id />
                                        <input type="hidden" name="line_id" value=l.id />
                                        <button type="submit" class="btn btn-quiet btn-small">{t!(i18n, repair_remove_line)}</button>
                                    </ActionForm>
                                </td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
