//! `/users`: admins manage people.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};

use app::model::user::{NewUser, Page, PasswordReset, UserDto, UserFilter, UserPatch};
use app::server::{AppState, users};

use super::{ApiResult, Authed, JsonBody, Params, Path};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", get(find).patch(update))
        .route("/users/{id}/reset-password", post(reset_password))
}

/// Users, filtered by `q` (email or name), `role`, `dealer_id`, `oem_id`, `active`.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserFilter),
    responses((status = 200, body = Page<UserDto>), (status = 403, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<UserFilter>,
) -> ApiResult<axum::Json<Page<UserDto>>> {
    Ok(axum::Json(users::list(&state.db, &actor, &filter).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = UserDto), (status = 409, body = app::model::error::ErrorBody),
              (status = 422, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<UserDto>)> {
    Ok((StatusCode::CREATED, axum::Json(users::create(&state.db, &actor, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserDto), (status = 404, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn find(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<UserDto>> {
    Ok(axum::Json(users::find(&state.db, &actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UserPatch,
    responses((status = 200, body = UserDto), (status = 404, body = app::model::error::ErrorBody),
              (status = 422, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<UserPatch>,
) -> ApiResult<axum::Json<UserDto>> {
    Ok(axum::Json(users::update(&state.db, &actor, id, body).await?))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/reset-password", tag = "users", params(("id" = i64, Path)),
    request_body = PasswordReset,
    responses((status = 200, body = UserDto), (status = 422, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn reset_password(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PasswordReset>,
) -> ApiResult<axum::Json<UserDto>> {
    Ok(axum::Json(users::reset_password(&state.db, &actor, id, body.password).await?))
}
