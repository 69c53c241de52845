//! `/api/v1/portfolio…`: the overview, the decision log, the reporting duty and the board's
//! priorities.

pub mod overdue_reports;
pub mod overview;
pub mod priorities;
