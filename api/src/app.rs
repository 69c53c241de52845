//! The application: shared state, the route table and the middleware around it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{Compress, ErrorHandlers, from_fn};
use actix_web::{App, HttpMessage, web};
use os2pm_persistence::{DbConnection, Pool, StoreError};
use serde::Serialize;
use tokio::sync::Semaphore;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;

use actix_cors::Cors;
use actix_web::middleware::Condition;

use crate::auth::Authenticator;
use crate::error::{ApiError, problem_safety_net};
use crate::request::{Page, PageParams};
use crate::{handlers, headers, openapi_doc, rate_limit, request};

/// What every handler may use. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub backend: &'static str,
    pub max_body_bytes: usize,
    /// The browser origins that may call the API (CORS); none: CORS is off.
    pub cors_origins: Vec<String>,
    /// Per-client limits on anonymous requests and failed sign-ins; `None`: off.
    pub rate_limits: Option<web::Data<crate::rate_limit::RateLimits>>,
    /// How long readiness waits for a connection before it answers 503.
    pub readiness_timeout: Duration,
    /// Where webhooks may go.
    pub webhook_targets: crate::webhook_targets::TargetPolicy,
    /// The most webhooks an organisation (or the administrator) has.
    pub webhooks_per_organization: u32,
    /// One slot per pooled connection: requests wait for a slot here, asleep, instead of each
    /// holding a blocking thread while it waits for a connection.
    pub db_slots: Arc<Semaphore>,
    /// How long a request waits for a slot and a connection together before it answers 503.
    pub db_timeout: Duration,
    /// Project views as built, while current.
    pub project_views: Arc<crate::view_cache::ProjectViews>,
    /// Organisations as read: the ones an idea names are rarely new.
    pub organizations: Arc<os2pm_persistence::organizations::Directory>,
}

impl AppState {
    /// Runs database work on the blocking pool, with a connection from the pool; a database
    /// that cannot be reached within `db_timeout` is a 503.
    pub async fn db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let deadline = Instant::now() + self.db_timeout;
        let unavailable = || {
            ApiError::from(StoreError::Unavailable(
                "no database connection in time".into(),
            ))
        };
        let slot = tokio::time::timeout_at(deadline.into(), self.db_slots.clone().acquire_owned())
            .await
            .map_err(|_| unavailable())?
            .map_err(|_| unavailable())?;
        let pool = self.pool.clone();
        web::block(move || {
            let _slot = slot;
            pool.get_timeout(deadline.saturating_duration_since(Instant::now()))
                .map_err(StoreError::from)?
                .serve(work)
        })
        .await?
    }

    /// One page of a list in id order: `read(conn, after, limit + 1)` reads the rows after the
    /// cursor's id, one more than the page holds, which tells whether another page follows.
    pub async fn page_by_id<T: Serialize + Send + 'static>(
        &self,
        page: &PageParams,
        id: fn(&T) -> &str,
        read: impl FnOnce(&mut DbConnection, Option<&str>, i64) -> Result<Vec<T>, ApiError>
        + Send
        + 'static,
    ) -> Result<Page<T>, ApiError> {
        let limit = page.limit()?;
        let after = page.after::<String>()?;
        let rows = self
            .db(move |conn| read(conn, after.as_deref(), limit + 1))
            .await?;
        Ok(Page::from_rows(
            rows,
            limit,
            |row| id(row).to_owned(),
            |row| row,
        ))
    }
}

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Builds the application around `state`.
pub fn build(
    state: AppState,
    authenticator: web::Data<Authenticator>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let max_body_bytes = state.max_body_bytes;
    let cors_on = !state.cors_origins.is_empty();
    let rate_limits = state.rate_limits.clone();
    let cors = cors(&state.cors_origins);
    let (app, document) = App::new()
        .app_data(web::Data::new(state))
        .app_data(authenticator)
        .app_data(request::json_config(max_body_bytes))
        .app_data(request::query_config())
        .app_data(request::path_config())
        .app_data(web::PayloadConfig::new(max_body_bytes))
        .into_utoipa_app()
        .configure(handlers::routes)
        .split_for_parts();
    let app = match rate_limits {
        Some(limits) => app.app_data(limits),
        None => app,
    };
    app.app_data(web::Data::new(Operations::of(&document)))
        .service(openapi_doc::swagger_ui())
        // A newcomer who opens the bare address, or types the UI's path without its slash.
        .route("/", web::get().to(to_swagger_ui))
        .route("/swagger-ui", web::get().to(to_swagger_ui))
        .default_service(web::to(not_found))
        .wrap(from_fn(request::refuse_control_characters))
        .wrap(ErrorHandlers::new().default_handler(problem_safety_net))
        .wrap(from_fn(request::limit_head))
        .wrap(Compress::default())
        .wrap(from_fn(rate_limit::limit))
        .wrap(from_fn(headers::security_headers))
        .wrap(Condition::new(cors_on, cors))
        .wrap_fn(|request, service| {
            use actix_web::dev::Service;
            let request_id = request.extensions().get::<RequestId>().copied();
            let response = service.call(request);
            async move {
                let mut response = response.await?;
                if let Some(id) = request_id
                    && let Ok(value) = HeaderValue::from_str(&id.to_string())
                {
                    response
                        .headers_mut()
                        .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
                }
                Ok(response)
            }
        })
        .wrap(TracingLogger::default())
}

/// Cross-origin calls from the named intranet origins: the methods and headers the API takes,
/// and the headers a client reads back; preflights are answered here.
fn cors(origins: &[String]) -> Cors {
    use actix_web::http::header;
    let cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            HeaderName::from_static("idempotent-replayed"),
            HeaderName::from_static(REQUEST_ID_HEADER),
        ])
        .max_age(600);
    origins
        .iter()
        .fold(cors, |cors, origin| cors.allowed_origin(origin))
}

async fn to_swagger_ui() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Found()
        .insert_header((actix_web::http::header::LOCATION, "/swagger-ui/"))
        .finish()
}

/// 405 with `Allow` for a known path asked with another method; 404 for anything else.
async fn not_found(
    request: actix_web::HttpRequest,
    operations: web::Data<Operations>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let allowed = operations.methods_at(request.path());
    if allowed.is_empty() {
        return Err(ApiError::NotFound(format!(
            "no resource at {}",
            request.path()
        )));
    }
    Ok(actix_web::HttpResponse::MethodNotAllowed()
        .insert_header((actix_web::http::header::ALLOW, allowed.join(", ")))
        .finish())
}

/// The (path template, methods) of every operation the route table serves.
pub struct Operations(Vec<(Vec<String>, Vec<String>)>);

impl Operations {
    fn of(document: &utoipa::openapi::OpenApi) -> Self {
        Self(
            document
                .paths
                .paths
                .iter()
                .map(|(template, item)| {
                    let segments = template.split('/').map(str::to_owned).collect();
                    let methods = [
                        ("GET", &item.get),
                        ("POST", &item.post),
                        ("PUT", &item.put),
                        ("PATCH", &item.patch),
                        ("DELETE", &item.delete),
                    ]
                    .into_iter()
                    .filter(|(_, operation)| operation.is_some())
                    .map(|(method, _)| method.to_owned())
                    .collect();
                    (segments, methods)
                })
                .collect(),
        )
    }

    /// The methods served at `path`, whatever its `{parameters}` stand for.
    fn methods_at(&self, path: &str) -> Vec<String> {
        let segments: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len()
                    && template.iter().zip(&segments).all(|(t, s)| {
                        (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s
                    })
            })
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect()
    }
}
