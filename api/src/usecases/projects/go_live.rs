//! Go-live: a running project meets its go-live requirements and becomes a product.

use os2pm_levels::{Gate, Level};
use os2pm_persistence::DbConnection;
use os2pm_projects::Action;

use crate::request::{IdempotencyKey, IfMatch, StoredReply};
use crate::usecases::products::create_product;
use crate::usecases::projects::{ProjectChange, change_project_once};
use crate::usecases::{ApiError, Caller};

/// Takes a running project live: every go-live requirement must hold; the project becomes
/// implemented and a product.
pub fn go_live(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
) -> Result<StoredReply, ApiError> {
    change_project_once(
        conn,
        caller,
        idempotency_key,
        &id,
        ProjectChange::new(id, if_match, Action::GoLive, "went_live"),
        |conn, loaded, project, _| {
            let level = loaded.level().unwrap_or(Level::N1);
            loaded.require(level, Gate::GoLive)?;
            create_product(conn, project)?;
            Ok(None)
        },
    )
}
