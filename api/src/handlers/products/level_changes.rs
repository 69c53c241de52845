//! `POST /api/v1/products/{id}/level-changes`: proposing another level for a product.

use actix_web::{post, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::approvals::ApprovalView;
use crate::usecases::products::level_change;
use crate::usecases::products::level_change::{LevelChange, LevelChangeRequest};

/// Proposes moving a product to another level (business manager or coordination group chair);
/// the board decides.
#[utoipa::path(
    operation_id = "proposeProductLevelChange",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = LevelChangeRequest,
    responses(
        (status = 201, description = "The board approval", body = ApprovalView),
        (status = 403, description = "Neither business manager nor the coordination group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        (status = 409, description = "Closed, or a level change is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "The same level, no reason, or the target level's requirements unmet (listed)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/level-changes")]
pub async fn product_level_change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<LevelChangeRequest>,
) -> Result<StoredReply, ApiError> {
    let change = LevelChange::try_from(body.into_inner())?;
    state
        .db(move |conn| {
            level_change::propose_for_product(conn, &caller, &id, idempotency_key, change)
        })
        .await
}
