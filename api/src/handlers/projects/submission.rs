//! `/api/v1/projects/{id}/submission`: what a submission now would meet (GET), and the
//! submission itself (POST): a concept goes for approval.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Guarded, StoredReply};
use crate::usecases::projects::submission::{self, SubmissionCheck};
use crate::usecases::projects::view::ProjectView;

/// What a submission now would meet, changing nothing (business manager): whether the
/// approval gate holds, every unmet requirement, and who would decide.
#[utoipa::path(
    operation_id = "checkSubmission",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path)),
    responses(
        (status = 200, description = "The check", body = SubmissionCheck),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProject,
        (status = 409, description = "Not a concept", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/projects/{id}/submission")]
pub async fn check_submission(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
) -> Result<HttpResponse, ApiError> {
    let check = state
        .db(move |conn| submission::check(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(check))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// Gone: `GET` this path checks without changing anything. Sent with any value, the
    /// submission is refused (422) rather than made.
    pub dry_run: Option<String>,
}

/// Submits a concept for approval (business manager): every approval-gate requirement of its
/// level and below must hold. The approval goes to the business manager (N1) or the board.
#[utoipa::path(
    operation_id = "submitProject",
    tag = "projects",
    security(("bearer" = [])),
    params(Guarded, SubmissionQuery),
    responses(
        (status = 200, description = "Submitted: the project, now `awaiting_approval`", body = ProjectView, headers(("ETag" = String))),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProject,
        (status = 409, description = "Not a concept", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Requirements not met: `unmet_requirements` lists each; or `dry_run` sent", body = ProblemSchema, content_type = "application/problem+json",
            example = json!({"type": "/problems/unmet-requirements", "title": "Requirements are not met", "status": 422,
                "detail": "1 requirement(s) are not met",
                "unmet_requirements": [{"key": "idea_described", "level": "N1", "gate": "approval", "title_da": "Ideen er beskrevet", "title_en": "The basic idea is described"}]})),
    )
)]
#[post("/api/v1/projects/{id}/submission")]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SubmissionQuery>,
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    if query.dry_run.is_some() {
        return Err(ApiError::validation(
            "dry_run",
            "a dry run is `GET /api/v1/projects/{id}/submission` now; nothing was submitted",
        ));
    }
    state
        .db(move |conn| submission::submit(conn, &caller, write))
        .await
}
