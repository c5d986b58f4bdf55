//! The claim page's panels: part returns, attachments and comments.

use super::*;

/// The failed parts the OEM asked back, and the next step for whoever takes it.
#[component]
pub(super) fn PartReturns(
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
pub(super) fn Attachments(claim: ClaimDto, uploads: RwSignal<u32>, role: Role) -> impl IntoView {
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
pub(super) fn Comments(claim: ClaimDto, act: ServerAction<Act>, role: Role) -> impl IntoView {
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
