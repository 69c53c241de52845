//! Board meetings (governance.md §6): deadlines computed from the date, agendas that take every
//! recommendation to the board by its submission date, and the reporting duty before each one.

use crate::error::ApiError;
use crate::usecases::board::today;
use chrono::{DateTime, NaiveDate, Utc};
use os2pm_levels::Level;
use os2pm_persistence::meetings::MeetingRow;
use os2pm_persistence::{DbConnection, projects, reports};
use os2pm_projects::State;
use os2pm_projects::meetings::{material_date, must_report, report_in_time};
use serde::Serialize;
use utoipa::ToSchema;

/// A project whose progress report is missing for a meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MissingReport {
    pub project_id: String,
    pub title: String,
    pub level: String,
    pub state: String,
    pub last_report_at: Option<DateTime<Utc>>,
    /// The meeting's material date: the report is due by then.
    pub due_by: NaiveDate,
    /// The material date has passed without it.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportingDuty {
    pub meeting_id: String,
    pub meeting_date: NaiveDate,
    pub material_date: NaiveDate,
    pub missing: Vec<MissingReport>,
}

/// The next planned meeting, today's included.
pub(crate) fn next_meeting(all: &[MeetingRow]) -> Option<&MeetingRow> {
    let today = today();
    all.iter()
        .find(|m| m.status == "planned" && m.meeting_date >= today)
}

/// Who must still report for `meeting`, of all the meetings `all`.
pub(crate) fn reporting_duty(
    conn: &mut DbConnection,
    all: &[MeetingRow],
    meeting: &MeetingRow,
) -> Result<ReportingDuty, ApiError> {
    let today = today();
    let previous = all
        .iter()
        .filter(|m| m.status != "cancelled" && m.meeting_date < meeting.meeting_date)
        .map(|m| m.meeting_date)
        .max();
    let due_by = material_date(meeting.meeting_date);
    let mut missing = Vec::new();
    for project in projects::in_states(conn, &[State::InProgress.as_str(), State::Paused.as_str()])?
    {
        let (Ok(level), Ok(state)) = (
            project
                .level
                .as_deref()
                .unwrap_or_default()
                .parse::<Level>(),
            project.state.parse::<State>(),
        ) else {
            continue;
        };
        if !must_report(level, state) {
            continue;
        }
        let last = reports::latest_for_project(conn, &project.id)?.map(|r| r.reported_at);
        if report_in_time(last.map(|at| at.date()), previous, meeting.meeting_date) {
            continue;
        }
        missing.push(MissingReport {
            project_id: project.id,
            title: project.title,
            level: level.to_string(),
            state: state.to_string(),
            last_report_at: last.map(|at| at.and_utc()),
            due_by,
            overdue: today > due_by,
        });
    }
    Ok(ReportingDuty {
        meeting_id: meeting.id.clone(),
        meeting_date: meeting.meeting_date,
        material_date: due_by,
        missing,
    })
}
