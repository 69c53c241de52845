//! The event feed: every change, in commit order, resumable from any cursor.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema};
use crate::usecases::events;
use crate::usecases::events::{EventView, parse_types};

pub const DEFAULT_EVENTS: i64 = 100;
pub const MAX_EVENTS: i64 = 1000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The `cursor` of the last event you have (or the page's `next_cursor`); from the start
    /// without it.
    #[param(example = "1042")]
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub after: Option<String>,
    /// Comma-separated event types (`project.placed`) or whole subjects (`project.*`).
    #[param(example = "project.*,meeting.planned")]
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub types: Option<String>,
    /// How many events, 1 to 1000.
    #[param(minimum = 1, maximum = 1000, default = 100)]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<EventView>,
    /// Where to continue: the last event's cursor, or the `after` you sent when nothing new
    /// has happened. Never null, so a client can keep polling with it.
    pub next_cursor: String,
}

/// The event feed (administrator, integration): every change in commit order, with no gaps and
/// no duplicates across pages; an integration sees public items' events and its own
/// organisation's.
#[utoipa::path(
    operation_id = "listEvents",
    tag = "events",
    security(("bearer" = [])),
    params(FeedQuery),
    responses(
        (status = 200, description = "The next events", body = EventPage),
        (status = 403, description = "Neither administrator nor integration", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid cursor, types or limit", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/events")]
pub async fn feed(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let after = match query.after.as_deref() {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::validation("after", "is not a cursor from this feed"))?,
    };
    let limit = match query.limit {
        None => DEFAULT_EVENTS,
        Some(n) if (1..=MAX_EVENTS).contains(&n) => n,
        Some(_) => {
            return Err(ApiError::validation(
                "limit",
                format!("must be between 1 and {MAX_EVENTS}"),
            ));
        }
    };
    let types = parse_types(query.types.as_deref(), "types")?;
    let page = state
        .db(move |conn| events::feed(conn, &caller, after, types, limit))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
