//! `POST /api/v1/projects/{id}/start`: an approved project starts.

use actix_web::{HttpResponse, post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, IfMatch, StoredReply};
use crate::usecases::projects::start as usecase;

/// Starts an approved project (business manager or steering group chair): every `start`-gate
/// requirement must hold, including the derived ones and the approved budget.
#[utoipa::path(
    operation_id = "startProject",
    tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag"),
        ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The project, `in_progress`", body = crate::usecases::projects::view::ProjectView),
        refusals::NotManagerOrChair,
        refusals::NoSuchProject,
        (status = 409, description = "Not approved", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Start-gate requirements unmet, each listed", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/start")]
pub async fn start(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    state
        .db(move |conn| usecase::start(conn, &caller, &id, if_match, idempotency_key))
        .await
        .map(StoredReply::into_response)
}
