//! A product's economy: its yearly budget frame, set by the business manager or the
//! coordination group's chair, in force at once below N2 and once the board approves it at N2
//! and N3 (report 4.1.5).

use os2pm_persistence::DbConnection;
use os2pm_persistence::products as store;
use os2pm_products::ProductId;
use os2pm_products::frame_needs_board;
use os2pm_projects::{Approver, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::request::IfMatch;
use crate::usecases::Proposed;
use crate::usecases::approvals::{FrameProposal, Payload, open_approval};
use crate::usecases::products::change_product;

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"yearly_budget_frame_dkk": 600000, "reason": "Drift og videreudvikling 2027"}))]
pub struct BudgetFrameRequest {
    /// What the product may spend on further development in a budget year (DKK).
    #[validate(range(
        min = 0,
        max = 1_000_000_000_000_i64,
        message = "must be 0 to 1000000000000"
    ))]
    pub yearly_budget_frame_dkk: i64,
    /// Why, for the board's agenda.
    #[validate(length(max = 2000, message = "at most 2000 characters"))]
    pub reason: Option<String>,
}

/// Sets the product's yearly budget frame (business manager or the coordination group's
/// chair): in force at once below N2, else proposed to the board.
pub fn set_budget_frame(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    if_match: IfMatch,
    request: BudgetFrameRequest,
) -> Result<Proposed, ApiError> {
    let mut proposal = None;
    let changed = change_product(
        conn,
        caller,
        id,
        if_match,
        "budget_frame_proposed",
        request.reason.as_deref(),
        |conn, loaded| {
            if !loaded.steers(caller) {
                return Err(ApiError::Forbidden(
                    "only the business manager or the coordination group's chair sets the \
                     budget frame"
                        .into(),
                ));
            }
            let frame = request.yearly_budget_frame_dkk;
            if !frame_needs_board(loaded.level()) {
                store::set_budget_frame(conn, &loaded.product.project_id, frame)?;
                return Ok(());
            }
            let payload = Payload::BudgetFrame(FrameProposal {
                yearly_budget_frame_dkk: frame,
                reason: request.reason.clone(),
            });
            let opened = open_approval(
                conn,
                &loaded.project.record.project,
                loaded.level(),
                Subject::BudgetFrame,
                Approver::Board,
                Some(payload),
            )?;
            proposal = Some(opened.id);
            Ok(())
        },
    )?;
    Proposed::of(conn, changed, proposal)
}
