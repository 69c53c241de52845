//! Proposing to close a product whose requirements turn out not to be met.

use os2pm_persistence::DbConnection;
use os2pm_persistence::projects as project_store;
use os2pm_products::ProductId;
use os2pm_projects::{Approver, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::approvals::{ClosureReason, Payload, open_approval};
use crate::usecases::products::LoadedProduct;
use crate::usecases::products::level_change::approval_answer;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Databehandleraftaler mangler; lovligheden kan ikke dokumenteres"}))]
pub struct ClosureRequest {
    pub reason: String,
}

/// Proposes closing a product; the board decides.
pub fn propose_closure(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    idempotency_key: IdempotencyKey,
    request: ClosureRequest,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    if request.reason.trim().is_empty() {
        return Err(ApiError::validation("reason", "say why"));
    }
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        let loaded = LoadedProduct::load(conn, id)?;
        loaded.check_open()?;
        let project = project_store::find(conn, &loaded.product.project_id)?.project;
        let payload = Payload::Closure(ClosureReason {
            reason: request.reason.clone(),
        });
        let approval = open_approval(
            conn,
            &project,
            loaded.level(),
            Subject::Closure,
            Approver::Board,
            Some(payload),
        )?;
        approval_answer(conn, approval)
    })
}
