//! Benefits realisation (governance.md §6): expected benefits (indicator, baseline, target, owner,
//! due date) and their measurements, shown against the expectation.

use chrono::{DateTime, NaiveDate, Utc};
use os2pm_persistence::benefits::{BenefitRow, MeasurementRow};
use os2pm_projects::benefits::{past_due_without_measurement, realised};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasurementView {
    pub measured_on: NaiveDate,
    pub value: f64,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// An expected benefit with its measurements.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BenefitView {
    pub id: String,
    pub project_id: String,
    pub indicator: String,
    pub unit: Option<String>,
    pub baseline: f64,
    pub target: f64,
    /// Who answers for realising it.
    pub owner: String,
    pub due_date: NaiveDate,
    /// Oldest first.
    pub measurements: Vec<MeasurementView>,
    /// The latest measurement's share of the way from baseline to target (1 = reached).
    pub realised: Option<f64>,
    /// The due date has passed and nothing was measured.
    pub past_due_without_measurement: bool,
}

pub fn benefit_view(
    row: BenefitRow,
    measurements: Vec<MeasurementRow>,
    today: NaiveDate,
) -> BenefitView {
    let latest = measurements.last().map(|m| m.value);
    BenefitView {
        realised: latest.map(|value| realised(row.baseline, row.target, value)),
        past_due_without_measurement: past_due_without_measurement(
            row.due_date,
            today,
            latest.is_some(),
        ),
        measurements: measurements
            .into_iter()
            .map(|m| MeasurementView {
                measured_on: m.measured_on,
                value: m.value,
                note: m.note,
                recorded_by: m.recorded_by,
                recorded_at: m.recorded_at.and_utc(),
            })
            .collect(),
        id: row.id,
        project_id: row.project_id,
        indicator: row.indicator,
        unit: row.unit,
        baseline: row.baseline,
        target: row.target,
        owner: row.owner,
        due_date: row.due_date,
    }
}
