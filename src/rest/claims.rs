//! `/claims`: dealers file claims from completed repairs and submit them
//! (the checks run); service managers of the vehicle's OEM review them line
//! by line, ask for information and mark them paid.

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};

use app::model::claim::{
    ClaimDto, ClaimFilter, ClaimPatch, CommentInput, MarkPaidInput, NewClaim, NewClaimLine, NewPartReturn,
    PartReturnPatch, RequestInfoInput, ReviewInput, VersionInput,
};
use app::model::user::Page;
use app::server::{AppState, claims};

use super::{ApiError, ApiResult, Authed, JsonBody, NoBody, Params, Path};
use crate::router::ATTACHMENT_LIMIT;

type One = ApiResult<Json<ClaimDto>>;
type Created = ApiResult<(StatusCode, Json<ClaimDto>)>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/claims", get(list).post(create))
        .route("/claims/export", get(export))
        .route("/claims/{id}", get(find).patch(update))
        .route("/claims/{id}/lines", post(add_line))
        .route("/claims/{id}/lines/{line_id}", delete(remove_line))
        .route("/claims/{id}/submit", post(submit))
        .route("/claims/{id}/withdraw", post(withdraw))
        .route("/claims/{id}/respond", post(respond))
        .route("/claims/{id}/appeal", post(appeal))
        .route("/claims/{id}/take", post(take))
        .route("/claims/{id}/review", post(review))
        .route("/claims/{id}/request-info", post(request_info))
        .route("/claims/{id}/mark-paid", post(mark_paid))
        .route("/claims/{id}/comments", post(comment))
        .route("/claims/{id}/attachments", post(attach).layer(DefaultBodyLimit::max(ATTACHMENT_LIMIT)))
        .route("/attachments/{id}", get(download))
        .route("/claims/{id}/part-returns", post(request_return))
        .route("/part-returns/{id}", axum::routing::patch(update_return))
}

/// Newest first, or `queue=true`: submitted and in review, oldest first.
#[utoipa::path(get, path = "/api/v1/claims", tag = "claims", params(ClaimFilter),
    responses((status = 200, body = Page<ClaimDto>), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<ClaimFilter>,
) -> ApiResult<Json<Page<ClaimDto>>> {
    Ok(Json(claims::list(&state.db, &actor, &filter).await?))
}

/// Every claim matching the list's filters (up to 100,000), as CSV, streamed;
/// busy with other exports, 503 with `Retry-After`.
#[utoipa::path(get, path = "/api/v1/claims/export", tag = "claims", params(ClaimFilter),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 422, body = app::model::error::ErrorBody), (status = 503, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn export(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Params(filter): Params<ClaimFilter>,
) -> ApiResult<Response> {
    Ok(super::parts::csv_download(claims::export_csv(&state.db, &actor, &filter, &state.exports).await?))
}

