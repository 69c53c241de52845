//! `PUT /api/v1/products/{id}/steering-group`: the product's steering group.

use actix_web::{put, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::IfMatch;
use crate::usecases::Proposed;
use crate::usecases::approvals::ApprovalView;
use crate::usecases::products::ProductView;
use crate::usecases::products::steering;
use crate::usecases::projects::steering::SteeringGroupRequest;

/// Sets the product's steering group (business manager): the group its project had, carried on
/// after go-live. As for a project, N1 takes effect at once; at N2 the board approves it and at
/// N3 appoints it, board members holding the majority, so those answer 202 with the approval.
/// Its level's requirements read it: an N2 product climbs to N3 with a board-appointed group.
#[utoipa::path(
    operation_id = "proposeProductSteeringGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = SteeringGroupRequest,
    responses(
        (status = 200, description = "In force: the product", body = ProductView),
        (status = 202, description = "Waiting for the board: the approval", body = ApprovalView),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProduct,
        refusals::ProductClosed,
        (status = 422, description = "A composition rule is broken (named; a seat of an organisation outside the project included), unknown people/organisations, or a representative of another organisation than the seat's", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/products/{id}/steering-group")]
pub async fn put_product_steering_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    body: web::Json<SteeringGroupRequest>,
    if_match: IfMatch,
) -> Result<Proposed, ApiError> {
    let request = body.into_inner();
    state
        .db(move |conn| steering::set_steering_group(conn, &caller, &id, if_match, request))
        .await
}
