//! The requirement catalogue (*formkrav*), cumulative per level.

use actix_web::{HttpResponse, get, web};
use os2pm_levels::styringsmodel::{ChecklistLevel, STYRINGSMODEL_2025};
use os2pm_levels::{DEFAULT_CATALOGUE_VERSION, Gate, Level};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::AppState;
use crate::error::{ApiError, ProblemSchema};
use crate::usecases::requirements;
use crate::usecases::requirements::RequirementList;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequirementQuery {
    /// The level: its own requirements and every level's below it. Without it, the whole
    /// catalogue. `N1`–`N3`; for `os2-styringsmodel-2025` also `sandkasse` and `1`–`3`.
    #[param(example = "N2", value_type = Option<os2pm_levels::Level>)]
    pub level: Option<String>,
    /// Only the requirements due by this gate (`approval`, `start`, `go_live`); gates are cumulative.
    #[param(example = "approval", value_type = Option<os2pm_levels::Gate>)]
    pub gate: Option<String>,
    /// The catalogue version: `os2-2016` (default) or `os2-styringsmodel-2025`, the
    /// association's current checklist.
    #[param(example = "os2-2016")]
    pub catalogue: Option<String>,
}

/// The requirements a project at a level must meet (cumulative), with Danish and English titles.
#[utoipa::path(
    operation_id = "listRequirements",
    security(()),
    tag = "requirements",
    params(RequirementQuery),
    responses(
        (status = 200, description = "The requirements, in catalogue order", body = RequirementList),
        (status = 422, description = "Unknown level, gate or catalogue", body = ProblemSchema,
            content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/requirements")]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<RequirementQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    if query.catalogue.as_deref() == Some(STYRINGSMODEL_2025) {
        return checklist(query.level.as_deref());
    }
    let level = query
        .level
        .as_deref()
        .map(str::parse::<Level>)
        .transpose()
        .map_err(|e| ApiError::validation("level", e.to_string()))?;
    let gate = query
        .gate
        .as_deref()
        .map(str::parse::<Gate>)
        .transpose()
        .map_err(|_| ApiError::validation("gate", "must be approval, start or go_live"))?;
    let version = query
        .catalogue
        .unwrap_or_else(|| DEFAULT_CATALOGUE_VERSION.to_owned());
    let list = state
        .db(move |conn| requirements::list(conn, version, level, gate))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The 2025 checklist (`os2-styringsmodel-2025`), cumulative up to `level` (`sandkasse`, 1–3,
/// or N1–N3).
fn checklist(level: Option<&str>) -> Result<HttpResponse, ApiError> {
    let level = level
        .map(ChecklistLevel::read)
        .transpose()
        .map_err(|e| ApiError::validation("level", e.to_string()))?;
    Ok(HttpResponse::Ok().json(requirements::checklist(level)?))
}
