//! `PATCH /api/v1/projects/{id}`: the owner edits its idea, the business manager a concept.

use actix_web::{patch, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IfMatch, Tagged};
use crate::usecases::projects::idea;
use crate::usecases::projects::idea::{IdeaChanges, ProjectPatch};
use crate::usecases::projects::view::ProjectView;

/// Edits an idea while it is `idea` or `returned` (owner organisation or business manager); a
/// `concept` only the business manager edits (or sends back to the owner).
#[utoipa::path(
    operation_id = "editIdea",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ProjectPatch,
    responses(
        (status = 200, description = "The edited project", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Neither the owner organisation nor the business manager; a concept: not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProject,
        (status = 409, description = "Not editable in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[patch("/api/v1/projects/{id}")]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    body: web::Json<ProjectPatch>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let changes = IdeaChanges::try_from(body.into_inner())?;
    state
        .db(move |conn| idea::edit_idea(conn, &caller, &id, if_match, changes))
        .await
}
