use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::guard::RequireRole;
use crate::components::layout::role_label;
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::pages::alerts::AlertList;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <RequireRole>
            <Home />
        </RequireRole>
    }
}

#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let Some(user) = session.current() else {
        return ().into_any();
    };
    let role = user.role;
    let org = user.dealer_name.clone().or(user.oem_name.clone()).unwrap_or_else(|| "—".into());
    let name = user.display_name.clone();
    let intro = move || match role {
        Role::Dealer => t!(i18n, home_dealer_intro).into_any(),
        Role::ServiceManager => t!(i18n, home_manager_intro).into_any(),
        Role::Admin => t!(i18n, home_admin_intro).into_any(),
    };
    let next = move || match role {
        Role::Dealer => view! {
            <p>{t!(i18n, home_dealer_next)}</p>
            <p class="actions">
                <a class="btn btn-primary" href="/stock/receive">{t!(i18n, stock_receive)}</a>
                <a class="btn" href="/stock">{t!(i18n, nav_stock)}</a>
            </p>
            <crate::pages::stock::BelowReorder />
        }
        .into_any(),
        Role::ServiceManager => view! {
            <p>{t!(i18n, home_manager_next)}</p>
            <p class="actions">
                <a class="btn btn-primary" href="/claims?queue=true">{t!(i18n, claim_queue)}</a>
                <a class="btn" href="/reports">{t!(i18n, nav_reports)}</a>
            </p>
        }
        .into_any(),
        Role::Admin => view! {
            <AdminOverview />
            <p>{t!(i18n, home_admin_next)}</p>
            <p class="actions">
                <a class="btn btn-primary" href="/admin/users/new">{t!(i18n, users_new)}</a>
                <a class="btn" href="/admin/ledger">{t!(i18n, ledger_verify)}</a>
            </p>
        }
        .into_any(),
    };
    view! {
        <Title text=move || t_string!(i18n, nav_home).to_string() />
        <section class="page">
            <h1>{t!(i18n, home_welcome, name = name.clone())}</h1>
            <p class="lead">{intro}</p>
            <dl class="facts">
                <div><dt>{t!(i18n, home_signed_in_as)}</dt><dd>{user.email.clone()} " · " {role_label(role)}</dd></div>
                <div><dt>{t!(i18n, home_organisation)}</dt><dd>{org}</dd></div>
                <div><dt>{t!(i18n, home_time_zone)}</dt><dd>{user.time_zone.clone()}</dd></div>
            </dl>
            // What needs the OEM side first: open early-warning alerts.
            {match role {
                Role::ServiceManager => Some(view! { <h2>{t!(i18n, home_open_alerts)}</h2><AlertList only_open=true /> }.into_any()),
                Role::Admin => Some(view! { <h2>{t!(i18n, home_open_alerts_by_oem)}</h2><AlertList only_open=true by_oem=true /> }.into_any()),
                Role::Dealer => None,
            }}
            <h2>{t!(i18n, home_next_steps)}</h2>
            <div>{next}</div>
        </section>
    }
    .into_any()
}

/// What needs the admin's attention: each figure links to the list to act on.
#[component]
fn AdminOverview() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| crate::api::network::network_overview());
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                overview.await.ok().map(|o| view! {
                    <div class="facts">
                        {o.expiring.into_iter().map(|(days, count)| view! {
                            <div>
                                <dt>{t!(i18n, home_expiring, days = move || days)}</dt>
                                <dd><a href=format!("/authorizations?status=active&expiring_within_days={days}")>{count}</a></dd>
                            </div>
                        }).collect_view()}
                        <div>
                            <dt>{t!(i18n, status_suspended)}</dt>
                            <dd><a href="/authorizations?status=suspended">{o.suspended}</a></dd>
                        </div>
                    </div>
                    <h2>{t!(i18n, home_unauthorized_dealers)}</h2>
                    {if o.dealers_without_active.is_empty() {
                        view! { <p class="muted">{t!(i18n, home_all_authorized)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="timeline">
                                {o.dealers_without_active.into_iter().map(|(_, code, name)| view! {
                                    <li>{format!("{code} · {name}")} " — " <a href="/authorizations/new">{t!(i18n, auth_new)}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                })
            })}
        </Suspense>
    }
}
