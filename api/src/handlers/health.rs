//! Liveness and readiness for orchestrators and load balancers.

use actix_web::{HttpResponse, get, web};
use os2pm_persistence::{StoreError, ping};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "sqlite", schema_with = backend_schema)]
    pub database: Option<&'static str>,
}

fn backend_schema() -> utoipa::openapi::Object {
    crate::request::closed_set(
        "The database backend, on readiness",
        os2pm_persistence::DatabaseUrl::BACKENDS,
    )
}

/// The process is up and answering.
#[utoipa::path(
    operation_id = "checkLiveness",
    security(()),
    tag = "health",
    responses((status = 200, description = "The process answers", body = Health,
        example = json!({"status": "ok"})))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok",
        database: None,
    })
}

/// The service can reach its database. Answers 503 while it cannot, and 200 again by itself
/// once it can.
#[utoipa::path(
    operation_id = "checkReadiness",
    security(()),
    tag = "health",
    responses(
        (status = 200, description = "The database answers", body = Health,
            example = json!({"status": "ready", "database": "sqlite"})),
        (status = 503, description = "The database cannot be reached", body = crate::error::ProblemSchema,
            content_type = "application/problem+json"),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let pool = state.pool.clone();
    let timeout = state.readiness_timeout;
    // A round trip every time: a connection that served a request just before the database
    // went away is handed out without a ping (`Pooled::serve`).
    web::block(move || {
        let mut conn = pool.get_timeout(timeout).map_err(StoreError::from)?;
        ping(&mut conn)
    })
    .await?
    .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ready",
        database: Some(state.backend),
    }))
}
