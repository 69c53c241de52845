//! The board roster: who holds a seat, and who chairs.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::people::PersonRow;
use crate::schema::{board_roster, board_seats, people};
use crate::{DbConnection, StoreError};

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = board_seats)]
pub struct SeatRow {
    pub person_id: String,
    #[serde(deserialize_with = "crate::project_aggregate::flag")]
    pub chair: bool,
    pub seat_from: NaiveDate,
    pub seat_until: Option<NaiveDate>,
}

/// The roster's version, for its ETag.
pub fn version(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(board_roster::table
        .find(1)
        .select(board_roster::version)
        .first(conn)?)
}

/// Every seat with its person, in seat order.
pub fn seats(conn: &mut DbConnection) -> Result<Vec<(SeatRow, PersonRow)>, StoreError> {
    Ok(board_seats::table
        .inner_join(people::table)
        .order((board_seats::seat_from, people::name, people::id))
        .select((SeatRow::as_select(), PersonRow::as_select()))
        .load(conn)?)
}

/// Replaces the roster when its version is still `expected`; returns the new version.
/// A stale version is [`StoreError::Stale`].
pub fn replace(
    conn: &mut DbConnection,
    expected: i64,
    seats: &[SeatRow],
) -> Result<i64, StoreError> {
    let bumped = diesel::update(
        board_roster::table
            .find(1)
            .filter(board_roster::version.eq(expected)),
    )
    .set(board_roster::version.eq(expected + 1))
    .execute(conn)?;
    if bumped == 0 {
        return Err(StoreError::Stale);
    }
    diesel::delete(board_seats::table).execute(conn)?;
    for seat in seats {
        diesel::insert_into(board_seats::table)
            .values(seat)
            .execute(conn)?;
    }
    Ok(expected + 1)
}
