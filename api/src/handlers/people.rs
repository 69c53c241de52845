//! People: who a token's `sub` is, by name and organisation (administrators manage them).

use actix_web::{HttpResponse, web};
use os2pm_persistence::people::{self as store, PersonRow};
use os2pm_persistence::{StoreError, organizations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, validation_errors};
use crate::usecases::created;
use crate::usecases::people::Person;
use crate::usecases::people::organization_label;

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"sub": "jens@aarhus.dk", "name": "Jens Hansen", "organization": "751", "email": "jens@aarhus.dk"}))]
pub struct NewPersonRequest {
    #[validate(length(min = 1, max = 255, message = "must be 1 to 255 characters"))]
    pub sub: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    /// A kommunekode or organisation id.
    pub organization: String,
    #[validate(email(message = "is not an e-mail address"))]
    pub email: Option<String>,
}

/// Adds a person (administrators only).
#[utoipa::path(
    post, path = "/api/v1/people", tag = "people",
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
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewPersonRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Admin])?;
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &request, |conn| {
                let organization =
                    organizations::find(conn, &request.organization).map_err(|e| match e {
                        StoreError::NotFound => {
                            ApiError::validation("organization", "is not a known organisation")
                        }
                        other => other.into(),
                    })?;
                let row = PersonRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    sub: request.sub.clone(),
                    name: request.name.clone(),
                    organization_id: organization.id.clone(),
                    email: request.email.clone(),
                    created_at: os2pm_persistence::now(),
                };
                store::insert(conn, &row).map_err(|e| match e {
                    StoreError::Conflict(_) => {
                        ApiError::Conflict(format!("a person with sub `{}` exists", request.sub))
                    }
                    other => other.into(),
                })?;
                let person = Person::from_row(row, organization.code.unwrap_or(organization.id));
                created(
                    conn,
                    &caller,
                    "person",
                    &person.id,
                    format!("/api/v1/people/{}", person.id),
                    &person,
                )
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// The people known to os2pm (administrators only).
#[utoipa::path(
    get, path = "/api/v1/people", tag = "people",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "One page of people", body = Page<Person>),
        (status = 403, description = "Not an administrator", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Admin])?;
    let limit = page.limit()?;
    let after = page.after::<String>()?;
    let people = state
        .db(move |conn| {
            store::list(conn, after.as_deref(), limit + 1)?
                .into_iter()
                .map(|row| {
                    let label = organization_label(conn, &row.organization_id)?;
                    Ok(Person::from_row(row, label))
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(people, limit, |p| p.id.clone(), |p| p)))
}
