//! Benefits realisation (governance.md §6): the benefits expected at approval, measured later and
//! shown against the expectation.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BenefitError {
    #[error("the target equals the baseline: there is nothing to realise")]
    TargetIsBaseline,
    #[error("a value is a finite number")]
    NotFinite,
}

impl BenefitError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::TargetIsBaseline => "target",
            Self::NotFinite => "value",
        }
    }
}

/// Checks an expected benefit.
pub fn check_benefit(baseline: f64, target: f64) -> Result<(), BenefitError> {
    if !baseline.is_finite() || !target.is_finite() {
        return Err(BenefitError::NotFinite);
    }
    if (target - baseline).abs() < f64::EPSILON {
        return Err(BenefitError::TargetIsBaseline);
    }
    Ok(())
}

/// How much of the way from baseline to target a measurement has come: 0 at the baseline,
/// 1 at the target (more when it overshoots, less than 0 when it went the wrong way).
pub fn realised(baseline: f64, target: f64, measured: f64) -> f64 {
    (measured - baseline) / (target - baseline)
}

/// A benefit is past due when its due date has passed without any measurement.
pub fn past_due_without_measurement(due: NaiveDate, today: NaiveDate, measured: bool) -> bool {
    today > due && !measured
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realisation_runs_from_baseline_to_target_in_either_direction() {
        assert!((realised(100.0, 200.0, 150.0) - 0.5).abs() < 1e-9);
        // Fewer hours is better: baseline 40, target 20, measured 30 is half way.
        assert!((realised(40.0, 20.0, 30.0) - 0.5).abs() < 1e-9);
        assert!(realised(40.0, 20.0, 45.0) < 0.0);
    }

    #[test]
    fn a_target_must_differ_from_the_baseline() {
        assert_eq!(check_benefit(1.0, 1.0), Err(BenefitError::TargetIsBaseline));
        assert_eq!(check_benefit(f64::NAN, 1.0), Err(BenefitError::NotFinite));
        assert_eq!(check_benefit(1.0, 2.0), Ok(()));
    }

    #[test]
    fn past_due_means_after_the_due_date_and_never_measured() {
        let due: NaiveDate = "2027-06-30".parse().unwrap_or_default();
        let after: NaiveDate = "2027-07-01".parse().unwrap_or_default();
        assert!(past_due_without_measurement(due, after, false));
        assert!(!past_due_without_measurement(due, after, true));
        assert!(!past_due_without_measurement(due, due, false));
    }

    #[test]
    fn each_error_names_its_request_field_and_any_real_difference_is_a_target() {
        assert_eq!(BenefitError::TargetIsBaseline.field(), "target");
        assert_eq!(BenefitError::NotFinite.field(), "value");
        // The smallest step away from the baseline is still a target.
        assert_eq!(check_benefit(1.0, 1.0 + f64::EPSILON), Ok(()));
        assert_eq!(check_benefit(1.0, 1.0), Err(BenefitError::TargetIsBaseline));
    }
}
