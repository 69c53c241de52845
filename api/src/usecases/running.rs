//! The budget and report views of a running project.

use chrono::{DateTime, NaiveDate, Utc};
use os2pm_persistence::budgets::BudgetRow;
use os2pm_persistence::reports::ReportRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// A budget and its business case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BudgetView {
    pub amount_dkk: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// `local`, `os2` (not at N1) or `mixed`.
    pub funding: os2pm_projects::Funding,
    pub expected_costs: Option<String>,
    pub expected_benefits: Option<String>,
    pub expected_effects: Option<String>,
    /// `proposed`, `chair_approved` (waiting for the board, N2/N3) or `approved`.
    pub status: os2pm_projects::BudgetStatus,
}

impl From<BudgetRow> for BudgetView {
    fn from(b: BudgetRow) -> Self {
        Self {
            amount_dkk: b.amount_dkk,
            period_start: b.period_start,
            period_end: b.period_end,
            funding: b.funding,
            expected_costs: b.expected_costs,
            expected_benefits: b.expected_benefits,
            expected_effects: b.expected_effects,
            status: b.status,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct Milestone {
    pub name: String,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub planned: NaiveDate,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub actual: Option<NaiveDate>,
}

/// A progress and economy report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// `green`, `amber` or `red`.
    pub status: os2pm_projects::Rag,
    pub status_reason: Option<String>,
    pub progress: String,
    pub budget_dkk: i64,
    pub spent_dkk: i64,
    pub forecast_dkk: i64,
    pub milestones: Vec<Milestone>,
    pub risks: Option<String>,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub reported_by: String,
    pub reported_at: DateTime<Utc>,
}

impl From<ReportRow> for ReportView {
    fn from(r: ReportRow) -> Self {
        Self {
            milestones: serde_json::from_str(&r.milestones).unwrap_or_default(),
            id: r.id,
            period_start: r.period_start,
            period_end: r.period_end,
            status: r.status,
            status_reason: r.status_reason,
            progress: r.progress,
            budget_dkk: r.budget_dkk,
            spent_dkk: r.spent_dkk,
            forecast_dkk: r.forecast_dkk,
            risks: r.risks,
            reported_by: r.reported_by,
            reported_at: r.reported_at.and_utc(),
        }
    }
}
