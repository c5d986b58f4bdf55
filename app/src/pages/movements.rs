//! The movement history: newest first, filtered by kind or serial.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::stock::list_movements;
use crate::components::form::{ErrorAlert, NextPage, url_encode};
use crate::components::guard::RequireRole;
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::stock::{MovementDto, MovementFilter, MovementKind};
use crate::pages::stock::dealer_suffix;

#[component]
pub fn MovementsPage() -> impl IntoView {
    view! { <RequireRole><Movements /></RequireRole> }
}

#[component]
fn Movements() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let text = |key: &str| q.get(key).filter(|v| !v.is_empty());
        MovementFilter {
            dealer_id: text("dealer_id").and_then(|v| v.parse().ok()),
            part_id: text("part_id").and_then(|v| v.parse().ok()),
            kind: text("kind"),
            serial: text("serial"),
            cursor: text("cursor"),
            ..Default::default()
        }
    };
    let movements = Resource::new(filter, list_movements);
    let next_href = move |cursor: String| {
        let f = filter();
        format!(
            "/stock/movements?kind={}&serial={}{}&cursor={cursor}",
            f.kind.unwrap_or_default(),
            url_encode(&f.serial.unwrap_or_default()),
            dealer_suffix(f.dealer_id, false)
        )
    };
    view! {
        <Title text=move || t_string!(i18n, stock_movements).to_string() />
        <section class="page">
            <h1>{t!(i18n, stock_movements)}</h1>
            <Form method="GET" action="" attr:class="filters">
                {move || filter().dealer_id.map(|d| view! { <input type="hidden" name="dealer_id" value=d /> })}
                <div class="field">
                    <label for="kind">{t!(i18n, stock_kind)}</label>
                    <select id="kind" name="kind">
                        <option value="">{t!(i18n, users_any)}</option>
                        {MovementKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || filter().kind.as_deref() == Some(k.as_str())>{kind_label(k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="serial">{t!(i18n, stock_serial)}</label>
                    <input id="serial" name="serial" type="search" prop:value=move || filter().serial.unwrap_or_default() />
                </div>
                <button type="submit" class="btn">{t!(i18n, users_filter)}</button>
                <a class="btn btn-quiet" href="/stock/movements">{t!(i18n, users_clear)}</a>
            </Form>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match movements.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(page) => view! {
                            <MovementsTable movements=page.items />
                            <NextPage href=page.next_cursor.map(next_href) />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A movement kind in the current language.
pub fn kind_label(kind: MovementKind) -> AnyView {
    let i18n = use_i18n();
    match kind {
        MovementKind::Receipt => t!(i18n, mk_receipt).into_any(),
        MovementKind::IssueToRepair => t!(i18n, mk_issue_to_repair).into_any(),
        MovementKind::ReturnFromRepair => t!(i18n, mk_return_from_repair).into_any(),
        MovementKind::Adjustment => t!(i18n, mk_adjustment).into_any(),
        MovementKind::TransferOut => t!(i18n, mk_transfer_out).into_any(),
        MovementKind::TransferIn => t!(i18n, mk_transfer_in).into_any(),
        MovementKind::ReturnToOem => t!(i18n, mk_return_to_oem).into_any(),
        MovementKind::Scrap => t!(i18n, mk_scrap).into_any(),
        MovementKind::Recycle => t!(i18n, mk_recycle).into_any(),
    }
}

#[component]
pub fn MovementsTable(movements: Vec<MovementDto>) -> impl IntoView {
    let i18n = use_i18n();
    if movements.is_empty() {
        return view! { <p class="empty">{t!(i18n, stock_no_movements)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead><tr>
                    <th scope="col">{t!(i18n, ledger_col_at)}</th>
                    <th scope="col">{t!(i18n, stock_kind)}</th>
                    <th scope="col">{t!(i18n, part_number)}</th>
                    <th scope="col" class="num">{t!(i18n, stock_quantity)}</th>
                    <th scope="col">{t!(i18n, stock_serial)}</th>
                    <th scope="col">{t!(i18n, stock_reference)}</th>
                    <th scope="col">{t!(i18n, auth_reason)}</th>
                </tr></thead>
                <tbody>
                    {movements.into_iter().map(|m| view! {
                        <tr>
                            <td><Time at=m.created_at /></td>
                            <td>{kind_label(m.kind)}</td>
                            <td>{m.part_number.clone()}</td>
                            <td class="num">{format!("{:+}", m.quantity)}</td>
                            <td>{m.serial.clone().map(|s| view! { <a href=format!("/trace?serial={s}&part_id={}", m.part_id)>{s.clone()}</a> })}</td>
                            <td>{m.reference.clone()}</td>
                            <td>{m.reason.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
