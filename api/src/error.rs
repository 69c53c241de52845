//! Every error the service answers is `application/problem+json` (RFC 9457).
//!
//! Error rule of this layer: handlers return [`ApiError`]; each variant has one stable `type`
//! URI, one status and a title. Causes of 500s and 503s are logged with the request's span and
//! never sent to the client. The [`problem_safety_net`] middleware turns whatever actix answers
//! on its own (unknown route, wrong method, oversized body …) into the same shape.

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};
use os2pm_persistence::StoreError;
use problem_details::ProblemDetails;
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as named in the request (`cvr`, `query.limit`).
    #[schema(example = "cvr")]
    pub field: String,
    #[schema(example = "the CVR number fails the modulus-11 check")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A requirement that blocks a transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UnmetRequirement {
    #[schema(example = "idea_described")]
    pub key: String,
    #[schema(example = "N1", value_type = os2pm_levels::Level)]
    pub level: String,
    #[schema(example = "approval", value_type = os2pm_levels::Gate)]
    pub gate: String,
    /// The requirement as the association writes it (the board reads Danish).
    #[schema(example = "Ideen er beskrevet")]
    pub title_da: String,
    #[schema(example = "The basic idea is described")]
    pub title_en: String,
}

/// The problem members beyond RFC 9457's own.
#[derive(Debug, Default, Serialize)]
struct Extensions {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unmet_requirements: Vec<UnmetRequirement>,
}

/// The documented shape of every error response (the wire type is `problem_details`'s).
#[derive(Debug, ToSchema)]
#[schema(
    as = Problem,
    example = json!({
        "type": "/problems/validation",
        "title": "The request is not valid",
        "status": 422,
        "detail": "1 field is not valid",
        "errors": [{"field": "cvr", "message": "the CVR number fails the modulus-11 check"}]
    })
)]
pub struct ProblemSchema {
    /// A stable URI reference per kind of error, e.g. `/problems/validation`.
    #[schema(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: Option<String>,
    /// For validation errors: each field that failed.
    pub errors: Option<Vec<FieldError>>,
    /// For refused transitions: each requirement that is not met.
    pub unmet_requirements: Option<Vec<UnmetRequirement>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MalformedBody(String),
    #[error("{0}")]
    InvalidQuery(String),
    /// A request head os2pm will not guess at (two credentials, say).
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    UriTooLong(String),
    #[error("{0}")]
    HeadersTooLarge(String),
    #[error("{} field(s) are not valid", .0.len())]
    Validation(Vec<FieldError>),
    #[error("the Idempotency-Key was already used with a different request")]
    IdempotencyKeyReused,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{} requirement(s) are not met", .0.len())]
    UnmetRequirements(Vec<UnmetRequirement>),
    /// Over the per-client limit: try again after this many seconds.
    #[error("too many requests from this client; try again in {0} s")]
    TooManyRequests(u64),
    #[error("the database is unavailable")]
    Unavailable(String),
    #[error("the identity provider is unavailable")]
    IdentityProviderUnavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// (status, type slug, title) — the stable identity of each kind of error.
    fn kind(&self) -> (u16, &'static str, &'static str) {
        match self {
            Self::Unauthorized(_) => (401, "unauthorized", "Authentication required"),
            Self::Forbidden(_) => (403, "forbidden", "Not allowed"),
            Self::NotFound(_) => (404, "not-found", "Not found"),
            Self::MalformedBody(_) => (400, "malformed-body", "The request body is malformed"),
            Self::InvalidQuery(_) => (400, "invalid-query", "The query string is malformed"),
            Self::BadRequest(_) => (400, "bad-request", "Bad request"),
            Self::TooManyRequests(_) => (429, "too-many-requests", "Too many requests"),
            Self::PayloadTooLarge(_) => (413, "payload-too-large", "The request body is too large"),
            Self::UnsupportedMediaType(_) => {
                (415, "unsupported-media-type", "Unsupported media type")
            }
            Self::UriTooLong(_) => (414, "uri-too-long", "The URL is too long"),
            Self::HeadersTooLarge(_) => (
                431,
                "headers-too-large",
                "The request headers are too large",
            ),
            Self::Validation(_) => (422, "validation", "The request is not valid"),
            Self::IdempotencyKeyReused => (
                422,
                "idempotency-key-reused",
                "Idempotency-Key reused with another request",
            ),
            Self::Conflict(_) => (409, "conflict", "Conflict"),
            Self::PreconditionRequired(_) => (428, "precondition-required", "If-Match is required"),
            Self::PreconditionFailed(_) => (
                412,
                "precondition-failed",
                "The resource changed since you read it",
            ),
            Self::UnmetRequirements(_) => (422, "unmet-requirements", "Requirements are not met"),
            Self::Unavailable(_) => (503, "database-unavailable", "The database is unavailable"),
            Self::IdentityProviderUnavailable(_) => (
                503,
                "identity-provider-unavailable",
                "The identity provider is unavailable",
            ),
            Self::Internal(_) => (500, "internal", "Internal server error"),
        }
    }

