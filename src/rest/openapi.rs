//! The OpenAPI document, generated from the handlers and DTOs.

use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Aftermarket Ledger API", version = "1", description = "OEM authorization, parts repair and warranty traceability."),
    paths(
        super::system::health,
        super::auth::login, super::auth::logout, super::auth::me, super::auth::change_password,
        super::users::list, super::users::create, super::users::find, super::users::update, super::users::reset_password,
        super::ledger::list, super::ledger::verify,
        super::authorizations::list, super::authorizations::create, super::authorizations::find,
        super::network::list_oems, super::network::create_oem, super::network::find_oem, super::network::update_oem,
        super::network::list_models, super::network::create_model,
        super::network::list_dealers, super::network::create_dealer, super::network::find_dealer, super::network::update_dealer,
        super::network::list_policies, super::network::create_policy, super::network::update_policy,
        super::authorizations::suspend, super::authorizations::reinstate, super::authorizations::revoke,
        super::parts::list, super::parts::create, super::parts::find, super::parts::update, super::parts::import,
        super::parts::export,
        super::stock::levels, super::stock::movements, super::stock::record, super::stock::transfer,
        super::stock::reorder_point, super::stock::import, super::stock::export, super::stock::unit,
        super::vehicles::list, super::vehicles::register, super::vehicles::find, super::vehicles::trace_chain,
        super::repairs::list, super::repairs::open, super::repairs::find, super::repairs::update, super::repairs::add_labor,
        super::repairs::remove_labor, super::repairs::add_part, super::repairs::remove_part, super::repairs::complete,
        super::repairs::cancel,
        super::claims::list, super::claims::export, super::claims::create, super::claims::find, super::claims::update, super::claims::add_line,
        super::claims::remove_line, super::claims::submit, super::claims::withdraw, super::claims::respond, super::claims::appeal,
        super::claims::take, super::claims::review, super::claims::request_info, super::claims::mark_paid, super::claims::comment,
        super::claims::attach, super::claims::download, super::claims::request_return, super::claims::update_return,
        super::reports::list_rates, super::reports::set_rate, super::reports::import_rates, super::reports::report,
        super::reports::list_alerts, super::reports::acknowledge,
    ),
    modifiers(&BearerAuth, &CommonErrors),
    tags((name = "auth"), (name = "users"), (name = "ledger"), (name = "authorizations"), (name = "network"), (name = "parts"), (name = "stock"), (name = "vehicles"), (name = "repairs"), (name = "claims"), (name = "reports"), (name = "system"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The error answers every operation can give, whatever its own list says
/// (DESIGN.md §6): a malformed request (400), no or a dead credential (401),
/// the wrong role (403), a record outside the caller's scope (404), a body
/// over its limit (413, operations that take one), a bad field (422) and, for
/// changes, a conflict with the record's state (409), each
/// as `ErrorBody`. The health check takes no credential and no input.
struct CommonErrors;

impl CommonErrors {
    const ALWAYS: [(&'static str, &'static str); 5] = [
        ("400", "The request is malformed (JSON, content type, a query parameter)."),
        ("401", "No valid credential: sign in first."),
        ("403", "The caller's role may not do this."),
        ("404", "Not found, or outside the caller's scope."),
        ("422", "A field is invalid; `error.fields` names it."),
    ];
    const WITH_BODY: (&'static str, &'static str) = ("413", "The request body is larger than this operation accepts.");
    const CHANGING: (&'static str, &'static str) =
        ("409", "The change conflicts with the record as it is (a code in use, a step out of order, a stale version).");

    fn add(operation: &mut Operation, changes: bool) {
        let has_body = operation.request_body.is_some();
        let codes =
            Self::ALWAYS.iter().chain(has_body.then_some(&Self::WITH_BODY)).chain(changes.then_some(&Self::CHANGING));
        for (status, description) in codes {
            operation.responses.responses.entry((*status).to_string()).or_insert_with(|| {
                let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
                RefOr::T(ResponseBuilder::new().description(*description).content("application/json", body).build())
            });
        }
    }
}

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in &mut openapi.paths.paths {
            if path.ends_with("/health") {
                continue;
            }
            for operation in [&mut item.get, &mut item.head].into_iter().flatten() {
                Self::add(operation, false);
            }
            for operation in [&mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
                Self::add(operation, true);
            }
        }
    }
}
