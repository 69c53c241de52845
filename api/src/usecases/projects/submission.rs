//! Submission for approval, and the check that says what is still missing.

use os2pm_levels::Gate;
use os2pm_persistence::DbConnection;
use os2pm_projects::{Action, ProjectId, Subject, approver_for};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, UnmetRequirement};
use crate::request::{Guarded, StoredReply};
use crate::usecases::approvals::open_approval;
use crate::usecases::projects::{Loaded, change_guarded};

/// What a submission now would meet.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionCheck {
    /// Whether a submission now would pass the approval gate.
    pub ready: bool,
    /// `forretningsleder` (N1) or `board` (N2/N3).
    pub approver: os2pm_projects::Approver,
    pub unmet_requirements: Vec<UnmetRequirement>,
}

/// What a submission now would meet, changing nothing.
pub fn check(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
) -> Result<SubmissionCheck, ApiError> {
    let loaded = Loaded::load(conn, id)?;
    loaded.check(Action::Submit, caller)?;
    let level = loaded.placed_level()?;
    let unmet = loaded.unmet(level, Gate::Approval);
    Ok(SubmissionCheck {
        ready: unmet.is_empty(),
        approver: approver_for(level),
        unmet_requirements: unmet,
    })
}

/// Submits a concept for approval (business manager): every approval-gate requirement of its
/// level and below must hold; the approval goes to whom the level says.
pub fn submit(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    change_guarded(
        conn,
        caller,
        write,
        Action::Submit,
        "submitted",
        |conn, loaded, project, _| {
            let level = loaded.placed_level()?;
            loaded.require(level, Gate::Approval)?;
            open_approval(
                conn,
                project,
                level,
                Subject::Project,
                approver_for(level),
                None,
            )?;
            Ok(None)
        },
    )
}
