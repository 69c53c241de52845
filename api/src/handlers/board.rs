//! The board roster: the seated members and their chair. Only a seated member's vote counts.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use os2pm_groups::board::{Seat, check_roster};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::board::{self as store, SeatRow};
use os2pm_persistence::people::{self};
use os2pm_persistence::{StoreError, in_transaction};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError, ProblemSchema};
use crate::request::{IfMatch, with_etag};
use crate::usecases::board::Roster;
use crate::usecases::board::domain_seat;
use crate::usecases::board::load_roster;
use crate::usecases::board::today;

/// A seat as set by PUT.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatRequest {
    /// The person's id or `sub`.
    pub person: String,
    #[serde(default)]
    pub chair: bool,
    pub seat_from: NaiveDate,
    pub seat_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"members": [
    {"person": "mette@kl.dk", "chair": true, "seat_from": "2026-01-01"},
    {"person": "jens@aarhus.dk", "seat_from": "2026-01-01", "seat_until": "2027-12-31"}
]}))]
pub struct RosterRequest {
    pub members: Vec<SeatRequest>,
}

/// The board roster, with each member's seat period and whether they are seated today.
#[utoipa::path(
    get, path = "/api/v1/board/members", tag = "board",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The roster", body = Roster, headers(("ETag" = String))),
        (status = 403, description = "Neither administrator nor business manager", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
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
    put, path = "/api/v1/board/members", tag = "board",
    security(("bearer" = [])),
    request_body = RosterRequest,
    params(("If-Match" = String, Header, description = "The roster's ETag")),
    responses(
        (status = 200, description = "The new roster", body = Roster, headers(("ETag" = String))),
        (status = 403, description = "Neither administrator nor business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown people, or not exactly one seated chair", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn put(
    state: web::Data<AppState>,
    caller: Caller,
    if_match: IfMatch,
    request: HttpRequest,
    body: web::Json<RosterRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Admin, Role::Forretningsleder])?;
    let roster = body.into_inner();
    let (version, roster) = state
        .db(move |conn| {
            in_transaction(conn, |conn| {
                let (_, before) = load_roster(conn)?;
                let mut errors = Vec::new();
                let mut seats = Vec::new();
                for (i, seat) in roster.members.iter().enumerate() {
                    match people::find(conn, &seat.person) {
                        Ok(person) => seats.push(SeatRow {
                            person_id: person.id,
                            chair: seat.chair,
                            seat_from: seat.seat_from,
                            seat_until: seat.seat_until,
                        }),
                        Err(StoreError::NotFound) => errors.push(FieldError::new(
                            format!("members[{i}].person"),
                            format!("no person with id or sub `{}`", seat.person),
                        )),
                        Err(other) => return Err(other.into()),
                    }
                }
                let domain: Vec<Seat> = seats.iter().map(domain_seat).collect();
                errors.extend(
                    check_roster(&domain, today())
                        .into_iter()
                        .map(|e| FieldError::new("members", e.to_string())),
                );
                if !errors.is_empty() {
                    return Err(ApiError::Validation(errors));
                }
                store::replace(conn, if_match.0, &seats)?;
                let (version, after) = load_roster(conn)?;
                audit::append(
                    conn,
                    NewEntry {
                        subject_type: "board",
                        subject_id: "roster",
                        action: "roster_replaced",
                        actor: &caller.actor(),
                        before: serde_json::to_string(&before.members).ok(),
                        after: serde_json::to_string(&after.members).ok(),
                        reason: None,
                    },
                )?;
                Ok((version, after))
            })
        })
        .await?;
    Ok(with_etag(&request, version, &roster))
}
