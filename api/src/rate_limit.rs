//! Per-client limits (governor's GCRA, keyed by the client's address, kept per process): on
//! anonymous requests, and on failed sign-ins, so neither a scraper nor a token guesser can
//! take the service from the rest. Signed-in requests are not limited.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{ResponseError, web};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// How often (in checks) addresses not seen for a while are forgotten.
const HOUSEKEEPING_EVERY: u64 = 4096;

pub struct RateLimits {
    anonymous: DefaultKeyedRateLimiter<IpAddr>,
    failed_sign_ins: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    checks: AtomicU64,
}

impl RateLimits {
    /// `per_minute` requests a minute per client address, in bursts of as many; `None` for 0
    /// (off).
    pub fn per_minute(per_minute: u32) -> Option<Self> {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute)?);
        Some(Self {
            anonymous: RateLimiter::keyed(quota),
            failed_sign_ins: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
        })
    }

    /// Counts one against `client` on `limiter`; how long to wait when it is over.
    fn take(&self, limiter: &DefaultKeyedRateLimiter<IpAddr>, client: IpAddr) -> Option<u64> {
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(HOUSEKEEPING_EVERY)
        {
            self.anonymous.retain_recent();
            self.failed_sign_ins.retain_recent();
        }
        limiter.check_key(&client).err().map(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            // At least a second: Retry-After counts whole seconds.
            wait.max(Duration::from_secs(1)).as_secs_f64().ceil() as u64
        })
    }
}

/// Refuses a client over its limit with 429 and `Retry-After`: an anonymous request before it
/// is handled, a failed sign-in (401) in place of its answer.
pub async fn limit(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let limits = request.app_data::<web::Data<RateLimits>>().cloned();
    let client = request.peer_addr().map(|address| address.ip());
    let (Some(limits), Some(client)) = (limits, client) else {
        return next
            .call(request)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let anonymous = !request.headers().contains_key(header::AUTHORIZATION);
    if anonymous && let Some(wait) = limits.take(&limits.anonymous, client) {
        let refusal = ApiError::TooManyRequests(wait).error_response();
        return Ok(request.into_response(refusal).map_into_right_body());
    }
    let response = next.call(request).await?;
    if response.status() == StatusCode::UNAUTHORIZED
        && let Some(wait) = limits.take(&limits.failed_sign_ins, client)
    {
        let refusal = ApiError::TooManyRequests(wait).error_response();
        let (request, _) = response.into_parts();
        return Ok(ServiceResponse::new(request, refusal).map_into_right_body());
    }
    Ok(response.map_into_left_body())
}
