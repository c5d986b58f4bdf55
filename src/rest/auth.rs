//! `/auth/login`, `/auth/logout`, `/me`, `/me/password`.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};

use app::model::user::{LoginRequest, LoginResponse, PasswordChange, UserDto};
use app::server::{AppState, auth, users};

use super::{ApiResult, Authed, JsonBody, NoBody};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
        .route("/me/password", post(change_password))
}

/// Issues an API token for scripts and integrations.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = app::model::error::ErrorBody),
              (status = 429, description = "Too many failures for this email; see Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<LoginRequest>,
) -> ApiResult<axum::Json<LoginResponse>> {
    let signed_in = auth::sign_in(&state.db, &body.email, &body.password, auth::Issue::ApiToken).await?;
    let user = users::view(&state.db, signed_in.user).await?;
    Ok(axum::Json(LoginResponse { token: signed_in.token, user }))
}

/// Revokes the API token (or ends the browser session) used for this request.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    Authed(actor): Authed,
    _: NoBody,
) -> ApiResult<axum::http::StatusCode> {
    auth::sign_out(&state.db, &actor).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = UserDto), (status = 401, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, Authed(actor): Authed) -> ApiResult<axum::Json<UserDto>> {
    Ok(axum::Json(users::find(&state.db, &actor, actor.user_id).await?))
}

/// Changes the signed-in user's password; their other sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = app::model::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<PasswordChange>,
) -> ApiResult<axum::http::StatusCode> {
    users::change_password(&state.db, &actor, body.current_password, body.new_password).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
