//! Webhook subscriptions (administrator; an integration for its own organisation) and their
//! deliveries. The dispatcher in `crate::webhooks` sends them.

use actix_web::{HttpResponse, delete, get, post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply};
use crate::usecases::webhooks;
use crate::usecases::webhooks::{
    DeliveriesQuery, DeliveryPage, DeliveryView, NewWebhook, Subscription, WebhookView,
};

/// Subscribes a URL to events. It receives only events from now on, in order, signed.
#[utoipa::path(
    operation_id = "createWebhook",
    tag = "events",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Subscribed; the secret is shown this once", body = WebhookView, headers(("Location" = String))),
        (status = 403, description = "Neither administrator nor integration, or another organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The organisation has as many webhooks as it may (OS2PM_WEBHOOKS_PER_ORG)", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid event types, secret or organisation, or a URL os2pm will not call: not https, credentials in it, or a host that is not public (loopback, private, link-local, shared, multicast, unspecified or reserved, in any spelling, or a single-label name), named", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewWebhook>,
) -> Result<StoredReply, ApiError> {
    let request = Subscription::checked(body.into_inner(), &state.webhook_targets)?;
    request.check_resolved(&state.webhook_targets).await?;
    let limit = state.webhooks_per_organization;
    state
        .db(move |conn| webhooks::subscribe(conn, &caller, idempotency_key, request, limit))
        .await
}

/// The subscriptions the caller may manage.
#[utoipa::path(
    operation_id = "listWebhooks",
    tag = "events",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "The subscriptions, one page at a time", body = Page<WebhookView>),
        (status = 403, description = "Neither administrator nor integration", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let views = state.db(move |conn| webhooks::list(conn, &caller)).await?;
    Ok(HttpResponse::Ok().json(Page::from_list(views, &page)?))
}

/// One subscription.
#[utoipa::path(
    operation_id = "getWebhook",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The subscription", body = WebhookView),
        (status = 403, description = "Not yours", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchWebhook,
    )
)]
#[get("/api/v1/webhooks/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = state
        .db(move |conn| webhooks::view(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Ends a subscription: nothing more is delivered. Its deliveries stay readable.
#[utoipa::path(
    operation_id = "deleteWebhook",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not yours", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchWebhook,
    )
)]
#[delete("/api/v1/webhooks/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .db(move |conn| webhooks::unsubscribe(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every delivery of a subscription with every attempt, newest first.
#[utoipa::path(
    operation_id = "listDeliveries",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path), DeliveriesQuery),
    responses(
        (status = 200, description = "The deliveries", body = DeliveryPage),
        (status = 403, description = "Not yours", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchWebhook,
        (status = 422, description = "Invalid limit or cursor", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/webhooks/{id}/deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::validation("limit", "must be between 1 and 200"));
    }
    let before = query
        .cursor
        .as_deref()
        .map(|c| {
            c.parse::<i64>().map_err(|_| {
                ApiError::validation("cursor", "is not a cursor this service gave out")
            })
        })
        .transpose()?;
    let page = state
        .db(move |conn| webhooks::deliveries(conn, &caller, &id, before, limit))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Sends a delivered or failed delivery's event again, as a new delivery behind those queued.
#[utoipa::path(
    operation_id = "redeliver",
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path), ("delivery_id" = String, Path)),
    responses(
        (status = 202, description = "Queued again: the new delivery", body = DeliveryView),
        (status = 403, description = "Not yours", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook or delivery", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The delivery is still pending", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery_id) = path.into_inner();
    let view = state
        .db(move |conn| webhooks::redeliver(conn, &caller, &id, &delivery_id))
        .await?;
    Ok(HttpResponse::Accepted().json(view))
}
