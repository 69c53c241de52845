//! Progress and economy reports of running projects.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use os2pm_projects::{ProjectId, Rag};

use crate::schema::progress_reports;
use crate::stored::Stored;
use crate::{DbConnection, StoreError};

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = progress_reports)]
pub struct ReportRow {
    pub id: String,
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    #[diesel(serialize_as = Stored<Rag>)]
    pub status: Rag,
    pub status_reason: Option<String>,
    pub progress: String,
    pub budget_dkk: i64,
    pub spent_dkk: i64,
    pub forecast_dkk: i64,
    /// JSON array of `{name, planned, actual}`.
    pub milestones: String,
    pub risks: Option<String>,
    pub reported_by: String,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub reported_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, report: &ReportRow) -> Result<(), StoreError> {
    diesel::insert_into(progress_reports::table)
        .values(report.clone())
        .execute(conn)?;
    Ok(())
}

/// A project's reports, oldest first (ids are time-ordered).
pub fn for_project(
    conn: &mut DbConnection,
    project_id: &ProjectId,
) -> Result<Vec<ReportRow>, StoreError> {
    Ok(progress_reports::table
        .filter(progress_reports::project_id.eq(project_id.as_str()))
        .order(progress_reports::id)
        .select(ReportRow::as_select())
        .load(conn)?)
}

/// A project's newest report.
pub fn latest_for_project(
    conn: &mut DbConnection,
    project_id: &ProjectId,
) -> Result<Option<ReportRow>, StoreError> {
    Ok(progress_reports::table
        .filter(progress_reports::project_id.eq(project_id.as_str()))
        .order(progress_reports::id.desc())
        .select(ReportRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every report, oldest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<ReportRow>, StoreError> {
    Ok(progress_reports::table
        .order(progress_reports::id)
        .select(ReportRow::as_select())
        .load(conn)?)
}
