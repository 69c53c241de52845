//! Start-up: logging, database preparation, the pool, and the HTTP server.

use std::time::Duration;

use actix_web::{HttpServer, web};
use os2pm_persistence::{PoolOptions, build_pool, migrations};

use crate::app::{self, AppState};
use crate::auth::Authenticator;
use crate::config::{Config, KeyConfig};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] os2pm_persistence::StoreError),
    #[error(transparent)]
    Key(#[from] crate::auth::KeyError),
    #[error("cannot listen on {bind}: {cause}")]
    Bind { bind: String, cause: std::io::Error },
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Structured logs on stderr; `RUST_LOG` filters (default `info`). Colours only on a terminal,
/// so a log file or a log shipper gets plain text; `json` gives one object a line.
pub fn init_tracing(json: bool) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(!json && std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // A second initialisation (tests) keeps the first subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Migrates (unless turned off), seeds, and builds the shared state.
pub fn prepare(config: &Config) -> Result<(AppState, Authenticator), StartError> {
    let applied = migrations::prepare(&config.database_url, config.auto_migrate)?;
    if !applied.is_empty() {
        tracing::info!(?applied, "applied migrations");
    }
    let pool = build_pool(
        config.database_url.clone(),
        &PoolOptions {
            max_size: config.pool_size,
            connection_timeout: config.db_timeout,
        },
    );
    let state = AppState {
        pool,
        backend: config.database_url.backend_name(),
        max_body_bytes: config.max_body_bytes,
        cors_origins: config.cors_origins.clone(),
        rate_limits: crate::rate_limit::RateLimits::per_minute(config.rate_limit_per_minute)
            .map(actix_web::web::Data::new),
        readiness_timeout: config.db_timeout.min(Duration::from_secs(2)),
        webhook_targets: crate::webhook_targets::TargetPolicy::new(
            &config.webhooks.allow_hosts,
            config.webhooks.allow_http_loopback,
        ),
        webhooks_per_organization: config.webhooks.per_organization,
        db_slots: std::sync::Arc::new(tokio::sync::Semaphore::new(
            usize::try_from(config.pool_size).unwrap_or(usize::MAX),
        )),
        db_timeout: config.db_timeout,
        project_views: std::sync::Arc::new(crate::view_cache::ProjectViews::new(
            config.view_cache_mb.saturating_mul(1024 * 1024),
        )),
        organizations: std::sync::Arc::default(),
    };
    Ok((state, Authenticator::new(config.auth.clone())?))
}

/// How long a client may take to send a request's head: slow or stalled clients (slow-loris)
/// are cut off instead of holding a connection.
pub const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a closing connection may linger.
pub const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves until SIGTERM or SIGINT, then finishes the requests in flight.
pub async fn serve(config: Config) -> Result<(), StartError> {
    // The port first: a busy one is reported before migrations run or a key file is written.
    let listener = std::net::TcpListener::bind(&config.bind).map_err(|cause| StartError::Bind {
        bind: config.bind.clone(),
        cause,
    })?;
    let prepare_config = config.clone();
    let (state, authenticator) = web::block(move || prepare(&prepare_config))
        .await
        .map_err(|e| StartError::Serve(std::io::Error::other(e.to_string())))??;
    let authenticator = web::Data::new(authenticator);
    let pool_threads = usize::try_from(config.pool_size).unwrap_or(usize::MAX);
    let _dispatcher = crate::webhooks::spawn(state.pool.clone(), config.webhooks.clone());
    let mut server = HttpServer::new(move || app::build(state.clone(), authenticator.clone()))
        .shutdown_timeout(30)
        .client_request_timeout(CLIENT_REQUEST_TIMEOUT)
        .client_disconnect_timeout(CLIENT_DISCONNECT_TIMEOUT)
        // Database work holds one of `pool_size` slots (`AppState::db`): more threads would only
        // wait, each with its own stack and allocator arena.
        .worker_max_blocking_threads(pool_threads);
    if let Some(workers) = config.workers {
        server = server.workers(workers);
    }
    let server = server.listen(listener).map_err(|cause| StartError::Bind {
        bind: config.bind.clone(),
        cause,
    })?;
    for address in server.addrs() {
        tracing::info!(
            url = %format!("http://{address}"),
            docs = %format!("http://{address}/swagger-ui/"),
            database = config.database_url.backend_name(),
            "os2pm is listening"
        );
    }
    if let KeyConfig::Development { secret, key_file } = &config.auth.keys {
        let key = match secret {
            Some(_) => "OS2PM_JWT_SECRET".to_owned(),
            None => key_file.display().to_string(),
        };
        tracing::info!(
            %key,
            "development sign-in: get a token with `cargo run --release -- token --role admin` \
             (or `os2pm token --role ROLE --org KOMMUNEKODE`) in the same directory and environment"
        );
    }
    server.run().await.map_err(StartError::Serve)
}
