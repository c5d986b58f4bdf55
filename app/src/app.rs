//! The document shell and the route table.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::components::session::provide_session;
use crate::i18n::I18nContextProvider;
use crate::pages::{
    alerts, authorization, authorizations, claim, claims, dealer, dealers, home, imports, ledger, login, movements,
    not_found, oems, part, parts, profile, rates, receive, repair, repairs, reports, stock, stock_item, trace, users,
    vehicles,
};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.ico" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|text: String| if text.is_empty() { "Aftermarket Ledger".to_string() } else { format!("{text} · Aftermarket Ledger") } />
        <I18nContextProvider>
            <Router>
                <Session>
                    <Layout>
                        <Routes fallback=not_found::NotFound>
                            <Route path=path!("/login") view=login::LoginPage />
                            <Route path=path!("/") view=home::HomePage />
                            <Route path=path!("/me") view=profile::ProfilePage />
                            <Route path=path!("/admin/users") view=users::UsersPage />
                            <Route path=path!("/admin/users/new") view=users::NewUserPage />
                            <Route path=path!("/admin/users/:id/password") view=users::ResetPasswordPage />
                            <Route path=path!("/admin/ledger") view=ledger::LedgerPage />
                            <Route path=path!("/admin/rates") view=rates::RatesPage />
                            <Route path=path!("/reports") view=reports::ReportsPage />
                            <Route path=path!("/reports/:name") view=reports::ReportsPage />
                            <Route path=path!("/alerts") view=alerts::AlertsPage />
                            <Route path=path!("/dealers") view=dealers::DealersPage />
                            <Route path=path!("/dealers/:id") view=dealer::DealerPage />
                            <Route path=path!("/oems") view=oems::OemsPage />
                            <Route path=path!("/authorizations") view=authorizations::AuthorizationsPage />
                            <Route path=path!("/authorizations/new") view=authorizations::NewAuthorizationPage />
                            <Route path=path!("/authorizations/:id") view=authorization::AuthorizationPage />
                            <Route path=path!("/parts") view=parts::PartsPage />
                            <Route path=path!("/parts/import") view=imports::PartsImportPage />
                            <Route path=path!("/parts/:id") view=part::PartPage />
                            <Route path=path!("/stock") view=stock::StockPage />
                            <Route path=path!("/stock/receive") view=receive::ReceivePage />
                            <Route path=path!("/stock/import") view=imports::StockImportPage />
                            <Route path=path!("/stock/movements") view=movements::MovementsPage />
                            <Route path=path!("/stock/items/:part_id") view=stock_item::StockItemPage />
                            <Route path=path!("/vehicles") view=vehicles::VehiclesPage />
                            <Route path=path!("/vehicles/:vin") view=vehicles::VehiclePage />
                            <Route path=path!("/repairs") view=repairs::RepairsPage />
                            <Route path=path!("/repairs/new") view=repairs::NewRepairPage />
                            <Route path=path!("/repairs/:id") view=repair::RepairPage />
                            <Route path=path!("/claims") view=claims::ClaimsPage />
                            <Route path=path!("/claims/:id") view=claim::ClaimPage />
                            <Route path=path!("/trace") view=trace::TracePage />
                            <Route path=path!("/part-units/:serial") view=trace::TracePage />
                        </Routes>
                    </Layout>
                </Session>
            </Router>
        </I18nContextProvider>
    }
}

/// Provides the session (the signed-in user and the sign-in/out actions).
#[component]
fn Session(children: Children) -> impl IntoView {
    provide_session();
    children()
}
