//! The steering group in force for a project: its seats, chair, project leader or owner.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use os2pm_projects::ProjectId;

use crate::schema::{steering_groups, steering_seats};
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
    AsChangeset,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = steering_groups)]
#[diesel(treat_none_as_null = true)]
pub struct SteeringGroupRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub chair_organization_id: Option<String>,
    pub project_leader_id: Option<String>,
    pub project_owner_id: Option<String>,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub updated_at: NaiveDateTime,
    /// The board approved or appointed this composition (one put in force at N1 has not).
    #[serde(deserialize_with = "crate::project_aggregate::flag")]
    pub approved_by_board: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = steering_seats)]
pub struct SeatRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub organization_id: String,
    pub representative_id: String,
}

/// Puts a composition in force, replacing the one before.
pub fn replace(
    conn: &mut DbConnection,
    group: &SteeringGroupRow,
    seats: &[SeatRow],
) -> Result<(), StoreError> {
    diesel::delete(
        steering_seats::table.filter(steering_seats::project_id.eq(group.project_id.as_str())),
    )
    .execute(conn)?;
    diesel::delete(steering_groups::table.find(group.project_id.as_str())).execute(conn)?;
    diesel::insert_into(steering_groups::table)
        .values(group.clone())
        .execute(conn)?;
    for seat in seats {
        diesel::insert_into(steering_seats::table)
            .values(seat.clone())
            .execute(conn)?;
    }
    Ok(())
}
