//! The claim page's forms: sublet lines on a draft, the reviewer's line
//! decisions, and the next actions (with a comment where one is asked).

use super::*;

#[component]
pub(super) fn SubletForm(action: ServerAction<AddSubletLine>, id: i64) -> impl IntoView {
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
pub(super) fn ReviewForm(action: ServerAction<ReviewClaim>, claim: ClaimDto) -> impl IntoView {
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
pub(super) fn NextActions(act: ServerAction<Act>, claim: ClaimDto, next: Vec<ClaimAction>) -> impl IntoView {
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
pub(super) fn CommentAction(
    act: ServerAction<Act>,
    id: i64,
    version: i32,
    action: &'static str,
    label: String,
) -> impl IntoView {
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
