//! The event outbox and feed. Every audit entry writes an event in the same transaction, so a
//! change, its audit entry and its event land together or not at all.
//!
//! The feed's order is `seq`, and it must have no gaps: a reader must never see place 7 before
//! place 6 is readable, or a client resuming after 7 would miss 6. Writers therefore insert
//! events without a place, and [`sequence`] gives the committed ones the next places, one
//! sequencer at a time; a reader sees only events that have one. On SQLite, whose one writer
//! commits before the next begins, the schema gives each event its id as its place at once.
//!
//! (Writers used to take one lock from their event until their commit instead; that made
//! every commit wait for the one before, and capped writes at one disk flush each.)

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use diesel::sql_types::Bool;

use crate::audit::NewEntry;
use crate::connection::MultiBackend;
use crate::schema::{events, people, products, projects, webhooks};
use crate::{DbConnection, StoreError};

/// The advisory lock that lets one sequencer at a time give places on PostgreSQL
/// ("os2pm events").
const SEQUENCER_LOCK: i64 = 0x0052_5032_4556;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = events)]
pub struct EventRow {
    /// The row; deliveries refer to it.
    pub id: i64,
    /// The event's place in the feed. Only events that have one are read.
    #[diesel(select_expression = events::seq.assume_not_null())]
    pub seq: i64,
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

/// Whether a subject's events are public. People are personal data and webhooks hold
/// secrets' whereabouts: their events go only to their own organisation and the administrator.
fn is_public(subject_type: &str) -> bool {
    !matches!(subject_type, "person" | "webhook")
}

/// The organisation (by id) a subject belongs to.
pub(crate) fn owner_of(
    conn: &mut DbConnection,
    subject_type: &str,
    subject_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(match subject_type {
        "project" => projects::table
            .find(subject_id)
            .select(projects::owner_organization_id)
            .first(conn)
            .optional()?,
        "product" => products::table
            .find(subject_id)
            .select(products::owner_organization_id)
            .first(conn)
            .optional()?,
        "person" => people::table
            .filter(people::id.eq(subject_id).or(people::sub.eq(subject_id)))
            .select(people::organization_id)
            .first(conn)
            .optional()?,
        "organization" => Some(subject_id.to_owned()),
        "webhook" => webhooks::table
            .find(subject_id)
            .select(webhooks::organization_id)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten(),
        _ => None,
    })
}

/// Things within a project or the board that events name by themselves.
const NAMED_WITHIN: &[&str] = &[
    "change_request",
    "self_assessment",
    "benefit",
    "report",
    "evaluation",
    "meeting",
    "vote",
];

/// What an event is called: `{subject}.{act}`. An act on something within a project or the
/// board is named by that thing, so an intranet can tell them apart: the audit action
/// `change_request_filed` on a project is the event `change_request.filed`, `placed` is
/// `project.placed`.
pub fn event_type(subject_type: &str, action: &str) -> String {
    NAMED_WITHIN
        .iter()
        .find_map(|within| {
            let act = action.strip_prefix(within)?.strip_prefix('_')?;
            Some(format!("{within}.{act}"))
        })
        .unwrap_or_else(|| format!("{subject_type}.{action}"))
}

/// The event of `entry`, to be written in the change's transaction; `organization_id` is the
/// subject's organisation.
pub(crate) fn insert(
    entry: &NewEntry<'_>,
    occurred_at: NaiveDateTime,
    organization_id: Option<String>,
) -> impl QueryFragment<MultiBackend> + Send + 'static {
    diesel::insert_into(events::table).values((
        events::event_id.eq(uuid::Uuid::now_v7().to_string()),
        events::event_type.eq(event_type(entry.subject_type, entry.action)),
        events::subject_type.eq(entry.subject_type.to_owned()),
        events::subject_id.eq(entry.subject_id.to_owned()),
        events::organization_id.eq(organization_id),
        events::public.eq(is_public(entry.subject_type)),
        events::occurred_at.eq(occurred_at),
        events::actor_sub.eq(entry.actor.sub.clone()),
        events::payload.eq(entry.after.clone()),
    ))
}

/// Gives every committed event without a place the next places, in id order. PostgreSQL only:
/// SQLite's events have theirs as they are written. Call it before reading the feed, so a
/// reader sees what has committed; the webhook dispatcher calls it every round.
pub fn sequence(conn: &mut DbConnection) -> Result<(), StoreError> {
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(());
    };
    pg.transaction(|pg| {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({SEQUENCER_LOCK})")).execute(pg)?;
        // A fresh snapshot after the lock: it sees the places the previous sequencer gave.
        diesel::sql_query(
            "UPDATE events SET seq = placed.seq \
             FROM (SELECT id, (SELECT COALESCE(MAX(seq), 0) FROM events) \
                              + row_number() OVER (ORDER BY id) AS seq \
                   FROM events WHERE seq IS NULL) AS placed \
             WHERE events.id = placed.id",
        )
        .execute(pg)
    })?;
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
        .filter(events::seq.gt(after))
        .filter(events::seq.le(upto))
        .order(events::seq)
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
        // As `TypeFilter::matches`: an exact type, or any type that begins with a subject asked
        // for (`change_request.*`); `_` is a LIKE wildcard, so it is escaped.
        let (subjects, exact) = types.split();
        let mut wanted: Box<dyn BoxableExpression<events::table, MultiBackend, SqlType = Bool>> =
            Box::new(
                events::event_type.eq_any(exact.into_iter().map(str::to_owned).collect::<Vec<_>>()),
            );
        for subject in subjects {
            let prefix = format!(
                "{}.%",
                subject
                    .replace('\\', "\\\\")
                    .replace('_', "\\_")
                    .replace('%', "\\%")
            );
            wanted = Box::new(wanted.or(events::event_type.like(prefix).escape('\\')));
        }
        query = query.filter(wanted);
    }
    Ok(query.load(conn)?)
}

/// One event by its row (a delivery's `event_row`).
pub fn at(conn: &mut DbConnection, id: i64) -> Result<EventRow, StoreError> {
    Ok(events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)?)
}

/// The last place given, 0 when there is none: where a new subscription starts (after
/// [`sequence`]). Every place up to it is taken by a committed event.
pub fn latest(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(events::table
        .select(diesel::dsl::max(events::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::event_type;

    #[test]
    fn events_name_their_subject_and_act() {
        assert_eq!(
            event_type("project", "change_request_filed"),
            "change_request.filed"
        );
        assert_eq!(
            event_type("project", "benefit_measured"),
            "benefit.measured"
        );
        assert_eq!(event_type("board", "meeting_planned"), "meeting.planned");
        assert_eq!(event_type("project", "placed"), "project.placed");
        assert_eq!(event_type("project", "reported"), "project.reported");
        assert_eq!(event_type("person", "created"), "person.created");
    }
}
