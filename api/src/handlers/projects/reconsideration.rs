//! `POST /api/v1/projects/{id}/{pause,resume,cancel}`: reconsidering a running project.

use actix_web::{post, web};
use os2pm_projects::{Action, ProjectId};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::IfMatch;
use crate::usecases::Proposed;
use crate::usecases::approvals::ApprovalView;
use crate::usecases::projects::reconsideration;
use crate::usecases::projects::reconsideration::ReconsiderRequest;

/// What pausing, resuming and cancelling extract alike.
type Reconsideration = (
    web::Data<AppState>,
    Caller,
    web::Path<ProjectId>,
    IfMatch,
    web::Json<ReconsiderRequest>,
);

/// Pauses, resumes or cancels a running project.
async fn reconsider(
    (state, caller, id, if_match, body): Reconsideration,
    action: Action,
) -> Result<Proposed, ApiError> {
    let request = body.into_inner();
    state
        .db(move |conn| reconsideration::reconsider(conn, &caller, &id, if_match, action, request))
        .await
}

/// Pauses a running project (business manager or steering group chair), with a reason.
#[utoipa::path(
    operation_id = "pauseProject",
    tag = "running",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ReconsiderRequest,
    responses(
        (status = 200, description = "The project, `paused`", body = crate::usecases::projects::view::ProjectView),
        refusals::NotManagerOrChair,
        (status = 409, description = "Not in progress", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/pause")]
pub async fn pause(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    body: web::Json<ReconsiderRequest>,
    if_match: IfMatch,
) -> Result<Proposed, ApiError> {
    reconsider((state, caller, id, if_match, body), Action::Pause).await
}

/// Resumes a paused project (business manager or steering group chair).
#[utoipa::path(
    operation_id = "resumeProject",
    tag = "running",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ReconsiderRequest,
    responses(
        (status = 200, description = "The project, `in_progress`", body = crate::usecases::projects::view::ProjectView),
        refusals::NotManagerOrChair,
        (status = 409, description = "Not paused", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    body: web::Json<ReconsiderRequest>,
    if_match: IfMatch,
) -> Result<Proposed, ApiError> {
    reconsider((state, caller, id, if_match, body), Action::Resume).await
}

/// Cancels a running project (steering group chair), with a reason. At N1 at once; at N2/N3
/// the board confirms it (202 with the approval).
#[utoipa::path(
    operation_id = "cancelProject",
    tag = "running",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ReconsiderRequest,
    responses(
        (status = 200, description = "The project, `cancelled` (N1)", body = crate::usecases::projects::view::ProjectView),
        (status = 202, description = "Waiting for the board (N2/N3): the approval", body = ApprovalView),
        (status = 403, description = "Not the steering group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not running, or a cancellation is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    body: web::Json<ReconsiderRequest>,
    if_match: IfMatch,
) -> Result<Proposed, ApiError> {
    reconsider((state, caller, id, if_match, body), Action::Cancel).await
}
