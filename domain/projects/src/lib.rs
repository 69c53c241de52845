//! The initiative life cycle: ideas, placement, approval routing and decisions (DOMAIN.md §2, §7).
//!
//! Pure rules: which state allows which action for whom, where an approval goes, and when a
//! board vote is decided. The API asks these functions and stores what they answer.

pub mod decisions;
pub mod lifecycle;

pub use decisions::{Approver, Decision, Tally, Vote, approver_for, tally};
pub use lifecycle::{Action, Actor, Funding, Kind, LifecycleError, State};
