//! Pausing, resuming and cancelling a running project (governance.md §2).

use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_projects::{Action, Approver, ProjectId, Subject, cancellation_needs_board};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::request::IfMatch;
use crate::usecases::Proposed;
use crate::usecases::approvals::open_approval;
use crate::usecases::projects::{ProjectChange, change_project};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Afventer afklaring af databehandleraftale"}))]
pub struct ReconsiderRequest {
    /// Why: required to pause or cancel.
    pub reason: Option<String>,
}

/// Pauses, resumes or cancels a running project (governance.md §2, reconsideration): pausing
/// and cancelling need a reason; a cancellation at N2/N3 waits for the board.
pub fn reconsider(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    if_match: IfMatch,
    action: Action,
    request: ReconsiderRequest,
) -> Result<Proposed, ApiError> {
    let reason = request.reason.filter(|r| !r.trim().is_empty());
    if action != Action::Resume && reason.is_none() {
        return Err(ApiError::validation("reason", "say why"));
    }
    let audit_action = match action {
        Action::Pause => "paused",
        Action::Resume => "resumed",
        _ => "cancellation_requested",
    };
    let mut confirmation = None;
    let changed = change_project(
        conn,
        caller,
        ProjectChange {
            id,
            if_match,
            action,
            audit_action,
            reason: reason.as_deref(),
        },
        |conn, loaded, project, _| {
            let level = loaded.level().unwrap_or(Level::N1);
            if action == Action::Cancel && cancellation_needs_board(level) {
                let approval = open_approval(
                    conn,
                    project,
                    level,
                    Subject::Cancellation,
                    Approver::Board,
                    None,
                )?;
                confirmation = Some(approval.id);
            }
            Ok(None)
        },
    )?;
    Proposed::of(conn, changed, confirmation)
}
