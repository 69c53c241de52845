//! Evidence for a requirement of the project's catalogue.

use os2pm_levels::evidence::{self as ev, Evidence, EvidenceStatus};
use os2pm_persistence::DbConnection;
use os2pm_persistence::projects::{self as store, EvidenceRow};
use os2pm_projects::{Action, ProjectId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::request::Tagged;
use crate::request::{IfMatch, Problems};
use crate::usecases::projects::{ProjectChange, change_project};

/// Evidence for one requirement.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "met", "link": "https://github.com/OS2/borgerdialog/blob/main/docs/solution.md"}))]
pub struct EvidenceRequest {
    /// `met`, `explained` (follow-or-explain only) or `not_applicable` (where allowed).
    #[schema(value_type = os2pm_levels::evidence::EvidenceStatus)]
    pub status: String,
    /// For per-organisation requirements: whose attestation this is (kommunekode).
    pub organization: Option<String>,
    /// Required for `explained` and `not_applicable`.
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub explanation: Option<String>,
    /// A link to the document; required to meet a document requirement.
    #[validate(
        url(message = "is not a URL"),
        length(max = 2000, message = "at most 2000 characters")
    )]
    pub link: Option<String>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub note: Option<String>,
}

/// Evidence as recorded, parsed.
pub struct NewEvidence {
    request: EvidenceRequest,
    status: EvidenceStatus,
}

impl TryFrom<EvidenceRequest> for NewEvidence {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(request: EvidenceRequest) -> Result<Self, ApiError> {
        let mut problems = Problems::of(&request);
        let status = problems.parse("status", &request.status);
        problems.or_command(|| {
            Some(Self {
                status: status?,
                request,
            })
        })
    }
}

/// Records evidence for requirement `key` of the project's catalogue.
pub fn record_evidence(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    key: &str,
    if_match: IfMatch,
    evidence: NewEvidence,
) -> Result<Tagged, ApiError> {
    let NewEvidence { request, status } = evidence;
    let audit_action = format!("evidence_recorded:{key}");
    change_project(
        conn,
        caller,
        ProjectChange {
            id,
            if_match,
            // Naming an organisation attests its part of a per-organisation requirement.
            action: if request.organization.is_some() {
                Action::Attest
            } else {
                Action::RecordEvidence
            },
            audit_action: &audit_action,
            reason: None,
        },
        |conn, loaded, _, _| {
            let requirement = loaded
                .catalogue
                .requirements
                .iter()
                .find(|r| r.key == key)
                .ok_or_else(|| {
                    ApiError::NotFound(format!(
                        "no requirement `{key}` in catalogue {}",
                        loaded.catalogue.version
                    ))
                })?;
            let evidence = Evidence {
                key: key.to_owned(),
                organization: request.organization.clone(),
                status,
                explanation: request.explanation.clone(),
                link: request.link.clone(),
            };
            ev::check_evidence(requirement, &evidence)
                .map_err(|e| ApiError::validation(e.field(), e.to_string()))?;
            if let Some(org) = &request.organization
                && !loaded.record.participants.contains(org)
            {
                return Err(ApiError::validation(
                    "organization",
                    format!("`{org}` does not participate in the project"),
                ));
            }
            let recorder = loaded.recorder(caller, request.organization.as_deref());
            ev::check_recorder(requirement, &evidence, recorder).map_err(|e| match e {
                ev::RecorderError::OnBehalfWithoutLink(_) => {
                    ApiError::validation("link", e.to_string())
                }
                _ => ApiError::Forbidden(e.to_string()),
            })?;
            store::record_evidence(
                conn,
                &EvidenceRow {
                    project_id: loaded.record.project.id.clone(),
                    requirement_key: key.to_owned(),
                    organization_id: request.organization.clone().unwrap_or_default(),
                    status,
                    explanation: request.explanation.clone(),
                    link: request.link.clone(),
                    note: request.note.clone(),
                    recorded_by: caller.sub.clone(),
                    recorded_at: os2pm_persistence::now(),
                },
            )?;
            Ok(None)
        },
    )
}
