//! The board roster: the seated members and their chair. Only a seated member's vote counts.

use actix_web::{HttpRequest, HttpResponse, get, put, web};

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IfMatch, valid, with_etag};
use crate::usecases::board;
use crate::usecases::board::{Roster, RosterRequest, load_roster};

/// The board roster, with each member's seat period and whether they are seated today.
#[utoipa::path(
    operation_id = "getBoardRoster",
    tag = "board",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The roster", body = Roster, headers(("ETag" = String))),
        (status = 403, description = "Neither administrator nor business manager", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/board/members")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Admin, Role::Forretningsleder])?;
    let (version, roster) = state.db(load_roster).await?;
    Ok(with_etag(&request, version, &roster))
}

/// Replaces the roster. Exactly one of the members seated today chairs.
#[utoipa::path(
    operation_id = "replaceBoardRoster",
    tag = "board",
    security(("bearer" = [])),
    request_body = RosterRequest,
    params(("If-Match" = String, Header, description = "The roster's ETag")),
    responses(
        (status = 200, description = "The new roster", body = Roster, headers(("ETag" = String))),
        (status = 403, description = "Neither administrator nor business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown people, not exactly one seated chair, or a date outside 1900–2200", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/board/members")]
pub async fn put(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<RosterRequest>,
    if_match: IfMatch,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let roster = valid(body.into_inner())?;
    let (version, roster) = state
        .db(move |conn| board::seat(conn, &caller, if_match, roster))
        .await?;
    Ok(with_etag(&request, version, &roster))
}
