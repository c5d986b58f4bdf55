//! One claim: header and status with the allowed next actions only, the
//! checks as a checklist with their explanations, lines requested vs
//! approved (editable while draft; decided line by line by the reviewer),
//! comments, part returns and the timeline from the ledger. It prints as a
//! claim sheet.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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
        </dl>
    }
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

#[component]
fn SubletForm(action: ServerAction<AddSubletLine>, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    view! {
        <details class="panel no-print">
            <summary>{t!(i18n, claim_add_sublet)}</summary>
            <FormError result />
            <ActionForm action attr:class="line-form">
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="sublet-description">{t!(i18n, part_description)}</label>
                    <input id="sublet-description" name="description" type="text" required />
                    <FieldError result field="description" />
                </div>
                <div class="field narrow">
                    <label for="sublet-amount">{t!(i18n, repair_amount)}</label>
                    <input id="sublet-amount" name="amount" type="number" min="0" step="0.01" required />
                    <FieldError result field="amount" />
                    <FieldError result field="requested_minor" />
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, repair_add)}</button>
            </ActionForm>
        </details>
    }
}

/// The reviewer's form: a decision, an amount and a reason per line.
#[component]
fn ReviewForm(action: ServerAction<ReviewClaim>, claim: ClaimDto) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    let currency = claim.currency.clone();
    view! {
        <h2>{t!(i18n, claim_review)}</h2>
        <FormError result />
        <FieldError result field="lines" />
        <FieldError result field="comment" />
        <ActionForm action>
            <input type="hidden" name="id" value=claim.id />
            <input type="hidden" name="version" value=claim.version />
            <div class="table-wrap">
                <table class="data lines">
                    <thead><tr>
                        <th scope="col">{t!(i18n, part_description)}</th>
                        <th scope="col" class="num">{t!(i18n, claim_requested)}</th>
                        <th scope="col">{t!(i18n, claim_decision)}</th>
                        <th scope="col">{t!(i18n, claim_approved_amount)}</th>
                        <th scope="col">{t!(i18n, claim_reason)}</th>
                    </tr></thead>
                    <tbody>
                        {claim.lines.iter().enumerate().map(|(i, l)| {
                            let field = move |name: &str| format!("lines[{i}].{name}");
                            let requested = format!("{:.2}", l.requested_minor as f64 / 100.0);
                            view! {
                                <tr>
                                    <td>
                                        <input type="hidden" name="line_id[]" value=l.id />
                                        {format!("{} · {}", l.kind.as_str(), l.description)}
                                    </td>
                                    <td class="num">{format_amount(l.requested_minor, &currency)}</td>
                                    <td>
                                        <label class="visually-hidden" for=format!("decision-{i}")>{move || format!("{} {}", t_string!(i18n, claim_decision), i + 1)}</label>
                                        <select id=format!("decision-{i}") name="decision[]">
                                            <option value="approved">{t!(i18n, claim_decision_approved)}</option>
                                            <option value="adjusted">{t!(i18n, claim_decision_adjusted)}</option>
                                            <option value="rejected">{t!(i18n, claim_decision_rejected)}</option>
                                        </select>
                                        <FieldError result field=field("decision") />
                                    </td>
                                    <td>
                                        <label class="visually-hidden" for=format!("approved-{i}")>{move || format!("{} {}", t_string!(i18n, claim_approved_amount), i + 1)}</label>
                                        <input id=format!("approved-{i}") name="approved[]" type="number" min="0" step="0.01" placeholder=requested />
                                        <FieldError result field=field("approved_minor") />
                                    </td>
                                    <td>
                                        <label class="visually-hidden" for=format!("reason-{i}")>{move || format!("{} {}", t_string!(i18n, claim_reason), i + 1)}</label>
                                        <select id=format!("reason-{i}") name="reason_code[]">
                                            <option value="">"—"</option>
                                            {ReasonCode::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{reason_label(r)}</option> }).collect_view()}
                                        </select>
                                        <FieldError result field=field("reason_code") />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="field">
                <label for="review-comment">{t!(i18n, claim_review_comment)}</label>
                <textarea id="review-comment" name="comment" rows="2"></textarea>
            </div>
            <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, claim_decide)}</button>
        </ActionForm>
    }
}

