//! `/api/v1/board…`: the board's roster and its meetings.

pub mod meetings;
pub mod members;
