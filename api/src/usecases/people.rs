//! People: who a token's `sub` is, by name and organisation (administrators manage them).

use chrono::{DateTime, Utc};
use os2pm_persistence::people::{self as store, PersonRow};
use os2pm_persistence::{DbConnection, StoreError, organizations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Role;
use crate::error::ApiError;
use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::{Caller, created};

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

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sub": "jens@aarhus.dk", "name": "Jens Hansen", "organization": "751", "email": "jens@aarhus.dk"}))]
pub struct NewPersonRequest {
    #[validate(length(min = 1, max = 255, message = "must be 1 to 255 characters"))]
    pub sub: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    /// A kommunekode or organisation id.
    pub organization: String,
    #[validate(email(message = "is not an e-mail address"))]
    pub email: Option<String>,
}

/// Registers a person and the sub of their tokens (administrator).
pub fn register(
    conn: &mut DbConnection,
    caller: &Caller,
    idempotency_key: IdempotencyKey,
    request: NewPersonRequest,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Admin])?;
    idempotency_key.run(conn, caller, &request, |conn| {
        let organization =
            organizations::find(conn, &request.organization).map_err(|e| match e {
                StoreError::NotFound => {
                    ApiError::validation("organization", "is not a known organisation")
                }
                other => other.into(),
            })?;
        let row = PersonRow {
            id: crate::usecases::new_id(),
            sub: request.sub.clone(),
            name: request.name.clone(),
            organization_id: organization.id.clone(),
            email: request.email.clone(),
            created_at: os2pm_persistence::now(),
        };
        store::insert(conn, &row).map_err(|e| match e {
            StoreError::Conflict(_) => {
                ApiError::Conflict(format!("a person with sub `{}` exists", request.sub))
            }
            other => other.into(),
        })?;
        let person = Person::from_row(row, organization.code.unwrap_or(organization.id));
        created(
            conn,
            caller,
            ("person", &person.id, "created"),
            format!("/api/v1/people/{}", person.id),
            &person,
        )
    })
}

/// Up to limit people after the cursor (administrator).
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Person>, ApiError> {
    caller.require_any(&[Role::Admin])?;
    store::list(conn, after, limit)?
        .into_iter()
        .map(|row| {
            let label = organization_label(conn, &row.organization_id)?;
            Ok(Person::from_row(row, label))
        })
        .collect::<Result<Vec<_>, ApiError>>()
}
