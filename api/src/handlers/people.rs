//! People: who a token's `sub` is, by name and organisation (administrators manage them).

use actix_web::{get, post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, valid};
use crate::usecases::people;
use crate::usecases::people::{NewPersonRequest, Person};

/// Adds a person (administrators only).
#[utoipa::path(
    operation_id = "registerPerson",
    tag = "people",
    security(("bearer" = [])),
    request_body = NewPersonRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body return the first response")),
    responses(
        (status = 201, description = "Created", body = Person, headers(("Location" = String))),
        (status = 403, description = "Not an administrator", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "A person with this sub exists", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an unknown organisation", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/people")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewPersonRequest>,
) -> Result<StoredReply, ApiError> {
    let request = valid(body.into_inner())?;
    state
        .db(move |conn| people::register(conn, &caller, idempotency_key, request))
        .await
}

/// The people known to os2pm (administrators only).
#[utoipa::path(
    operation_id = "listPeople",
    tag = "people",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page of people", body = Page<Person>),
        (status = 403, description = "Not an administrator", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/people")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<Page<Person>, ApiError> {
    state
        .page_by_id(
            &page,
            |p: &Person| &p.id,
            move |conn, after, limit| people::list(conn, &caller, after, limit),
        )
        .await
}
