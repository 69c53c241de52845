//! `PUT /api/v1/projects/{id}/steering-group`: the project's steering group.

use actix_web::{put, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::IfMatch;
use crate::usecases::Proposed;
use crate::usecases::approvals::ApprovalView;
use crate::usecases::projects::steering;
use crate::usecases::projects::steering::SteeringGroupRequest;

/// Sets the steering group (business manager). N1 takes effect at once; at N2 the board
/// approves the composition and at N3 appoints it (board members must hold a majority of the
/// seats), so those answer 202 with the approval. Replacing an organisation's representative
/// keeps its seat and needs no new approval.
#[utoipa::path(
    operation_id = "proposeSteeringGroup",
    tag = "running",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = SteeringGroupRequest,
    responses(
        (status = 200, description = "In force: the project", body = crate::usecases::projects::view::ProjectView),
        (status = 202, description = "Waiting for the board: the approval", body = ApprovalView),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProject,
        (status = 409, description = "Not approved or running, or a proposal is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "A composition rule is broken (named; a seat of an organisation outside the project included), unknown people/organisations, or a representative of another organisation than the seat's", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/projects/{id}/steering-group")]
pub async fn put_steering_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    body: web::Json<SteeringGroupRequest>,
    if_match: IfMatch,
) -> Result<Proposed, ApiError> {
    let request = body.into_inner();
    state
        .db(move |conn| steering::set_steering_group(conn, &caller, &id, if_match, request))
        .await
}
