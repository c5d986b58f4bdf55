//! The repair sheet's forms that add to it or end it: a part line, the
//! completion and the warranty claim filed from it.

use super::*;

#[component]
pub(super) fn PartForm(
    action: ServerAction<AddPartLine>,
    id: i64,
    choices: Vec<crate::model::repair::StockChoice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    let serials: Vec<String> = choices.iter().flat_map(|c| c.serials.iter().cloned()).collect();
    let on_hand = choices.clone();
    view! {
        <details class="panel no-print" open=true>
            <summary>{t!(i18n, repair_add_part)}</summary>
            <FormError result />
            <ActionForm action attr:class="line-form">
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="direction">{t!(i18n, repair_direction)}</label>
                    <select id="direction" name="direction">
                        <option value="installed">{t!(i18n, repair_installed)}</option>
                        <option value="removed">{t!(i18n, repair_removed)}</option>
                    </select>
                    <FieldError result field="direction" />
                </div>
                <div class="field">
                    <label for="part_number">{t!(i18n, part_number)}</label>
                    <input id="part_number" name="part_number" type="text" class="mono" list="stock-choices" autocomplete="off" required />
                    <datalist id="stock-choices">
                        {choices.iter().map(|c| view! {
                            <option value=c.part_number.clone()>{format!("{} — {} on hand", c.description, c.on_hand)}</option>
                        }).collect_view()}
                    </datalist>
                    <FieldError result field="part_number" />
                    <FieldError result field="part_id" />
                </div>
                <div class="field narrow">
                    <label for="quantity">{t!(i18n, stock_quantity)}</label>
                    <input id="quantity" name="quantity" type="number" min="1" value="1" required />
                    <FieldError result field="quantity" />
                </div>
                <div class="field">
                    <label for="serial">{t!(i18n, stock_serial)}</label>
                    <input id="serial" name="serial" type="text" class="mono" list="stock-serials" autocomplete="off" />
                    <datalist id="stock-serials">
                        {serials.into_iter().map(|s| view! { <option value=s /> }).collect_view()}
                    </datalist>
                    <FieldError result field="serial" />
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, repair_add)}</button>
            </ActionForm>
            <details>
                <summary>{t!(i18n, repair_stock_for_vehicle)}</summary>
                {if on_hand.is_empty() {
                    view! { <p class="muted">{t!(i18n, repair_no_stock)}</p> }.into_any()
                } else {
                    view! {
                        <table class="data compact">
                            <thead><tr>
                                <th scope="col">{t!(i18n, part_number)}</th>
                                <th scope="col">{t!(i18n, part_description)}</th>
                                <th scope="col" class="num">{t!(i18n, stock_on_hand)}</th>
                            </tr></thead>
                            <tbody>
                                {on_hand.into_iter().map(|c| view! {
                                    <tr><td class="mono">{c.part_number}</td><td>{c.description}</td><td class="num">{c.on_hand}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </details>
        </details>
    }
}

#[component]
pub(super) fn Finish(action: ServerAction<FinishRepair>, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="action" value="complete" />
            <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()
                on:click=move |ev| if !confirm(t_string!(i18n, repair_confirm_complete)) { ev.prevent_default(); }>
                {t!(i18n, repair_complete)}
            </button>
        </ActionForm>
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="action" value="cancel" />
            <button type="submit" class="btn btn-danger" disabled=move || action.pending().get()
                on:click=move |ev| if !confirm(t_string!(i18n, repair_confirm_cancel)) { ev.prevent_default(); }>
                {t!(i18n, repair_cancel)}
            </button>
        </ActionForm>
    }
}

/// A completed repair's warranty claim: the causal part (one of the
/// repair's parts) and the failure code; the lines come from the repair.
#[component]
pub(super) fn ClaimForm(action: ServerAction<CreateClaim>, repair: RepairDto) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let result = Signal::derive(move || action.value().get());
    Effect::new(move |_| {
        if let Some(Ok(claim)) = action.value().get() {
            navigate(&format!("/claims/{}", claim.id), Default::default());
        }
    });
    let mut parts: Vec<(i64, String)> =
        repair.parts.iter().map(|p| (p.part_id, format!("{} · {}", p.part_number, p.description))).collect();
    parts.dedup_by_key(|(id, _)| *id);
    let currency = repair.currency.clone();
    let installed: Vec<crate::model::repair::RepairPartDto> =
        repair.parts.iter().filter(|p| p.direction == PartDirection::Installed).cloned().collect();
    view! {
        <details class="panel no-print">
            <summary>{t!(i18n, claim_file)}</summary>
            <FormError result />
            <ActionForm action attr:class="line-form">
                <input type="hidden" name="repair_id" value=repair.id />
                <div class="field">
                    <label for="causal_part_id">{t!(i18n, claim_causal_part)}</label>
                    <select id="causal_part_id" name="causal_part_id">
                        {parts.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                    </select>
                    <FieldError result field="causal_part_id" />
                </div>
                <div class="field">
                    <label for="failure_code">{t!(i18n, claim_failure_code)}</label>
                    <input id="failure_code" name="failure_code" type="text" class="mono" required />
                    <FieldError result field="failure_code" />
                </div>
                {installed.into_iter().map(|p| {
                    let id = format!("amount-{}", p.id);
                    let same = p.currency == currency;
                    #[allow(clippy::cast_precision_loss)]
                    let list = format!("{:.2}", p.price_minor.saturating_mul(p.quantity) as f64 / 100.0);
                    view! {
                        <div class="field narrow">
                            <input type="hidden" name="part_line_id[]" value=p.id />
                            <label for=id.clone()>{format!("{} ({} {}) · {currency}", p.part_number, list, p.currency)}</label>
                            <input id=id.clone() name="amount[]" type="number" min="0" step="0.01" required=!same value=if same { list.clone() } else { String::new() } />
                            <FieldError result field=id />
                        </div>
                    }
                }).collect_view()}
                <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, claim_create)}</button>
            </ActionForm>
            <FieldError result field="lines" />
        </details>
    }
}
