//! Repair orders: the list (status, dates, VIN in the URL) and a new repair
//! by VIN, registering the vehicle inline when it is seen for the first time.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::network::oems_with_models;
use crate::api::repairs::{OpenRepair, list_repairs, lookup_vin};
use crate::components::form::{ErrorAlert, FieldError, FormError, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::repair::{RepairDto, RepairFilter, RepairStatus};

#[component]
pub fn RepairsPage() -> impl IntoView {
    view! { <RequireRole><Repairs /></RequireRole> }
}

#[component]
fn Repairs() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        RepairFilter {
            status: text("status"),
            vin: text("vin"),
            from: text("from"),
            to: text("to"),
            cursor: text("cursor"),
            ..Default::default()
        }
    };
    let repairs = Resource::new(filter, list_repairs);
    let next_href = move |cursor: String| {
        let f = filter();
        let text = |v: Option<String>| url_encode(&v.unwrap_or_default());
        format!(
            "/repairs?status={}&vin={}&from={}&to={}&cursor={cursor}",
            text(f.status),
            text(f.vin),
            text(f.from),
            text(f.to)
        )
    };
    let dealer = move || session.current().is_some_and(|u| u.role == Role::Dealer);
    view! {
        <Title text=move || t_string!(i18n, nav_repairs).to_string() />
        <section class="page">
            <div class="page-header">
                <h1>{t!(i18n, nav_repairs)}</h1>
                <Show when=dealer>
                    <a class="btn btn-primary" href="/repairs/new">{t!(i18n, repair_new)}</a>
                </Show>
            </div>
            <Form method="GET" action="" attr:class="filters">
                <div class="field">
                    <label for="status">{t!(i18n, users_col_status)}</label>
                    <select id="status" name="status">
                        <option value="">{t!(i18n, users_any)}</option>
                        {RepairStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || filter().status.as_deref() == Some(s.as_str())>{repair_status_label(s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vin">{t!(i18n, vehicle_vin)}</label>
                    <input id="vin" name="vin" type="search" prop:value=move || filter().vin.unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="from">{t!(i18n, repair_opened_from)}</label>
                    <input id="from" name="from" type="date" prop:value=move || filter().from.unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="to">{t!(i18n, repair_opened_to)}</label>
                    <input id="to" name="to" type="date" prop:value=move || filter().to.unwrap_or_default() />
                </div>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/repairs">{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match repairs.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) => view! {
                            <RepairsTable repairs=page.items />
                            <NextPage href=page.next_cursor.map(next_href) />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Repairs as rows: number, vehicle, dealer, dates, odometer and status.
#[component]
pub fn RepairsTable(repairs: Vec<RepairDto>) -> impl IntoView {
    let i18n = use_i18n();
    if repairs.is_empty() {
        return view! { <p class="muted">{t!(i18n, repair_none)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">{t!(i18n, repair_number)}</th>
                    <th scope="col">{t!(i18n, vehicle_vin)}</th>
                    <th scope="col">{t!(i18n, vehicle_model)}</th>
                    <th scope="col">{t!(i18n, user_dealer)}</th>
                    <th scope="col">{t!(i18n, repair_opened)}</th>
                    <th scope="col" class="num">{t!(i18n, repair_odometer)}</th>
                    <th scope="col">{t!(i18n, users_col_status)}</th>
                </tr></thead>
                <tbody>
                    {repairs.into_iter().map(|r| view! {
                        <tr>
                            <td><a href=format!("/repairs/{}", r.id)>{r.number.clone()}</a></td>
                            <td><a class="mono" href=format!("/vehicles/{}", r.vin)>{r.vin.clone()}</a></td>
                            <td>{r.model_name.clone()}</td>
                            <td>{r.dealer_code.clone()}</td>
                            <td>{r.opened_on.to_string()}</td>
                            <td class="num">
                                {format!("{} km", r.odometer_km)}
                                {r.odometer_flagged.then(|| view! { " " <span class="chip chip-warn">{t!(i18n, vehicle_odometer_flagged)}</span> })}
                            </td>
                            <td><RepairChip status=r.status /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

pub fn repair_status_label(status: RepairStatus) -> AnyView {
    let i18n = use_i18n();
    match status {
        RepairStatus::Open => t!(i18n, rs_open).into_any(),
        RepairStatus::Completed => t!(i18n, rs_completed).into_any(),
        RepairStatus::Cancelled => t!(i18n, rs_cancelled).into_any(),
    }
}

#[component]
pub fn RepairChip(status: RepairStatus) -> impl IntoView {
    let class = match status {
        RepairStatus::Open => "chip chip-info",
        RepairStatus::Completed => "chip chip-ok",
        RepairStatus::Cancelled => "chip chip-muted",
    };
    view! { <span class=class>{repair_status_label(status)}</span> }
}

#[component]
pub fn NewRepairPage() -> impl IntoView {
    let open = ServerAction::<OpenRepair>::new();
    view! { <RequireRole roles=&[Role::Dealer]><NewRepair open /></RequireRole> }
}

#[component]
fn NewRepair(open: ServerAction<OpenRepair>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let result = Signal::derive(move || open.value().get());
    Effect::new(move |_| {
        if let Some(Ok(repair)) = open.value().get() {
            navigate(&format!("/repairs/{}", repair.id), Default::default());
        }
    });
    let vin = RwSignal::new(String::new());
    let found = Resource::new(
        move || vin.get(),
        |vin| async move { if vin.trim().len() == 17 { Some(lookup_vin(vin).await) } else { None } },
    );
    let models = Resource::new(|| (), |()| oems_with_models());
    view! {
        <Title text=move || t_string!(i18n, repair_new).to_string() />
        <section class="page">
            <h1>{t!(i18n, repair_new)}</h1>
            <p>{t!(i18n, repair_new_intro)}</p>
            <FormError result />
            <ActionForm action=open>
                <div class="field">
                    <label for="vin">{t!(i18n, vehicle_vin)}</label>
                    <input id="vin" name="vin" type="text" class="mono" maxlength="17" autocomplete="off" required
                        on:change=move |ev| vin.set(event_target_value(&ev).trim().to_uppercase()) />
                    <FieldError result field="vin" />
                </div>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match found.await {
                            None => ().into_any(),
                            Some(Err(err)) => view! { <p class="field-error" role="alert">{err.field_message("vin").unwrap_or_else(|| err.to_string())}</p> }.into_any(),
                            Some(Ok(Some(v))) => view! {
                                <div class="alert alert-ok" role="status">
                                    {format!("{} {} · {} · ", v.oem_code, v.model_name, v.model_year)}
                                    {t!(i18n, vehicle_in_service)} {format!(" {}", v.in_service_date)}
                                </div>
                            }.into_any(),
                            Some(Ok(None)) => {
                                let choices = models.await.unwrap_or_default();
                                view! {
                                    <fieldset class="panel">
                                        <legend>{t!(i18n, repair_register_vehicle)}</legend>
                                        <div class="field">
                                            <label for="model_id">{t!(i18n, vehicle_model)}</label>
                                            <select id="model_id" name="model_id" required>
                                                {choices.into_iter().flat_map(|(oem, models)| models.into_iter().map(move |m| (oem.name.clone(), m))).map(|(oem, m)| view! {
                                                    <option value=m.id>{format!("{oem} · {} ({})", m.name, m.code)}</option>
                                                }).collect_view()}
                                            </select>
                                            <FieldError result field="model_id" />
                                        </div>
                                        <div class="field">
                                            <label for="model_year">{t!(i18n, vehicle_model_year)}</label>
                                            <input id="model_year" name="model_year" type="number" min="1990" required />
                                            <FieldError result field="model_year" />
                                        </div>
                                        <div class="field">
                                            <label for="in_service_date">{t!(i18n, vehicle_in_service)}</label>
                                            <input id="in_service_date" name="in_service_date" type="date" required />
                                            <FieldError result field="in_service_date" />
                                        </div>
                                        <div class="field">
                                            <label for="country">{t!(i18n, dealer_country)}</label>
                                            <input id="country" name="country" type="text" maxlength="2" required />
                                            <FieldError result field="country" />
                                        </div>
                                    </fieldset>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
                <div class="field narrow">
                    <label for="odometer_km">{t!(i18n, repair_odometer)}</label>
                    <input id="odometer_km" name="odometer_km" type="number" min="0" required />
                    <FieldError result field="odometer_km" />
                </div>
                <div class="field">
                    <label for="complaint">{t!(i18n, repair_complaint)}</label>
                    <textarea id="complaint" name="complaint" rows="3" required></textarea>
                    <FieldError result field="complaint" />
                </div>
                <div class="actions">
                    <button type="submit" class="btn btn-primary" disabled=move || open.pending().get()>{t!(i18n, repair_open)}</button>
                </div>
            </ActionForm>
        </section>
    }
}
