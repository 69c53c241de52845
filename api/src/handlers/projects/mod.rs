//! `/api/v1/projects…`: ideas, their evidence, placement at a level, submission and history.

pub mod benefits;
pub mod budget;
pub mod coordination_group;
pub mod create;
pub mod edit;
pub mod evidence;
pub mod go_live;
pub mod history;
pub mod level_changes;
pub mod placement;
pub mod read;
pub mod reconsideration;
pub mod reports;
pub mod start;
pub mod steering_group;
pub mod submission;
