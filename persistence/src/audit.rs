//! The append-only audit trail. Entries are written in the transaction of the change they
//! describe; the database refuses updates and deletes of them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::audit_log;
use crate::writes::WriteSet;
use crate::{DbConnection, StoreError};

/// Who did something, as the token said.
#[derive(Debug, Clone)]
pub struct Actor {
    pub sub: String,
    pub roles: Vec<String>,
    pub org: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub action: &'a str,
    pub actor: &'a Actor,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub subject_type: String,
    pub subject_id: String,
    pub action: String,
    pub actor_sub: String,
    pub actor_roles: String,
    pub actor_org: Option<String>,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub reason: Option<String>,
}

/// Appends `entry` to the audit log and writes its event to the outbox (`events`): call it
/// inside the change's transaction.
pub fn append(conn: &mut DbConnection, entry: NewEntry<'_>) -> Result<(), StoreError> {
    let owner = crate::events::owner_of(conn, entry.subject_type, entry.subject_id)?;
    writes(&entry, owner).run(conn)
}

/// The audit entry and its event, sent with the rest of a change's writes; `owner` is the
/// subject's organisation (by id), which saves the event a read of it.
pub fn push_owned(changes: &mut WriteSet, entry: NewEntry<'_>, owner: &str) {
    changes.append(writes(&entry, Some(owner.to_owned())));
}

fn writes(entry: &NewEntry<'_>, owner: Option<String>) -> WriteSet {
    let occurred_at = crate::now();
    let mut set = WriteSet::default();
    set.push(diesel::insert_into(audit_log::table).values((
        audit_log::occurred_at.eq(occurred_at),
        audit_log::subject_type.eq(entry.subject_type.to_owned()),
        audit_log::subject_id.eq(entry.subject_id.to_owned()),
        audit_log::action.eq(entry.action.to_owned()),
        audit_log::actor_sub.eq(entry.actor.sub.clone()),
        audit_log::actor_roles.eq(entry.actor.roles.join(",")),
        audit_log::actor_org.eq(entry.actor.org.clone()),
        audit_log::before_state.eq(entry.before.clone()),
        audit_log::after_state.eq(entry.after.clone()),
        audit_log::reason.eq(entry.reason.map(str::to_owned)),
    )));
    set.push(crate::events::insert(entry, occurred_at, owner));
    set
}

/// Every entry about one subject, oldest first.
pub fn for_subject(
    conn: &mut DbConnection,
    subject_type: &str,
    subject_id: &str,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(audit_log::table
        .filter(audit_log::subject_type.eq(subject_type))
        .filter(audit_log::subject_id.eq(subject_id))
        .order(audit_log::id)
        .select(AuditRow::as_select())
        .load(conn)?)
}

/// Every entry about projects up to and including `until`, oldest first: the portfolio's past.
pub fn projects_until(
    conn: &mut DbConnection,
    until: NaiveDateTime,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(audit_log::table
        .filter(audit_log::subject_type.eq("project"))
        .filter(audit_log::occurred_at.le(until))
        .order(audit_log::id)
        .select(AuditRow::as_select())
        .load(conn)?)
}
