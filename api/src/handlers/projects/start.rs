//! `POST /api/v1/projects/{id}/start`: an approved project starts.

use actix_web::{post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Guarded, StoredReply};
use crate::usecases::projects::start as usecase;

/// Starts an approved project (business manager or steering group chair): every `start`-gate
/// requirement must hold, including the derived ones and the approved budget.
#[utoipa::path(
    operation_id = "startProject",
    tag = "running",
    security(("bearer" = [])),
    params(Guarded),
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
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    state
        .db(move |conn| usecase::start(conn, &caller, write))
        .await
}
