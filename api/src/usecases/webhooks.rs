//! Webhook subscriptions (administrator; an integration for its own organisation) and their
//! deliveries. The dispatcher in `crate::webhooks` sends them.

use chrono::{DateTime, Utc};
use os2pm_persistence::webhooks::{self as store, AttemptRow, DeliveryRow, WebhookRow};
use os2pm_persistence::{DbConnection, StoreError, events, organizations};
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::request::{IdempotencyKey, Problems, StoredReply};
use crate::usecases::events::{EventSubject, validate_types};
use crate::usecases::{created, to_body};
use crate::webhook_targets::TargetPolicy;

const MIN_SECRET: usize = 24;

const MAX_SECRET: usize = 256;

const MAX_URL: usize = 2048;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://intranet.aarhus.dk/hooks/os2pm",
    "event_types": ["project.*", "meeting.planned"]
}))]
pub struct NewWebhook {
    /// `https://` to a host whose every address is public (no loopback, private, link-local,
    /// shared, multicast, unspecified or reserved address, in any spelling, nor a single-label
    /// name); hosts the service allows are the exception (`http://` to them in development).
    pub url: String,
    /// Event types (`project.placed`) or whole subjects (`project.*`); empty or absent: all.
    #[serde(default)]
    pub event_types: Vec<String>,
    /// The signing secret, 24–256 characters; generated when absent, and shown only in this
    /// response.
    pub secret: Option<String>,
    /// The administrator may subscribe on an organisation's behalf (code or id); an
    /// integration always subscribes for its own.
    pub organization: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub url: String,
    pub event_types: Vec<String>,
    /// The organisation whose view of the events it receives; `null`: every event.
    pub organization_id: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Only in the response that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl From<&WebhookRow> for WebhookView {
    fn from(w: &WebhookRow) -> Self {
        Self {
            id: w.id.clone(),
            url: w.url.clone(),
            event_types: w.types().0,
            organization_id: w.organization_id.clone(),
            created_by: w.created_by.clone(),
            created_at: w.created_at.and_utc(),
            secret: None,
        }
    }
}

/// The caller's organisation id (an integration), or `None` for the administrator.
fn scope(conn: &mut DbConnection, caller: &Caller) -> Result<Option<String>, ApiError> {
    match crate::usecases::events::audience(conn, caller)? {
        events::Audience::Everything => Ok(None),
        events::Audience::Organization(id) => Ok(Some(id)),
    }
}

/// A live subscription the caller may manage: the administrator any, an integration its own.
fn own(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<WebhookRow, ApiError> {
    let webhook = store::find(conn, id).map_err(|e| match e {
        StoreError::NotFound => ApiError::NotFound(format!("no webhook `{id}`")),
        other => other.into(),
    })?;
    match scope(conn, caller)? {
        Some(org) if webhook.organization_id.as_deref() != Some(org.as_str()) => Err(
            ApiError::Forbidden("the webhook belongs to another organisation".into()),
        ),
        _ => Ok(webhook),
    }
}

/// One attempt to deliver.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttemptView {
    pub attempted_at: DateTime<Utc>,
    /// The receiver's status; `null` when it could not be reached or did not answer in time.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

impl From<&AttemptRow> for AttemptView {
    fn from(a: &AttemptRow) -> Self {
        Self {
            attempted_at: a.attempted_at.and_utc(),
            status_code: a.status_code,
            error: a.error.clone(),
            duration_ms: a.duration_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Sent as `X-OS2PM-Delivery`.
    pub id: String,
    /// Sent as `X-OS2PM-Event`.
    pub event_id: String,
    pub event_type: String,
    pub subject: EventSubject,
    #[schema(schema_with = delivery_state_schema)]
    pub state: String,
    pub attempts: Vec<AttemptView>,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// A redelivery asked for: the id of the delivery it repeats. Only a redelivery repeats an
    /// event for a subscription.
    pub redelivery_of: Option<String>,
}

fn delivery_state_schema() -> utoipa::openapi::Object {
    crate::request::closed_set(
        "`pending` (tried again until delivered or given up), `delivered` or `failed`",
        os2pm_persistence::webhooks::DELIVERY_STATES,
    )
}

fn delivery_view(
    delivery: &DeliveryRow,
    event: &events::EventRow,
    attempts: &[AttemptRow],
) -> DeliveryView {
    DeliveryView {
        id: delivery.delivery_id.clone(),
        event_id: event.event_id.clone(),
        event_type: event.event_type.clone(),
        subject: EventSubject {
            subject_type: event.subject_type.clone(),
            id: event.subject_id.clone(),
        },
        state: delivery.state.clone(),
        attempts: attempts.iter().map(AttemptView::from).collect(),
        next_attempt_at: delivery
            .is_pending()
            .then(|| delivery.next_attempt_at.and_utc()),
        created_at: delivery.created_at.and_utc(),
        finished_at: delivery.finished_at.map(|at| at.and_utc()),
        redelivery_of: delivery.redelivery_of.clone(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryPage {
    /// Newest first.
    pub items: Vec<DeliveryView>,
    pub next_cursor: Option<String>,
}

/// Registers a webhook: for the integration's own organisation, or any (an administrator). The
/// secret is shown once.
pub fn subscribe(
    conn: &mut DbConnection,
    caller: &Caller,
    idempotency_key: IdempotencyKey,
    subscription: Subscription,
    per_organization: u32,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Admin, Role::Integration])?;
    let request = subscription.0;
    idempotency_key.run(conn, caller, &request, |conn| {
        let organization_id = match (scope(conn, caller)?, &request.organization) {
            (Some(own), None) => Some(own),
            (Some(own), Some(asked)) => {
                let asked = organizations::find(conn, asked).ok().map(|o| o.id);
                if asked.as_deref() != Some(own.as_str()) {
                    return Err(ApiError::Forbidden(
                        "an integration subscribes for its own organisation".into(),
                    ));
                }
                Some(own)
            }
            (None, Some(asked)) => Some(
                organizations::find(conn, asked)
                    .map_err(|_| {
                        ApiError::validation("organization", format!("no organisation `{asked}`"))
                    })?
                    .id,
            ),
            (None, None) => None,
        };
        let secret = request
            .secret
            .clone()
            .unwrap_or_else(|| hex::encode(rand::rng().random::<[u8; 32]>()));
        let held = store::count(conn, organization_id.as_deref())?;
        if held >= i64::from(per_organization) {
            return Err(ApiError::Conflict(format!(
                "the organisation has {held} webhooks, as many as it may; delete one first"
            )));
        }
        // It starts after every event that has committed.
        events::sequence(conn)?;
        let row = WebhookRow {
            id: crate::usecases::new_id(),
            organization_id,
            url: request.url.clone(),
            event_types: serde_json::to_string(&request.event_types)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            secret: secret.clone(),
            cursor: events::latest(conn)?,
            created_by: caller.sub.clone(),
            created_at: os2pm_persistence::now(),
            deleted_at: None,
        };
        store::insert(conn, &row)?;
        let view = WebhookView::from(&row);
        let mut outcome = created(
            conn,
            caller,
            ("webhook", &row.id, "created"),
            format!("/api/v1/webhooks/{}", row.id),
            &view,
        )?;
        outcome.body = to_body(&WebhookView {
            secret: Some(secret),
            ..view
        })?;
        Ok(outcome)
    })
}

/// The webhooks the caller may see.
pub fn list(conn: &mut DbConnection, caller: &Caller) -> Result<Vec<WebhookView>, ApiError> {
    caller.require_any(&[Role::Admin, Role::Integration])?;
    let scope = scope(conn, caller)?;
    Ok(store::list(conn, scope.as_deref())?
        .iter()
        .map(WebhookView::from)
        .collect::<Vec<_>>())
}

/// One of the caller's webhooks.
pub fn view(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<WebhookView, ApiError> {
    caller.require_any(&[Role::Admin, Role::Integration])?;
    Ok(WebhookView::from(&own(conn, caller, id)?))
}

/// Deletes one of the caller's webhooks, with its audit entry.
pub fn unsubscribe(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<(), ApiError> {
    caller.require_any(&[Role::Admin, Role::Integration])?;
    os2pm_persistence::in_transaction(conn, |conn| {
        let webhook = own(conn, caller, id)?;
        store::delete(conn, id, os2pm_persistence::now())?;
        os2pm_persistence::audit::append(
            conn,
            os2pm_persistence::audit::NewEntry {
                subject_type: "webhook",
                subject_id: id,
                action: "deleted",
                actor: &caller.actor(),
                before: to_body(&WebhookView::from(&webhook))
                    .ok()
                    .map(|v| v.to_string()),
                after: None,
                reason: None,
            },
        )?;
        Ok::<_, ApiError>(())
    })
}

/// A webhook's deliveries, newest first, before the cursor.
pub fn deliveries(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<DeliveryPage, ApiError> {
    caller.require_any(&[Role::Admin, Role::Integration])?;
    own(conn, caller, id)?;
    let rows = store::deliveries(conn, id, before, limit)?;
    let next_cursor = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|(d, _, _)| d.id.to_string()))
        .flatten();
    Ok(DeliveryPage {
        items: rows
            .iter()
            .map(|(d, e, a)| delivery_view(d, e, a))
            .collect(),
        next_cursor,
    })
}

/// Queues a delivery again.
pub fn redeliver(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    delivery_id: &str,
) -> Result<DeliveryView, ApiError> {
    caller.require_any(&[Role::Admin, Role::Integration])?;
    own(conn, caller, id)?;
    let queued =
        store::redeliver(conn, id, delivery_id, os2pm_persistence::now()).map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound(format!("no delivery `{delivery_id}`")),
            other => other.into(),
        })?;
    store::deliveries(conn, id, None, 200)?
        .iter()
        .find(|(d, _, _)| d.delivery_id == queued)
        .map(|(d, e, a)| delivery_view(d, e, a))
        .ok_or_else(|| ApiError::Internal("the queued delivery vanished".into()))
}

/// A webhook to register, checked: a target os2pm may call, known event types, a secret of a
/// usable length.
pub struct Subscription(NewWebhook);

impl Subscription {
    /// Every field problem at once: a target os2pm may call (public, or allowed), known event
    /// types, a secret of a usable length.
    pub fn checked(request: NewWebhook, targets: &TargetPolicy) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        if request.url.len() > MAX_URL {
            problems.push(FieldError::new("url", "is longer than 2048 characters"));
        } else if let Err(rule) = targets.check_url(&request.url) {
            problems.push(FieldError::new("url", rule));
        }
        if let Err(ApiError::Validation(bad)) =
            validate_types(request.event_types.clone(), "event_types")
        {
            bad.into_iter().for_each(|e| problems.push(e));
        }
        if let Some(secret) = &request.secret
            && !(MIN_SECRET..=MAX_SECRET).contains(&secret.chars().count())
        {
            problems.push(FieldError::new(
                "secret",
                format!("must be {MIN_SECRET} to {MAX_SECRET} characters"),
            ));
        }
        problems.or_command(|| Some(Self(request)))
    }

    /// The addresses its host resolves to now are public (or allowed).
    pub async fn check_resolved(&self, targets: &TargetPolicy) -> Result<(), ApiError> {
        targets
            .check_resolved(&self.0.url)
            .await
            .map_err(|rule| ApiError::validation("url", rule))
    }
}
