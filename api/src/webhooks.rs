//! The webhook dispatcher: a background task that queues each subscription's new events and
//! sends them in order, signed, retrying with exponential backoff and jitter.
//!
//! Everything it knows is in the database (the subscription's cursor, the queued deliveries and
//! their attempts), so a restart resumes where it stopped; an attempt cut off by the restart is
//! made again (at least once). A delivery is leased while it is attempted, so two dispatchers
//! never send the same one at once.

use std::time::{Duration, Instant};

use chrono::TimeDelta;
use hmac::{Hmac, Mac};
use os2pm_persistence::events::{self, EventRow};
use os2pm_persistence::webhooks::{self as store, Attempt, DeliveryRow, Next, WebhookRow};
use os2pm_persistence::{Pool, StoreError};
use rand::Rng;
use sha2::Sha256;

use crate::config::WebhookConfig;
use crate::usecases::events::EventView;
use crate::webhook_targets::TargetPolicy;

pub const DELIVERY_HEADER: &str = "x-os2pm-delivery";
pub const EVENT_HEADER: &str = "x-os2pm-event";
pub const EVENT_TYPE_HEADER: &str = "x-os2pm-event-type";
pub const TIMESTAMP_HEADER: &str = "x-os2pm-timestamp";
pub const SIGNATURE_HEADER: &str = "x-os2pm-signature";

/// How many new events a subscription queues per round.
const BATCH: i64 = 500;

/// `sha256=<hex>` of HMAC-SHA256 with the subscription's secret over `<timestamp>.<body>`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// What an attempt's answer means for the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Try again later: network errors, timeouts, 5xx, 408 and 429.
    Retry,
    /// The receiver refused it (any other 4xx, or a redirect): no point in retrying.
    Refused,
}

pub fn verdict(status: Option<u16>) -> Verdict {
    match status {
        Some(200..=299) => Verdict::Delivered,
        None | Some(408 | 429 | 500..=599) => Verdict::Retry,
        Some(_) => Verdict::Refused,
    }
}

/// The wait before attempt `attempts + 1`: `backoff · 2^(attempts − 1)`, at most `max_backoff`,
/// scaled by `jitter` ∈ [0.5, 1] so that receivers coming back are not hit in lockstep.
pub fn retry_delay(config: &WebhookConfig, attempts: u32, jitter: f64) -> Duration {
    let doubled = config
        .backoff
        .saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1)));
    doubled
        .min(config.max_backoff)
        .mul_f64(jitter.clamp(0.5, 1.0))
}

/// Runs the dispatcher until the task is dropped.
pub fn spawn(pool: Pool, config: WebhookConfig) -> actix_web::rt::task::JoinHandle<()> {
    crate::auth::install_tls_provider();
    actix_web::rt::spawn(async move {
        let targets = TargetPolicy::new(&config.allow_hosts, config.allow_http_loopback);
        let client = match reqwest::Client::builder()
            .dns_resolver(targets.resolver())
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("os2pm-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
        {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "webhooks: cannot build the HTTP client; no deliveries");
                return;
            }
        };
        let dispatcher = Dispatcher {
            pool,
            config,
            client,
            targets,
        };
        loop {
            dispatcher.round().await;
            actix_web::rt::time::sleep(dispatcher.config.poll).await;
        }
    })
}

struct Dispatcher {
    pool: Pool,
    config: WebhookConfig,
    client: reqwest::Client,
    targets: TargetPolicy,
}

