//! Early-warning alerts (DESIGN §10): each explains itself, links to its
//! failure-rate chart, and is acknowledged with a comment.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::reports::{AcknowledgeAlert, list_alerts};
use crate::components::form::{ErrorAlert, FieldError, FormError};
use crate::components::guard::RequireRole;
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::field::YearMonth;
use crate::model::reporting::{AlertDto, AlertFilter};

#[component]
pub fn AlertsPage() -> impl IntoView {
    view! { <RequireRole roles=&[Role::ServiceManager, Role::Admin]><Alerts /></RequireRole> }
}

#[component]
fn Alerts() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, nav_alerts).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_alerts)}</h1>
            <p class="lead">{t!(i18n, alerts_intro)}</p>
            <AlertList only_open=false />
        </section>
    }
}

/// The failure-rate chart behind an alert: its part, the 15 cohorts
/// compared, at 3 months in service.
pub fn chart_href(alert: &AlertDto) -> String {
    let from = alert.cohorts.from.parse::<YearMonth>().map(|m| m.plus(-12).first_day().to_string()).unwrap_or_default();
    let to = alert.cohorts.to.parse::<YearMonth>().map(|m| m.last_day().to_string()).unwrap_or_default();
    format!(
        "/reports/failure-rate?part_id={}&oem_id={}&mis=3&from={from}&to={to}&alert={}",
        alert.part_id, alert.oem_id, alert.id
    )
}

/// The alerts, open first; `only_open` for the homes, `by_oem` for the
/// admin's (one list per OEM).
#[component]
pub fn AlertList(only_open: bool, #[prop(optional)] by_oem: bool) -> impl IntoView {
    let i18n = use_i18n();
    let acknowledge = ServerAction::<AcknowledgeAlert>::new();
    let filter = AlertFilter { status: only_open.then(|| "open".to_string()), ..Default::default() };
    let alerts = Resource::new(move || acknowledge.version().get(), move |_| list_alerts(filter.clone()));
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match alerts.await {
                    Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, alerts_none)}</p> }.into_any(),
                    Ok(list) if by_oem => {
                        let mut oems: Vec<String> = list.iter().map(|a| a.oem_code.clone()).collect();
                        oems.dedup();
                        oems.into_iter().map(|oem| {
                            let of_oem: Vec<AlertDto> = list.iter().filter(|a| a.oem_code == oem).cloned().collect();
                            view! {
                                <h3>{oem}</h3>
                                <ul class="alerts">
                                    {of_oem.into_iter().map(|a| view! { <AlertCard alert=a action=acknowledge /> }).collect_view()}
                                </ul>
                            }
                        }).collect_view().into_any()
                    }
                    Ok(list) => view! {
                        <ul class="alerts">
                            {list.into_iter().map(|a| view! { <AlertCard alert=a action=acknowledge /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AlertCard(alert: AlertDto, action: ServerAction<AcknowledgeAlert>) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    let open = alert.status == "open";
    let id = alert.id;
    let field = format!("ack-{id}");
    view! {
        <li class=if open { "alert-card alert-card-open" } else { "alert-card" }>
            <p class="alert-head">
                <span class=if open { "chip chip-error" } else { "chip chip-muted" }>
                    {if open { t_string!(i18n, alert_open).to_string() } else { t_string!(i18n, alert_acknowledged).to_string() }}
                </span>
                " " <strong class="mono">{alert.part_number.clone()}</strong> " · " {alert.oem_code.clone()}
                " · " <Time at=alert.raised_at />
            </p>
            <p>{alert.explanation.clone()}</p>
            <p><a href=chart_href(&alert)>{t!(i18n, alert_see_chart)}</a></p>
            {alert.comment.clone().map(|c| view! {
                <p class="muted">{alert.acknowledged_by_name.clone().unwrap_or_default()} ": " {c}</p>
            })}
            {open.then(|| view! {
                <FormError result />
                <ActionForm action attr:class="inline-fields">
                    <input type="hidden" name="id" value=id />
                    <div class="field">
                        <label for=field.clone()>{t!(i18n, alert_comment)}</label>
                        <input id=field.clone() name="comment" type="text" required size="40" />
                        <FieldError result field="comment" />
                    </div>
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, alert_acknowledge)}</button>
                </ActionForm>
            })}
        </li>
    }
}
