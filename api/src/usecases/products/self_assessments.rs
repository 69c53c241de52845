//! Self-assessments (*selvevaluering*) in the association's JSON format: imported onto a
//! product's evidence (item by item for a product pinned to the 2025 checklist, through the
//! checklist's correspondences for one pinned to `os2-2016`), and exported back in the same
//! format.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDateTime, SecondsFormat, Utc};
use os2pm_levels::evidence::{Evidence, EvidenceStatus, check_evidence};
use os2pm_levels::styringsmodel::{
    Answer, Checklist, ChecklistItem, FormatError, STYRINGSMODEL_2025, SelfAssessment,
    read_self_assessment,
};
use os2pm_levels::{Catalogue, Level};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::projects::{self as project_store, EvidenceRow};
use os2pm_persistence::self_assessments::{self as store, AnswerRow, SelfAssessmentRow};
use os2pm_persistence::{
    DbConnection, StoreError, catalogue, in_transaction, organizations, products,
};
use os2pm_products::{ProductId, ProductState};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::request::{IdempotencyKey, Outcome, StoredReply};
use crate::usecases::privacy::{Audience, Redacted};
use crate::usecases::to_body;

/// A `Ja` answer that became evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recorded {
    /// The checklist item (`F1`).
    pub item: String,
    /// The requirement of the product's catalogue it was recorded for.
    pub requirement: String,
}

/// A `Ja` answer (or an unknown item) that did not become evidence, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotMapped {
    pub item: String,
    pub requirement: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193…", "product_id": "0193…", "checklist": "os2-styringsmodel-2025",
    "answers": 43, "recorded": [{"item": "F1", "requirement": "source_shared"}],
    "not_mapped": [{"item": "G5", "requirement": "board_approval",
        "reason": "`board_approval` is computed by os2pm from its own records"}]
}))]
pub struct ImportReport {
    pub id: String,
    pub product_id: ProductId,
    pub checklist: String,
    /// How many items the file answered or left open.
    pub answers: usize,
    pub recorded: Vec<Recorded>,
    pub not_mapped: Vec<NotMapped>,
}

fn format_problem(errors: Vec<FormatError>) -> ApiError {
    ApiError::Validation(
        errors
            .into_iter()
            .map(|e| FieldError::new(e.field, e.message))
            .collect(),
    )
}

fn checklist() -> Result<Checklist, ApiError> {
    Checklist::styringsmodel_2025().map_err(|e| ApiError::Internal(e.to_string()))
}

/// A product, its project's id, its level and the catalogue its evidence is pinned to.
struct Pinned {
    product: products::ProductRow,
    level: Level,
    catalogue: Arc<Catalogue>,
}

fn pinned(conn: &mut DbConnection, id: &ProductId) -> Result<Pinned, ApiError> {
    let product = products::find(conn, id).map_err(|e| match e {
        StoreError::NotFound => ApiError::NotFound(format!("no product `{id}`")),
        other => other.into(),
    })?;
    let level = product.level;
    let catalogue = catalogue::load(conn, &product.catalogue_version)?;
    Ok(Pinned {
        product,
        level,
        catalogue,
    })
}

/// The requirements of the product's catalogue an item's answer stands for: the item itself
/// when the product is pinned to the checklist, else its `os2-2016` correspondences.
fn evidence_keys(pinned: &Pinned, item: &ChecklistItem) -> Vec<String> {
    if pinned.catalogue.version == STYRINGSMODEL_2025 {
        vec![item.id.clone()]
    } else {
        item.os2_2016.clone()
    }
}

/// What a `Ja` with `documentation` becomes for `key`, or why it cannot.
fn as_evidence(
    pinned: &Pinned,
    key: &str,
    documentation: Option<&str>,
) -> Result<Evidence, String> {
    let requirement = pinned
        .catalogue
        .requirements
        .iter()
        .find(|r| r.key == key)
        .ok_or_else(|| format!("`{key}` is not in catalogue {}", pinned.catalogue.version))?;
    if !requirement.applies_at(pinned.level) {
        return Err(format!("`{key}` does not apply at {}", pinned.level));
    }
    let link = documentation
        .filter(|d| d.starts_with("https://") || d.starts_with("http://"))
        .map(str::to_owned);
    let evidence = Evidence {
        key: key.to_owned(),
        organization: None,
        status: EvidenceStatus::Met,
        explanation: None,
        link,
    };
    check_evidence(requirement, &evidence).map_err(|e| match e {
        os2pm_levels::evidence::EvidenceError::Derived(_) => {
            format!("`{key}` is computed by os2pm from its own records")
        }
        os2pm_levels::evidence::EvidenceError::OrganizationRequired(_) => {
            format!("`{key}` is attested by each participating organisation")
        }
        os2pm_levels::evidence::EvidenceError::LinkRequired => {
            format!("`{key}` needs a link; the documentation is not a URL")
        }
        other => other.to_string(),
    })?;
    Ok(evidence)
}

