//! The requirement catalogue (*formkrav*), cumulative per level.

use std::sync::Arc;

use os2pm_levels::styringsmodel::{Checklist, ChecklistItem, ChecklistLevel};
use os2pm_levels::{Catalogue, CatalogueError, EvidenceKind, Gate, Level, Requirement};
use os2pm_persistence::{DbConnection, StoreError, catalogue};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// One requirement.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "key": "line_management_acceptance", "level": "N2", "max_level": null, "theme": "relevance",
    "kind": "attestation", "gate": "approval",
    "title_da": "Lokal linjeledelses accept i hver deltagende kommune",
    "title_en": "Local line management accepts, in every participating municipality",
    "not_applicable_allowed": false, "per_organization": true, "minimum": null,
    "recommended": false, "guideline_da": null, "os2_2016": []
}))]
pub struct RequirementView {
    pub key: String,
    /// The lowest level that demands it.
    #[schema(example = "N1", value_type = os2pm_levels::Level)]
    pub level: String,
    /// The highest level that still demands it, when it stops applying above a level.
    #[schema(value_type = Option<os2pm_levels::Level>)]
    pub max_level: Option<String>,
    /// `relevance`, `form`, `governance` or `strategy`.
    #[schema(value_type = os2pm_levels::Theme)]
    pub theme: String,
    /// `attestation`, `document`, `follow_or_explain`, `count` or `derived` (computed by the server).
    #[schema(value_type = os2pm_levels::EvidenceKind)]
    pub kind: String,
    /// When it must hold: `approval`, `start` or `go_live`.
    #[schema(value_type = os2pm_levels::Gate)]
    pub gate: String,
    pub title_da: String,
    pub title_en: String,
    /// Whether `not_applicable` (with an explanation) is accepted.
    pub not_applicable_allowed: bool,
    /// Whether each participating organisation attests separately.
    pub per_organization: bool,
    /// The least count, for counted requirements.
    pub minimum: Option<i64>,
    /// *(anbefaling)*: recommended, never blocking (2025 checklist).
    pub recommended: bool,
    /// What to document, in the association's words (2025 checklist).
    pub guideline_da: Option<String>,
    /// The `os2-2016` requirements a 2025 checklist item corresponds to.
    pub os2_2016: Vec<String>,
    /// Why an adoption (a solution built elsewhere) does not owe it; absent: it does. A 2025
    /// item spares adoptions when its `os2_2016` counterparts do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_for_adoptions: Option<String>,
}

impl From<&Requirement> for RequirementView {
    fn from(r: &Requirement) -> Self {
        Self {
            key: r.key.clone(),
            level: r.level.to_string(),
            max_level: r.max_level.map(|l| l.to_string()),
            theme: r.theme.to_string(),
            kind: r.kind.to_string(),
            gate: r.gate.to_string(),
            title_da: r.title_da.clone(),
            title_en: r.title_en.clone(),
            not_applicable_allowed: r.not_applicable_allowed,
            per_organization: r.per_organization,
            minimum: r.minimum,
            recommended: false,
            guideline_da: None,
            os2_2016: Vec::new(),
            not_for_adoptions: r.not_for_adoptions.clone(),
        }
    }
}

impl RequirementView {
    /// A 2025 checklist item, with what the catalogue made of it (`requirement`: its theme,
    /// and what it spares adoptions, from its 2016 counterparts).
    fn checklist_item(item: &ChecklistItem, requirement: &Requirement) -> Self {
        Self {
            key: item.id.clone(),
            level: item.level.to_string(),
            max_level: None,
            theme: requirement.theme.to_string(),
            kind: EvidenceKind::Attestation.to_string(),
            // The checklist has no gates: an item holds for its level, from approval on.
            gate: Gate::Approval.to_string(),
            title_da: item.text.clone(),
            // The checklist exists in Danish only.
            title_en: item.text.clone(),
            not_applicable_allowed: false,
            per_organization: false,
            minimum: None,
            recommended: item.recommended,
            guideline_da: Some(item.guideline.clone()),
            os2_2016: item.os2_2016.clone(),
            not_for_adoptions: requirement.not_for_adoptions.clone(),
        }
    }
}

/// The requirements of one catalogue version, filtered by level and gate.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementList {
    #[schema(example = "os2-2016")]
    pub catalogue: String,
    pub title: String,
    /// The level asked for, if any, as the catalogue names it (`N1`–`N3`, `sandkasse`; the
    /// 2025 checklist: `1`–`3`, `sandkasse`).
    #[schema(example = "N2")]
    pub level: Option<String>,
    pub items: Vec<RequirementView>,
    /// Always `null`: a catalogue is one page.
    pub next_cursor: Option<String>,
}

/// A version of the requirement catalogue; an unknown version names the field.
pub fn catalogue(conn: &mut DbConnection, version: String) -> Result<Arc<Catalogue>, ApiError> {
    catalogue::load(conn, &version).map_err(|e| match e {
        StoreError::NotFound => ApiError::validation(
            "catalogue",
            format!("there is no catalogue version `{version}`"),
        ),
        other => other.into(),
    })
}

/// The requirements of catalogue `version` that apply at `level` (cumulative) and are due by
/// `gate`.
pub fn list(
    conn: &mut DbConnection,
    version: String,
    level: Option<Level>,
    gate: Option<Gate>,
) -> Result<RequirementList, ApiError> {
    let catalogue = catalogue(conn, version)?;
    let items = catalogue
        .requirements
        .iter()
        .filter(|r| level.is_none_or(|level| r.applies_at(level)))
        .filter(|r| gate.is_none_or(|gate| r.due_by(gate)))
        .map(RequirementView::from)
        .collect();
    Ok(RequirementList {
        catalogue: catalogue.version.clone(),
        title: catalogue.title.clone(),
        level: level.map(|l| l.to_string()),
        items,
        next_cursor: None,
    })
}

/// The 2025 checklist (`os2-styringsmodel-2025`), cumulative up to `level`.
pub fn checklist(level: Option<ChecklistLevel>) -> Result<RequirementList, ApiError> {
    let internal = |e: CatalogueError| ApiError::Internal(e.to_string());
    let checklist = Checklist::styringsmodel_2025().map_err(internal)?;
    let as_catalogue = checklist
        .to_catalogue(&Catalogue::os2_2016().map_err(internal)?)
        .map_err(internal)?;
    let items = checklist
        .items
        .iter()
        .filter(|item| level.is_none_or(|level| item.level <= level))
        .map(|item| {
            let requirement = as_catalogue
                .requirements
                .iter()
                .find(|r| r.key == item.id)
                .ok_or_else(|| {
                    ApiError::Internal(format!("checklist item {} has no requirement", item.id))
                })?;
            Ok(RequirementView::checklist_item(item, requirement))
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(RequirementList {
        catalogue: checklist.version,
        title: checklist.title,
        level: level.map(|l| l.to_string()),
        items,
        next_cursor: None,
    })
}
