//! Board meetings and their other agenda items.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use os2pm_groups::board::{AgendaItemKind, MeetingId, MeetingStatus};

use crate::schema::{agenda_items, board_meetings};
use crate::stored::Stored;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = board_meetings)]
pub struct MeetingRow {
    #[diesel(serialize_as = Stored<MeetingId>)]
    pub id: MeetingId,
    pub meeting_date: NaiveDate,
    pub place: String,
    #[diesel(serialize_as = Stored<MeetingStatus>)]
    pub status: MeetingStatus,
    pub created_at: NaiveDateTime,
}

impl MeetingRow {
    /// Planned and not yet held or cancelled.
    pub fn is_planned(&self) -> bool {
        self.status == MeetingStatus::Planned
    }

    pub fn is_cancelled(&self) -> bool {
        self.status == MeetingStatus::Cancelled
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = agenda_items)]
pub struct AgendaItemRow {
    pub id: String,
    #[diesel(serialize_as = Stored<MeetingId>)]
    pub meeting_id: MeetingId,
    #[diesel(serialize_as = Stored<AgendaItemKind>)]
    pub kind: AgendaItemKind,
    pub title: String,
    pub description: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, meeting: &MeetingRow) -> Result<(), StoreError> {
    diesel::insert_into(board_meetings::table)
        .values(meeting.clone())
        .execute(conn)?;
    Ok(())
}

/// Every meeting, by date.
pub fn all(conn: &mut DbConnection) -> Result<Vec<MeetingRow>, StoreError> {
    Ok(board_meetings::table
        .order(board_meetings::meeting_date)
        .select(MeetingRow::as_select())
        .load(conn)?)
}

pub fn add_item(conn: &mut DbConnection, item: &AgendaItemRow) -> Result<(), StoreError> {
    diesel::insert_into(agenda_items::table)
        .values(item.clone())
        .execute(conn)?;
    Ok(())
}

pub fn items(
    conn: &mut DbConnection,
    meeting_id: &MeetingId,
) -> Result<Vec<AgendaItemRow>, StoreError> {
    Ok(agenda_items::table
        .filter(agenda_items::meeting_id.eq(meeting_id.as_str()))
        .order(agenda_items::id)
        .select(AgendaItemRow::as_select())
        .load(conn)?)
}
