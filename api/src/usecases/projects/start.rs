//! The start: an approved project with its start requirements met and its budget approved.

use os2pm_levels::{Gate, Level};
use os2pm_persistence::DbConnection;
use os2pm_projects::{Action, BUDGET_APPROVED, budget_blocks_start};

use crate::error::UnmetRequirement;
use crate::request::{Guarded, StoredReply};
use crate::usecases::projects::{Loaded, change_guarded, unmet_refused};
use crate::usecases::{ApiError, Caller};

/// The start-gate blockers: catalogue requirements due by `start`, and an approved budget.
pub(crate) fn start_blockers(loaded: &Loaded, level: Level) -> Vec<UnmetRequirement> {
    let mut unmet = loaded.unmet(level, Gate::Start);
    let status = loaded.budget.as_ref().map(|b| b.status);
    if budget_blocks_start(status) {
        unmet.push(UnmetRequirement {
            key: BUDGET_APPROVED.into(),
            level: level.to_string(),
            gate: Gate::Start.to_string(),
            title_da:
                "Budgettet er godkendt (af styregruppens formand; for N2 og N3 også af bestyrelsen)"
                    .into(),
            title_en:
                "The budget is approved (by the steering group's chair; at N2/N3 also the board)"
                    .into(),
        });
    }
    unmet
}

/// Starts an approved project: every `start`-gate requirement must hold, the approved budget
/// included.
pub fn start(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    change_guarded(
        conn,
        caller,
        write,
        Action::Start,
        "started",
        |_, loaded, _, _| {
            unmet_refused(start_blockers(loaded, loaded.level().unwrap_or(Level::N1)))?;
            Ok(None)
        },
    )
}
