//! People: who a token's `sub` is, by name and organisation (administrators manage them).

use crate::error::ApiError;
use chrono::{DateTime, Utc};
use os2pm_persistence::organizations;
use os2pm_persistence::people::PersonRow;
use serde::Serialize;
use utoipa::ToSchema;

/// A person known to os2pm.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0f4-7b1e-7c3a-9a55-2f0e1d9c8b7a", "sub": "jens@aarhus.dk", "name": "Jens Hansen",
    "organization": "751", "email": "jens@aarhus.dk", "created_at": "2026-11-22T10:00:00Z"
}))]
pub struct Person {
    pub id: String,
    /// The `sub` claim of the person's tokens.
    pub sub: String,
    pub name: String,
    /// The organisation's code (kommunekode) or id.
    pub organization: String,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Person {
    pub fn from_row(row: PersonRow, organization: String) -> Self {
        Self {
            id: row.id,
            sub: row.sub,
            name: row.name,
            organization,
            email: row.email,
            created_at: row.created_at.and_utc(),
        }
    }
}

/// The code an organisation is shown by: its code, else its id.
pub fn organization_label(
    conn: &mut os2pm_persistence::DbConnection,
    id: &str,
) -> Result<String, ApiError> {
    let org = organizations::find(conn, id)?;
    Ok(org.code.unwrap_or(org.id))
}

/// The label of organisation `id` (a group's chair or supplier): read from the group's seats
/// when it holds one, from the store otherwise.
pub fn label_among(
    conn: &mut os2pm_persistence::DbConnection,
    seats: &[os2pm_persistence::people::Representation],
    id: Option<String>,
) -> Result<Option<String>, ApiError> {
    id.map(|id| match seats.iter().find(|s| s.organization_id == id) {
        Some(seat) => Ok(seat.organization.clone()),
        None => organization_label(conn, &id),
    })
    .transpose()
}