impl Dispatcher {
    async fn db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut os2pm_persistence::DbConnection) -> Result<T, StoreError>
        + Send
        + 'static,
    ) -> Result<T, StoreError> {
        let pool = self.pool.clone();
        actix_web::rt::task::spawn_blocking(move || pool.get()?.serve(work))
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
    }

    /// One round over every subscription, side by side: a slow receiver delays only its own.
    async fn round(&self) {
        // Committed events get their places in the feed here even when nobody reads it.
        if let Err(error) = self.db(events::sequence).await {
            tracing::warn!(%error, "webhooks: cannot give new events their places");
            return;
        }
        let subscriptions = match self.db(|conn| store::list(conn, None)).await {
            Ok(subscriptions) => subscriptions,
            Err(error) => {
                tracing::warn!(%error, "webhooks: cannot read the subscriptions");
                return;
            }
        };
        let rounds = subscriptions.iter().map(|webhook| async move {
            if let Err(error) = self.serve(webhook).await {
                tracing::warn!(%error, webhook = %webhook.id, "webhooks: round failed");
            }
        });
        futures_util::future::join_all(rounds).await;
    }

    /// Queues the subscription's new events, then sends what is due, oldest first, until a
    /// delivery has to wait: later ones wait behind it, so order holds.
    async fn serve(&self, webhook: &WebhookRow) -> Result<(), StoreError> {
        let id = webhook.id.clone();
        self.db(move |conn| store::enqueue_new_events(conn, &id, BATCH, os2pm_persistence::now()))
            .await?;
        loop {
            let id = webhook.id.clone();
            let Some((delivery, event)) = self.db(move |conn| store::head(conn, &id)).await? else {
                return Ok(());
            };
            // Not due yet, or another instance's dispatcher holds it: later ones wait behind it.
            let lease = TimeDelta::from_std(self.config.timeout + Duration::from_secs(5))
                .unwrap_or(TimeDelta::MAX);
            let delivery_seq = delivery.id;
            if self
                .db(move |conn| store::lease(conn, delivery_seq, lease))
                .await?
                .is_none()
            {
                return Ok(());
            }
            let attempt = self.attempt(webhook, &delivery, event).await;
            let finished = !matches!(attempt.next, Next::RetryAfter(_));
            self.db(move |conn| store::record_attempt(conn, delivery_seq, &attempt))
                .await?;
            if !finished {
                return Ok(());
            }
        }
    }

    async fn attempt(
        &self,
        webhook: &WebhookRow,
        delivery: &DeliveryRow,
        event: EventRow,
    ) -> Attempt {
        let at = os2pm_persistence::now();
        let event_id = event.event_id.clone();
        let event_type = event.event_type.clone();
        let body = serde_json::to_vec(&EventView::from(event)).unwrap_or_default();
        let timestamp = at.and_utc().timestamp();
        let started = Instant::now();
        // Checked again as it is sent: a target registered under other rules, or an address
        // written into the URL, that is not public now is not called.
        if let Err(rule) = self.targets.check_url(&webhook.url) {
            return Attempt {
                at,
                status_code: None,
                error: Some(format!("not called: the URL {rule}")),
                duration_ms: 0,
                next: Next::Failed,
            };
        }
        let answer = self
            .client
            .post(&webhook.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(DELIVERY_HEADER, &delivery.delivery_id)
            .header(EVENT_HEADER, event_id)
            .header(EVENT_TYPE_HEADER, event_type)
            .header(TIMESTAMP_HEADER, timestamp)
            .header(SIGNATURE_HEADER, sign(&webhook.secret, timestamp, &body))
            .body(body)
            .send()
            .await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (status, error) = match answer {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(error) => (None, Some(describe(&error))),
        };
        let attempts = u32::try_from(delivery.attempts).unwrap_or(0) + 1;
        let next = match verdict(status) {
            Verdict::Delivered => Next::Delivered,
            Verdict::Refused => Next::Failed,
            Verdict::Retry if attempts >= self.config.max_attempts => Next::Failed,
            Verdict::Retry => {
                let delay =
                    retry_delay(&self.config, attempts, rand::rng().random_range(0.5..=1.0));
                Next::RetryAfter(TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX))
            }
        };
        Attempt {
            at,
            status_code: status.map(i32::from),
            error,
            duration_ms,
            next,
        }
    }
}

/// A network error as the subscriber reads it: what kind, no more. Whether a connection was
/// refused, reset or failed its TLS handshake would tell a subscriber which ports answer on a
/// host (a scan through os2pm); the causes go to the service's log.
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut causes = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        causes.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    tracing::info!(%causes, "webhooks: an attempt {kind}");
    kind.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> WebhookConfig {
        WebhookConfig {
            allow_http_loopback: false,
            allow_hosts: Vec::new(),
            per_organization: 20,
            max_attempts: 10,
            timeout: Duration::from_secs(10),
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(60),
            poll: Duration::from_secs(1),
        }
    }

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_and_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        assert_eq!(
            sign("secret", 1_700_000_000, br#"{"a":1}"#),
            "sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686"
        );
    }

    #[test]
    fn retries_double_up_to_the_ceiling_with_jitter() {
        let c = config();
        assert_eq!(retry_delay(&c, 1, 1.0), Duration::from_secs(2));
        assert_eq!(retry_delay(&c, 2, 1.0), Duration::from_secs(4));
        assert_eq!(retry_delay(&c, 4, 1.0), Duration::from_secs(16));
        assert_eq!(retry_delay(&c, 30, 1.0), Duration::from_secs(60));
        assert_eq!(retry_delay(&c, 2, 0.5), Duration::from_secs(2));
        assert_eq!(
            retry_delay(&c, 2, 0.1),
            Duration::from_secs(2),
            "jitter ≥ ½"
        );
    }

    #[test]
    fn network_errors_timeouts_and_5xx_are_retried_other_4xx_are_not() {
        assert_eq!(verdict(Some(200)), Verdict::Delivered);
        assert_eq!(verdict(Some(204)), Verdict::Delivered);
        assert_eq!(verdict(None), Verdict::Retry);
        assert_eq!(verdict(Some(503)), Verdict::Retry);
        assert_eq!(verdict(Some(429)), Verdict::Retry);
        assert_eq!(verdict(Some(408)), Verdict::Retry);
        assert_eq!(verdict(Some(400)), Verdict::Refused);
        assert_eq!(verdict(Some(410)), Verdict::Refused);
        assert_eq!(verdict(Some(301)), Verdict::Refused);
    }
}
