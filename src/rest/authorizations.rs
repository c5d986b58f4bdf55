//! `/authorizations`: admins grant and change them; dealers and service
//! managers read those in their scope.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};

use app::model::authorization::{
    AuthorizationDto, AuthorizationFilter, NewAuthorization, StatusChangeKind, StatusChangeRequest,
};
use app::model::user::Page;
use app::server::{AppState, authorizations};

use super::{ApiResult, Authed, JsonBody, Params, Path};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/authorizations", get(list).post(create))
        .route("/authorizations/{id}", get(find))
        .route("/authorizations/{id}/suspend", post(suspend))
        .route("/authorizations/{id}/reinstate", post(reinstate))
        .route("/authorizations/{id}/revoke", post(revoke))
}

#[utoipa::path(get, path = "/api/v1/authorizations", tag = "authorizations", params(AuthorizationFilter),
    responses((status = 200, body = Page<AuthorizationDto>)), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<AuthorizationFilter>,
) -> ApiResult<axum::Json<Page<AuthorizationDto>>> {
    Ok(axum::Json(authorizations::list(&state.db, &actor, &filter).await?))
}

#[utoipa::path(post, path = "/api/v1/authorizations", tag = "authorizations", request_body = NewAuthorization,
    responses((status = 201, body = AuthorizationDto), (status = 422, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewAuthorization>,
) -> ApiResult<(StatusCode, axum::Json<AuthorizationDto>)> {
    Ok((StatusCode::CREATED, axum::Json(authorizations::create(&state.db, &actor, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/authorizations/{id}", tag = "authorizations", params(("id" = i64, Path)),
    responses((status = 200, body = AuthorizationDto), (status = 404, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn find(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<AuthorizationDto>> {
    Ok(axum::Json(authorizations::find(&state.db, &actor, id).await?))
}

async fn change(
    state: AppState,
    actor: app::server::Actor,
    id: i64,
    kind: StatusChangeKind,
    body: StatusChangeRequest,
) -> ApiResult<axum::Json<AuthorizationDto>> {
    Ok(axum::Json(authorizations::change_status(&state.db, &actor, id, kind, body).await?))
}

/// Suspends from `effective_date` on.
#[utoipa::path(post, path = "/api/v1/authorizations/{id}/suspend", tag = "authorizations", params(("id" = i64, Path)),
    request_body = StatusChangeRequest,
    responses((status = 200, body = AuthorizationDto), (status = 409, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn suspend(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<StatusChangeRequest>,
) -> ApiResult<axum::Json<AuthorizationDto>> {
    change(state, actor, id, StatusChangeKind::Suspended, body).await
}

/// Lifts a suspension from `effective_date` on.
#[utoipa::path(post, path = "/api/v1/authorizations/{id}/reinstate", tag = "authorizations", params(("id" = i64, Path)),
    request_body = StatusChangeRequest,
    responses((status = 200, body = AuthorizationDto), (status = 409, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn reinstate(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<StatusChangeRequest>,
) -> ApiResult<axum::Json<AuthorizationDto>> {
    change(state, actor, id, StatusChangeKind::Reinstated, body).await
}

/// Ends the authorization for good from `effective_date` on.
#[utoipa::path(post, path = "/api/v1/authorizations/{id}/revoke", tag = "authorizations", params(("id" = i64, Path)),
    request_body = StatusChangeRequest,
    responses((status = 200, body = AuthorizationDto), (status = 409, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<StatusChangeRequest>,
) -> ApiResult<axum::Json<AuthorizationDto>> {
    change(state, actor, id, StatusChangeKind::Revoked, body).await
}
