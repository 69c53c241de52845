//! Coordination groups (*koordinationsgrupper*): the organisations using a product.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::people::{PersonRow, Representation};
use crate::schema::{coordination_groups, coordination_members, organizations, people};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = coordination_groups)]
pub struct CoordinationGroupRow {
    pub project_id: String,
    pub chair_organization_id: Option<String>,
    pub supplier_organization_id: Option<String>,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = coordination_members)]
pub struct MemberRow {
    pub project_id: String,
    pub organization_id: String,
    pub representative_id: String,
}

/// The group and its members, each with its organisation and representative.
pub fn find(
    conn: &mut DbConnection,
    project_id: &str,
) -> Result<Option<(CoordinationGroupRow, Vec<Representation>)>, StoreError> {
    let Some(group) = coordination_groups::table
        .find(project_id)
        .select(CoordinationGroupRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let members = coordination_members::table
        .inner_join(
            organizations::table.on(organizations::id.eq(coordination_members::organization_id)),
        )
        .inner_join(people::table.on(people::id.eq(coordination_members::representative_id)))
        .filter(coordination_members::project_id.eq(project_id))
        .order(coordination_members::organization_id)
        .select((
            organizations::id,
            organizations::code,
            PersonRow::as_select(),
        ))
        .load(conn)?
        .into_iter()
        .map(Representation::of)
        .collect();
    Ok(Some((group, members)))
}

pub fn replace(
    conn: &mut DbConnection,
    group: &CoordinationGroupRow,
    members: &[MemberRow],
) -> Result<(), StoreError> {
    diesel::delete(
        coordination_members::table.filter(coordination_members::project_id.eq(&group.project_id)),
    )
    .execute(conn)?;
    diesel::delete(coordination_groups::table.find(&group.project_id)).execute(conn)?;
    diesel::insert_into(coordination_groups::table)
        .values(group)
        .execute(conn)?;
    for member in members {
        diesel::insert_into(coordination_members::table)
            .values(member)
            .execute(conn)?;
    }
    Ok(())
}
