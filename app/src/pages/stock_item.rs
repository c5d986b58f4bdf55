//! One part at one dealer: on hand, the reorder point, serials on the
//! shelf, and the movements a dealer makes by hand (adjust, scrap, return
//! to the OEM, recycle, transfer), each asking before stock leaves.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::stock::{MoveStock, SetReorderPoint, TransferStock, stock_item};
use crate::components::form::{ErrorAlert, FieldError, FormError, confirm};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::stock::MovementKind;
use crate::pages::movements::MovementsTable;

/// The actions of the page, made outside the role guard so they survive
/// its re-renders.
#[derive(Clone, Copy)]
struct Actions {
    adjust: ServerAction<MoveStock>,
    scrap: ServerAction<MoveStock>,
    return_to_oem: ServerAction<MoveStock>,
    recycle: ServerAction<MoveStock>,
    transfer: ServerAction<TransferStock>,
    reorder: ServerAction<SetReorderPoint>,
}

#[component]
pub fn StockItemPage() -> impl IntoView {
    let actions = Actions {
        adjust: ServerAction::new(),
        scrap: ServerAction::new(),
        return_to_oem: ServerAction::new(),
        recycle: ServerAction::new(),
        transfer: ServerAction::new(),
        reorder: ServerAction::new(),
    };
    view! { <RequireRole><StockItem actions /></RequireRole> }
}

