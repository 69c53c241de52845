//! `POST /api/v1/projects`: a municipality submits an idea.

use actix_web::{post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::projects::idea;
use crate::usecases::projects::idea::{NewIdea, NewProjectRequest};
use crate::usecases::projects::view::ProjectView;

/// Submits an idea for the caller's own organisation.
#[utoipa::path(
    operation_id = "submitIdea",
    tag = "projects",
    security(("bearer" = [])),
    request_body = NewProjectRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body return the first response and create nothing")),
    responses(
        (status = 201, description = "The idea, in state `idea`", body = ProjectView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not a municipality user or integration, or not for the caller's own organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each listed), unknown organisations, or an Idempotency-Key reused", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewProjectRequest>,
) -> Result<StoredReply, ApiError> {
    let idea = NewIdea::try_from(body.into_inner())?;
    let directory = state.organizations.clone();
    state
        .db(move |conn| idea::submit_idea(conn, &directory, &caller, idempotency_key, idea))
        .await
}
