//! Coordination groups (*koordinationsgrupper*): the organisations using a product, in one or
//! more groups keyed within it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use os2pm_projects::ProjectId;

use crate::people::{PersonRow, Representation};
use crate::schema::{coordination_groups, coordination_members, organizations, people};
use crate::stored::Stored;
use crate::{DbConnection, StoreError};
use os2pm_groups::coordination::MAIN_GROUP;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Deserialize)]
#[diesel(table_name = coordination_groups)]
pub struct CoordinationGroupRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub group_key: String,
    pub chair_organization_id: Option<String>,
    pub supplier_organization_id: Option<String>,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = coordination_members)]
pub struct MemberRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub group_key: String,
    pub organization_id: String,
    pub representative_id: String,
}

/// A group and its members, each with its organisation and representative.
pub type GroupWithMembers = (CoordinationGroupRow, Vec<Representation>);

/// A member row as read: (organisation id, its code, the representative).
type Membership = (String, Option<String>, PersonRow);

/// The groups of `project_id` (the main group first, then by key) with their members.
pub fn find(
    conn: &mut DbConnection,
    project_id: &ProjectId,
) -> Result<Vec<GroupWithMembers>, StoreError> {
    let groups: Vec<CoordinationGroupRow> = coordination_groups::table
        .filter(coordination_groups::project_id.eq(project_id.as_str()))
        .order(coordination_groups::group_key)
        .select(CoordinationGroupRow::as_select())
        .load(conn)?;
    let members: Vec<(String, Membership)> = coordination_members::table
        .inner_join(
            organizations::table.on(organizations::id.eq(coordination_members::organization_id)),
        )
        .inner_join(people::table.on(people::id.eq(coordination_members::representative_id)))
        .filter(coordination_members::project_id.eq(project_id.as_str()))
        .order(coordination_members::organization_id)
        .select((
            coordination_members::group_key,
            (
                organizations::id,
                organizations::code,
                PersonRow::as_select(),
            ),
        ))
        .load(conn)?;
    Ok(with_members(
        groups,
        members
            .into_iter()
            .map(|(key, member)| (key, Representation::of(member))),
    ))
}

/// Each group with the members keyed to it, the main group first.
pub(crate) fn with_members(
    groups: Vec<CoordinationGroupRow>,
    members: impl IntoIterator<Item = (String, Representation)>,
) -> Vec<GroupWithMembers> {
    let mut groups: Vec<GroupWithMembers> = groups.into_iter().map(|g| (g, Vec::new())).collect();
    for (key, member) in members {
        if let Some((_, list)) = groups.iter_mut().find(|(g, _)| g.group_key == key) {
            list.push(member);
        }
    }
    groups.sort_by_key(|(g, _)| (g.group_key != MAIN_GROUP, g.group_key.clone()));
    groups
}

/// Puts `group` in force with `members`, in place of the group of the same key.
pub fn replace(
    conn: &mut DbConnection,
    group: &CoordinationGroupRow,
    members: &[MemberRow],
) -> Result<(), StoreError> {
    remove(conn, &group.project_id, &group.group_key)?;
    diesel::insert_into(coordination_groups::table)
        .values(group.clone())
        .execute(conn)?;
    for member in members {
        diesel::insert_into(coordination_members::table)
            .values(member.clone())
            .execute(conn)?;
    }
    Ok(())
}

/// Disbands the group `key` of `project_id`; whether there was one.
pub fn remove(
    conn: &mut DbConnection,
    project_id: &ProjectId,
    key: &str,
) -> Result<bool, StoreError> {
    diesel::delete(
        coordination_members::table
            .filter(coordination_members::project_id.eq(project_id.as_str()))
            .filter(coordination_members::group_key.eq(key)),
    )
    .execute(conn)?;
    let removed = diesel::delete(coordination_groups::table.find((project_id.as_str(), key)))
        .execute(conn)?;
    Ok(removed > 0)
}