#[component]
fn StockItem(actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let query = use_query_map();
    let part_id = move || params.read().get("part_id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let dealer_id = move || query.read().get("dealer_id").and_then(|v| v.parse::<i64>().ok());
    let versions = move || {
        (
            actions.adjust.version().get(),
            actions.scrap.version().get(),
            actions.return_to_oem.version().get(),
            actions.recycle.version().get(),
            actions.transfer.version().get(),
            actions.reorder.version().get(),
        )
    };
    let item = Resource::new(move || (dealer_id(), part_id(), versions()), |(d, p, _)| stock_item(d, p));
    let writes = move || session.current().is_some_and(|u| u.role != Role::ServiceManager);
    let recorded = move || {
        matches!(actions.adjust.value().get(), Some(Ok(_)))
            || matches!(actions.scrap.value().get(), Some(Ok(_)))
            || matches!(actions.return_to_oem.value().get(), Some(Ok(_)))
            || matches!(actions.recycle.value().get(), Some(Ok(_)))
            || matches!(actions.transfer.value().get(), Some(Ok(_)))
            || matches!(actions.reorder.value().get(), Some(Ok(_)))
    };
    view! {
        <section class="page">
            <Show when=recorded>
                <div class="alert alert-ok" role="status">{t!(i18n, stock_recorded)}</div>
            </Show>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match item.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(item) => {
                            let dealer = dealer_id().map(|d| d.to_string()).unwrap_or_default();
                            let (on_hand, reorder_point) = item.level.as_ref().map_or((0, 0), |l| (l.on_hand, l.reorder_point));
                            let serialized = item.part.serialized;
                            let part = item.part.id;
                            view! {
                                <Title text=item.part.part_number.clone() />
                                <h1>{format!("{} · {}", item.part.part_number, item.part.description)}</h1>
                                <dl class="facts">
                                    <div><dt>{t!(i18n, stock_on_hand)}</dt><dd>{on_hand}</dd></div>
                                    <div><dt>{t!(i18n, stock_reorder_point)}</dt><dd>{reorder_point}</dd></div>
                                    {item.level.as_ref().map(|l| view! { <div><dt>{t!(i18n, user_dealer)}</dt><dd>{l.dealer_code.clone()}</dd></div> })}
                                </dl>
                                {serialized.then(|| view! {
                                    <h2>{t!(i18n, stock_serials_on_hand)}</h2>
                                    {if item.serials.is_empty() {
                                        view! { <p class="muted">{t!(i18n, stock_no_serials)}</p> }.into_any()
                                    } else {
                                        view! { <ul class="serials">{item.serials.iter().map(|s| view! {
                                            <li><a href=format!("/trace?serial={s}&part_id={part}")>{s.clone()}</a></li>
                                        }).collect_view()}</ul> }.into_any()
                                    }}
                                })}
                                <Show when=writes>
                                    <div class="action-panels">
                                        <ReorderForm action=actions.reorder dealer=dealer.clone() part current=reorder_point />
                                        <MovementForm action=actions.adjust dealer=dealer.clone() part serialized kind=MovementKind::Adjustment />
                                        <MovementForm action=actions.scrap dealer=dealer.clone() part serialized kind=MovementKind::Scrap />
                                        <MovementForm action=actions.return_to_oem dealer=dealer.clone() part serialized kind=MovementKind::ReturnToOem />
                                        <MovementForm action=actions.recycle dealer=dealer.clone() part serialized kind=MovementKind::Recycle />
                                        <TransferForm action=actions.transfer dealer=dealer.clone() part serialized targets=item.targets.clone() />
                                    </div>
                                </Show>
                                <h2>{t!(i18n, stock_movements)}</h2>
                                <MovementsTable movements=item.movements.clone() />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ReorderForm(action: ServerAction<SetReorderPoint>, dealer: String, part: i64, current: i64) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    view! {
        <details class="panel">
            <summary>{t!(i18n, stock_set_reorder)}</summary>
            <FormError result />
            <ActionForm action>
                <input type="hidden" name="dealer_id" value=dealer />
                <input type="hidden" name="part_id" value=part />
                <div class="field">
                    <label for="reorder_point">{t!(i18n, stock_reorder_point)}</label>
                    <input id="reorder_point" name="reorder_point" type="number" min="0" value=current required />
                    <FieldError result field="reorder_point" />
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, save)}</button>
            </ActionForm>
        </details>
    }
}

/// Adjust, scrap, return to the OEM or recycle: one form per kind.
#[component]
fn MovementForm(
    action: ServerAction<MoveStock>,
    dealer: String,
    part: i64,
    serialized: bool,
    kind: MovementKind,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    let id = move |field: &str| format!("{}-{field}", kind.as_str());
    let title = move || match kind {
        MovementKind::Adjustment => t_string!(i18n, stock_adjust).to_string(),
        MovementKind::Scrap => t_string!(i18n, stock_scrap).to_string(),
        MovementKind::ReturnToOem => t_string!(i18n, stock_return_to_oem).to_string(),
        _ => t_string!(i18n, stock_recycle).to_string(),
    };
    let leaves = kind != MovementKind::Adjustment;
    view! {
        <details class="panel">
            <summary>{title}</summary>
            <FormError result />
            <ActionForm action>
                <input type="hidden" name="dealer_id" value=dealer />
                <input type="hidden" name="part_id" value=part />
                <input type="hidden" name="kind" value=kind.as_str() />
                {(kind == MovementKind::Adjustment).then(|| view! {
                    <div class="field">
                        <label for=id("direction")>{t!(i18n, stock_direction)}</label>
                        <select id=id("direction") name="direction">
                            <option value="increase">{t!(i18n, stock_increase)}</option>
                            {(!serialized).then(|| view! { <option value="decrease">{t!(i18n, stock_decrease)}</option> })}
                        </select>
                        <FieldError result field="direction" />
                    </div>
                })}
                <div class="field">
                    <label for=id("quantity")>{t!(i18n, stock_quantity)}</label>
                    <input id=id("quantity") name="quantity" type="number" min="1" value="1" required />
                    <FieldError result field="quantity" />
                </div>
                {serialized.then(|| view! {
                    <div class="field">
                        <label for=id("serials")>{t!(i18n, stock_serials)}</label>
                        <textarea id=id("serials") name="serials" rows="2"></textarea>
                        <FieldError result field="serials" />
                    </div>
                })}
                <div class="field">
                    <label for=id("reason")>{t!(i18n, auth_reason)}</label>
                    <input id=id("reason") name="reason" type="text" required=kind.needs_reason() />
                    <FieldError result field="reason" />
                </div>
                <div class="field">
                    <label for=id("reference")>{t!(i18n, stock_reference)}</label>
                    <input id=id("reference") name="reference" type="text" />
                </div>
                <button
                    type="submit"
                    class="btn btn-primary"
                    disabled=move || action.pending().get()
                    on:click=move |ev| {
                        if leaves && !confirm(t_string!(i18n, stock_confirm_leave)) {
                            ev.prevent_default();
                        }
                    }
                >
                    {title}
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn TransferForm(
    action: ServerAction<TransferStock>,
    dealer: String,
    part: i64,
    serialized: bool,
    targets: Vec<crate::model::user::OrgOption>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    view! {
        <details class="panel">
            <summary>{t!(i18n, stock_transfer)}</summary>
            <FormError result />
            {if targets.is_empty() {
                view! { <p class="muted">{t!(i18n, stock_no_targets)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action>
                        <input type="hidden" name="dealer_id" value=dealer />
                        <input type="hidden" name="part_id" value=part />
                        <div class="field">
                            <label for="to_dealer_id">{t!(i18n, stock_to_dealer)}</label>
                            <select id="to_dealer_id" name="to_dealer_id">
                                {targets.into_iter().map(|d| view! { <option value=d.id>{format!("{} · {}", d.code, d.name)}</option> }).collect_view()}
                            </select>
                            <FieldError result field="to_dealer_id" />
                        </div>
                        <div class="field">
                            <label for="transfer-quantity">{t!(i18n, stock_quantity)}</label>
                            <input id="transfer-quantity" name="quantity" type="number" min="1" value="1" required />
                            <FieldError result field="quantity" />
                        </div>
                        {serialized.then(|| view! {
                            <div class="field">
                                <label for="transfer-serials">{t!(i18n, stock_serials)}</label>
                                <textarea id="transfer-serials" name="serials" rows="2"></textarea>
                                <FieldError result field="serials" />
                            </div>
                        })}
                        <div class="field">
                            <label for="transfer-reference">{t!(i18n, stock_reference)}</label>
                            <input id="transfer-reference" name="reference" type="text" />
                        </div>
                        <button
                            type="submit"
                            class="btn btn-primary"
                            disabled=move || action.pending().get()
                            on:click=move |ev| {
                                if !confirm(t_string!(i18n, stock_confirm_leave)) {
                                    ev.prevent_default();
                                }
                            }
                        >
                            {t!(i18n, stock_transfer)}
                        </button>
                    </ActionForm>
                }.into_any()
            }}
        </details>
    }
}
