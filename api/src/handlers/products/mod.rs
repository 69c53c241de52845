//! `/api/v1/products…`: products, their coordination groups, level changes, closing, change
//! requests, evaluations, self-assessments and publiccode.yml.

pub mod change_requests;
pub mod closure;
pub mod coordination_group;
pub mod evaluations;
pub mod level_changes;
pub mod publiccode;
pub mod read;
pub mod self_assessments;
