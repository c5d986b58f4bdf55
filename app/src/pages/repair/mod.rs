//! One repair order: the vehicle, the three Cs, labour and part lines with
//! their editors while open (the dealer's stock shown while choosing a
//! part), complete / cancel, the stock movements and the ledger timeline.
//! It prints as a repair sheet.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

mod forms;

use forms::*;

use crate::api::claims::CreateClaim;
use crate::api::repairs::{AddLaborLine, AddPartLine, FinishRepair, RemoveLine, RepairView, UpdateRepair, get_repair};
use crate::components::form::{ErrorAlert, FieldError, FormError, confirm};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::network::format_amount;
use crate::model::repair::{PartDirection, RepairDto, RepairStatus};
use crate::pages::movements::MovementsTable;
use crate::pages::repairs::RepairChip;
use crate::pages::trace::SerialLink;

/// The page's actions, made outside the role guard so they survive its re-renders.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateRepair>,
    labor: ServerAction<AddLaborLine>,
    part: ServerAction<AddPartLine>,
    remove: ServerAction<RemoveLine>,
    finish: ServerAction<FinishRepair>,
    claim: ServerAction<CreateClaim>,
}

#[component]
pub fn RepairPage() -> impl IntoView {
    let actions = Actions {
        update: ServerAction::new(),
        labor: ServerAction::new(),
        part: ServerAction::new(),
        remove: ServerAction::new(),
        finish: ServerAction::new(),
        claim: ServerAction::new(),
    };
    view! { <RequireRole><Repair actions /></RequireRole> }
}

