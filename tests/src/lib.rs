//! The end-to-end test harness: a real database per test and the real application over HTTP.
//!
//! The backend comes from `OS2PM_TEST_DATABASE_URL`: unset, every test gets its own SQLite file
//! in a temporary folder; `postgres://…`, that database is migrated and seeded once per test
//! process and every test gets its own copy of it, dropped when the test ends, so a run leaves
//! no database behind.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed set-up is a failed test

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::TestRequest;
use actix_web::web;
use diesel::{Connection, RunQueryDsl};
use os2pm_api::app::{self, AppState};
use os2pm_api::auth::{Authenticator, Role};
use os2pm_api::config::{AuthConfig, Config, KeyConfig};
use os2pm_persistence::audit::{Actor, NewEntry};
use os2pm_persistence::{DatabaseUrl, DbConnection, migrations};
use serde_json::Value;

pub mod browser;

/// What the test harness could not set up stops the test, saying what it was doing (the
/// harness only: the service answers problems, it never stops).
pub trait OrFail<T> {
    fn or_fail(self, doing: &str) -> T;
}

impl<T, E: std::fmt::Display> OrFail<T> for Result<T, E> {
    fn or_fail(self, doing: &str) -> T {
        self.unwrap_or_else(|e| panic!("{doing}: {e}"))
    }
}

impl<T> OrFail<T> for Option<T> {
    fn or_fail(self, doing: &str) -> T {
        self.unwrap_or_else(|| panic!("{doing}: nothing there"))
    }
}

pub const TEST_SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256";
pub const ISSUER: &str = "os2pm-test";
pub const AUDIENCE: &str = "os2pm";

/// The PostgreSQL server to test against, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("OS2PM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
}

/// One database that belongs to one test, dropped with it.
pub struct TestDb {
    pub url: DatabaseUrl,
    /// The SQLite folder, removed on drop.
    _dir: Option<tempfile::TempDir>,
    /// For PostgreSQL: the server URL and this database's name, dropped on drop.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A migrated and seeded database.
    pub fn seeded() -> Self {
        Self::create(true)
    }

    /// A database with nothing in it, not even the schema.
    pub fn empty() -> Self {
        Self::create(false)
    }

    fn create(seeded: bool) -> Self {
        match postgres_url() {
            None => {
                let dir = tempfile::tempdir().or_fail("a temporary folder for the SQLite file");
                let url = DatabaseUrl::Sqlite(dir.path().join("os2pm.db"));
                if seeded {
                    migrations::prepare(&url, true)
                        .or_fail("migrating and seeding the test database");
                }
                Self {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
            Some(server) => {
                let name = format!("{}_{}", database_name(&server), short_id());
                let template = seeded.then(|| postgres_template(&server));
                let sql = match &template {
                    Some(template) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
                    None => format!("CREATE DATABASE \"{name}\""),
                };
                // Copies of one template must not start at the same instant.
                static CREATING: Mutex<()> = Mutex::new(());
                {
                    let _one_at_a_time = CREATING.lock().unwrap_or_else(|e| e.into_inner());
                    admin(&server).batch_execute_sql(&sql);
                }
                Self {
                    url: DatabaseUrl::Postgres(with_database(&server, &name)),
                    _dir: None,
                    postgres: Some((server, name)),
                }
            }
        }
    }

    pub fn connect(&self) -> DbConnection {
        self.url
            .connect(false)
            .or_fail("connecting to the test database")
    }

    /// Makes the database unreachable for new and existing connections (the "outage").
    ///
    /// On PostgreSQL, with `OS2PM_TEST_PG_CTL` set to a `pg_ctl` command line for the test
    /// server (`.ci/run` starts a private one), the server itself is stopped; otherwise the
    /// database refuses connections and its backends are terminated, as a stop would do.
    pub fn take_offline(&self) -> Outage<'_> {
        match (&self.url, &self.postgres) {
            (DatabaseUrl::Postgres(_), Some(_)) if pg_ctl().is_some() => pg_ctl_run("stop -m fast"),
            (DatabaseUrl::Postgres(_), Some((server, name))) => {
                admin(server).batch_execute_sql(&format!(
                    "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false; \
                     SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
                ));
            }
            (DatabaseUrl::Sqlite(path), _) => {
                std::fs::rename(path, moved(path)).or_fail("moving the SQLite file away");
            }
            _ => unreachable!("a PostgreSQL test database always knows its server"),
        }
        Outage { db: self }
    }
}

/// While alive, the database is offline; dropping it brings the database back.
pub struct Outage<'a> {
    db: &'a TestDb,
}

