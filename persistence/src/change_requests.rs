//! Change requests on products (KOMBIT's model).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use os2pm_products::{ChangeCategory, ChangeRequestId, ChangeRequestState, ProductId, Route};

use crate::schema::change_requests;
use crate::stored::Stored;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = change_requests)]
pub struct ChangeRequestRow {
    #[diesel(serialize_as = Stored<ChangeRequestId>)]
    pub id: ChangeRequestId,
    #[diesel(serialize_as = Stored<ProductId>)]
    pub product_id: ProductId,
    pub organization_id: String,
    #[diesel(serialize_as = Stored<ChangeCategory>)]
    pub category: ChangeCategory,
    pub description: String,
    pub estimated_cost_dkk: i64,
    #[diesel(serialize_as = Stored<Route>)]
    pub route: Route,
    #[diesel(serialize_as = Stored<ChangeRequestState>)]
    pub state: ChangeRequestState,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// A minor change: where the supplier's agreement is recorded.
    pub supplier_agreement: Option<String>,
}

impl ChangeRequestRow {
    /// Approved, by the coordination group or the board.
    pub fn is_approved(&self) -> bool {
        self.state == ChangeRequestState::Approved
    }
}

pub fn insert(conn: &mut DbConnection, row: &ChangeRequestRow) -> Result<(), StoreError> {
    diesel::insert_into(change_requests::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &ChangeRequestId) -> Result<ChangeRequestRow, StoreError> {
    Ok(change_requests::table
        .find(id.as_str())
        .select(ChangeRequestRow::as_select())
        .first(conn)?)
}

pub fn for_product(
    conn: &mut DbConnection,
    product_id: &ProductId,
) -> Result<Vec<ChangeRequestRow>, StoreError> {
    Ok(change_requests::table
        .filter(change_requests::product_id.eq(product_id.as_str()))
        .order(change_requests::id)
        .select(ChangeRequestRow::as_select())
        .load(conn)?)
}

/// Decides a pending request; `Stale` when it is no longer pending.
pub fn decide(
    conn: &mut DbConnection,
    id: &ChangeRequestId,
    state: ChangeRequestState,
    decided_by: &str,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let rows = diesel::update(
        change_requests::table
            .find(id.as_str())
            .filter(change_requests::state.eq(Stored(ChangeRequestState::Pending))),
    )
    .set((
        change_requests::state.eq(Stored(state)),
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

/// Sends a pending request another way (to the board, when it no longer fits the frame);
/// `Stale` when it is no longer pending.
pub fn reroute(
    conn: &mut DbConnection,
    id: &ChangeRequestId,
    route: Route,
) -> Result<(), StoreError> {
    let rows = diesel::update(
        change_requests::table
            .find(id.as_str())
            .filter(change_requests::state.eq(Stored(ChangeRequestState::Pending))),
    )
    .set(change_requests::route.eq(Stored(route)))
    .execute(conn)?;
    if rows == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}
