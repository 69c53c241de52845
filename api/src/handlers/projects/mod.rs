//! `/api/v1/projects…`: ideas, their evidence, placement at a level, submission and history.

pub mod budget;
pub mod create;
pub mod edit;
pub mod evidence;
pub mod history;
pub mod placement;
pub mod read;
pub mod reconsideration;
pub mod reports;
pub mod start;
pub mod steering_group;
pub mod submission;
