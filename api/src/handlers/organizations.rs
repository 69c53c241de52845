//! Organisations: the 98 municipalities from the first start, regions, KL, KOMBIT, OS2, and
//! those an administrator adds (state agencies, suppliers …).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use os2pm_groups::organizations::{
    IdentifierError, OrganizationKind, check_cvr, check_kommunekode, requires_kommunekode,
};
use os2pm_persistence::organizations::{
    self as store, NewOrganization, OrganizationCursor, OrganizationFilter, OrganizationRow,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError, ProblemSchema};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, validation_errors, with_etag};
use crate::usecases::created;

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0b0c8f8e-5d0e-4d4c-9d6e-0c1f3c6f2a11", "code": "101", "name": "Københavns Kommune",
    "type": "municipality", "cvr": null, "region_code": "1084",
    "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:00:00Z"
}))]
pub struct Organization {
    pub id: String,
    /// The kommunekode of a municipality, the region code of a region, a short name otherwise.
    pub code: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = organization_type_schema)]
    pub kind: String,
    /// CVR number, 8 digits with a valid modulus-11 check.
    pub cvr: Option<String>,
    /// For a municipality: the code of its region.
    pub region_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The schema of the `type` field, listing the domain's organisation kinds.
fn organization_type_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some("The kind of organisation"))
        .enum_values(Some(OrganizationKind::ALL.iter().map(|kind| kind.as_str())))
        .build()
}

impl From<OrganizationRow> for Organization {
    fn from(row: OrganizationRow) -> Self {
        Self {
            id: row.id,
            code: row.code,
            name: row.name,
            kind: row.kind,
            cvr: row.cvr,
            region_code: row.region_code,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// Only organisations of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", schema_with = organization_type_schema)]
    pub kind: Option<String>,
    /// Free text over name and code, case-insensitive.
    #[param(example = "aarhus")]
    pub q: Option<String>,
}

/// The organisations, by name.
#[utoipa::path(
    get, path = "/api/v1/organizations", tag = "organizations",
    params(OrganizationQuery, PageParams),
    responses(
        (status = 200, description = "One page of organisations", body = Page<Organization>),
        (status = 400, description = "Malformed query string", body = ProblemSchema,
            content_type = "application/problem+json"),
        (status = 422, description = "Unknown type, limit out of range or invalid cursor",
            body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<OrganizationQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    if let Some(kind) = &query.kind {
        kind.parse::<OrganizationKind>()
            .map_err(|e| ApiError::validation("type", e.to_string()))?;
    }
    let limit = page.limit()?;
    let after = page
        .after::<(String, String)>()?
        .map(|(name, id)| OrganizationCursor { name, id });
    let filter = OrganizationFilter {
        kind: query.kind,
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
    get, path = "/api/v1/organizations/{id}", tag = "organizations",
    params(("id" = String, Path, description = "The organisation's id or code", example = "751")),
    responses(
        (status = 200, description = "The organisation", body = Organization,
            headers(("ETag" = String, description = "The version, for If-Match and If-None-Match"))),
        (status = 304, description = "Unchanged since the ETag in If-None-Match"),
        (status = 404, description = "No such organisation", body = ProblemSchema,
            content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    request: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .db(move |conn| {
            store::find(conn, &id).map_err(|e| match e {
                os2pm_persistence::StoreError::NotFound => {
                    ApiError::NotFound(format!("no organisation with id or code `{id}`"))
                }
                other => other.into(),
            })
        })
        .await?;
    Ok(with_etag(&request, row.version, &Organization::from(row)))
}

/// A new organisation.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Digitaliseringsstyrelsen", "type": "state_agency", "cvr": "34051178"}))]
pub struct NewOrganizationRequest {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = organization_type_schema)]
    pub kind: String,
    /// Required for a municipality (its kommunekode); a short unique name otherwise.
    #[validate(length(min = 1, max = 40, message = "must be 1 to 40 characters"))]
    pub code: Option<String>,
    #[validate(custom(function = "valid_cvr"))]
    pub cvr: Option<String>,
    /// For a municipality: the code of its region.
    pub region_code: Option<String>,
}

fn valid_cvr(cvr: &str) -> Result<(), ValidationError> {
    check_cvr(cvr).map_err(|e| ValidationError::new("cvr").with_message(e.to_string().into()))
}

impl NewOrganizationRequest {
    /// Every problem with the request, not just the first.
    fn problems(&self) -> Vec<FieldError> {
        let mut problems = self
            .validate()
            .err()
            .map(|e| validation_errors(&e))
            .unwrap_or_default();
        match self.kind.parse::<OrganizationKind>() {
            Err(e) => problems.push(FieldError::new("type", e.to_string())),
            Ok(kind) if requires_kommunekode(kind) => {
                let code_problem = match self.code.as_deref() {
                    None => Some(IdentifierError::KommunekodeFormat),
                    Some(code) => check_kommunekode(code).err(),
                };
                if let Some(problem) = code_problem {
                    problems.push(FieldError::new("code", problem.to_string()));
                }
                if self.region_code.is_none() {
                    problems.push(FieldError::new(
                        "region_code",
                        "a municipality lies in a region",
                    ));
                }
            }
            Ok(_) => {}
        }
        problems
    }
}

/// Adds an organisation (administrators only).
#[utoipa::path(
    post, path = "/api/v1/organizations", tag = "organizations",
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
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Admin])?;
    let request = body.into_inner();
    let problems = request.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &request, |conn| {
                if let Some(region) = &request.region_code {
                    let is_region = store::find(conn, region)
                        .is_ok_and(|org| org.kind == OrganizationKind::Region.as_str());
                    if !is_region {
                        return Err(ApiError::validation(
                            "region_code",
                            "is not the code of a region",
                        ));
                    }
                }
                let row = store::insert(
                    conn,
                    &NewOrganization {
                        id: uuid::Uuid::new_v4().to_string(),
                        code: request.code.clone(),
                        name: request.name.clone(),
                        kind: request.kind.clone(),
                        cvr: request.cvr.clone(),
                        region_code: request.region_code.clone(),
                    },
                )
                .map_err(|e| match e {
                    os2pm_persistence::StoreError::Conflict(_) => ApiError::Conflict(format!(
                        "an organisation with code `{}` exists",
                        request.code.as_deref().unwrap_or_default()
                    )),
                    other => other.into(),
                })?;
                let organization = Organization::from(row);
                created(
                    conn,
                    &caller,
                    "organization",
                    &organization.id,
                    format!("/api/v1/organizations/{}", organization.id),
                    &organization,
                )
            })
        })
        .await
        .map(StoredReply::into_response)
}
