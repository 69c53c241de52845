//! `/api/v1/products/{id}/coordination-group…` and `…/coordination-groups/{key}`: a product's
//! coordination groups (one or more), and organisations joining and leaving them.

use actix_web::{delete, post, put, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IfMatch, Tagged, valid};
use crate::usecases::products::coordination::{CoordinationGroupRequest, JoinRequest};
use crate::usecases::products::{ProductView, coordination};
use os2pm_groups::coordination::MAIN_GROUP;

/// Sets the product's main coordination group (business manager or the group's chair), the
/// same as `PUT …/coordination-groups/main`. At N3 a board member must stay in it, on every
/// change.
#[utoipa::path(
    operation_id = "replaceProductCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("If-Match" = String, Header, description = "The product's ETag")),
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
    id: web::Path<ProductId>,
    body: web::Json<CoordinationGroupRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let id = id.into_inner();
    let request = valid(body.into_inner())?;
    state
        .db(move |conn| coordination::set_group(conn, &caller, &id, MAIN_GROUP, if_match, request))
        .await
}

/// Forms or changes one of the product's coordination groups, named by its key (report 4.1.5:
/// "en eller flere koordinationsgrupper for hvert produkt"), each with its own members and
/// chair: the business manager, the main group's chair, or that group's chair. A new key forms
/// a further group. At N3 each group has a board member, on every change.
#[utoipa::path(
    operation_id = "putProductCoordinationGroupByKey",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("key" = String, Path, description = "The group's key: 1 to 40 of a-z, 0-9 and -; `main` for the main group", example = "skole"),
        ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = CoordinationGroupRequest,
    responses(
        (status = 200, description = "The product with its groups", body = ProductView),
        (status = 403, description = "Neither business manager nor a chair that may change it", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        refusals::ProductClosed,
        (status = 422, description = "A malformed key, a composition rule broken, unknown members, or a representative of another organisation than the member's", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/products/{id}/coordination-groups/{key}")]
pub async fn put_coordination_group_by_key(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ProductId, String)>,
    body: web::Json<CoordinationGroupRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let (id, key) = path.into_inner();
    let request = valid(body.into_inner())?;
    state
        .db(move |conn| coordination::set_group(conn, &caller, &id, &key, if_match, request))
        .await
}

/// Disbands a further coordination group of the product (business manager). The main group
/// stays while the product lives.
#[utoipa::path(
    operation_id = "disbandProductCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("key" = String, Path, description = "The group's key", example = "skole"),
        ("If-Match" = String, Header, description = "The product's ETag")),
    responses(
        (status = 200, description = "The product with its remaining groups", body = ProductView),
        refusals::NotTheBusinessManager,
        (status = 404, description = "No such product, or no such group", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The main group, or the product is closed", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[delete("/api/v1/products/{id}/coordination-groups/{key}")]
pub async fn disband_coordination_group(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ProductId, String)>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let (id, key) = path.into_inner();
    state
        .db(move |conn| coordination::disband(conn, &caller, &id, &key, if_match))
        .await
}

/// Joins a coordination group (the main group unless `group` names another) for the caller's
/// own organisation: any organisation using the product may, voluntarily.
#[utoipa::path(
    operation_id = "joinCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = JoinRequest,
    responses(
        (status = 200, description = "The product with its group", body = ProductView),
        (status = 403, description = "Not a municipality user or integration acting for an organisation", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        (status = 409, description = "Already a member, or the product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown representative, one of another organisation, or no such group", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/coordination-group/members")]
pub async fn join(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    body: web::Json<JoinRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let request = body.into_inner();
    state
        .db(move |conn| coordination::join(conn, &caller, &id, if_match, request))
        .await
}

/// Leaves every coordination group of the product for the caller's own organisation. Refused
/// when it would break a group's rules (the chair's organisation, the last member, at N3 the
/// last board member).
#[utoipa::path(
    operation_id = "leaveCoordinationGroup",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("organization" = String, Path, description = "The caller's own organisation"),
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
    path: web::Path<(ProductId, String)>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let (id, org) = path.into_inner();
    state
        .db(move |conn| coordination::leave(conn, &caller, &id, if_match, org))
        .await
}
