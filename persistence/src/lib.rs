//! Storage for os2pm on SQLite and PostgreSQL through one diesel code path.
//!
//! Error rule of this layer: every function returns [`StoreError`]; a database that cannot be
//! reached is `Unavailable` (the API answers 503), a missing row `NotFound`, a unique-key clash
//! `Conflict`, a changed version `Stale`; anything else is `Database` and is a bug or an outage, never the caller's input.

pub mod approvals;
pub mod audit;
pub mod benefits;
pub mod board;
pub mod budgets;
pub mod catalogue;
pub mod change_requests;
mod connection;
pub mod coordination;
pub mod evaluations;
pub mod events;
pub mod idempotency;
pub mod meetings;
pub mod migrations;
pub mod organizations;
pub mod people;
pub mod person_data;
pub mod priorities;
pub mod products;
pub mod project_aggregate;
pub mod projects;
pub mod reports;
pub mod schema;
pub mod seed;
pub mod self_assessments;
pub mod steering;
pub mod stored;
pub mod webhooks;
mod writes;

use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub use connection::{
    ConnectionManager, DatabaseUrl, DbConnection, Pool, PoolOptions, Pooled, PooledConnection,
    UnknownScheme, build_pool, ping,
};
pub use writes::WriteSet;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    /// The row changed since the version the caller saw (optimistic concurrency).
    #[error("the resource changed since it was read")]
    Stale,
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("reference data is invalid: {0}")]
    Seed(String),
    /// Text with the NUL character, which PostgreSQL cannot store (SQLite can).
    #[error("text contains the NUL character")]
    NulInText,
    #[error("database error: {0}")]
    Database(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::Conflict(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            // Two transactions waited on each other's rows (PostgreSQL's 40001 and 40P01, which
            // diesel does not name): one was rolled back and may simply be sent again.
            DieselError::DatabaseError(kind, info)
                if kind == DatabaseErrorKind::SerializationFailure
                    || info.message().starts_with("deadlock detected") =>
            {
                Self::Conflict(format!(
                    "a concurrent change got in the way; send the request again ({})",
                    info.message()
                ))
            }
            DieselError::DatabaseError(_, info)
                if info
                    .message()
                    .starts_with("invalid byte sequence for encoding") =>
            {
                Self::NulInText
            }
            other => Self::Database(other),
        }
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(error: r2d2::Error) -> Self {
        Self::Unavailable(error.to_string())
    }
}

/// Runs `change` in one transaction: everything it writes lands together or not at all.
pub fn in_transaction<T, E: From<StoreError>>(
    conn: &mut DbConnection,
    change: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    use diesel::Connection;

    enum Failure<E> {
        Change(E),
        Database(DieselError),
    }
    impl<E> From<DieselError> for Failure<E> {
        fn from(error: DieselError) -> Self {
            Self::Database(error)
        }
    }
    let _turn = match conn {
        DbConnection::Sqlite(sqlite) => sqlite_write_turn(sqlite)?,
        DbConnection::Postgresql(_) => None,
    };
    conn.transaction(|conn| {
        if let DbConnection::Sqlite(sqlite) = conn {
            take_sqlite_write_lock(sqlite)?;
        }
        change(conn).map_err(Failure::Change)
    })
    .map_err(|failure| match failure {
        Failure::Change(error) => error,
        Failure::Database(error) => E::from(StoreError::from(error)),
    })
}

/// SQLite has one writer at a time, and writers waiting in its busy handler poll with growing
/// sleeps, so under load some wait ten times longer than others. This process's writers queue
/// here instead, first come, first served; other processes still meet `busy_timeout`.
static SQLITE_WRITERS: parking_lot::FairMutex<()> = parking_lot::const_fair_mutex(());

/// How long a writer waits for its turn, as long as SQLite's own `busy_timeout`.
const SQLITE_WRITE_TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// This writer's turn at the SQLite database; `None` inside a transaction that has it.
fn sqlite_write_turn(
    conn: &mut diesel::SqliteConnection,
) -> Result<Option<parking_lot::FairMutexGuard<'static, ()>>, StoreError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let depth = AnsiTransactionManager::transaction_manager_status_mut(conn).transaction_depth()?;
    if depth.is_some() {
        return Ok(None);
    }
    SQLITE_WRITERS
        .try_lock_for(SQLITE_WRITE_TURN_WAIT)
        .map(Some)
        .ok_or_else(|| StoreError::Unavailable("too many writers are waiting for SQLite".into()))
}

/// Makes a SQLite transaction a writer from its first statement, like `BEGIN IMMEDIATE`.
///
/// A deferred transaction that reads first and writes later cannot wait for another writer:
/// SQLite answers "database is locked" at once. A write statement as the first statement takes
/// the write lock through `busy_timeout` instead, so concurrent writers queue. It deletes no row;
/// a typed DELETE, unlike raw SQL or an UPDATE, is prepared once per connection and kept.
fn take_sqlite_write_lock(conn: &mut diesel::SqliteConnection) -> Result<(), DieselError> {
    use diesel::{IntoSql, QueryDsl, RunQueryDsl};
    diesel::delete(
        schema::catalogue_versions::table.filter(false.into_sql::<diesel::sql_types::Bool>()),
    )
    .execute(conn)
    .map(drop)
}

/// The current time as stored: UTC, truncated to the microseconds both backends keep.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// The database's clock (UTC): the one clock every instance on it shares. SQLite is embedded in
/// its one process, whose clock it is.
pub(crate) fn database_now(conn: &mut DbConnection) -> Result<NaiveDateTime, StoreError> {
    #[derive(diesel::QueryableByName)]
    struct Now {
        #[diesel(sql_type = diesel::sql_types::Timestamp)]
        now: NaiveDateTime,
    }
    match conn {
        DbConnection::Postgresql(pg) => {
            let row: Now = diesel::RunQueryDsl::get_result(
                diesel::sql_query(
                    "SELECT CAST(date_trunc('microseconds', clock_timestamp() AT TIME ZONE 'UTC') \
                 AS TIMESTAMP) AS now",
                ),
                pg,
            )?;
            Ok(row.now)
        }
        DbConnection::Sqlite(_) => Ok(crate::now()),
    }
}

/// Makes `text` a literal inside a `LIKE '%…%'` pattern with `ESCAPE '\'`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The search form of a text: lower-cased in Rust, so both backends compare the same bytes.
pub fn search_text(parts: &[&str]) -> String {
    parts.join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }

    #[test]
    fn a_transaction_lost_to_a_concurrent_one_is_a_conflict_to_retry() {
        let error = |kind, message: &str| {
            StoreError::from(DieselError::DatabaseError(
                kind,
                Box::new(message.to_owned()),
            ))
        };
        for lost in [
            error(
                DatabaseErrorKind::SerializationFailure,
                "could not serialize access",
            ),
            error(DatabaseErrorKind::Unknown, "deadlock detected"),
        ] {
            assert!(
                matches!(&lost, StoreError::Conflict(m) if m.contains("send the request again")),
                "{lost:?}"
            );
        }
        assert!(matches!(
            error(DatabaseErrorKind::Unknown, "division by zero"),
            StoreError::Database(_)
        ));
    }

    #[test]
    fn search_text_folds_danish_letters() {
        assert_eq!(search_text(&["ÆRØ Kommune", "492"]), "ærø kommune 492");
    }
}
