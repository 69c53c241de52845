//! The budget and business case of a project (governance.md §2, §4): proposed, approved by the
//! steering group's chair and, at N2/N3, also by the board.

use os2pm_levels::{Level, names};
use serde::{Deserialize, Serialize};

use crate::lifecycle::Funding;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    Proposed,
    /// Approved by the steering group's chair; waiting for the board (N2/N3).
    ChairApproved,
    Approved,
}

names!(BudgetStatus {
    Proposed => "proposed",
    ChairApproved => "chair_approved",
    Approved => "approved",
});

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error("OS2 funding is not possible at N1: an N1 project is funded locally")]
    Os2FundingAtN1,
    #[error("the period ends before it starts")]
    PeriodEndsBeforeStart,
    #[error("the budget is already approved")]
    AlreadyApproved,
    #[error("the budget waits for the board")]
    WaitingForBoard,
}

impl BudgetError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::Os2FundingAtN1 => "funding",
            Self::PeriodEndsBeforeStart => "period_end",
            Self::AlreadyApproved | Self::WaitingForBoard => "status",
        }
    }
}

/// Checks a proposed budget for a project at `level`.
pub fn check_budget<D: PartialOrd>(
    level: Level,
    funding: Funding,
    period_start: &D,
    period_end: &D,
) -> Vec<BudgetError> {
    let mut errors = Vec::new();
    if level.is_local() && funding != Funding::Local {
        errors.push(BudgetError::Os2FundingAtN1);
    }
    if period_end < period_start {
        errors.push(BudgetError::PeriodEndsBeforeStart);
    }
    errors
}

/// The key under which a missing budget approval blocks the start.
pub const BUDGET_APPROVED: &str = "budget_approved";

/// A project starts only with an approved budget (the chair's, and at N2/N3 the board's).
pub fn budget_blocks_start(status: Option<BudgetStatus>) -> bool {
    status != Some(BudgetStatus::Approved)
}

impl BudgetStatus {
    /// The chair's approval: final at N1; at N2/N3 the board decides next.
    pub fn approve_by_chair(self, level: Level) -> Result<BudgetStatus, BudgetError> {
        match self {
            Self::Proposed if level.is_local() => Ok(Self::Approved),
            Self::Proposed => Ok(Self::ChairApproved),
            Self::ChairApproved => Err(BudgetError::WaitingForBoard),
            Self::Approved => Err(BudgetError::AlreadyApproved),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os2_funding_is_refused_at_n1_only() {
        assert_eq!(
            check_budget(Level::N1, Funding::Os2, &1, &2),
            [BudgetError::Os2FundingAtN1]
        );
        assert_eq!(
            check_budget(Level::N1, Funding::Mixed, &1, &2),
            [BudgetError::Os2FundingAtN1]
        );
        assert_eq!(check_budget(Level::N1, Funding::Local, &1, &2), []);
        assert_eq!(check_budget(Level::N2, Funding::Os2, &1, &2), []);
        assert_eq!(
            check_budget(Level::N3, Funding::Mixed, &2, &1),
            [BudgetError::PeriodEndsBeforeStart]
        );
    }

    #[test]
    fn only_an_approved_budget_lets_the_project_start() {
        assert!(budget_blocks_start(None));
        assert!(budget_blocks_start(Some(BudgetStatus::Proposed)));
        assert!(budget_blocks_start(Some(BudgetStatus::ChairApproved)));
        assert!(!budget_blocks_start(Some(BudgetStatus::Approved)));
    }

    #[test]
    fn the_chair_approves_and_at_n2_n3_the_board_follows() {
        assert_eq!(
            BudgetStatus::Proposed.approve_by_chair(Level::N1),
            Ok(BudgetStatus::Approved)
        );
        assert_eq!(
            BudgetStatus::Proposed.approve_by_chair(Level::N2),
            Ok(BudgetStatus::ChairApproved)
        );
        assert_eq!(
            BudgetStatus::Proposed.approve_by_chair(Level::N3),
            Ok(BudgetStatus::ChairApproved)
        );
        assert_eq!(
            BudgetStatus::ChairApproved.approve_by_chair(Level::N2),
            Err(BudgetError::WaitingForBoard)
        );
        assert_eq!(
            BudgetStatus::Approved.approve_by_chair(Level::N1),
            Err(BudgetError::AlreadyApproved)
        );
    }

    #[test]
    fn a_one_day_period_is_a_period_and_each_error_names_its_field() {
        let day = 20_270_101;
        assert_eq!(check_budget(Level::N2, Funding::Os2, &day, &day), []);
        assert_eq!(
            check_budget(Level::N2, Funding::Os2, &day, &(day - 1)),
            [BudgetError::PeriodEndsBeforeStart]
        );
        let cases = [
            (BudgetError::Os2FundingAtN1, "funding"),
            (BudgetError::PeriodEndsBeforeStart, "period_end"),
            (BudgetError::AlreadyApproved, "status"),
            (BudgetError::WaitingForBoard, "status"),
        ];
        for (error, field) in cases {
            assert_eq!(error.field(), field, "{error}");
        }
    }
}