    fn problem(&self) -> ProblemDetails<Extensions> {
        let (status, slug, title) = self.kind();
        let errors = match self {
            Self::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let unmet_requirements = match self {
            Self::UnmetRequirements(unmet) => unmet.clone(),
            _ => Vec::new(),
        };
        let detail = match self {
            // The cause stays in the log, never in the response.
            Self::Unavailable(_) | Self::IdentityProviderUnavailable(_) | Self::Internal(_) => {
                self.to_string()
            }
            Self::Validation(errors) => format!(
                "{} field{} not valid",
                errors.len(),
                if errors.len() == 1 { " is" } else { "s are" }
            ),
            other => other.to_string(),
        };
        problem(status, slug, title, detail).with_extensions(Extensions {
            errors,
            unmet_requirements,
        })
    }
}

fn problem(status: u16, slug: &str, title: &str, detail: String) -> ProblemDetails {
    let status =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut problem = ProblemDetails::from_status_code(status)
        .with_title(title)
        .with_detail(detail);
    if let Ok(uri) = format!("/problems/{slug}").parse::<http::Uri>() {
        problem = problem.with_type(uri);
    }
    problem
}

impl ResponseError for ApiError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::from_u16(self.kind().0)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(%cause, "internal error"),
            Self::Unavailable(cause) | Self::IdentityProviderUnavailable(cause) => {
                tracing::warn!(%cause, "dependency unavailable");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_CONTENT_TYPE);
        if matches!(self, Self::Unauthorized(_)) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if matches!(
            self,
            Self::Unavailable(_) | Self::IdentityProviderUnavailable(_)
        ) {
            response.insert_header((header::RETRY_AFTER, "5"));
        }
        if let Self::TooManyRequests(seconds) = self {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(self.problem())
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound("no such resource".into()),
            StoreError::Unavailable(cause) => Self::Unavailable(cause),
            StoreError::Conflict(cause) => Self::Conflict(cause),
            StoreError::NulInText => Self::validation(
                "request",
                "text must not contain the NUL character (U+0000)",
            ),
            StoreError::Stale => Self::PreconditionFailed(
                "the resource changed since the ETag in If-Match; read it again".into(),
            ),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::Internal(error.to_string())
    }
}

/// Rewrites an error response that is not yet problem+json (actix's own 404, 405, 413 …) into
/// one, keeping its status and headers.
pub fn problem_safety_net<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            value
                .as_bytes()
                .starts_with(PROBLEM_CONTENT_TYPE.as_bytes())
        });
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let (slug, title) = match status.as_u16() {
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        413 => ("payload-too-large", "The request body is too large"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        431 => ("headers-too-large", "The request headers are too large"),
        500..=599 => ("internal", "Internal server error"),
        _ => ("bad-request", "Bad request"),
    };
    let detail = match status.as_u16() {
        404 => format!("no resource at {}", response.request().path()),
        405 => format!(
            "{} is not allowed on {}",
            response.request().method(),
            response.request().path()
        ),
        _ => status
            .canonical_reason()
            .unwrap_or("the request could not be handled")
            .to_owned(),
    };
    let body =
        serde_json::to_string(&problem(status.as_u16(), slug, title, detail)).unwrap_or_default();
    let (request, mut response) = response.into_parts();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    let response = response.set_body(body).map_into_boxed_body();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, response).map_into_right_body(),
    ))
}

/// The refusals many operations share, each declared once for the document (the generic 400,
/// 401, 412, 413, 414, 415, 422, 428, 431 and 503 are added to every operation by `os2pm_openapi::finish`).
pub mod refusals {
    use utoipa::IntoResponses;

    use super::ProblemSchema;

    /// No such project
    #[derive(IntoResponses)]
    #[response(status = 404, content_type = "application/problem+json")]
    pub struct NoSuchProject(pub ProblemSchema);

    /// No such product
    #[derive(IntoResponses)]
    #[response(status = 404, content_type = "application/problem+json")]
    pub struct NoSuchProduct(pub ProblemSchema);

    /// No such approval
    #[derive(IntoResponses)]
    #[response(status = 404, content_type = "application/problem+json")]
    pub struct NoSuchApproval(pub ProblemSchema);

    /// No such meeting
    #[derive(IntoResponses)]
    #[response(status = 404, content_type = "application/problem+json")]
    pub struct NoSuchMeeting(pub ProblemSchema);

    /// No such webhook
    #[derive(IntoResponses)]
    #[response(status = 404, content_type = "application/problem+json")]
    pub struct NoSuchWebhook(pub ProblemSchema);

    /// Not the business manager
    #[derive(IntoResponses)]
    #[response(status = 403, content_type = "application/problem+json")]
    pub struct NotTheBusinessManager(pub ProblemSchema);

    /// Neither business manager nor steering group chair
    #[derive(IntoResponses)]
    #[response(status = 403, content_type = "application/problem+json")]
    pub struct NotManagerOrChair(pub ProblemSchema);

    /// The product is closed
    #[derive(IntoResponses)]
    #[response(status = 409, content_type = "application/problem+json")]
    pub struct ProductClosed(pub ProblemSchema);
}