impl Drop for Outage<'_> {
    fn drop(&mut self) {
        match (&self.db.url, &self.db.postgres) {
            (DatabaseUrl::Postgres(_), Some(_)) if pg_ctl().is_some() => pg_ctl_run("start -w"),
            (DatabaseUrl::Postgres(_), Some((server, name))) => admin(server)
                .batch_execute_sql(&format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true")),
            (DatabaseUrl::Sqlite(path), _) => {
                std::fs::rename(moved(path), path).or_fail("moving the SQLite file back")
            }
            _ => {}
        }
    }
}

/// The command line that controls the test's PostgreSQL server, if the test may stop it.
fn pg_ctl() -> Option<String> {
    std::env::var("OS2PM_TEST_PG_CTL")
        .ok()
        .filter(|c| !c.is_empty())
}

fn pg_ctl_run(action: &str) {
    let command = format!(
        "{} {action}",
        pg_ctl().or_fail("pg_ctl of the PostgreSQL server")
    );
    let status = std::process::Command::new("sh")
        .args(["-c", &command])
        .stdout(std::process::Stdio::null())
        .status()
        .or_fail(&format!("running `{command}`"));
    assert!(status.success(), "`{command}` failed");
}

fn moved(path: &std::path::Path) -> std::path::PathBuf {
    path.with_extension("db.offline")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.postgres {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin(server));
        }
    }
}

trait ExecuteSql {
    fn batch_execute_sql(self, sql: &str);
}

impl ExecuteSql for diesel::PgConnection {
    fn batch_execute_sql(mut self, sql: &str) {
        use diesel::connection::SimpleConnection;
        self.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// A connection for creating and dropping databases: to the server's `postgres` database, so
/// that it never holds the template, which PostgreSQL copies only while no one is connected.
fn admin(server: &str) -> diesel::PgConnection {
    diesel::PgConnection::establish(&with_database(server, "postgres"))
        .or_fail("connecting to the server's `postgres` database")
}

fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

fn database_name(url: &str) -> String {
    url.rsplit('/')
        .next()
        .and_then(|last| last.split('?').next())
        .filter(|name| !name.is_empty())
        .unwrap_or("os2pm")
        .to_owned()
}

fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url
        .rsplit_once('/')
        .or_fail("a PostgreSQL URL names its database after a `/`");
    let query = url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{base}/{name}{query}")
}

/// The template of this test process: the database `OS2PM_TEST_DATABASE_URL` names, migrated
/// and seeded once. It is the caller's; nothing is created that a run could leave behind.
fn postgres_template(server: &str) -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            migrations::prepare(&DatabaseUrl::Postgres(server.to_owned()), true)
                .or_fail("migrating and seeding the template database");
            database_name(server)
        })
        .clone()
}

/// The configuration tests run with: the test database, a known secret, short timeouts.
pub fn test_config(url: &DatabaseUrl) -> Config {
    let mut config = Config::from_lookup(|_| None).or_fail("the default configuration");
    config.database_url = url.clone();
    config.pool_size = 4;
    config.db_timeout = Duration::from_millis(700);
    config.max_body_bytes = 64 * 1024;
    // The suite's thousands of anonymous reads come from one address; the limit has its own test.
    config.rate_limit_per_minute = 0;
    config.webhooks.allow_http_loopback = true;
    config.webhooks.allow_hosts = vec!["127.0.0.1".into()];
    config.webhooks.max_attempts = 50;
    config.webhooks.timeout = Duration::from_secs(1);
    config.webhooks.backoff = Duration::from_millis(40);
    config.webhooks.max_backoff = Duration::from_millis(300);
    config.webhooks.poll = Duration::from_millis(30);
    config.auth = AuthConfig {
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
        roles_claim: "roles".into(),
        org_claim: "org".into(),
        leeway: Duration::from_secs(0),
        max_lifetime: Duration::from_secs(12 * 3600),
        keys: KeyConfig::Development {
            secret: Some(TEST_SECRET.into()),
            key_file: "unused".into(),
        },
    };
    config
}

