//! The board's prioritisation: versioned criteria and members' scores.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use os2pm_projects::ProjectId;

use crate::schema::{priority_criteria, priority_scores};
use crate::stored::Stored;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = priority_criteria)]
pub struct CriterionRow {
    pub version: i32,
    pub key: String,
    pub name: String,
    pub weight: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = priority_scores)]
pub struct ScoreRow {
    pub version: i32,
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub member_sub: String,
    pub criterion: String,
    pub score: i32,
    pub scored_at: NaiveDateTime,
}

/// The criteria version in force (the newest), if any.
pub fn current(conn: &mut DbConnection) -> Result<Option<(i32, Vec<CriterionRow>)>, StoreError> {
    let Some(version) = priority_criteria::table
        .select(diesel::dsl::max(priority_criteria::version))
        .first::<Option<i32>>(conn)?
    else {
        return Ok(None);
    };
    let criteria = priority_criteria::table
        .filter(priority_criteria::version.eq(version))
        .order(priority_criteria::key)
        .select(CriterionRow::as_select())
        .load(conn)?;
    Ok(Some((version, criteria)))
}

pub fn insert_criteria(
    conn: &mut DbConnection,
    criteria: &[CriterionRow],
) -> Result<(), StoreError> {
    for criterion in criteria {
        diesel::insert_into(priority_criteria::table)
            .values(criterion)
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces one member's scores for one candidate under `version`.
pub fn replace_scores(
    conn: &mut DbConnection,
    version: i32,
    project_id: &ProjectId,
    member_sub: &str,
    scores: &[ScoreRow],
) -> Result<(), StoreError> {
    diesel::delete(
        priority_scores::table
            .filter(priority_scores::version.eq(version))
            .filter(priority_scores::project_id.eq(project_id.as_str()))
            .filter(priority_scores::member_sub.eq(member_sub)),
    )
    .execute(conn)?;
    for score in scores {
        diesel::insert_into(priority_scores::table)
            .values(score.clone())
            .execute(conn)?;
    }
    Ok(())
}

pub fn scores(conn: &mut DbConnection, version: i32) -> Result<Vec<ScoreRow>, StoreError> {
    Ok(priority_scores::table
        .filter(priority_scores::version.eq(version))
        .select(ScoreRow::as_select())
        .load(conn)?)
}