/// The claim's allowed next actions, each a small form.
#[component]
fn NextActions(act: ServerAction<Act>, claim: ClaimDto, next: Vec<ClaimAction>) -> impl IntoView {
    let i18n = use_i18n();
    let id = claim.id;
    let version = claim.version;
    // One key per page view: a double click or a retry submits once.
    let key = format!("claim-{id}-v{version}");
    view! {
        <div class="action-panels no-print">
            {next.into_iter().map(|action| match action {
                ClaimAction::Submit => {
                    let key = key.clone();
                    view! {
                    <ActionForm action=act attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="action" value="submit" />
                        <input type="hidden" name="key" value=key />
                        <button type="submit" class="btn btn-primary">{t!(i18n, claim_submit)}</button>
                    </ActionForm>
                }.into_any()
                }
                ClaimAction::Withdraw => view! {
                    <ActionForm action=act attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="action" value="withdraw" />
                        <button type="submit" class="btn btn-danger"
                            on:click=move |ev| if !confirm(t_string!(i18n, claim_confirm_withdraw)) { ev.prevent_default(); }>
                            {t!(i18n, claim_withdraw)}
                        </button>
                    </ActionForm>
                }.into_any(),
                ClaimAction::Take => view! {
                    <ActionForm action=act attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="action" value="take" />
                        <input type="hidden" name="version" value=version />
                        <button type="submit" class="btn">{t!(i18n, claim_take)}</button>
                    </ActionForm>
                }.into_any(),
                ClaimAction::Respond => view! { <CommentAction act id version action="respond" label=t_string!(i18n, claim_respond).to_string() /> }.into_any(),
                ClaimAction::Appeal => view! { <CommentAction act id version action="appeal" label=t_string!(i18n, claim_appeal).to_string() /> }.into_any(),
                ClaimAction::RequestInfo => view! { <CommentAction act id version action="request_info" label=t_string!(i18n, claim_request_info).to_string() /> }.into_any(),
                ClaimAction::MarkPaid => view! {
                    <details class="panel">
                        <summary>{t!(i18n, claim_mark_paid)}</summary>
                        <ActionForm action=act>
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="action" value="mark_paid" />
                            <input type="hidden" name="version" value=version />
                            <div class="field">
                                <label for="reference">{t!(i18n, claim_payment_reference)}</label>
                                <input id="reference" name="reference" type="text" required />
                            </div>
                            <button type="submit" class="btn btn-primary">{t!(i18n, claim_mark_paid)}</button>
                        </ActionForm>
                    </details>
                }.into_any(),
                ClaimAction::Decide(_) => ().into_any(),
            }).collect_view()}
        </div>
    }
}

#[component]
fn CommentAction(act: ServerAction<Act>, id: i64, version: i32, action: &'static str, label: String) -> impl IntoView {
    let i18n = use_i18n();
    let field = format!("{action}-comment");
    view! {
        <details class="panel">
            <summary>{label.clone()}</summary>
            <ActionForm action=act>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="action" value=action />
                <input type="hidden" name="version" value=version />
                <div class="field">
                    <label for=field.clone()>{t!(i18n, claim_comment)}</label>
                    <textarea id=field name="comment" rows="3" required></textarea>
                </div>
                <button type="submit" class="btn btn-primary">{label}</button>
            </ActionForm>
        </details>
    }
}