/// One item, as in the association's files.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KravLine {
    pub id: String,
    pub kategori: String,
    pub krav: String,
    /// `sandkasse`, `1`, `2` or `3`.
    pub produktniveau: String,
    pub retningslinjer: String,
    /// `Ja`, `Nej`, `Ikke relevant`, `Ved ikke`, `Planlagt` or `null`, as the association's form
    /// offers them.
    pub efterlevet: Option<String>,
    pub dokumentation: String,
}

/// A self-assessment file.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SelfAssessmentFile {
    pub product_name: String,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub filled_by: String,
    pub filled_date: String,
    pub generated_at: String,
    pub krav: Vec<KravLine>,
}

/// A self-assessment file as uploaded, read: its text, its JSON and what it says.
pub struct Upload {
    original: String,
    file: serde_json::Value,
    assessment: SelfAssessment,
}

impl TryFrom<&[u8]> for Upload {
    type Error = ApiError;

    /// A file that is not UTF-8, not JSON or not a self-assessment is refused, every problem
    /// of its format named.
    fn try_from(body: &[u8]) -> Result<Self, ApiError> {
        let original = String::from_utf8(body.to_vec())
            .map_err(|_| ApiError::validation("", "the file is not UTF-8"))?;
        let file: serde_json::Value = serde_json::from_str(&original)
            .map_err(|e| ApiError::validation("", format!("the file is not JSON: {e}")))?;
        let assessment = read_self_assessment(&file).map_err(format_problem)?;
        Ok(Self {
            original,
            file,
            assessment,
        })
    }
}

/// Imports a product's self-assessment (business manager or the owner organisation): every
/// `Ja` answer becomes evidence on the requirements it maps to; what does not map is reported,
/// and the file is kept as it came.
pub fn import(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    idempotency_key: IdempotencyKey,
    upload: Upload,
) -> Result<StoredReply, ApiError> {
    let checklist = checklist()?;
    let Upload {
        original,
        file,
        assessment,
    } = upload;
    idempotency_key.run(conn, caller, &(id, &file), |conn| {
        in_transaction(conn, |conn| {
            let pinned = pinned(conn, id)?;
            let owner = organizations::find(conn, &pinned.product.owner_organization_id)?;
            if !caller.has_role(Role::Forretningsleder)
                && !caller.acts_for(&owner.id, owner.code.as_deref())
            {
                return Err(ApiError::Forbidden(
                    "the business manager or the owner organisation imports".into(),
                ));
            }
            if pinned.product.state == ProductState::Closed {
                return Err(ApiError::Conflict("the product is closed".into()));
            }
            let now = os2pm_persistence::now();
            let (recorded, not_mapped) =
                record_answers(conn, caller, &pinned, &checklist, &assessment, now)?;
            let row = SelfAssessmentRow {
                id: crate::usecases::new_id(),
                product_id: id.to_owned(),
                checklist_version: STYRINGSMODEL_2025.into(),
                product_name: assessment.product_name.clone(),
                filled_by: assessment.filled_by.clone(),
                filled_date: assessment.filled_date.clone(),
                generated_at: assessment.generated_at.clone(),
                original: original.clone(),
                imported_by: caller.sub.clone(),
                imported_at: now,
            };
            let answers: Vec<AnswerRow> = assessment
                .answers
                .iter()
                .filter(|line| checklist.item(&line.id).is_some())
                .map(|line| AnswerRow {
                    self_assessment_id: row.id.clone(),
                    item_id: line.id.clone(),
                    answer: line.answer.map(|a| a.as_str().to_owned()),
                    documentation: line.documentation.clone(),
                })
                .collect();
            store::insert(conn, &row, &answers)?;
            let report = ImportReport {
                id: row.id.clone(),
                product_id: id.to_owned(),
                checklist: STYRINGSMODEL_2025.into(),
                answers: assessment.answers.len(),
                recorded,
                not_mapped,
            };
            let body = to_body(&report)?;
            audit::append(
                conn,
                NewEntry {
                    subject_type: "project",
                    subject_id: pinned.product.project_id.as_str(),
                    action: "self_assessment_imported",
                    actor: &caller.actor(),
                    before: None,
                    after: Some(body.to_string()),
                    reason: None,
                },
            )?;
            Ok(Outcome::created(
                format!("/api/v1/products/{id}/self-assessments"),
                body,
            ))
        })
    })
}

