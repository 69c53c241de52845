//! Benefits realisation (governance.md §6): expected benefits (indicator, baseline, target, owner,
//! due date) and their measurements, shown against the expectation.

use chrono::{DateTime, NaiveDate, Utc};
use os2pm_persistence::DbConnection;
use os2pm_persistence::benefits::{self as store, BenefitRow, MeasurementRow};
use os2pm_projects::benefits::{past_due_without_measurement, realised};
use os2pm_projects::{Action, BenefitId, ProjectId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::board::today;
use crate::usecases::privacy::{Audience, Redacted};
use crate::usecases::projects::Loaded;
use crate::usecases::{ApiError, Caller, Outcome, created, to_body};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasurementView {
    pub measured_on: NaiveDate,
    pub value: f64,
    pub note: Option<String>,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// An expected benefit with its measurements.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BenefitView {
    pub id: BenefitId,
    pub project_id: ProjectId,
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

fn one(
    conn: &mut DbConnection,
    project_id: &ProjectId,
    benefit_id: &BenefitId,
) -> Result<BenefitView, ApiError> {
    store::with_measurements(conn, Some(project_id))?
        .into_iter()
        .find(|(b, _)| b.id == *benefit_id)
        .map(|(b, m)| benefit_view(b, m, today()))
        .ok_or_else(|| ApiError::NotFound(format!("no benefit `{benefit_id}` on this project")))
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"indicator": "Sagsbehandlingstid", "unit": "dage", "baseline": 40, "target": 20,
    "owner": "Borgerservicechef, Aarhus", "due_date": "2028-06-30"}))]
pub struct NewBenefit {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub indicator: String,
    #[validate(length(max = 40, message = "at most 40 characters"))]
    pub unit: Option<String>,
    pub baseline: f64,
    pub target: f64,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub owner: String,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub due_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"measured_on": "2027-12-31", "value": 31, "note": "Efter første halvår"}))]
pub struct NewMeasurement {
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub measured_on: NaiveDate,
    pub value: f64,
    #[validate(length(max = 2000, message = "at most 2000 characters"))]
    pub note: Option<String>,
}

/// Records an expected benefit of a project (who may record its evidence may).
pub fn expect(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    idempotency_key: IdempotencyKey,
    request: NewBenefit,
) -> Result<StoredReply, ApiError> {
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        Loaded::load(conn, id)?.check(Action::RecordEvidence, caller)?;
        let row = BenefitRow {
            id: crate::usecases::new_id(),
            project_id: id.to_owned(),
            indicator: request.indicator.clone(),
            unit: request.unit.clone(),
            baseline: request.baseline,
            target: request.target,
            owner: request.owner.clone(),
            due_date: request.due_date,
            created_by: caller.sub.clone(),
            created_at: os2pm_persistence::now(),
        };
        store::insert(conn, &row)?;
        let view = benefit_view(row, Vec::new(), today());
        created(
            conn,
            caller,
            ("project", id.as_str(), "benefit_added"),
            format!("/api/v1/projects/{id}/benefits"),
            &view,
        )
    })
}

/// Records a measurement of a benefit.
pub fn measure(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    benefit_id: &BenefitId,
    idempotency_key: IdempotencyKey,
    request: NewMeasurement,
) -> Result<StoredReply, ApiError> {
    idempotency_key.run(conn, caller, &(&id, &benefit_id, &request), |conn| {
        Loaded::load(conn, id)?.check(Action::RecordEvidence, caller)?;
        one(conn, id, benefit_id)?;
        store::measure(
            conn,
            &MeasurementRow {
                id: crate::usecases::new_id(),
                benefit_id: benefit_id.clone(),
                measured_on: request.measured_on,
                value: request.value,
                note: request.note.clone(),
                recorded_by: caller.sub.clone(),
                recorded_at: os2pm_persistence::now(),
            },
        )?;
        let view = one(conn, id, benefit_id)?;
        let body = to_body(&view)?;
        os2pm_persistence::audit::append(
            conn,
            os2pm_persistence::audit::NewEntry {
                subject_type: "project",
                subject_id: id.as_str(),
                action: "benefit_measured",
                actor: &caller.actor(),
                before: None,
                after: Some(body.to_string()),
                reason: None,
            },
        )?;
        Ok(Outcome::created(
            format!("/api/v1/projects/{id}/benefits"),
            body,
        ))
    })
}

/// A project's benefits with their measurements.
pub fn list(
    conn: &mut DbConnection,
    id: &ProjectId,
    audience: Audience,
) -> Result<Vec<Redacted<BenefitView>>, ApiError> {
    Loaded::load(conn, id)?;
    let today = today();
    Ok(store::with_measurements(conn, Some(id))?
        .into_iter()
        .map(|(b, m)| audience.redacted(benefit_view(b, m, today)))
        .collect())
}
