//! The event feed: every change, in commit order, resumable from any cursor.

use chrono::{DateTime, Utc};
use os2pm_persistence::events::{self as store, Audience, EventRow, TypeFilter};
use os2pm_persistence::{DbConnection, organizations};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::handlers::events::EventPage;

/// What happened, to what, when and by whom, with the subject's new state.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "cursor": "1042", "id": "0193…", "type": "project.placed",
    "subject": {"type": "project", "id": "0193…"}, "occurred_at": "2026-11-22T10:15:00Z",
    "actor": "forretningsleder@os2.eu", "payload": {"state": "concept", "level": "N2"}
}))]
pub struct EventView {
    /// The event's place in the feed: pass it as `after` to continue from here.
    pub cursor: String,
    /// The event's id: stable across retries and redeliveries, for de-duplication.
    pub id: String,
    /// `<subject>.<action>`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub subject: EventSubject,
    pub occurred_at: DateTime<Utc>,
    /// The `sub` of who made the change.
    pub actor: String,
    /// The subject's state after the change: an object, or a list for collections such as
    /// the prioritisation criteria.
    pub payload: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventSubject {
    #[serde(rename = "type")]
    pub subject_type: String,
    pub id: String,
}

impl From<EventRow> for EventView {
    fn from(row: EventRow) -> Self {
        Self {
            cursor: row.seq.to_string(),
            id: row.event_id,
            event_type: row.event_type,
            subject: EventSubject {
                subject_type: row.subject_type,
                id: row.subject_id,
            },
            occurred_at: row.occurred_at.and_utc(),
            actor: row.actor_sub,
            payload: row
                .payload
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok()),
        }
    }
}

/// Reads `types`, comma-separated.
pub fn parse_types(types: Option<&str>, field: &str) -> Result<TypeFilter, ApiError> {
    let wanted: Vec<String> = types
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    validate_types(wanted, field)
}

/// Checks event types: exact types or `subject.*`, each `[a-z_]+.[a-z_]+`.
pub fn validate_types(wanted: Vec<String>, field: &str) -> Result<TypeFilter, ApiError> {
    let well_formed = |t: &str| {
        let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        t.split_once('.')
            .is_some_and(|(subject, action)| word(subject) && (action == "*" || word(action)))
    };
    let errors: Vec<FieldError> = wanted
        .iter()
        .filter(|t| !well_formed(t))
        .map(|t| FieldError::new(field, format!("`{t}` is not an event type or `subject.*`")))
        .collect();
    if errors.is_empty() {
        Ok(TypeFilter(wanted))
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Who may read events, and which: the administrator all; an integration public items' and
/// its own organisation's.
pub fn audience(conn: &mut DbConnection, caller: &Caller) -> Result<Audience, ApiError> {
    if caller.has_role(Role::Admin) {
        return Ok(Audience::Everything);
    }
    let Some(org) = caller.org.as_deref() else {
        return Err(ApiError::Forbidden(
            "an integration token names its organisation".into(),
        ));
    };
    let organization = organizations::find(conn, org)
        .map_err(|_| ApiError::Forbidden(format!("the token's organisation `{org}` is unknown")))?;
    Ok(Audience::Organization(organization.id))
}

/// The events the caller may see after the cursor, in commit order.
pub fn feed(
    conn: &mut DbConnection,
    caller: &Caller,
    after: i64,
    types: TypeFilter,
    limit: i64,
) -> Result<EventPage, ApiError> {
    caller.require_any(&[Role::Admin, Role::Integration])?;
    let audience = audience(conn, caller)?;
    store::sequence(conn)?;
    let rows = store::between(conn, after, i64::MAX, &audience, &types, limit)?;
    let next_cursor = rows.last().map_or(after, |e| e.seq).to_string();
    Ok(EventPage {
        items: rows.into_iter().map(EventView::from).collect(),
        next_cursor,
    })
}
