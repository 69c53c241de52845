//! The event outbox and feed. Every audit entry writes an event in the same transaction, so a
//! change, its audit entry and its event land together or not at all.
//!
//! The feed's order is the `id` order, and it must have no gaps: a reader must never see id 7
//! before id 6 has committed, or a client resuming after 7 would miss 6. So writers take one
//! lock before inserting an event and hold it until they commit (PostgreSQL: a transaction-level
//! advisory lock; SQLite: its single writer). Ids therefore become visible in the order given.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::NewEntry;
use crate::schema::{events, people, products, projects, webhooks};
use crate::{DbConnection, StoreError};

/// The advisory lock that orders event writers on PostgreSQL ("os2pm events").
const EVENT_ORDER_LOCK: i64 = 0x0052_5032_4556;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub event_id: String,
    pub event_type: String,
    pub subject_type: String,
    pub subject_id: String,
    pub organization_id: Option<String>,
    pub public: bool,
    pub occurred_at: NaiveDateTime,
    pub actor_sub: String,
    pub payload: Option<String>,
}

/// Whose events a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every event (the administrator, and the webhook dispatcher for admin subscriptions).
    Everything,
    /// Public items' events and those of one organisation (by id).
    Organization(String),
}

/// Which events a reader asks for: exact types (`project.placed`) or every event of a subject
/// (`project.*`); empty: all.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TypeFilter(pub Vec<String>);

impl TypeFilter {
    /// The whole subjects asked for, and the exact types.
    fn split(&self) -> (Vec<&str>, Vec<&str>) {
        let (subjects, exact): (Vec<&str>, Vec<&str>) = self
            .0
            .iter()
            .map(String::as_str)
            .partition(|t| t.ends_with(".*"));
        let subjects = subjects
            .into_iter()
            .filter_map(|t| t.strip_suffix(".*"))
            .collect();
        (subjects, exact)
    }

    pub fn matches(&self, event_type: &str) -> bool {
        let (subjects, exact) = self.split();
        self.0.is_empty()
            || exact.contains(&event_type)
            || event_type
                .split_once('.')
                .is_some_and(|(subject, _)| subjects.contains(&subject))
    }
}

/// The organisation a subject belongs to, and whether its events are public. People are
/// personal data and webhooks hold secrets' whereabouts: their events go only to their own
/// organisation and the administrator.
fn belongs_to(
    conn: &mut DbConnection,
    subject_type: &str,
    subject_id: &str,
) -> Result<(Option<String>, bool), StoreError> {
    Ok(match subject_type {
        "project" => (
            projects::table
                .find(subject_id)
                .select(projects::owner_organization_id)
                .first(conn)
                .optional()?,
            true,
        ),
        "product" => (
            products::table
                .find(subject_id)
                .select(products::owner_organization_id)
                .first(conn)
                .optional()?,
            true,
        ),
        "person" => (
            people::table
                .filter(people::id.eq(subject_id).or(people::sub.eq(subject_id)))
                .select(people::organization_id)
                .first(conn)
                .optional()?,
            false,
        ),
        "organization" => (Some(subject_id.to_owned()), true),
        "webhook" => (
            webhooks::table
                .find(subject_id)
                .select(webhooks::organization_id)
                .first::<Option<String>>(conn)
                .optional()?
                .flatten(),
            false,
        ),
        _ => (None, true),
    })
}

/// Writes the event of `entry`; called by `audit::append`, inside the change's transaction.
pub(crate) fn record(
    conn: &mut DbConnection,
    entry: &NewEntry<'_>,
    occurred_at: NaiveDateTime,
) -> Result<(), StoreError> {
    let (organization_id, public) = belongs_to(conn, entry.subject_type, entry.subject_id)?;
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({EVENT_ORDER_LOCK})"))
            .execute(pg)?;
    }
    diesel::insert_into(events::table)
        .values((
            events::event_id.eq(uuid::Uuid::now_v7().to_string()),
            events::event_type.eq(format!("{}.{}", entry.subject_type, entry.action)),
            events::subject_type.eq(entry.subject_type),
            events::subject_id.eq(entry.subject_id),
            events::organization_id.eq(organization_id),
            events::public.eq(public),
            events::occurred_at.eq(occurred_at),
            events::actor_sub.eq(&entry.actor.sub),
            events::payload.eq(&entry.after),
        ))
        .execute(conn)?;
    Ok(())
}

/// Up to `limit` events after `after` (and up to `upto`) that `audience` may see and `types`
/// asks for, in order.
pub fn between(
    conn: &mut DbConnection,
    after: i64,
    upto: i64,
    audience: &Audience,
    types: &TypeFilter,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    let mut query = events::table
        .filter(events::id.gt(after))
        .filter(events::id.le(upto))
        .order(events::id)
        .limit(limit)
        .select(EventRow::as_select())
        .into_boxed();
    if let Audience::Organization(organization) = audience {
        query = query.filter(
            events::public
                .eq(true)
                .or(events::organization_id.eq(organization.clone())),
        );
    }
    if !types.0.is_empty() {
        let (subjects, exact) = types.split();
        query = query.filter(
            events::event_type
                .eq_any(exact)
                .or(events::subject_type.eq_any(subjects)),
        );
    }
    Ok(query.load(conn)?)
}

/// One event by its place in the feed.
pub fn at(conn: &mut DbConnection, id: i64) -> Result<EventRow, StoreError> {
    Ok(events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)?)
}

/// The newest event's id, 0 when there is none: where a new subscription starts. Every event
/// up to it has committed (writers commit in id order).
pub fn latest(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(events::table
        .select(diesel::dsl::max(events::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}