/// A draft from a completed repair; without `lines`, the repair's installed parts and labour.
#[utoipa::path(post, path = "/api/v1/claims", tag = "claims", request_body = NewClaim,
    responses((status = 201, body = ClaimDto), (status = 403, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authed(actor): Authed,
    JsonBody(body): JsonBody<NewClaim>,
) -> Created {
    Ok((StatusCode::CREATED, Json(claims::create(&state.db, &actor, body).await?)))
}

/// With lines, checks, comments, attachments, part returns and the ledger timeline.
#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "claims", params(("id" = i64, Path)),
    responses((status = 200, body = ClaimDto), (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn find(State(state): State<AppState>, Authed(actor): Authed, Path(id): Path<i64>) -> One {
    Ok(Json(claims::get(&state.db, &actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/claims/{id}", tag = "claims", params(("id" = i64, Path)), request_body = ClaimPatch,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ClaimPatch>,
) -> One {
    Ok(Json(claims::update(&state.db, &actor, id, body).await?))
}

/// A sublet line on a draft; answers the claim.
#[utoipa::path(post, path = "/api/v1/claims/{id}/lines", tag = "claims", params(("id" = i64, Path)), request_body = NewClaimLine,
    responses((status = 201, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn add_line(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewClaimLine>,
) -> Created {
    Ok((StatusCode::CREATED, Json(claims::add_line(&state.db, &actor, id, body).await?)))
}

#[utoipa::path(delete, path = "/api/v1/claims/{id}/lines/{line_id}", tag = "claims", params(("id" = i64, Path), ("line_id" = i64, Path)),
    responses((status = 200, body = ClaimDto), (status = 404, body = app::model::error::ErrorBody), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn remove_line(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path((id, line_id)): Path<(i64, i64)>,
) -> One {
    Ok(Json(claims::remove_line(&state.db, &actor, id, line_id).await?))
}

/// Runs the six checks. A failing authorization, coverage or eligibility check answers 422 with
/// `error.checks` and the claim stays draft. The same `Idempotency-Key` twice returns the claim.
#[utoipa::path(post, path = "/api/v1/claims/{id}/submit", tag = "claims", params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    headers: HeaderMap,
    _: NoBody,
) -> One {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_string);
    Ok(Json(claims::submit(&state.db, &actor, id, key).await?))
}

#[utoipa::path(post, path = "/api/v1/claims/{id}/withdraw", tag = "claims", params(("id" = i64, Path)),
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn withdraw(State(state): State<AppState>, Authed(actor): Authed, Path(id): Path<i64>, _: NoBody) -> One {
    Ok(Json(claims::withdraw(&state.db, &actor, id).await?))
}

/// Answers an information request: back to submitted, flagged as answered.
#[utoipa::path(post, path = "/api/v1/claims/{id}/respond", tag = "claims", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn respond(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CommentInput>,
) -> One {
    Ok(Json(claims::respond(&state.db, &actor, id, body).await?))
}

/// A rejected claim back to submitted, once.
#[utoipa::path(post, path = "/api/v1/claims/{id}/appeal", tag = "claims", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn appeal(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CommentInput>,
) -> One {
    Ok(Json(claims::appeal(&state.db, &actor, id, body).await?))
}

#[utoipa::path(post, path = "/api/v1/claims/{id}/take", tag = "claims", params(("id" = i64, Path)), request_body = VersionInput,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn take(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<VersionInput>,
) -> One {
    Ok(Json(claims::take(&state.db, &actor, id, body).await?))
}

/// Every line decided; the claim becomes approved, partially approved or rejected.
#[utoipa::path(post, path = "/api/v1/claims/{id}/review", tag = "claims", params(("id" = i64, Path)), request_body = ReviewInput,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn review(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<ReviewInput>,
) -> One {
    Ok(Json(claims::review(&state.db, &actor, id, body).await?))
}

#[utoipa::path(post, path = "/api/v1/claims/{id}/request-info", tag = "claims", params(("id" = i64, Path)), request_body = RequestInfoInput,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn request_info(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<RequestInfoInput>,
) -> One {
    Ok(Json(claims::request_info(&state.db, &actor, id, body).await?))
}

#[utoipa::path(post, path = "/api/v1/claims/{id}/mark-paid", tag = "claims", params(("id" = i64, Path)), request_body = MarkPaidInput,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn mark_paid(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<MarkPaidInput>,
) -> One {
    Ok(Json(claims::mark_paid(&state.db, &actor, id, body).await?))
}

/// A comment on the thread (`{"body": "…"}`), by the dealer or the OEM.
#[utoipa::path(post, path = "/api/v1/claims/{id}/comments", tag = "claims", params(("id" = i64, Path)), request_body = CommentInput,
    responses((status = 201, body = ClaimDto), (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn comment(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CommentInput>,
) -> Created {
    Ok((StatusCode::CREATED, Json(claims::comment(&state.db, &actor, id, body).await?)))
}

#[derive(serde::Deserialize)]
pub struct FileName {
    name: Option<String>,
}

/// A photo (JPEG, PNG), a PDF or a text/CSV diagnostic up to 10 MiB: as `multipart/form-data`
/// (field `file`), or as the raw body with `?name=`. The type is judged from the bytes.
#[utoipa::path(post, path = "/api/v1/claims/{id}/attachments", tag = "claims", params(("id" = i64, Path), ("name" = Option<String>, Query)),
    responses((status = 201, body = ClaimDto), (status = 413, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn attach(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    request: Request,
) -> Created {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let too_large = |e: &dyn std::fmt::Display| {
        if e.to_string().to_lowercase().contains("limit") {
            app::model::AppError::PayloadTooLarge
        } else {
            app::model::AppError::bad_request(e.to_string())
        }
    };
    let (name, bytes) = if multipart {
        let mut form = Multipart::from_request(request, &state)
            .await
            .map_err(|e| ApiError(app::model::AppError::bad_request(e.body_text())))?;
        let mut found = None;
        while let Some(field) = form.next_field().await.map_err(|e| ApiError(too_large(&e)))? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or("attachment").to_string();
                let bytes = field.bytes().await.map_err(|e| ApiError(too_large(&e)))?;
                found = Some((name, bytes.to_vec()));
                break;
            }
        }
        found.ok_or_else(|| ApiError(app::model::AppError::field("file", "is required: a form field named file")))?
    } else {
        let Query(FileName { name }) = Query::<FileName>::try_from_uri(request.uri())
            .map_err(|e| ApiError(app::model::AppError::bad_request(e.body_text())))?;
        let bytes =
            axum::body::to_bytes(request.into_body(), ATTACHMENT_LIMIT).await.map_err(|e| ApiError(too_large(&e)))?;
        (name.unwrap_or_else(|| "attachment".into()), bytes.to_vec())
    };
    let claim = claims::attach(&state.db, &state.settings.data_dir, &actor, id, &name, bytes).await?;
    Ok((StatusCode::CREATED, Json(claim)))
}

/// The file, as a download, for whoever may see its claim.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "claims", params(("id" = i64, Path)),
    responses((status = 200, description = "the file, in the type its bytes were recognised as", content(
        (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/pdf"),
        (String = "text/plain"), (String = "text/csv"))),
        (status = 404, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn download(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (file, bytes) = claims::open_attachment(&state.db, &state.settings.data_dir, &actor, id).await?;
    let ascii: String = file
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' })
        .collect();
    let encoded: String = file
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The OEM asks for the failed part back (the causal part unless `part_id` names another).
#[utoipa::path(post, path = "/api/v1/claims/{id}/part-returns", tag = "claims", params(("id" = i64, Path)), request_body = NewPartReturn,
    responses((status = 201, body = ClaimDto), (status = 403, body = app::model::error::ErrorBody), (status = 409, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn request_return(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<NewPartReturn>,
) -> Created {
    Ok((StatusCode::CREATED, Json(claims::request_part_return(&state.db, &actor, id, body).await?)))
}

/// `shipped` (dealer, with `tracking`), then `received` and `inspected` (OEM); answers the claim.
#[utoipa::path(patch, path = "/api/v1/part-returns/{id}", tag = "claims", params(("id" = i64, Path)), request_body = PartReturnPatch,
    responses((status = 200, body = ClaimDto), (status = 409, body = app::model::error::ErrorBody), (status = 422, body = app::model::error::ErrorBody)), security(("bearer" = [])))]
pub async fn update_return(
    State(state): State<AppState>,
    Authed(actor): Authed,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PartReturnPatch>,
) -> One {
    Ok(Json(claims::update_part_return(&state.db, &actor, id, body).await?))
}
