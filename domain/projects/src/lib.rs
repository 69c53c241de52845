//! The initiative life cycle: ideas, placement, approval routing and decisions (governance.md §2, §7).
//!
//! Pure rules: which state allows which action for whom, where an approval goes, and when a
//! board vote is decided. The API asks these functions and stores what they answer.

pub mod benefits;
pub mod budget;
pub mod decisions;
pub mod economy;
pub mod lifecycle;
pub mod meetings;
pub mod priorities;
pub mod reports;

os2pm_levels::id!(ProjectId: "A project's id (a UUID), given when its idea was submitted.");
os2pm_levels::id!(BenefitId: "An expected benefit's id (a UUID).");
os2pm_levels::id!(ApprovalId: "An approval's id (a UUID): one decision asked for, by the business manager or the board.");

pub use budget::{BUDGET_APPROVED, BudgetError, BudgetStatus, budget_blocks_start, check_budget};
pub use decisions::{
    ApprovalState, Approver, Decision, Subject, Tally, Vote, approver_for,
    cancellation_needs_board, inbox, tally,
};
pub use lifecycle::{Action, Actor, Decided, Funding, Kind, LifecycleError, State};
pub use reports::{Rag, ReportError, check_report};
