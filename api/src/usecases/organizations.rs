//! Organisations: the 98 municipalities from the first start, regions, KL, KOMBIT, OS2, and
//! those an administrator adds (state agencies, suppliers …).

use chrono::{DateTime, Utc};
use os2pm_groups::organizations::{
    IdentifierError, OrganizationKind, check_cvr, check_kommunekode, requires_kommunekode,
};
use os2pm_persistence::DbConnection;
use os2pm_persistence::organizations::{self as store, NewOrganization, OrganizationRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::request::{IdempotencyKey, StoredReply, validation_errors};
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
    pub kind: OrganizationKind,
    /// CVR number, 8 digits with a valid modulus-11 check.
    pub cvr: Option<String>,
    /// For a municipality: the code of its region.
    pub region_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
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

impl NewOrganizationRequest {
    /// Every problem with the request, not just the first.
    pub(crate) fn problems(&self) -> Vec<FieldError> {
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

/// An organisation by id or code.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<OrganizationRow, ApiError> {
    store::find(conn, id).map_err(|e| match e {
        os2pm_persistence::StoreError::NotFound => {
            ApiError::NotFound(format!("no organisation with id or code `{id}`"))
        }
        other => other.into(),
    })
}

/// Registers an organisation (administrator).
pub fn register(
    conn: &mut DbConnection,
    caller: &Caller,
    idempotency_key: IdempotencyKey,
    request: NewOrganizationRequest,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Admin])?;
    idempotency_key.run(conn, caller, &request, |conn| {
        if let Some(region) = &request.region_code {
            let is_region =
                store::find(conn, region).is_ok_and(|org| org.kind == OrganizationKind::Region);
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
                kind: request
                    .kind
                    .parse()
                    .map_err(|e: os2pm_levels::UnknownValue| {
                        ApiError::validation("type", e.to_string())
                    })?,
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
            caller,
            ("organization", &organization.id, "created"),
            format!("/api/v1/organizations/{}", organization.id),
            &organization,
        )
    })
}

/// The schema of the `type` field, listing the domain's organisation kinds.
pub(crate) fn organization_type_schema() -> utoipa::openapi::Object {
    crate::request::closed_set(
        "The kind of organisation",
        OrganizationKind::ALL.iter().map(|kind| kind.as_str()),
    )
}

fn valid_cvr(cvr: &str) -> Result<(), ValidationError> {
    check_cvr(cvr).map_err(|e| ValidationError::new("cvr").with_message(e.to_string().into()))
}
