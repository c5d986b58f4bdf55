//! One authorization: its terms, status history, ledger history, and (for
//! admins) suspend / reinstate / revoke.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::network::{ChangeAuthorizationStatus, get_authorization};
use crate::components::form::{ErrorAlert, FieldError, FormError};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::components::status::{AuthorizationChip, ServiceTypes};
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;

#[component]
pub fn AuthorizationPage() -> impl IntoView {
    let change = ServerAction::<ChangeAuthorizationStatus>::new();
    view! { <RequireRole><Authorization change /></RequireRole> }
}

#[component]
fn Authorization(change: ServerAction<ChangeAuthorizationStatus>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let data = Resource::new(move || (id(), change.version().get()), |(id, _)| get_authorization(id));
    let result = Signal::derive(move || change.value().get());
    let is_admin = move || session.current().is_some_and(|u| u.role == Role::Admin);
    view! {
        <section class="page">
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok((a, history)) => view! {
                            <Title text=a.number.clone() />
                            <header class="page-header">
                                <h1>{a.number.clone()} " " <AuthorizationChip status=a.status /></h1>
                            </header>
                            <dl class="facts">
                                <div><dt>{t!(i18n, user_dealer)}</dt><dd>{a.dealer_name.clone()}</dd></div>
                                <div><dt>{t!(i18n, user_oem)}</dt><dd>{a.oem_name.clone()}</dd></div>
                                <div><dt>{t!(i18n, auth_valid)}</dt><dd>{format!("{} – {}", a.valid_from, a.valid_to)}</dd></div>
                                <div><dt>{t!(i18n, auth_service_types)}</dt><dd><ServiceTypes types=a.service_types.clone() /></dd></div>
                                <div><dt>{t!(i18n, auth_models)}</dt><dd>{if a.model_ids.is_empty() { t!(i18n, auth_all_models).into_any() } else { let count = a.model_ids.len(); t!(i18n, auth_model_count, count = move || count).into_any() }}</dd></div>
                            </dl>
                            <h2>{t!(i18n, auth_status_changes)}</h2>
                            {if a.status_changes.is_empty() {
                                view! { <p class="muted">{t!(i18n, auth_no_changes)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="timeline">
                                        {a.status_changes.iter().map(|c| view! {
                                            <li><strong>{c.kind.as_str()}</strong> {format!(" {} · ", c.effective_date)} {c.reason.clone()}</li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2>{t!(i18n, auth_history)}</h2>
                            <ul class="timeline">
                                {history.into_iter().map(|e| view! {
                                    <li><Time at=e.at /> " · " <code>{e.action.clone()}</code> " · #" {e.seq}</li>
                                }).collect_view()}
                            </ul>
                            <Show when=is_admin>
                                <StatusChangeForm id=a.id change result />
                            </Show>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn StatusChangeForm(
    id: i64,
    change: ServerAction<ChangeAuthorizationStatus>,
    result: Signal<Option<Result<crate::model::authorization::AuthorizationDto, crate::model::AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new("suspended".to_string());
    view! {
        <h2>{t!(i18n, auth_change_status)}</h2>
        <FormError result />
        <ActionForm action=change attr:class="narrow">
            <input type="hidden" name="id" value=id />
            <div class="field">
                <label for="kind">{t!(i18n, auth_action)}</label>
                <select id="kind" name="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="suspended">{t!(i18n, auth_suspend)}</option>
                    <option value="reinstated">{t!(i18n, auth_reinstate)}</option>
                    <option value="revoked">{t!(i18n, auth_revoke)}</option>
                </select>
            </div>
            <div class="field">
                <label for="effective_date">{t!(i18n, auth_effective_date)}</label>
                <input id="effective_date" name="effective_date" type="date" required />
                <FieldError result field="effective_date" />
            </div>
            <div class="field">
                <label for="reason">{t!(i18n, auth_reason)}</label>
                <input id="reason" name="reason" type="text" required maxlength="500" />
                <FieldError result field="reason" />
            </div>
            <button
                type="submit"
                class="btn btn-primary"
                disabled=move || change.pending().get()
                on:click=move |ev| {
                    let destructive = kind.get_untracked() != "reinstated";
                    if destructive && !crate::components::form::confirm(t_string!(i18n, auth_confirm_change)) {
                        ev.prevent_default();
                    }
                }
            >
                {t!(i18n, auth_apply)}
            </button>
        </ActionForm>
    }
}
