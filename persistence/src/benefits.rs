//! Expected benefits and their measurements.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use os2pm_projects::{BenefitId, ProjectId};

use crate::schema::{benefit_measurements, benefits};
use crate::stored::Stored;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = benefits)]
pub struct BenefitRow {
    #[diesel(serialize_as = Stored<BenefitId>)]
    pub id: BenefitId,
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub indicator: String,
    pub unit: Option<String>,
    pub baseline: f64,
    pub target: f64,
    pub owner: String,
    pub due_date: NaiveDate,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = benefit_measurements)]
pub struct MeasurementRow {
    pub id: String,
    #[diesel(serialize_as = Stored<BenefitId>)]
    pub benefit_id: BenefitId,
    pub measured_on: NaiveDate,
    pub value: f64,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, benefit: &BenefitRow) -> Result<(), StoreError> {
    diesel::insert_into(benefits::table)
        .values(benefit.clone())
        .execute(conn)?;
    Ok(())
}

pub fn measure(conn: &mut DbConnection, measurement: &MeasurementRow) -> Result<(), StoreError> {
    diesel::insert_into(benefit_measurements::table)
        .values(measurement.clone())
        .execute(conn)?;
    Ok(())
}

/// Benefits with their measurements (oldest first); of one project, or of all with `None`.
pub fn with_measurements(
    conn: &mut DbConnection,
    project_id: Option<&ProjectId>,
) -> Result<Vec<(BenefitRow, Vec<MeasurementRow>)>, StoreError> {
    known(conn, project_id, None)
}

/// [`with_measurements`] as they were known at `moment`: benefits recorded by then, with the
/// measurements recorded by then (the portfolio `as_of` a moment).
pub fn known_at(
    conn: &mut DbConnection,
    project_id: Option<&ProjectId>,
    moment: NaiveDateTime,
) -> Result<Vec<(BenefitRow, Vec<MeasurementRow>)>, StoreError> {
    known(conn, project_id, Some(moment))
}

/// Benefits and their measurements, all or those recorded by `moment`.
fn known(
    conn: &mut DbConnection,
    project_id: Option<&ProjectId>,
    moment: Option<NaiveDateTime>,
) -> Result<Vec<(BenefitRow, Vec<MeasurementRow>)>, StoreError> {
    let mut query = benefits::table
        .order(benefits::id)
        .select(BenefitRow::as_select())
        .into_boxed();
    if let Some(moment) = moment {
        query = query.filter(benefits::created_at.le(moment));
    }
    if let Some(project_id) = project_id {
        query = query.filter(benefits::project_id.eq(project_id.to_string()));
    }
    let rows: Vec<BenefitRow> = query.load(conn)?;
    let mut result = Vec::with_capacity(rows.len());
    for row in rows {
        let mut measurements = benefit_measurements::table
            .filter(benefit_measurements::benefit_id.eq(row.id.to_string()))
            .order((benefit_measurements::measured_on, benefit_measurements::id))
            .select(MeasurementRow::as_select())
            .into_boxed();
        if let Some(moment) = moment {
            measurements = measurements.filter(benefit_measurements::recorded_at.le(moment));
        }
        let measurements = measurements.load(conn)?;
        result.push((row, measurements));
    }
    Ok(result)
}
