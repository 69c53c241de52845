//! `PUT /api/v1/products/{id}/budget-frame`: the product's yearly budget frame.

use actix_web::{put, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IfMatch, valid};
use crate::usecases::Proposed;
use crate::usecases::approvals::ApprovalView;
use crate::usecases::products::ProductView;
use crate::usecases::products::budget_frame::{self, BudgetFrameRequest};

/// Sets the product's yearly budget frame: what it may spend on further development in a
/// budget year, against which change requests are routed (business manager or the coordination
/// group's chair). The product's economy is the board's at N2 and N3 (report 4.1.5): there the
/// frame is proposed, answered 202 with the board approval, and in force only once approved
/// (`proposed_budget_frame_dkk` until then); below N2 it is in force at once.
#[utoipa::path(
    operation_id = "setProductBudgetFrame",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = BudgetFrameRequest,
    responses(
        (status = 200, description = "In force: the product", body = ProductView),
        (status = 202, description = "Waiting for the board: the approval", body = ApprovalView),
        (status = 403, description = "Not the business manager or the coordination group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        (status = 409, description = "The product is closed, or a frame is already waiting for the board", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/products/{id}/budget-frame")]
pub async fn put_budget_frame(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    body: web::Json<BudgetFrameRequest>,
    if_match: IfMatch,
) -> Result<Proposed, ApiError> {
    let request = valid(body.into_inner())?;
    state
        .db(move |conn| budget_frame::set_budget_frame(conn, &caller, &id, if_match, request))
        .await
}
