//! The embedded migrations, one tree per backend with the same versions.

use diesel::RunQueryDsl;
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

/// Connects (creating a missing SQLite file), migrates, and seeds the reference data, holding
/// the startup lock meanwhile: instances started together on one database (empty or behind)
/// migrate and seed one after the other; the first does it, the others find nothing left to do.
pub fn prepare(url: &DatabaseUrl, migrate: bool) -> Result<Vec<String>, StoreError> {
    // On SQLite the lock is taken before the first connection: setting the file up (its
    // journal mode) is a write of its own.
    let file_lock = StartupLock::on_file(url)?;
    let mut conn = url.connect(migrate)?;
    let startup = match file_lock {
        Some(lock) => lock,
        None => StartupLock::advisory(&mut conn)?,
    };
    let prepared = (|| {
        let applied = if migrate {
            run_pending(&mut conn)?
        } else {
            Vec::new()
        };
        crate::seed::run(&mut conn)?;
        Ok(applied)
    })();
    startup.release(&mut conn)?;
    prepared
}

/// Held by the one process that migrates and seeds: on PostgreSQL a session-level advisory
/// lock, on SQLite an exclusive lock on a file beside the database. A process that dies holding
/// either loses it with its session or its file handle.
enum StartupLock {
    Postgres,
    Sqlite(std::fs::File),
}

impl StartupLock {
    /// `os2pm` in ASCII: the key no other application on the database is expected to use.
    const KEY: i64 = 0x006f_7332_706d;

    /// The lock on the file beside an SQLite database; `None` for PostgreSQL.
    fn on_file(url: &DatabaseUrl) -> Result<Option<Self>, StoreError> {
        let DatabaseUrl::Sqlite(path) = url else {
            return Ok(None);
        };
        let mut name = path.as_os_str().to_owned();
        name.push(".startup-lock");
        let file = std::fs::File::create(name)
            .and_then(|file| file.lock().map(|()| file))
            .map_err(|e| StoreError::Migration(format!("the startup lock: {e}")))?;
        Ok(Some(Self::Sqlite(file)))
    }

    /// The advisory lock on a PostgreSQL database.
    fn advisory(conn: &mut DbConnection) -> Result<Self, StoreError> {
        match conn {
            DbConnection::Postgresql(pg) => {
                diesel::sql_query(format!("SELECT pg_advisory_lock({})", Self::KEY)).execute(pg)?;
                Ok(Self::Postgres)
            }
            DbConnection::Sqlite(_) => Err(StoreError::Migration(
                "an SQLite connection without its file lock".into(),
            )),
        }
    }

    fn release(self, conn: &mut DbConnection) -> Result<(), StoreError> {
        match (self, conn) {
            (Self::Postgres, DbConnection::Postgresql(pg)) => {
                diesel::sql_query(format!("SELECT pg_advisory_unlock({})", Self::KEY))
                    .execute(pg)?;
            }
            (Self::Sqlite(file), _) => file
                .unlock()
                .map_err(|e| StoreError::Migration(format!("the startup lock: {e}")))?,
            (Self::Postgres, DbConnection::Sqlite(_)) => {}
        }
        Ok(())
    }
}
