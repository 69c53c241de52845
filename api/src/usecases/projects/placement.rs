//! Placement: the business manager puts an idea at a level, pinned to a catalogue version.

use os2pm_levels::{DEFAULT_CATALOGUE_VERSION, Level};
use os2pm_persistence::{DbConnection, catalogue};
use os2pm_projects::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::request::{Guarded, Problems, StoredReply};
use crate::usecases::projects::change_guarded_because;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "N2", "rationale": "Fælleskommunal værdi; kræver strategisk forankring."}))]
pub struct PlacementRequest {
    /// `N1`, `N2` or `N3`; `sandkasse` (the sandbox below N1) in a catalogue that has it.
    #[schema(example = "N2", value_type = os2pm_levels::Level)]
    pub level: String,
    pub rationale: String,
    /// The catalogue version to pin the project to; `os2-2016` when left out.
    #[schema(example = "os2-styringsmodel-2025")]
    pub catalogue: Option<String>,
}

/// The catalogue version a placement pins to (`os2-2016` unless named), if it offers `level`.
fn pinnable_catalogue(
    conn: &mut DbConnection,
    version: Option<&str>,
    level: Level,
) -> Result<String, ApiError> {
    let version = version.unwrap_or(DEFAULT_CATALOGUE_VERSION);
    let known = catalogue::versions(conn)?;
    if !known.iter().any(|v| v == version) {
        return Err(ApiError::validation(
            "catalogue",
            format!(
                "there is no catalogue `{version}`; there are: {}",
                known.join(", ")
            ),
        ));
    }
    let pinned = catalogue::load(conn, version)?;
    if !pinned.offers(level) {
        let levels: Vec<&str> = pinned.levels.iter().map(|l| l.as_str()).collect();
        return Err(ApiError::validation(
            "level",
            format!(
                "{version} has no level {level}; it has {}",
                levels.join(", ")
            ),
        ));
    }
    Ok(pinned.version.clone())
}

/// A placement, parsed.
pub struct Placement {
    request: PlacementRequest,
    level: Level,
}

impl TryFrom<PlacementRequest> for Placement {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(request: PlacementRequest) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        let level = problems.parse("level", &request.level);
        if request.rationale.trim().is_empty() || request.rationale.len() > 10_000 {
            problems.push(FieldError::new(
                "rationale",
                "must be 1 to 10000 characters",
            ));
        }
        problems.or_command(|| {
            Some(Self {
                level: level?,
                request,
            })
        })
    }
}

/// Places an idea at a level (business manager), pinned to a catalogue version.
pub fn place(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
    placement: Placement,
) -> Result<StoredReply, ApiError> {
    let Placement { request, level } = placement;
    change_guarded_because(
        conn,
        caller,
        write,
        &request,
        (Action::Place, "placed", &request.rationale),
        |conn, _, project, description| {
            let pinned = pinnable_catalogue(conn, request.catalogue.as_deref(), level)?;
            project.level = Some(level);
            // A later placement re-pins.
            project.catalogue_version = Some(pinned.clone());
            description.placement_rationale = Some(request.rationale.clone());
            Ok(None)
        },
    )
}
