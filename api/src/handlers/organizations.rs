//! Organisations: the 98 municipalities from the first start, regions, KL, KOMBIT, OS2, and
//! those an administrator adds (state agencies, suppliers …).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use os2pm_groups::organizations::OrganizationKind;
use os2pm_persistence::organizations::{self as store, OrganizationCursor, OrganizationFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, with_etag};
use crate::usecases::organizations;
use crate::usecases::organizations::{
    NewOrganizationRequest, Organization, organization_type_schema,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Only organisations of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", schema_with = organization_type_schema)]
    pub kind: Option<String>,
    /// Free text over name and code, case-insensitive.
    #[param(example = "aarhus")]
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub q: Option<String>,
}

/// The organisations, by name.
#[utoipa::path(
    operation_id = "listOrganizations",
    security(()),
    tag = "organizations",
    params(OrganizationQuery, PageParams),
    responses(
        (status = 200, description = "One page of organisations", body = Page<Organization>),
        (status = 400, description = "Malformed query string", body = ProblemSchema,
            content_type = "application/problem+json"),
        (status = 422, description = "Unknown type, limit out of range or invalid cursor",
            body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/organizations")]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<OrganizationQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let kind = query
        .kind
        .as_deref()
        .map(str::parse::<OrganizationKind>)
        .transpose()
        .map_err(|e| ApiError::validation("type", e.to_string()))?;
    let limit = page.limit()?;
    let after = page
        .after::<(String, String)>()?
        .map(|(name, id)| OrganizationCursor { name, id });
    let filter = OrganizationFilter {
        kind,
        text: query.q.filter(|q| !q.trim().is_empty()),
    };
    let rows = state
        .db(move |conn| Ok(store::list(conn, &filter, after.as_ref(), limit + 1)?))
        .await?;
    let page = Page::<Organization>::from_rows(
        rows,
        limit,
        |row| (row.name.clone(), row.id.clone()),
        Organization::from,
    );
    Ok(HttpResponse::Ok().json(page))
}

/// One organisation, by id or by code (a kommunekode such as `101`).
#[utoipa::path(
    operation_id = "getOrganization",
    security(()),
    tag = "organizations",
    params(("id" = String, Path, description = "The organisation's id or code", example = "751")),
    responses(
        (status = 200, description = "The organisation", body = Organization,
            headers(("ETag" = String, description = "The version, for If-Match and If-None-Match"))),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 404, description = "No such organisation", body = ProblemSchema,
            content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/organizations/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state.db(move |conn| organizations::find(conn, &id)).await?;
    Ok(with_etag(&request, row.version, &Organization::from(row)))
}

/// Adds an organisation (administrators only).
#[utoipa::path(
    operation_id = "createOrganization",
    tag = "organizations",
    security(("bearer" = [])),
    request_body = NewOrganizationRequest,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Retrying with the same key and body returns the first response")),
    responses(
        (status = 201, description = "Created", body = Organization,
            headers(("Location" = String, description = "The new organisation"))),
        (status = 403, description = "Not an administrator", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each listed), or an Idempotency-Key reused with another body",
            body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/organizations")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewOrganizationRequest>,
) -> Result<StoredReply, ApiError> {
    let request = body.into_inner();
    let problems = request.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    state
        .db(move |conn| organizations::register(conn, &caller, idempotency_key, request))
        .await
}