#[component]
fn Repair(actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let versions = move || {
        (
            actions.update.version().get(),
            actions.labor.version().get(),
            actions.part.version().get(),
            actions.remove.version().get(),
            actions.finish.version().get(),
        )
    };
    let view_data = Resource::new(move || (id(), versions()), |(id, _)| get_repair(id));
    let failed = Signal::derive(move || match (actions.remove.value().get(), actions.finish.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(Err::<(), _>(e)),
        _ => None,
    });
    view! {
        <section class="page">
            <ActionError result=failed />
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(RepairView { repair, choices }) => {
                            let own = session.current().is_some_and(|u| u.role == Role::Dealer && u.dealer_id == Some(repair.dealer_id));
                            let editable = repair.status == RepairStatus::Open && own;
                            let claimable = repair.status == RepairStatus::Completed && own;
                            view! {
                                <Title text=repair.number.clone() />
                                <Header repair=repair.clone() />
                                {if editable {
                                    view! { <StoryForm action=actions.update repair=repair.clone() /> }.into_any()
                                } else {
                                    view! { <Story repair=repair.clone() /> }.into_any()
                                }}
                                <LaborLines repair=repair.clone() editable remove=actions.remove />
                                {editable.then(|| view! { <LaborForm action=actions.labor id=repair.id /> })}
                                <PartLines repair=repair.clone() editable remove=actions.remove />
                                {editable.then(|| view! { <PartForm action=actions.part id=repair.id choices=choices.clone() /> })}
                                {claimable.then(|| view! { <ClaimForm action=actions.claim repair=repair.clone() /> })}
                                <div class="actions">
                                    {editable.then(|| view! { <Finish action=actions.finish id=repair.id /> })}
                                    <button type="button" class="btn" on:click=move |_| print()>{t!(i18n, repair_print)}</button>
                                </div>
                                <h2>{t!(i18n, stock_movements)}</h2>
                                <MovementsTable movements=repair.movements.clone() />
                                <h2>{t!(i18n, trace_timeline)}</h2>
                                <ol class="timeline">
                                    {repair.timeline.iter().map(|e| view! {
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

/// A refused removal, completion or cancellation: the message and each
/// missing piece (the three Cs, the lines) by name.
#[component]
fn ActionError(result: Signal<Option<Result<(), crate::model::AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |field: &str| match field {
        "complaint" => t_string!(i18n, repair_complaint).to_string(),
        "cause" => t_string!(i18n, repair_cause).to_string(),
        "correction" => t_string!(i18n, repair_correction).to_string(),
        "lines" => t_string!(i18n, repair_lines).to_string(),
        other => other.to_string(),
    };
    move || {
        result.get().and_then(Result::err).map(|err| {
            let fields: Vec<(String, String)> =
                err.fields().into_iter().map(|(field, message)| (label(&field), message)).collect();
            view! {
                <div class="alert alert-error" role="alert">
                    {err.to_string()}
                    <ul>{fields.into_iter().map(|(field, message)| view! { <li><strong>{field}</strong>": "{message}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}

#[component]
fn Header(repair: RepairDto) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page-header">
            <h1>{repair.number.clone()}</h1>
            <RepairChip status=repair.status />
        </div>
        <dl class="facts">
            <div><dt>{t!(i18n, vehicle_vin)}</dt><dd><a class="mono" href=format!("/vehicles/{}", repair.vin)>{repair.vin.clone()}</a></dd></div>
            <div><dt>{t!(i18n, vehicle_model)}</dt><dd>{repair.model_name.clone()}</dd></div>
            <div><dt>{t!(i18n, user_dealer)}</dt><dd>{repair.dealer_code.clone()}</dd></div>
            <div><dt>{t!(i18n, repair_opened)}</dt><dd>{repair.opened_on.to_string()}</dd></div>
            <div><dt>{t!(i18n, repair_completed_on)}</dt><dd>{repair.completed_on.map_or_else(|| "—".into(), |d| d.to_string())}</dd></div>
            <div>
                <dt>{t!(i18n, repair_odometer)}</dt>
                <dd>
                    {format!("{} km", repair.odometer_km)}
                    {repair.odometer_flagged.then(|| view! { " " <span class="chip chip-warn">{t!(i18n, vehicle_odometer_flagged)}</span> })}
                </dd>
            </div>
        </dl>
    }
}

#[component]
fn Story(repair: RepairDto) -> impl IntoView {
    let i18n = use_i18n();
    let or_dash = |s: &str| if s.is_empty() { "—".to_string() } else { s.to_string() };
    view! {
        <dl class="story">
            <dt>{t!(i18n, repair_complaint)}</dt><dd>{or_dash(&repair.complaint)}</dd>
            <dt>{t!(i18n, repair_cause)}</dt><dd>{or_dash(&repair.cause)}</dd>
            <dt>{t!(i18n, repair_correction)}</dt><dd>{or_dash(&repair.correction)}</dd>
        </dl>
    }
}

#[component]
fn StoryForm(action: ServerAction<UpdateRepair>, repair: RepairDto) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    view! {
        <ActionForm action attr:class="story-form">
            <FormError result />
            <input type="hidden" name="id" value=repair.id />
            <div class="field narrow">
                <label for="odometer_km">{t!(i18n, repair_odometer)}</label>
                <input id="odometer_km" name="odometer_km" type="number" min="0" value=repair.odometer_km required />
                <FieldError result field="odometer_km" />
            </div>
            <div class="field">
                <label for="complaint">{t!(i18n, repair_complaint)}</label>
                <textarea id="complaint" name="complaint" rows="2">{repair.complaint.clone()}</textarea>
                <FieldError result field="complaint" />
            </div>
            <div class="field">
                <label for="cause">{t!(i18n, repair_cause)}</label>
                <textarea id="cause" name="cause" rows="2">{repair.cause.clone()}</textarea>
                <FieldError result field="cause" />
            </div>
            <div class="field">
                <label for="correction">{t!(i18n, repair_correction)}</label>
                <textarea id="correction" name="correction" rows="2">{repair.correction.clone()}</textarea>
                <FieldError result field="correction" />
            </div>
            <button type="submit" class="btn" disabled=move || action.pending().get()>{t!(i18n, save)}</button>
            <Show when=move || matches!(action.value().get(), Some(Ok(_)))>
                <span class="muted" role="status">" " {t!(i18n, repair_saved)}</span>
            </Show>
        </ActionForm>
    }
}

/// A button that removes one line, as a tiny form.
#[component]
fn RemoveButton(remove: ServerAction<RemoveLine>, id: i64, kind: &'static str, line_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=remove attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="line_id" value=line_id />
            <button type="submit" class="btn btn-quiet btn-small">{t!(i18n, repair_remove_line)}</button>
        </ActionForm>
    }
}

#[component]
fn LaborLines(repair: RepairDto, editable: bool, remove: ServerAction<RemoveLine>) -> impl IntoView {
    let i18n = use_i18n();
    let id = repair.id;
    view! {
        <h2>{t!(i18n, repair_labor)}</h2>
        {if repair.labor.is_empty() {
            view! { <p class="muted">{t!(i18n, repair_no_labor)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{t!(i18n, repair_labor_code)}</th>
                            <th scope="col">{t!(i18n, part_description)}</th>
                            <th scope="col" class="num">{t!(i18n, repair_hours)}</th>
                            <th scope="col" class="num">{t!(i18n, dealer_labor_rate)}</th>
                            <th scope="col" class="num">{t!(i18n, repair_amount)}</th>
                            {editable.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, repair_remove_line)}</span></th> })}
                        </tr></thead>
                        <tbody>
                            {repair.labor.iter().map(|l| view! {
                                <tr>
                                    <td class="mono">{l.labor_code.clone()}</td>
                                    <td>{l.description.clone()}</td>
                                    <td class="num">{format!("{:.2}", l.hours)}</td>
                                    <td class="num">{format_amount(l.rate_minor, &l.currency)}</td>
                                    <td class="num">{format_amount(l.amount_minor, &l.currency)}</td>
                                    {editable.then(|| view! { <td><RemoveButton remove id kind="labor" line_id=l.id /></td> })}
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr>
                            <th scope="row" colspan="4">{t!(i18n, repair_total)}</th>
                            <td class="num">{format_amount(repair.labor_total_minor, &repair.currency)}</td>
                        </tr></tfoot>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn LaborForm(action: ServerAction<AddLaborLine>, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    view! {
        <details class="panel no-print" open=true>
            <summary>{t!(i18n, repair_add_labor)}</summary>
            <FormError result />
            <ActionForm action attr:class="line-form">
                <input type="hidden" name="id" value=id />
                <div class="field">
                    <label for="labor_code">{t!(i18n, repair_labor_code)}</label>
                    <input id="labor_code" name="labor_code" type="text" class="mono" placeholder="HV-PACK-RR" required />
                    <FieldError result field="labor_code" />
                </div>
                <div class="field">
                    <label for="labor_description">{t!(i18n, part_description)}</label>
                    <input id="labor_description" name="description" type="text" required />
                    <FieldError result field="description" />
                </div>
                <div class="field narrow">
                    <label for="hours">{t!(i18n, repair_hours)}</label>
                    <input id="hours" name="hours" type="number" min="0.01" max="999.99" step="0.01" required />
                    <FieldError result field="hours" />
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, repair_add)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn PartLines(repair: RepairDto, editable: bool, remove: ServerAction<RemoveLine>) -> impl IntoView {
    let i18n = use_i18n();
    let id = repair.id;
    view! {
        <h2>{t!(i18n, repair_parts)}</h2>
        {if repair.parts.is_empty() {
            view! { <p class="muted">{t!(i18n, repair_no_parts)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{t!(i18n, repair_direction)}</th>
                            <th scope="col">{t!(i18n, part_number)}</th>
                            <th scope="col">{t!(i18n, part_description)}</th>
                            <th scope="col" class="num">{t!(i18n, stock_quantity)}</th>
                            <th scope="col">{t!(i18n, stock_serial)}</th>
                            <th scope="col" class="num">{t!(i18n, part_list_price)}</th>
                            {editable.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, repair_remove_line)}</span></th> })}
                        </tr></thead>
                        <tbody>
                            {repair.parts.iter().map(|p| view! {
                                <tr>
                                    <td><DirectionChip direction=p.direction /></td>
                                    <td><a class="mono" href=format!("/parts/{}", p.part_id)>{p.part_number.clone()}</a></td>
                                    <td>{p.description.clone()}</td>
                                    <td class="num">{p.quantity}</td>
                                    <td>{p.serial.clone().map(|serial| view! { <SerialLink serial /> })}</td>
                                    <td class="num">{format_amount(p.price_minor, &p.currency)}</td>
                                    {editable.then(|| view! { <td><RemoveButton remove id kind="part" line_id=p.id /></td> })}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
pub fn DirectionChip(direction: PartDirection) -> impl IntoView {
    let i18n = use_i18n();
    match direction {
        PartDirection::Installed => {
            view! { <span class="chip chip-info">{t!(i18n, repair_installed)}</span> }.into_any()
        }
        PartDirection::Removed => view! { <span class="chip chip-warn">{t!(i18n, repair_removed)}</span> }.into_any(),
    }
}
