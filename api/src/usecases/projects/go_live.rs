//! Go-live: a running project meets its go-live requirements and becomes a product.

use os2pm_levels::{Gate, Level};
use os2pm_persistence::DbConnection;
use os2pm_projects::Action;

use crate::request::{Guarded, StoredReply};
use crate::usecases::products::create_product;
use crate::usecases::projects::change_guarded;
use crate::usecases::{ApiError, Caller};

/// Takes a running project live: every go-live requirement must hold; the project becomes
/// implemented and a product.
pub fn go_live(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    change_guarded(
        conn,
        caller,
        write,
        Action::GoLive,
        "went_live",
        |conn, loaded, project, _| {
            let level = loaded.level().unwrap_or(Level::N1);
            loaded.require(level, Gate::GoLive)?;
            create_product(conn, project)?;
            Ok(None)
        },
    )
}
