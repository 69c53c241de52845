//! `/api/v1/products/{id}/coordination-group…`: a product's coordination group, and organisations
//! joining and leaving it.

use actix_web::{delete, post, put, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IfMatch, Tagged, valid};
use crate::usecases::products::coordination::{CoordinationGroupRequest, JoinRequest};
use crate::usecases::products::{ProductView, coordination};

/// Sets the product's coordination group (business manager or the group's chair). At N3 a
/// board member must stay in it, on every change.
#[utoipa::path(
    operation_id = "replaceProductCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = CoordinationGroupRequest,
    responses(
        (status = 200, description = "The product", body = ProductView),
        (status = 403, description = "Neither business manager nor the group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        refusals::ProductClosed,
        (status = 422, description = "A composition rule is broken, unknown members, or a representative of another organisation than the member's", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/products/{id}/coordination-group")]
pub async fn put_product_coordination_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<CoordinationGroupRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let id = id.into_inner();
    let request = valid(body.into_inner())?;
    state
        .db(move |conn| coordination::set_group(conn, &caller, &id, if_match, request))
        .await
}

/// Joins the coordination group for the caller's own organisation: any organisation using the
/// product may, voluntarily.
#[utoipa::path(
    operation_id = "joinCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = JoinRequest,
    responses(
        (status = 200, description = "The product with its group", body = ProductView),
        (status = 403, description = "Not a municipality user or integration acting for an organisation", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        (status = 409, description = "Already a member, or the product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown representative, or one of another organisation", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/coordination-group/members")]
pub async fn join(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<JoinRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let representative = body.into_inner().representative;
    state
        .db(move |conn| coordination::join(conn, &caller, &id, if_match, representative))
        .await
}

/// Leaves the coordination group for the caller's own organisation. Refused when it would
/// break the group's rules (the chair's organisation, the last member, at N3 the last board
/// member).
#[utoipa::path(
    operation_id = "leaveCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("organization" = String, Path, description = "The caller's own organisation"),
        ("If-Match" = String, Header, description = "The product's ETag")),
    responses(
        (status = 200, description = "The product with its group", body = ProductView),
        (status = 403, description = "Not acting for that organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product, or not a member", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::ProductClosed,
        (status = 422, description = "Leaving would break a rule of the group (named)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[delete("/api/v1/products/{id}/coordination-group/members/{organization}")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let (id, org) = path.into_inner();
    state
        .db(move |conn| coordination::leave(conn, &caller, &id, if_match, org))
        .await
}
