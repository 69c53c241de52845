//! One connection type for both backends, and a pool that keeps the real connection errors.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};

use crate::StoreError;

/// A connection to either backend; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Which database a `DATABASE_URL` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

/// A `DATABASE_URL` with a scheme os2pm does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{scheme}://` is not a database os2pm speaks; use postgres:// or postgresql:// (PostgreSQL), or sqlite:// or a file path (SQLite)"
)]
pub struct UnknownScheme {
    pub scheme: String,
}

impl DatabaseUrl {
    /// `postgres://…`/`postgresql://…` is PostgreSQL; `sqlite://path`, `sqlite:path` or a plain
    /// file path is SQLite; any other `scheme://` (say `mysql://`) is refused, so a mistyped
    /// URL never becomes a SQLite file of that name.
    pub fn parse(url: &str) -> Result<Self, UnknownScheme> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        match url.split_once("://") {
            Some((scheme, _)) => Err(UnknownScheme {
                scheme: scheme.to_owned(),
            }),
            None => Ok(Self::Sqlite(PathBuf::from(url))),
        }
    }

    /// The names [`DatabaseUrl::backend_name`] gives.
    pub const BACKENDS: [&'static str; 2] = ["postgresql", "sqlite"];

    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Postgres(_) => Self::BACKENDS[0],
            Self::Sqlite(_) => Self::BACKENDS[1],
        }
    }

    /// Opens one connection. `create` lets SQLite create a missing file (migrations do that);
    /// pooled connections never do, so a database file removed under a running service is
    /// reported instead of silently replaced by an empty one.
    pub fn connect(&self, create: bool) -> Result<DbConnection, StoreError> {
        match self {
            Self::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(|e| StoreError::Unavailable(format!("PostgreSQL: {e}"))),
            Self::Sqlite(path) => {
                let mode = if create { "rwc" } else { "rw" };
                let uri = format!("file:{}?mode={mode}", uri_escape(path));
                let mut conn = SqliteConnection::establish(&uri).map_err(|e| {
                    StoreError::Unavailable(format!("SQLite file {}: {e}", path.display()))
                })?;
                // WAL lets readers run beside the one writer; busy_timeout makes concurrent
                // writers wait for each other instead of failing with "database is locked".
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -1024; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(|e| StoreError::Unavailable(format!("SQLite set-up: {e}")))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// Percent-encodes what SQLite's URI parser would otherwise read as syntax.
fn uri_escape(path: &Path) -> String {
    path.to_string_lossy()
        .chars()
        .map(|c| match c {
            '%' => "%25".to_owned(),
            '?' => "%3f".to_owned(),
            '#' => "%23".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

/// A pooled connection, and until when it may be handed out again without a ping.
pub struct Pooled {
    conn: DbConnection,
    trusted_until: Option<Instant>,
}

/// How long a connection that has just served a request is handed out again without a ping
/// (HikariCP's alive-bypass window): under load, a connection is back in use within
/// milliseconds, and pinging it each time would cost a round trip per request.
pub const TRUST_WINDOW: Duration = Duration::from_millis(500);

impl Pooled {
    /// Runs `work` on the connection. When it succeeds, the connection is trusted: checked out
    /// again within [`TRUST_WINDOW`], it is not pinged. Work that failed vouches for nothing,
    /// so a connection that lost its server is pinged, and replaced, at its next checkout.
    pub fn serve<T, E>(
        &mut self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let done = work(&mut self.conn);
        if done.is_ok() {
            self.trusted_until = Some(Instant::now() + TRUST_WINDOW);
        }
        done
    }
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// An r2d2 manager that picks the backend from the URL and keeps the backend's own error text.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = Pooled;
    type Error = StoreError;

    fn connect(&self) -> Result<Pooled, StoreError> {
        Ok(Pooled {
            conn: self.url.connect(false)?,
            trusted_until: None,
        })
    }

    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), StoreError> {
        if let DatabaseUrl::Sqlite(path) = &self.url
            && !path.exists()
        {
            return Err(StoreError::Unavailable(format!(
                "SQLite file {} is gone",
                path.display()
            )));
        }
        if pooled
            .trusted_until
            .take()
            .is_some_and(|until| Instant::now() < until)
        {
            return Ok(());
        }
        ping(&mut pooled.conn)
    }

    fn has_broken(&self, _conn: &mut Pooled) -> bool {
        false
    }
}

/// One round trip that fails when the database cannot be reached.
pub fn ping(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::sql_query("SELECT 1")
        .execute(conn)
        .map(|_| ())
        .map_err(|e| StoreError::Unavailable(e.to_string()))
}

/// Pool settings, from the service configuration.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    pub connection_timeout: Duration,
}

/// Builds the pool without waiting for connections: the service starts, and reports
/// readiness, even while the database is still coming up.
pub fn build_pool(url: DatabaseUrl, options: &PoolOptions) -> Pool {
    r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(0))
        .connection_timeout(options.connection_timeout)
        .test_on_check_out(true)
        .build_unchecked(ConnectionManager::new(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        let parse = |url| DatabaseUrl::parse(url).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            parse("postgres://u@h/db"),
            DatabaseUrl::Postgres("postgres://u@h/db".into())
        );
        assert!(matches!(
            parse("postgresql://h/db"),
            DatabaseUrl::Postgres(_)
        ));
        assert_eq!(
            parse("sqlite://./x.db"),
            DatabaseUrl::Sqlite("./x.db".into())
        );
        assert_eq!(parse("os2pm.db"), DatabaseUrl::Sqlite("os2pm.db".into()));
    }

    #[test]
    fn other_schemes_are_refused_by_name() {
        let error = DatabaseUrl::parse("mysql://u@h/db").unwrap_err();
        assert_eq!(error.scheme, "mysql");
        assert!(error.to_string().contains("postgres://"));
    }

    #[test]
    fn sqlite_uri_syntax_is_escaped() {
        assert_eq!(uri_escape(Path::new("/tmp/a?b#c%d")), "/tmp/a%3fb%23c%25d");
    }
}