/// A running application over its own database.
pub struct TestApp {
    pub db: TestDb,
    pub config: Config,
    pub state: AppState,
    pub authenticator: web::Data<Authenticator>,
}

impl TestApp {
    /// A seeded database and the application as `os2pm serve` builds it.
    pub fn new() -> Self {
        Self::with_config(TestDb::seeded(), test_config)
    }

    /// The application over `db`, with `configure` adjusting the test configuration.
    pub fn with_config(db: TestDb, configure: impl FnOnce(&DatabaseUrl) -> Config) -> Self {
        // Errors (the causes of 500s) go to the failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("error")
            .try_init();
        let config = configure(&db.url);
        let (state, authenticator) =
            os2pm_api::server::prepare(&config).or_fail("preparing the service");
        Self {
            db,
            config,
            state,
            authenticator: web::Data::new(authenticator),
        }
    }

    /// The actix service to send requests to.
    pub async fn service(
        &self,
    ) -> impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    > {
        actix_web::test::init_service(app::build(self.state.clone(), self.authenticator.clone()))
            .await
    }

    /// Serves the application on a real loopback port (for clients outside the process, such as
    /// a browser); returns its base URL. The server stops with the test's runtime.
    pub fn listen(&self) -> String {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").or_fail("a free port on loopback");
        let address = listener.local_addr().or_fail("the port's address");
        let (state, authenticator) = (self.state.clone(), self.authenticator.clone());
        let server =
            actix_web::HttpServer::new(move || app::build(state.clone(), authenticator.clone()))
                .workers(1)
                .disable_signals()
                .client_request_timeout(os2pm_api::server::CLIENT_REQUEST_TIMEOUT)
                .client_disconnect_timeout(os2pm_api::server::CLIENT_DISCONNECT_TIMEOUT)
                .listen(listener)
                .or_fail("serving on the port")
                .run();
        actix_web::rt::spawn(server);
        format!("http://{address}")
    }

    /// Starts a webhook dispatcher, as `os2pm serve` does; aborting the handle stops it
    /// wherever it is, like a killed process.
    pub fn dispatch(&self) -> actix_web::rt::task::JoinHandle<()> {
        os2pm_api::webhooks::spawn(self.state.pool.clone(), self.config.webhooks.clone())
    }

    /// A development token with `roles`, acting for `org`.
    pub fn token(&self, roles: &[Role], org: Option<&str>) -> String {
        let sub = format!("test-{}", roles.first().map_or("nobody", |r| r.as_str()));
        self.authenticator
            .issue(&sub, roles, org, Duration::from_secs(600))
            .or_fail("a development token")
    }
}

impl Default for TestApp {
    fn default() -> Self {
        Self::new()
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json answer of `status` and `type`, and returns its body.
    #[track_caller]
    pub fn problem(&self, status: u16, problem_type: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{:#}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{:#}",
            self.body
        );
        assert_eq!(
            self.body["type"],
            format!("/problems/{problem_type}"),
            "{:#}",
            self.body
        );
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string() && self.body["detail"].is_string());
        &self.body
    }

    /// The fields a validation problem names.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Sends `request` and reads the answer; an empty or non-JSON body reads as `Value::Null` or a
/// string.
pub async fn send<S, B>(service: &S, request: TestRequest) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let response = actix_web::test::call_service(service, request.to_request()).await;
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = actix_web::test::read_body(response).await;
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Reply {
        status,
        headers,
        body,
    }
}

/// The administrator as the actor of audit entries a test writes straight to the store.
pub fn administrator() -> Actor {
    Actor {
        sub: "test-admin".into(),
        roles: vec!["admin".into()],
        org: None,
    }
}

/// An audit entry about an organisation, with no states, for a test that writes it straight
/// to the store.
pub fn organisation_entry<'a>(
    actor: &'a Actor,
    subject_id: &'a str,
    action: &'a str,
) -> NewEntry<'a> {
    NewEntry {
        subject_type: "organization",
        subject_id,
        action,
        actor,
        before: None,
        after: None,
        reason: None,
    }
}

/// `Authorization: Bearer <token>`.
pub fn bearer(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}