/// The failed parts the OEM asked back, and the next step for whoever takes it.
#[component]
fn PartReturns(
    claim: ClaimDto,
    ask: ServerAction<RequestPartReturn>,
    step: ServerAction<UpdatePartReturn>,
    role: Role,
) -> impl IntoView {
    let i18n = use_i18n();
    let asked = Signal::derive(move || ask.value().get());
    let stepped = Signal::derive(move || step.value().get());
    let may_ask = role == Role::ServiceManager && !matches!(claim.status, ClaimStatus::Draft | ClaimStatus::Withdrawn);
    if claim.part_returns.is_empty() && !may_ask {
        return ().into_any();
    }
    view! {
        <h2>{t!(i18n, claim_part_returns)}</h2>
        <FormError result=stepped />
        <FieldError result=stepped field="tracking" />
        <ul class="plain">
            {claim.part_returns.into_iter().map(|r| {
                let next = match (r.status.as_str(), role) {
                    ("requested", Role::Dealer) => Some(("shipped", t_string!(i18n, claim_return_shipped).to_string())),
                    ("shipped", Role::ServiceManager) => Some(("received", t_string!(i18n, claim_return_received).to_string())),
                    ("received", Role::ServiceManager) => Some(("inspected", t_string!(i18n, claim_return_inspected).to_string())),
                    _ => None,
                };
                view! {
                    <li>
                        <span class="chip chip-info">{r.status.clone()}</span>
                        {format!(" {}", r.serial.clone().unwrap_or_default())}
                        {r.tracking.clone().map(|t| format!(" · {t}"))}
                        {r.note.clone().map(|n| view! { <span class="muted">{format!(" · {n}")}</span> })}
                        {next.map(|(status, label)| view! {
                            <ActionForm action=step attr:class="line-form no-print">
                                <input type="hidden" name="return_id" value=r.id />
                                <input type="hidden" name="status" value=status />
                                {(status == "shipped").then(|| view! {
                                    <div class="field">
                                        <label for=format!("tracking-{}", r.id)>{t!(i18n, claim_tracking)}</label>
                                        <input id=format!("tracking-{}", r.id) name="tracking" type="text" required />
                                    </div>
                                })}
                                {(status == "inspected").then(|| view! {
                                    <div class="field">
                                        <label for=format!("finding-{}", r.id)>{t!(i18n, claim_finding)}</label>
                                        <input id=format!("finding-{}", r.id) name="note" type="text" />
                                    </div>
                                })}
                                <button type="submit" class="btn">{label}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {may_ask.then(|| view! {
            <details class="panel no-print">
                <summary>{t!(i18n, claim_ask_return)}</summary>
                <FormError result=asked />
                <ActionForm action=ask>
                    <input type="hidden" name="id" value=claim.id />
                    <div class="field">
                        <label for="return-note">{t!(i18n, claim_comment)}</label>
                        <input id="return-note" name="note" type="text" />
                    </div>
                    <button type="submit" class="btn btn-primary">{t!(i18n, claim_ask_return)}</button>
                </ActionForm>
            </details>
        })}
    }
    .into_any()
}

/// Files on the claim: downloads for whoever may see it, uploads for its
/// dealer and the OEM.
#[component]
fn Attachments(claim: ClaimDto, uploads: RwSignal<u32>, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let open = claim.status != ClaimStatus::Withdrawn && role != Role::Admin;
    view! {
        <h2>{t!(i18n, claim_attachments)}</h2>
        {if claim.attachments.is_empty() {
            view! { <p class="muted">{t!(i18n, claim_no_attachments)}</p> }.into_any()
        } else {
            view! {
                <ul class="plain">
                    {claim.attachments.into_iter().map(|a| view! {
                        <li>
                            <a href=format!("/api/v1/attachments/{}", a.id) download=a.name.clone()>{a.name.clone()}</a>
                            <span class="muted">{format!(" · {} · {} KiB", a.content_type, (a.size + 1023) / 1024)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {open.then(|| view! {
            <div class="no-print">
                <FileUpload
                    endpoint=format!("/api/v1/claims/{}/attachments", claim.id)
                    label=t_string!(i18n, claim_attach_file).to_string()
                    done=Callback::new(move |()| uploads.update(|n| *n += 1))
                />
            </div>
        })}
    }
}

#[component]
fn Comments(claim: ClaimDto, act: ServerAction<Act>, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{t!(i18n, claim_comments)}</h2>
        {if claim.comments.is_empty() {
            view! { <p class="muted">{t!(i18n, claim_no_comments)}</p> }.into_any()
        } else {
            view! {
                <ol class="timeline">
                    {claim.comments.into_iter().map(|c| view! {
                        <li><Time at=c.created_at />" — "<strong>{c.author_name}</strong>": "{c.body}</li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {(role != Role::Admin).then(|| view! {
            <ActionForm action=act attr:class="no-print">
                <input type="hidden" name="id" value=claim.id />
                <input type="hidden" name="action" value="comment" />
                <div class="field">
                    <label for="new-comment">{t!(i18n, claim_add_comment)}</label>
                    <textarea id="new-comment" name="comment" rows="2" required></textarea>
                </div>
                <button type="submit" class="btn">{t!(i18n, claim_post_comment)}</button>
            </ActionForm>
        })}
    }
}
