//! `POST /api/v1/projects/{id}/send-back`: the business manager sends a concept back to the owner.

use actix_web::{post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Guarded, StoredReply};
use crate::usecases::projects::send_back::{self as usecase, SendBack, SendBackRequest};
use crate::usecases::projects::view::ProjectView;

/// Sends a concept back to the idea stage (*tilbageløb* before the board; business manager),
/// with a reason the owner sees as `return_reason`. The project is `returned`: the owner edits
/// it, and the business manager places it again.
#[utoipa::path(
    operation_id = "sendProjectBack",
    tag = "projects",
    security(("bearer" = [])),
    params(Guarded),
    request_body = SendBackRequest,
    responses(
        (status = 200, description = "The project, `returned`", body = ProjectView, headers(("ETag" = String))),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProject,
        (status = 409, description = "Not a concept: an idea is not placed yet, and a submitted one is returned by its approver", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/send-back")]
pub async fn send_back(
    state: web::Data<AppState>,
    caller: Caller,
    write: Guarded,
    body: web::Json<SendBackRequest>,
) -> Result<StoredReply, ApiError> {
    let request = SendBack::try_from(body.into_inner())?;
    state
        .db(move |conn| usecase::send_back(conn, &caller, write, request))
        .await
}
