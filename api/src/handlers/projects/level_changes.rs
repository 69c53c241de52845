//! `POST /api/v1/projects/{id}/level-changes`: proposing another level for a project.

use actix_web::{post, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::approvals::ApprovalView;
use crate::usecases::products::level_change;
use crate::usecases::products::level_change::{LevelChange, LevelChangeRequest};

/// Proposes moving a running (or approved) project to another level (business manager); the
/// board decides.
#[utoipa::path(
    operation_id = "proposeProjectLevelChange",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = LevelChangeRequest,
    responses(
        (status = 201, description = "The board approval", body = ApprovalView),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProject,
        (status = 409, description = "Not approved or running, or a level change is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "The same level, no reason, or the target level's requirements unmet (listed)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/level-changes")]
pub async fn project_level_change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<LevelChangeRequest>,
) -> Result<StoredReply, ApiError> {
    let change = LevelChange::try_from(body.into_inner())?;
    state
        .db(move |conn| {
            level_change::propose_for_project(conn, &caller, &id, idempotency_key, change)
        })
        .await
}
