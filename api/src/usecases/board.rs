//! The board roster: the seated members and their chair. Only a seated member's vote counts.

use chrono::{NaiveDate, Utc};
use os2pm_groups::board::{Seat, check_roster};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::board::{self as store, SeatRow};
use os2pm_persistence::people::{self, PersonRow};
use os2pm_persistence::{DbConnection, StoreError, in_transaction};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Role;
use crate::error::{ApiError, FieldError};
use crate::request::IfMatch;
use crate::usecases::Caller;
use crate::usecases::people::organization_label;

/// One seat on the board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardMember {
    pub person_id: String,
    /// The `sub` of the member's tokens.
    pub sub: String,
    pub name: String,
    pub organization: String,
    pub chair: bool,
    pub seat_from: NaiveDate,
    /// The last day of the seat; `null` while open-ended.
    pub seat_until: Option<NaiveDate>,
    /// Whether the seat is held today: only then does the member's vote count.
    pub seated: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"members": [{
    "person_id": "0193a0f4-7b1e-7c3a-9a55-2f0e1d9c8b7a", "sub": "mette@kl.dk", "name": "Mette Madsen",
    "organization": "kl", "chair": true, "seat_from": "2026-01-01", "seat_until": null, "seated": true
}]}))]
pub struct Roster {
    pub members: Vec<BoardMember>,
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

pub(crate) fn load_roster(conn: &mut DbConnection) -> Result<(i64, Roster), ApiError> {
    let version = store::version(conn)?;
    let today = today();
    let members = store::seats(conn)?
        .into_iter()
        .map(|(seat, person)| {
            Ok(BoardMember {
                seated: domain_seat(&seat).held_on(today),
                organization: organization_label(conn, &person.organization_id)?,
                person_id: person.id,
                sub: person.sub,
                name: person.name,
                chair: seat.chair,
                seat_from: seat.seat_from,
                seat_until: seat.seat_until,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok((version, Roster { members }))
}

pub fn domain_seat(seat: &SeatRow) -> Seat {
    Seat {
        person: seat.person_id.clone(),
        chair: seat.chair,
        from: seat.seat_from,
        until: seat.seat_until,
    }
}

/// The members seated today, with the chair's `sub`, for counting votes.
pub fn seated_today(conn: &mut DbConnection) -> Result<(Vec<PersonRow>, Option<String>), ApiError> {
    Ok(seated_on(store::seats(conn)?, today()))
}

/// The members of `roster` seated on `day`, with the chair's `sub`.
pub fn seated_on(
    roster: Vec<(SeatRow, PersonRow)>,
    day: NaiveDate,
) -> (Vec<PersonRow>, Option<String>) {
    let mut seated = Vec::new();
    let mut chair = None;
    for (seat, person) in roster {
        if domain_seat(&seat).held_on(day) {
            if seat.chair {
                chair = Some(person.sub.clone());
            }
            seated.push(person);
        }
    }
    (seated, chair)
}

/// The `sub`s of the members seated today: who counts as a board member in a group.
pub fn seated_subs(conn: &mut DbConnection) -> Result<Vec<String>, ApiError> {
    Ok(seated_today(conn)?.0.into_iter().map(|p| p.sub).collect())
}

/// A seat as set by PUT.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BoardSeatRequest {
    /// The person's id or `sub`.
    pub person: String,
    #[serde(default)]
    pub chair: bool,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub seat_from: NaiveDate,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub seat_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"members": [
    {"person": "mette@kl.dk", "chair": true, "seat_from": "2026-01-01"},
    {"person": "jens@aarhus.dk", "seat_from": "2026-01-01", "seat_until": "2027-12-31"}
]}))]
pub struct RosterRequest {
    #[validate(nested)]
    pub members: Vec<BoardSeatRequest>,
}

/// Replaces the board roster (administrator or business manager), every unknown person named.
pub fn seat(
    conn: &mut DbConnection,
    caller: &Caller,
    if_match: IfMatch,
    roster: RosterRequest,
) -> Result<(i64, Roster), ApiError> {
    caller.require_any(&[Role::Admin, Role::Forretningsleder])?;
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
        let expected = if_match.matched(store::version(conn)?)?;
        store::replace(conn, expected, &seats)?;
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
}
