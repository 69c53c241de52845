//! Progress and economy reports on a running project.

use chrono::NaiveDate;
use os2pm_persistence::DbConnection;
use os2pm_persistence::reports::{self, ReportRow};
use os2pm_projects::{Action, ProjectId, Rag, check_report};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::request::{IdempotencyKey, Problems, StoredReply};
use crate::usecases::created;
use crate::usecases::privacy::{Audience, Redacted};
use crate::usecases::projects::Loaded;
use crate::usecases::running::{Milestone, ReportView};

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "period_start": "2027-01-01", "period_end": "2027-03-31", "status": "amber",
    "status_reason": "Leverandøren er forsinket to uger", "progress": "Login og sagsoversigt er færdige.",
    "budget_dkk": 1200000, "spent_dkk": 350000, "forecast_dkk": 1250000,
    "milestones": [{"name": "Pilot i Aarhus", "planned": "2027-03-01", "actual": null}],
    "risks": "Afhængighed af KOMBITs støttesystemer"
}))]
pub struct ReportRequest {
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub period_start: NaiveDate,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub period_end: NaiveDate,
    #[schema(value_type = os2pm_projects::Rag)]
    pub status: String,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub status_reason: Option<String>,
    #[validate(length(min = 1, max = 20000, message = "must be 1 to 20000 characters"))]
    pub progress: String,
    pub budget_dkk: i64,
    pub spent_dkk: i64,
    pub forecast_dkk: i64,
    #[serde(default)]
    #[validate(length(max = 200, message = "at most 200 milestones"), nested)]
    pub milestones: Vec<Milestone>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub risks: Option<String>,
}

/// A report, parsed and checked.
pub struct NewReport {
    request: ReportRequest,
    status: Rag,
}

impl TryFrom<ReportRequest> for NewReport {
    type Error = ApiError;

    /// Every field problem at once, the domain's report rules included.
    fn try_from(request: ReportRequest) -> Result<Self, ApiError> {
        let mut problems = Problems::of(&request);
        let status = problems.parse("status", &request.status);
        if let Some(status) = status {
            for error in check_report(
                status,
                request.status_reason.as_deref(),
                (&request.period_start, &request.period_end),
                &[request.budget_dkk, request.spent_dkk, request.forecast_dkk],
            ) {
                problems.push(FieldError::new(error.field(), error.to_string()));
            }
        }
        problems.or_command(|| {
            Some(Self {
                status: status?,
                request,
            })
        })
    }
}

/// Files a progress and economy report on a running project.
pub fn file_report(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    idempotency_key: IdempotencyKey,
    report: NewReport,
) -> Result<StoredReply, ApiError> {
    let NewReport { request, status } = report;
    idempotency_key.run(conn, caller, &(id, &request), |conn| {
        let loaded = Loaded::load(conn, id)?;
        loaded.check(Action::Report, caller)?;
        let row = ReportRow {
            id: crate::usecases::new_id(),
            project_id: id.to_owned(),
            period_start: request.period_start,
            period_end: request.period_end,
            status,
            status_reason: request.status_reason.clone(),
            progress: request.progress.clone(),
            budget_dkk: request.budget_dkk,
            spent_dkk: request.spent_dkk,
            forecast_dkk: request.forecast_dkk,
            milestones: serde_json::to_string(&request.milestones)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            risks: request.risks.clone(),
            reported_by: caller.sub.clone(),
            reported_at: os2pm_persistence::now(),
        };
        reports::insert(conn, &row)?;
        let view = ReportView::from(row);
        created(
            conn,
            caller,
            ("project", id.as_str(), "report_filed"),
            format!("/api/v1/projects/{id}/reports/{}", view.id),
            &view,
        )
    })
}

/// The project's reports, oldest first.
pub fn reports(
    conn: &mut DbConnection,
    id: &ProjectId,
    audience: Audience,
) -> Result<Vec<Redacted<ReportView>>, ApiError> {
    Loaded::load(conn, id)?;
    Ok(reports::for_project(conn, id)?
        .into_iter()
        .map(|report| audience.redacted(ReportView::from(report)))
        .collect())
}
