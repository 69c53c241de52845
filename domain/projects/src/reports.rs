//! Progress and economy reports (governance.md §6): a red/amber/green status, with a reason when
//! it is not green.

use os2pm_levels::names;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

names!(Rag { Green => "green", Amber => "amber", Red => "red" });

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("an amber or red status needs a reason")]
    ReasonRequired,
    #[error("the period ends before it starts")]
    PeriodEndsBeforeStart,
    #[error("amounts are whole kroner, not negative")]
    NegativeAmount,
}

impl ReportError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::ReasonRequired => "status_reason",
            Self::PeriodEndsBeforeStart => "period_end",
            Self::NegativeAmount => "spent_dkk",
        }
    }
}

/// Checks a report's status, period and amounts.
pub fn check_report<D: PartialOrd>(
    status: Rag,
    reason: Option<&str>,
    period: (&D, &D),
    amounts: &[i64],
) -> Vec<ReportError> {
    let mut errors = Vec::new();
    if status != Rag::Green && reason.is_none_or(|r| r.trim().is_empty()) {
        errors.push(ReportError::ReasonRequired);
    }
    if period.1 < period.0 {
        errors.push(ReportError::PeriodEndsBeforeStart);
    }
    if amounts.iter().any(|a| *a < 0) {
        errors.push(ReportError::NegativeAmount);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amber_and_red_need_a_reason() {
        assert_eq!(check_report(Rag::Green, None, (&1, &2), &[0]), []);
        assert_eq!(
            check_report(Rag::Amber, None, (&1, &2), &[0]),
            [ReportError::ReasonRequired]
        );
        assert_eq!(
            check_report(Rag::Red, Some(" "), (&1, &2), &[0]),
            [ReportError::ReasonRequired]
        );
        assert_eq!(
            check_report(Rag::Red, Some("Forsinket"), (&1, &2), &[0]),
            []
        );
    }

    #[test]
    fn periods_and_amounts_are_checked() {
        assert_eq!(
            check_report(Rag::Green, None, (&2, &1), &[5, -1]),
            [
                ReportError::PeriodEndsBeforeStart,
                ReportError::NegativeAmount
            ]
        );
    }

    #[test]
    fn a_one_day_report_with_amounts_of_zero_or_more_passes() {
        let day = 20_270_101;
        assert_eq!(
            check_report(Rag::Green, None, (&day, &day), &[0, 1_200_000]),
            []
        );
        assert_eq!(
            check_report(Rag::Green, None, (&day, &day), &[350_000, -1]),
            [ReportError::NegativeAmount]
        );
        let cases = [
            (ReportError::ReasonRequired, "status_reason"),
            (ReportError::PeriodEndsBeforeStart, "period_end"),
            (ReportError::NegativeAmount, "spent_dkk"),
        ];
        for (error, field) in cases {
            assert_eq!(error.field(), field, "{error}");
        }
    }
}
