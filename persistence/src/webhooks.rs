//! Webhook subscriptions and their deliveries: the dispatcher's durable queue. A delivery is
//! written before it is attempted and finished only after the receiver answered, so a restart
//! loses nothing (it may deliver again: at least once).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::events::{self, Audience, EventRow, TypeFilter};
use crate::schema::{delivery_attempts, webhook_deliveries, webhooks};
use crate::{DbConnection, StoreError, in_transaction};

/// Where a delivery stands: tried again until it is delivered or given up as failed.
pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";
pub const DELIVERY_STATES: [&str; 3] = [PENDING, DELIVERED, FAILED];

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: String,
    /// The subscribing integration's organisation; `None` for the administrator's.
    pub organization_id: Option<String>,
    pub url: String,
    /// A JSON array of types (`project.placed`) or subjects (`project.*`).
    pub event_types: String,
    pub secret: String,
    pub cursor: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

impl WebhookRow {
    pub fn types(&self) -> TypeFilter {
        TypeFilter(serde_json::from_str(&self.event_types).unwrap_or_default())
    }

    /// Whose events the subscription may receive: its organisation's view, or everything.
    pub fn audience(&self) -> Audience {
        self.organization_id
            .clone()
            .map_or(Audience::Everything, Audience::Organization)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: i64,
    pub delivery_id: String,
    pub webhook_id: String,
    /// The event's row (`events.id`), not its place in the feed (`events.seq`); the column
    /// kept its older name.
    #[diesel(column_name = event_seq)]
    pub event_row: i64,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub leased_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    /// A redelivery the subscriber asked for: the delivery it repeats.
    pub redelivery_of: Option<String>,
}

impl DeliveryRow {
    /// Waiting for its (next) attempt.
    pub fn is_pending(&self) -> bool {
        self.state == PENDING
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = delivery_attempts)]
pub struct AttemptRow {
    pub id: i64,
    pub delivery_id: i64,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

pub fn insert(conn: &mut DbConnection, webhook: &WebhookRow) -> Result<(), StoreError> {
    diesel::insert_into(webhooks::table)
        .values(webhook)
        .execute(conn)?;
    Ok(())
}

/// A subscription that has not been deleted.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<WebhookRow, StoreError> {
    Ok(webhooks::table
        .find(id)
        .filter(webhooks::deleted_at.is_null())
        .select(WebhookRow::as_select())
        .first(conn)?)
}

/// The live subscriptions, of one organisation (`Some`) or all.
pub fn list(
    conn: &mut DbConnection,
    organization_id: Option<&str>,
) -> Result<Vec<WebhookRow>, StoreError> {
    let mut query = webhooks::table
        .filter(webhooks::deleted_at.is_null())
        .order(webhooks::created_at)
        .select(WebhookRow::as_select())
        .into_boxed();
    if let Some(organization) = organization_id {
        query = query.filter(webhooks::organization_id.eq(organization.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Deletes a subscription: nothing more is delivered; its deliveries stay readable.
/// How many live subscriptions the organisation (`None`: the administrator) has.
pub fn count(conn: &mut DbConnection, organization_id: Option<&str>) -> Result<i64, StoreError> {
    let live = webhooks::table
        .filter(webhooks::deleted_at.is_null())
        .into_boxed();
    let of = match organization_id {
        Some(org) => live.filter(webhooks::organization_id.eq(org)),
        None => live.filter(webhooks::organization_id.is_null()),
    };
    Ok(of.count().get_result(conn)?)
}

pub fn delete(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    let deleted = diesel::update(
        webhooks::table
            .find(id)
            .filter(webhooks::deleted_at.is_null()),
    )
    .set(webhooks::deleted_at.eq(at))
    .execute(conn)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Queues a delivery of every new event the subscription wants, up to `batch` events, and
/// moves its cursor past what it considered. One transaction: no event is queued twice or
/// skipped, however many dispatchers (one per instance) run it at once.
pub fn enqueue_new_events(
    conn: &mut DbConnection,
    webhook_id: &str,
    batch: i64,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    in_transaction(conn, |conn| {
        let webhook = find(conn, webhook_id)?;
        // Every place up to `upto` is taken, so no event can still appear below it.
        let upto = events::latest(conn)?.min(webhook.cursor.saturating_add(batch));
        if upto <= webhook.cursor {
            return Ok(0);
        }
        // Compare and set, first: the update holds the subscription's row until this
        // transaction ends, and a dispatcher that read the same cursor finds it moved (its
        // update, re-checked against the committed row, changes nothing) and queues nothing.
        // The cursor only moves forward.
        let taken = diesel::update(
            webhooks::table
                .find(webhook_id)
                .filter(webhooks::cursor.eq(webhook.cursor)),
        )
        .set(webhooks::cursor.eq(upto))
        .execute(conn)?;
        if taken == 0 {
            return Ok(0);
        }
        let wanted = events::between(
            conn,
            webhook.cursor,
            upto,
            &webhook.audience(),
            &webhook.types(),
            batch,
        )?;
        let due = crate::database_now(conn)?;
        for event in &wanted {
            queue(conn, webhook_id, event.id, None, (now, due))?;
        }
        Ok(wanted.len())
    })
}

/// Queues `event_row` for the subscription, written at `now` and due at `due` (the database's
/// clock, which leases read); a redelivery names the delivery it repeats (only one delivery of
/// an event is not a redelivery: a unique index holds it).
fn queue(
    conn: &mut DbConnection,
    webhook_id: &str,
    event_row: i64,
    redelivery_of: Option<&str>,
    (now, due): (NaiveDateTime, NaiveDateTime),
) -> Result<String, StoreError> {
    let delivery_id = uuid::Uuid::now_v7().to_string();
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::delivery_id.eq(&delivery_id),
            webhook_deliveries::webhook_id.eq(webhook_id),
            webhook_deliveries::event_seq.eq(event_row),
            webhook_deliveries::redelivery_of.eq(redelivery_of),
            webhook_deliveries::state.eq(PENDING),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(due),
            webhook_deliveries::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(delivery_id)
}

/// The subscription's oldest unfinished delivery and its event: the next to send, since
/// deliveries go out in order.
pub fn head(
    conn: &mut DbConnection,
    webhook_id: &str,
) -> Result<Option<(DeliveryRow, EventRow)>, StoreError> {
    let delivery: Option<DeliveryRow> = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .filter(webhook_deliveries::state.eq(PENDING))
        .order(webhook_deliveries::id)
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()?;
    delivery
        .map(|d| Ok((events::at(conn, d.event_row)?, d)))
        .transpose()
        .map(|found| found.map(|(event, delivery)| (delivery, event)))
}

/// Takes the delivery for one attempt of at most `lease`, unless it is not due yet or another
/// dispatcher holds it; answers the moment it was taken. Times are the database's, so
/// instances whose clocks differ agree on who holds what.
pub fn lease(
    conn: &mut DbConnection,
    delivery: i64,
    lease: chrono::TimeDelta,
) -> Result<Option<NaiveDateTime>, StoreError> {
    in_transaction(conn, |conn| {
        let now = crate::database_now(conn)?;
        let until = now.checked_add_signed(lease).unwrap_or(NaiveDateTime::MAX);
        let taken = diesel::update(
            webhook_deliveries::table
                .find(delivery)
                .filter(webhook_deliveries::state.eq(PENDING))
                .filter(webhook_deliveries::next_attempt_at.le(now))
                .filter(
                    webhook_deliveries::leased_until
                        .is_null()
                        .or(webhook_deliveries::leased_until.lt(now)),
                ),
        )
        .set(webhook_deliveries::leased_until.eq(until))
        .execute(conn)?;
        Ok((taken == 1).then_some(now))
    })
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    /// `delivered`, `failed`, or `pending` with the delay before the next attempt.
    pub next: Next,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Delivered,
    Failed,
    /// Pending again, due this long after now on the database's clock.
    RetryAfter(chrono::TimeDelta),
}

/// Records an attempt and its consequence for the delivery, together.
pub fn record_attempt(
    conn: &mut DbConnection,
    delivery: i64,
    attempt: &Attempt,
) -> Result<(), StoreError> {
    in_transaction(conn, |conn| {
        diesel::insert_into(delivery_attempts::table)
            .values((
                delivery_attempts::delivery_id.eq(delivery),
                delivery_attempts::attempted_at.eq(attempt.at),
                delivery_attempts::status_code.eq(attempt.status_code),
                delivery_attempts::error.eq(&attempt.error),
                delivery_attempts::duration_ms.eq(attempt.duration_ms),
            ))
            .execute(conn)?;
        let (state, next_attempt_at, finished_at) = match attempt.next {
            Next::Delivered => (DELIVERED, attempt.at, Some(attempt.at)),
            Next::Failed => (FAILED, attempt.at, Some(attempt.at)),
            Next::RetryAfter(delay) => {
                let due = crate::database_now(conn)?;
                (
                    PENDING,
                    due.checked_add_signed(delay).unwrap_or(NaiveDateTime::MAX),
                    None,
                )
            }
        };
        diesel::update(webhook_deliveries::table.find(delivery))
            .set((
                webhook_deliveries::state.eq(state),
                webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                webhook_deliveries::next_attempt_at.eq(next_attempt_at),
                webhook_deliveries::leased_until.eq(None::<NaiveDateTime>),
                webhook_deliveries::finished_at.eq(finished_at),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// A subscription's deliveries, newest first, each with its event type and attempts.
pub fn deliveries(
    conn: &mut DbConnection,
    webhook_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<(DeliveryRow, EventRow, Vec<AttemptRow>)>, StoreError> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(before));
    }
    let rows: Vec<DeliveryRow> = query.load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
    let attempts: Vec<AttemptRow> = delivery_attempts::table
        .filter(delivery_attempts::delivery_id.eq_any(&ids))
        .order(delivery_attempts::id)
        .select(AttemptRow::as_select())
        .load(conn)?;
    rows.into_iter()
        .map(|delivery| {
            let event = events::at(conn, delivery.event_row)?;
            let mine = attempts
                .iter()
                .filter(|a| a.delivery_id == delivery.id)
                .cloned()
                .collect();
            Ok((delivery, event, mine))
        })
        .collect()
}

/// Queues the event of a finished delivery again, behind what is queued already.
pub fn redeliver(
    conn: &mut DbConnection,
    webhook_id: &str,
    delivery_id: &str,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    in_transaction(conn, |conn| {
        let original: DeliveryRow = webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .filter(webhook_deliveries::delivery_id.eq(delivery_id))
            .select(DeliveryRow::as_select())
            .first(conn)?;
        if original.state == PENDING {
            return Err(StoreError::Conflict(
                "the delivery is still being attempted".into(),
            ));
        }
        let due = crate::database_now(conn)?;
        queue(
            conn,
            webhook_id,
            original.event_row,
            Some(&original.delivery_id),
            (now, due),
        )
    })
}
