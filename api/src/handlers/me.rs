//! Who the token says the caller is: lets an integration check its token set-up.

use actix_web::{HttpResponse, get};

use crate::auth::Caller;
use crate::error::ProblemSchema;

/// The caller as os2pm understands the bearer token: subject, recognised roles, organisation.
#[utoipa::path(
    operation_id = "getMe",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Caller,
            example = json!({"sub": "jens@aarhus", "roles": ["municipality_user"], "org": "751"})),
        (status = 401, description = "No token, or a token that is not valid", body = ProblemSchema,
            content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/me")]
pub async fn get(caller: Caller) -> HttpResponse {
    HttpResponse::Ok().json(caller)
}
