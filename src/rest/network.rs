//! `/oems`, `/oems/{id}/models`, `/dealers`, `/warranty-policies`.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};

use app::model::network::{DealerDto, DealerFilter, DealerInput, NewVehicleModel, OemDto, OemInput, VehicleModelDto};
use app::model::policy::{NewPolicy, PolicyDto, PolicyPatch};
use app::model::user::Page;
use app::server::{AppState, dealers, oems, policies};

use super::{ApiResult, Authed, JsonBody, Params, Path};

use axum::Json;
type Created<T> = (StatusCode, Json<T>);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oems", get(list_oems).post(create_oem))
        .route("/oems/{id}", get(find_oem).patch(update_oem))
        .route("/oems/{id}/models", get(list_models).post(create_model))
        .route("/dealers", get(list_dealers).post(create_dealer))
        .route("/dealers/{id}", get(find_dealer).patch(update_dealer))
        .route("/warranty-policies", get(list_policies).post(create_policy))
        .route("/warranty-policies/{id}", patch(update_policy))
}

/// Every item of a small list on one page.
fn whole<T>(items: Vec<T>) -> Json<Page<T>> {
    Json(Page { items, next_cursor: None })
}

#[utoipa::path(get, path = "/api/v1/oems", tag = "network", responses((status = 200, body = Page<OemDto>)), security(("bearer" = [])))]
pub async fn list_oems(State(state): State<AppState>, Authed(actor): Authed) -> ApiResult<Json<Page<OemDto>>> {
    Ok(whole(oems::list(&state.db, &actor).await?))
}

#[utoipa::path(post, path = "/api/v1/oems", tag = "network", request_body = OemInput,
    responses((status = 201, body = OemDto), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn create_oem(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<OemInput>,
) -> ApiResult<Created<OemDto>> {
    Ok((StatusCode::CREATED, Json(oems::create(&state.db, &actor, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/oems/{id}", tag = "network", params(("id" = i64, Path)),
    responses((status = 200, body = OemDto), (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn find_oem(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<Json<OemDto>> {
    Ok(Json(oems::find(&state.db, &actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/oems/{id}", tag = "network", params(("id" = i64, Path)), request_body = OemInput,
    responses((status = 200, body = OemDto)), security(("bearer" = [])))]
pub async fn update_oem(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<OemInput>,
) -> ApiResult<Json<OemDto>> {
    Ok(Json(oems::update(&state.db, &actor, id, body).await?))
}

#[utoipa::path(get, path = "/api/v1/oems/{id}/models", tag = "network", params(("id" = i64, Path)),
    responses((status = 200, body = Page<VehicleModelDto>)), security(("bearer" = [])))]
pub async fn list_models(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<Json<Page<VehicleModelDto>>> {
    Ok(whole(oems::models(&state.db, &actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/oems/{id}/models", tag = "network", params(("id" = i64, Path)), request_body = NewVehicleModel,
    responses((status = 201, body = VehicleModelDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn create_model(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewVehicleModel>,
) -> ApiResult<Created<VehicleModelDto>> {
    Ok((StatusCode::CREATED, Json(oems::create_model(&state.db, &actor, id, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/dealers", tag = "network", params(DealerFilter), responses((status = 200, body = Page<DealerDto>)), security(("bearer" = [])))]
pub async fn list_dealers(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<DealerFilter>,
) -> ApiResult<Json<Page<DealerDto>>> {
    Ok(Json(dealers::list(&state.db, &actor, &filter).await?))
}

#[utoipa::path(post, path = "/api/v1/dealers", tag = "network", request_body = DealerInput,
    responses((status = 201, body = DealerDto), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn create_dealer(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<DealerInput>,
) -> ApiResult<Created<DealerDto>> {
    Ok((StatusCode::CREATED, Json(dealers::create(&state.db, &actor, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/dealers/{id}", tag = "network", params(("id" = i64, Path)),
    responses((status = 200, body = DealerDto), (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn find_dealer(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<Json<DealerDto>> {
    Ok(Json(dealers::find(&state.db, &actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/dealers/{id}", tag = "network", params(("id" = i64, Path)), request_body = DealerInput,
    responses((status = 200, body = DealerDto)), security(("bearer" = [])))]
pub async fn update_dealer(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<DealerInput>,
) -> ApiResult<Json<DealerDto>> {
    Ok(Json(dealers::update(&state.db, &actor, id, body).await?))
}

#[utoipa::path(get, path = "/api/v1/warranty-policies", tag = "network", responses((status = 200, body = Page<PolicyDto>)), security(("bearer" = [])))]
pub async fn list_policies(State(state): State<AppState>, Authed(actor): Authed) -> ApiResult<Json<Page<PolicyDto>>> {
    Ok(whole(policies::list(&state.db, &actor).await?))
}

#[utoipa::path(post, path = "/api/v1/warranty-policies", tag = "network", request_body = NewPolicy,
    responses((status = 201, body = PolicyDto), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn create_policy(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewPolicy>,
) -> ApiResult<Created<PolicyDto>> {
    Ok((StatusCode::CREATED, Json(policies::create(&state.db, &actor, body).await?)))
}

#[utoipa::path(patch, path = "/api/v1/warranty-policies/{id}", tag = "network", params(("id" = i64, Path)), request_body = PolicyPatch,
    responses((status = 200, body = PolicyDto)), security(("bearer" = [])))]
pub async fn update_policy(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PolicyPatch>,
) -> ApiResult<Json<PolicyDto>> {
    Ok(Json(policies::update(&state.db, &actor, id, body).await?))
}
