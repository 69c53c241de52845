//! `PUT /api/v1/projects/{id}/coordination-group`: the group that will follow the product.

use actix_web::{put, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IfMatch, Tagged, valid};
use crate::usecases::products::coordination::CoordinationGroupRequest;
use crate::usecases::projects::coordination;

/// Forms the coordination group of a running project (business manager or steering group
/// chair), ahead of go-live; it follows the product afterwards.
#[utoipa::path(
    operation_id = "formCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = CoordinationGroupRequest,
    responses(
        (status = 200, description = "The project with its coordination group", body = crate::usecases::projects::view::ProjectView),
        refusals::NotManagerOrChair,
        (status = 409, description = "Not running", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "A composition rule is broken (N3: a board member), unknown members, or a representative of another organisation than the member's", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/projects/{id}/coordination-group")]
pub async fn put_project_coordination_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    body: web::Json<CoordinationGroupRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let id = id.into_inner();
    let request = valid(body.into_inner())?;
    state
        .db(move |conn| coordination::set_coordination_group(conn, &caller, &id, if_match, request))
        .await
}
