//! The app shell: top bar (product, user, role, organisation, language,
//! sign out) and the navigation of the user's role.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::session::use_session;
use crate::api::auth::set_locale;
use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::model::Role;
use crate::model::user::UserDto;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"AL"</span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
            </a>
            <div class="topbar-right">
                <LanguageSwitch />
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move { session.signed_in().await.map(|u| view! { <UserBadge user=u /> }) })}
                </Transition>
            </div>
        </header>
        <div class="frame">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move { session.signed_in().await.map(|u| view! { <Nav role=u.role /> }) })}
            </Transition>
            <main id="main" class="content" tabindex="-1">{children()}</main>
        </div>
    }
}

#[component]
fn UserBadge(user: UserDto) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let org = user.dealer_name.clone().or(user.oem_name.clone());
    view! {
        <div class="user-badge">
            <span class="user-name">{user.display_name.clone()}</span>
            <span class="chip chip-role">{role_label(user.role)}</span>
            {org.map(|org| view! { <span class="user-org">{org}</span> })}
            <ActionForm action=session.logout attr:class="inline-form">
                <button type="submit" class="btn btn-quiet">{t!(i18n, sign_out)}</button>
            </ActionForm>
        </div>
    }
}

/// The role's name in the current language.
pub fn role_label(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    move || match role {
        Role::Dealer => t!(i18n, role_dealer).into_any(),
        Role::ServiceManager => t!(i18n, role_service_manager).into_any(),
        Role::Admin => t!(i18n, role_admin).into_any(),
    }
}

#[component]
fn Nav(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        let here = if href == "/" { path == "/" } else { path.starts_with(href) };
        if here { "page" } else { "false" }
    };
    let link = move |href: &'static str, label: AnyView| {
        view! { <li><A href=href attr:aria-current=move || current(href)>{label}</A></li> }
    };
    // Repairs, vehicles, parts, stock and trace: every role reads them.
    let stock = move || {
        view! {
            {link("/claims", t!(i18n, nav_claims).into_any())}
            {link("/repairs", t!(i18n, nav_repairs).into_any())}
            {link("/vehicles", t!(i18n, nav_vehicles).into_any())}
            {link("/parts", t!(i18n, nav_parts).into_any())}
            {link("/stock", t!(i18n, nav_stock).into_any())}
            {link("/trace", t!(i18n, nav_trace).into_any())}
        }
    };
    let section = match role {
        Role::Admin => view! {
            <h2 class="nav-section">{t!(i18n, nav_section_admin)}</h2>
            <ul>
                {link("/oems", t!(i18n, nav_oems).into_any())}
                {link("/dealers", t!(i18n, nav_dealers).into_any())}
                {link("/authorizations", t!(i18n, nav_authorizations).into_any())}
                {stock()}
                {link("/reports", t!(i18n, nav_reports).into_any())}
                {link("/alerts", t!(i18n, nav_alerts).into_any())}
                {link("/admin/rates", t!(i18n, nav_rates).into_any())}
                {link("/admin/users", t!(i18n, nav_users).into_any())}
                {link("/admin/ledger", t!(i18n, nav_ledger).into_any())}
            </ul>
        }
        .into_any(),
        Role::Dealer => view! {
            <h2 class="nav-section">{t!(i18n, nav_section_workshop)}</h2>
            <ul>
                {stock()}
                {link("/authorizations", t!(i18n, nav_authorizations).into_any())}
                {link("/reports", t!(i18n, nav_reports).into_any())}
            </ul>
        }
        .into_any(),
        Role::ServiceManager => view! {
            <h2 class="nav-section">{t!(i18n, nav_section_review)}</h2>
            <ul>
                {link("/oems", t!(i18n, nav_oems).into_any())}
                {link("/dealers", t!(i18n, nav_dealers).into_any())}
                {link("/authorizations", t!(i18n, nav_authorizations).into_any())}
                {stock()}
                {link("/reports", t!(i18n, nav_reports).into_any())}
                {link("/alerts", t!(i18n, nav_alerts).into_any())}
            </ul>
        }
        .into_any(),
    };
    view! {
        <nav class="sidenav" aria-label="Main">
            <ul>
                {link("/", t!(i18n, nav_home).into_any())}
                {link("/me", t!(i18n, nav_profile).into_any())}
            </ul>
            {section}
        </nav>
    }
}

/// English / 中文. Switches at once in the browser and is remembered for the
/// signed-in user on the server.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |locale: Locale| {
        i18n.set_locale(locale);
        let code = if locale == Locale::zh { "zh" } else { "en" };
        leptos::task::spawn_local(async move {
            // Remembering is best effort: the switch already happened here.
            let _ = set_locale(code.to_string()).await;
        });
    };
    let pressed = move |locale: Locale| move || if i18n.get_locale() == locale { "true" } else { "false" };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, language)>
            <button type="button" class="btn btn-quiet" aria-pressed=pressed(Locale::en) on:click=move |_| choose(Locale::en)>
                "English"
            </button>
            <button type="button" class="btn btn-quiet" aria-pressed=pressed(Locale::zh) on:click=move |_| choose(Locale::zh) lang="zh">
                "中文"
            </button>
        </div>
    }
}
