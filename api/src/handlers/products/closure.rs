//! `POST /api/v1/products/{id}/closure`: proposing to close a product; the board decides.

use actix_web::{post, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::approvals::ApprovalView;
use crate::usecases::products::closure;
use crate::usecases::products::closure::ClosureRequest;

/// Proposes closing a product whose requirements turn out not to be met (business manager);
/// the board decides. A closed product is read-only.
#[utoipa::path(
    operation_id = "proposeProductClosure",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ClosureRequest,
    responses(
        (status = 201, description = "The board approval", body = ApprovalView),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProduct,
        (status = 409, description = "Closed already, or a closure is pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/closure")]
pub async fn propose_closure(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<ClosureRequest>,
) -> Result<StoredReply, ApiError> {
    let request = body.into_inner();
    state
        .db(move |conn| closure::propose_closure(conn, &caller, &id, idempotency_key, request))
        .await
}
