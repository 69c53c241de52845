//! Change requests on products (KOMBIT's model).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::change_requests;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = change_requests)]
pub struct ChangeRequestRow {
    pub id: String,
    pub product_id: String,
    pub organization_id: String,
    pub category: String,
    pub description: String,
    pub estimated_cost_dkk: i64,
    pub route: String,
    pub state: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl ChangeRequestRow {
    /// Approved, by the coordination group or the board.
    pub fn is_approved(&self) -> bool {
        self.state == "approved"
    }
}

pub fn insert(conn: &mut DbConnection, row: &ChangeRequestRow) -> Result<(), StoreError> {
    diesel::insert_into(change_requests::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<ChangeRequestRow, StoreError> {
    Ok(change_requests::table
        .find(id)
        .select(ChangeRequestRow::as_select())
        .first(conn)?)
}

pub fn for_product(
    conn: &mut DbConnection,
    product_id: &str,
) -> Result<Vec<ChangeRequestRow>, StoreError> {
    Ok(change_requests::table
        .filter(change_requests::product_id.eq(product_id))
        .order(change_requests::id)
        .select(ChangeRequestRow::as_select())
        .load(conn)?)
}

/// Decides a pending request; `Stale` when it is no longer pending.
pub fn decide(
    conn: &mut DbConnection,
    id: &str,
    state: &str,
    decided_by: &str,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let rows = diesel::update(
        change_requests::table
            .find(id)
            .filter(change_requests::state.eq("pending")),
    )
    .set((
        change_requests::state.eq(state),
        change_requests::decided_by.eq(decided_by),
        change_requests::decided_at.eq(crate::now()),
        change_requests::reason.eq(reason),
    ))
    .execute(conn)?;
    if rows == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}
