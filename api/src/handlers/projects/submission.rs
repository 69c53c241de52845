//! `POST /api/v1/projects/{id}/submission`: a concept goes for approval (or a dry run says what
//! is missing).

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, IfMatch, StoredReply};
use crate::usecases::projects::submission;
use crate::usecases::projects::view::ProjectView;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// Only check the requirements; change nothing.
    pub dry_run: Option<bool>,
}

/// Submits a concept for approval (business manager): every approval-gate requirement of its
/// level and below must hold. The approval goes to the business manager (N1) or the board.
#[utoipa::path(
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), SubmissionQuery,
        ("If-Match" = String, Header, description = "The project's ETag (not needed for a dry run)"),
        ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "Submitted (the project, now `awaiting_approval`), or the dry run's check", body = ProjectView, headers(("ETag" = String))),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProject,
        (status = 409, description = "Not a concept", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Requirements not met: `unmet_requirements` lists each", body = ProblemSchema, content_type = "application/problem+json",
            example = json!({"type": "/problems/unmet-requirements", "title": "Requirements are not met", "status": 422,
                "detail": "1 requirement(s) are not met",
                "unmet_requirements": [{"key": "idea_described", "level": "N1", "gate": "approval", "title": "The basic idea is described"}]})),
    )
)]
#[post("/api/v1/projects/{id}/submission")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<SubmissionQuery>,
    request: HttpRequest,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    if query.dry_run.unwrap_or(false) {
        let check = state
            .db(move |conn| submission::check(conn, &caller, &id))
            .await?;
        return Ok(HttpResponse::Ok().json(check));
    }
    let if_match = IfMatch::from_request_headers(&request)?;
    state
        .db(move |conn| submission::submit(conn, &caller, &id, if_match, idempotency_key))
        .await
        .map(StoredReply::into_response)
}
