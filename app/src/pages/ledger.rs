//! Admin: the ledger, its verification and the newest entries.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::ledger::{VerifyLedger, recent_ledger};
use crate::components::form::ErrorAlert;
use crate::components::form::FormError;
use crate::components::guard::RequireRole;
use crate::components::time::Time;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;

#[component]
pub fn LedgerPage() -> impl IntoView {
    view! { <RequireRole roles=&[Role::Admin]><Ledger /></RequireRole> }
}

#[component]
fn Ledger() -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<VerifyLedger>::new();
    let result = Signal::derive(move || verify.value().get());
    let recent = Resource::new(move || verify.version().get(), |_| recent_ledger());
    let outcome = move || match verify.value().get() {
        Some(Ok(report)) if report.ok => Some(
            view! {
                <div class="alert alert-ok" role="status">
                    {t!(i18n, ledger_ok, entries = move || report.entries.unwrap_or(0))}
                    <code class="hash">{report.head.clone().unwrap_or_default()}</code>
                </div>
            }
            .into_any(),
        ),
        Some(Ok(report)) => Some(
            view! {
                <div class="alert alert-error" role="alert">
                    {t!(i18n, ledger_broken, seq = move || report.first_bad_seq.unwrap_or(0))}
                </div>
            }
            .into_any(),
        ),
        _ => None,
    };
    view! {
        <Title text=move || t_string!(i18n, ledger_title).to_string() />
        <section class="page">
            <header class="page-header">
                <h1>{t!(i18n, ledger_title)}</h1>
                <ActionForm action=verify attr:class="inline-form">
                    <button type="submit" class="btn btn-primary" disabled=move || verify.pending().get()>
                        {move || if verify.pending().get() { t_string!(i18n, ledger_verifying) } else { t_string!(i18n, ledger_verify) }}
                    </button>
                </ActionForm>
            </header>
            <p class="lead">{t!(i18n, ledger_intro)}</p>
            {outcome}
            <FormError result />
            <h2>{t!(i18n, ledger_recent)}</h2>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match recent.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok((entries, _)) if entries.is_empty() => view! { <p class="empty">{t!(i18n, ledger_empty)}</p> }.into_any(),
                        Ok((entries, _total)) => view! {
                            <div class="table-wrap">
                                <table class="data">
                                    <thead>
                                        <tr>
                                            <th scope="col" class="num">{t!(i18n, ledger_col_seq)}</th>
                                            <th scope="col">{t!(i18n, ledger_col_at)}</th>
                                            <th scope="col" class="num">{t!(i18n, ledger_col_actor)}</th>
                                            <th scope="col">{t!(i18n, ledger_col_action)}</th>
                                            <th scope="col">{t!(i18n, ledger_col_entity)}</th>
                                            <th scope="col">{t!(i18n, ledger_col_hash)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {entries.into_iter().map(|e| view! {
                                            <tr>
                                                <td class="num">{e.seq}</td>
                                                <td><Time at=e.at /></td>
                                                <td class="num">{e.actor_id.map(|id| id.to_string()).unwrap_or_else(|| "system".into())}</td>
                                                <td><code>{e.action.clone()}</code></td>
                                                <td>{format!("{} #{}", e.entity, e.entity_id)}</td>
                                                <td><code class="hash" title=e.hash.clone()>{e.hash[..12.min(e.hash.len())].to_string()}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
