//! The embedded migrations, one tree per backend with the same versions.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{DatabaseUrl, DbConnection, StoreError};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Applies every pending migration; returns the versions it applied.
pub fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let applied = match conn {
        DbConnection::Postgresql(pg) => pg.run_pending_migrations(POSTGRES),
        DbConnection::Sqlite(sqlite) => sqlite.run_pending_migrations(SQLITE),
    }
    .map_err(|e| StoreError::Migration(e.to_string()))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// Connects (creating a missing SQLite file), migrates, and seeds the reference data.
pub fn prepare(url: &DatabaseUrl, migrate: bool) -> Result<Vec<String>, StoreError> {
    let mut conn = url.connect(migrate)?;
    let applied = if migrate {
        run_pending(&mut conn)?
    } else {
        Vec::new()
    };
    crate::seed::run(&mut conn)?;
    Ok(applied)
}