/// Records the evidence each `Ja` answer maps to; says what was recorded and what did not map.
fn record_answers(
    conn: &mut DbConnection,
    caller: &Caller,
    pinned: &Pinned,
    checklist: &Checklist,
    assessment: &SelfAssessment,
    now: NaiveDateTime,
) -> Result<(Vec<Recorded>, Vec<NotMapped>), ApiError> {
    let mut recorded = Vec::new();
    let mut not_mapped = Vec::new();
    for line in &assessment.answers {
        let Some(item) = checklist.item(&line.id) else {
            not_mapped.push(NotMapped {
                item: line.id.clone(),
                requirement: None,
                reason: format!("not an item of {STYRINGSMODEL_2025}"),
            });
            continue;
        };
        if line.answer != Some(Answer::Ja) {
            continue;
        }
        let keys = evidence_keys(pinned, item);
        if keys.is_empty() {
            not_mapped.push(NotMapped {
                item: item.id.clone(),
                requirement: None,
                reason: "no os2-2016 requirement corresponds; kept with the self-assessment".into(),
            });
        }
        for key in &keys {
            match as_evidence(pinned, key, line.documentation.as_deref()) {
                Ok(evidence) => {
                    project_store::record_evidence(
                        conn,
                        &EvidenceRow {
                            project_id: pinned.product.project_id.clone(),
                            requirement_key: key.clone(),
                            organization_id: String::new(),
                            status: evidence.status,
                            explanation: None,
                            link: evidence.link,
                            note: line.documentation.clone(),
                            recorded_by: caller.sub.clone(),
                            recorded_at: now,
                        },
                    )?;
                    recorded.push(Recorded {
                        item: item.id.clone(),
                        requirement: key.clone(),
                    });
                }
                Err(reason) => not_mapped.push(NotMapped {
                    item: item.id.clone(),
                    requirement: Some(key.clone()),
                    reason,
                }),
            }
        }
    }
    Ok((recorded, not_mapped))
}

/// The product's recorded evidence as a self-assessment file, as `audience` may read it.
pub fn export(
    conn: &mut DbConnection,
    id: &ProductId,
    audience: Audience,
) -> Result<Redacted<SelfAssessmentFile>, ApiError> {
    let checklist = checklist()?;
    let pinned = pinned(conn, id)?;
    let evidence: HashMap<String, EvidenceRow> =
        project_store::find(conn, &pinned.product.project_id)?
            .evidence
            .into_iter()
            .filter(|e| e.organization_id.is_empty())
            .map(|e| (e.requirement_key.clone(), e))
            .collect();
    let latest = store::latest(conn, id)?;
    let imported_at: Option<NaiveDateTime> = latest.as_ref().map(|(a, _)| a.imported_at);
    let answers: HashMap<String, AnswerRow> = latest
        .as_ref()
        .map(|(_, answers)| {
            answers
                .iter()
                .map(|a| (a.item_id.clone(), a.clone()))
                .collect()
        })
        .unwrap_or_default();
    let krav = checklist
        .items
        .iter()
        .map(|item| {
            let answered = answers.get(&item.id);
            // Newer evidence for every corresponding requirement says `Ja`.
            let keys = evidence_keys(&pinned, item);
            let newer: Vec<&EvidenceRow> = keys
                .iter()
                .filter_map(|key| evidence.get(key))
                .filter(|e| imported_at.is_none_or(|at| e.recorded_at > at))
                .collect();
            let by_evidence = !keys.is_empty() && newer.len() == keys.len();
            let documentation = answered
                .and_then(|a| a.documentation.clone())
                .or_else(|| {
                    by_evidence
                        .then(|| newer.iter().find_map(|e| e.link.clone().or(e.note.clone())))
                        .flatten()
                })
                .unwrap_or_default();
            KravLine {
                id: item.id.clone(),
                kategori: item.category.clone(),
                krav: item.text.clone(),
                produktniveau: item.level.as_str().into(),
                retningslinjer: item.guideline.clone(),
                efterlevet: if by_evidence {
                    Some(Answer::Ja.as_str().into())
                } else {
                    answered.and_then(|a| a.answer.clone())
                },
                dokumentation: documentation,
            }
        })
        .collect();
    let (product_name, filled_by, filled_date) = match &latest {
        Some((a, _)) => (
            a.product_name.clone(),
            a.filled_by.clone(),
            a.filled_date.clone(),
        ),
        None => (
            pinned.product.name.clone(),
            "os2pm".to_owned(),
            Utc::now().date_naive().to_string(),
        ),
    };
    Ok(audience.redacted(SelfAssessmentFile {
        product_name,
        filled_by,
        filled_date,
        generated_at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        krav,
    }))
}
