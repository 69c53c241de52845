//! `Idempotency-Key`: the first response to a (caller, key) is stored in the transaction that
//! made the change, and replayed for every retry with the same request.

use diesel::prelude::*;

use crate::schema::idempotency_keys;
use crate::{DbConnection, StoreError, WriteSet};

/// A response as it was first sent.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StoredResponse {
    /// The request as canonical JSON: a retry must send the same.
    pub request_body: String,
    pub status: i32,
    pub location: Option<String>,
    pub body: String,
    pub etag: Option<String>,
}

pub fn find(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
) -> Result<Option<StoredResponse>, StoreError> {
    Ok(idempotency_keys::table
        .find((caller, key))
        .select((
            idempotency_keys::request_body,
            idempotency_keys::status,
            idempotency_keys::location,
            idempotency_keys::body,
            idempotency_keys::etag,
        ))
        .first(conn)
        .optional()?)
}

/// Records the first response. A concurrent first request with the same key makes this fail
/// with [`StoreError::Conflict`], rolling its change back.
pub fn record(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    response: &StoredResponse,
) -> Result<(), StoreError> {
    let mut set = WriteSet::default();
    push_record(&mut set, caller, key, response);
    set.run(conn)
}

/// [`record`], sent with the rest of the change's writes.
pub fn push_record(changes: &mut WriteSet, caller: &str, key: &str, response: &StoredResponse) {
    changes.push(diesel::insert_into(idempotency_keys::table).values((
        idempotency_keys::caller.eq(caller.to_owned()),
        idempotency_keys::key.eq(key.to_owned()),
        idempotency_keys::request_body.eq(response.request_body.clone()),
        idempotency_keys::status.eq(response.status),
        idempotency_keys::location.eq(response.location.clone()),
        idempotency_keys::body.eq(response.body.clone()),
        idempotency_keys::etag.eq(response.etag.clone()),
        idempotency_keys::created_at.eq(crate::now()),
    )));
}
