//! A project's budget and business case.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use os2pm_projects::{BudgetStatus, Funding, ProjectId};

use crate::schema::budgets;
use crate::stored::Stored;
use crate::{DbConnection, StoreError};

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, serde::Deserialize,
)]
#[diesel(table_name = budgets)]
#[diesel(treat_none_as_null = true)]
pub struct BudgetRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub amount_dkk: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    #[diesel(serialize_as = Stored<Funding>)]
    pub funding: Funding,
    pub expected_costs: Option<String>,
    pub expected_benefits: Option<String>,
    pub expected_effects: Option<String>,
    #[diesel(serialize_as = Stored<BudgetStatus>)]
    pub status: BudgetStatus,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub updated_at: NaiveDateTime,
}

pub fn save(conn: &mut DbConnection, budget: &BudgetRow) -> Result<(), StoreError> {
    diesel::delete(budgets::table.find(budget.project_id.as_str())).execute(conn)?;
    diesel::insert_into(budgets::table)
        .values(budget.clone())
        .execute(conn)?;
    Ok(())
}

pub fn set_status(
    conn: &mut DbConnection,
    project_id: &ProjectId,
    status: BudgetStatus,
) -> Result<(), StoreError> {
    diesel::update(budgets::table.find(project_id.as_str()))
        .set((
            budgets::status.eq(Stored(status)),
            budgets::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every budget.
pub fn all(conn: &mut DbConnection) -> Result<Vec<BudgetRow>, StoreError> {
    Ok(budgets::table.select(BudgetRow::as_select()).load(conn)?)
}
