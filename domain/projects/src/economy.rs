//! The economy of the portfolio (governance.md §6): budget, spent, forecast and variance per item
//! and in total.

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Economy {
    pub budget_dkk: i64,
    pub spent_dkk: i64,
    pub forecast_dkk: i64,
    /// Forecast minus budget: positive is an expected overrun.
    pub variance_dkk: i64,
}

impl Economy {
    /// From the latest report's figures when there is one, else from the budget alone (nothing
    /// spent, the budget as forecast).
    pub fn of(budget: Option<i64>, latest_report: Option<(i64, i64, i64)>) -> Self {
        let (budget, spent, forecast) = match (latest_report, budget) {
            (Some(figures), _) => figures,
            (None, Some(budget)) => (budget, 0, budget),
            (None, None) => (0, 0, 0),
        };
        Self {
            budget_dkk: budget,
            spent_dkk: spent,
            forecast_dkk: forecast,
            variance_dkk: forecast.saturating_sub(budget),
        }
    }

    pub fn total<'a>(items: impl IntoIterator<Item = &'a Economy>) -> Self {
        items.into_iter().fold(Self::default(), |sum, e| Self {
            budget_dkk: sum.budget_dkk.saturating_add(e.budget_dkk),
            spent_dkk: sum.spent_dkk.saturating_add(e.spent_dkk),
            forecast_dkk: sum.forecast_dkk.saturating_add(e.forecast_dkk),
            variance_dkk: sum.variance_dkk.saturating_add(e.variance_dkk),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_report_wins_over_the_budget() {
        let e = Economy::of(Some(1_000), Some((1_200, 300, 1_350)));
        assert_eq!(
            (e.budget_dkk, e.spent_dkk, e.forecast_dkk, e.variance_dkk),
            (1_200, 300, 1_350, 150)
        );
        let budget_only = Economy::of(Some(1_000), None);
        assert_eq!(
            (
                budget_only.spent_dkk,
                budget_only.forecast_dkk,
                budget_only.variance_dkk
            ),
            (0, 1_000, 0)
        );
        assert_eq!(Economy::of(None, None), Economy::default());
    }

    #[test]
    fn totals_add_up() {
        let items = [
            Economy::of(Some(100), Some((100, 40, 120))),
            Economy::of(Some(50), None),
        ];
        let total = Economy::total(&items);
        assert_eq!(
            (
                total.budget_dkk,
                total.spent_dkk,
                total.forecast_dkk,
                total.variance_dkk
            ),
            (150, 40, 170, 20)
        );
    }
}
