//! What a project looks like to a client: the view and its parts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use os2pm_levels::Level;
use os2pm_products::ProductId;
use os2pm_projects::{Funding, Kind, ProjectId, State};

use crate::usecases::groups::{CoordinationGroupView, SteeringGroupView};
use crate::usecases::projects::ApprovalView;
use crate::usecases::running::{BudgetView, ReportView};

/// How to reach the idea's contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    #[validate(email(message = "is not an e-mail address"))]
    pub email: String,
}

/// One requirement's status on a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementStatus {
    pub key: String,
    pub level: os2pm_levels::Level,
    pub gate: os2pm_levels::Gate,
    pub kind: os2pm_levels::EvidenceKind,
    pub title_da: String,
    pub title_en: String,
    /// *(anbefaling)*: recommended, shown, never blocking a gate.
    pub recommended: bool,
    /// `partial`: some, not all, participating organisations attested.
    #[schema(example = "missing")]
    pub status: os2pm_levels::evidence::RequirementState,
    pub explanation: Option<String>,
    pub link: Option<String>,
    pub note: Option<String>,
    /// For per-organisation requirements: each participant's attestation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<OrganizationAttestation>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationAttestation {
    pub organization: String,
    pub status: os2pm_levels::evidence::AttestationStatus,
}

/// A project with its requirements, its current approval and what the caller may do now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: ProjectId,
    pub title: String,
    pub summary: String,
    pub kind: Kind,
    /// Where the project is in its life cycle (governance.md §2).
    pub state: State,
    /// Set by placement.
    pub level: Option<Level>,
    /// The catalogue version the project is checked against (pinned at placement).
    pub catalogue_version: String,
    pub owner_organization: String,
    pub participants: Vec<String>,
    pub intended_funding: Funding,
    pub local_value: String,
    pub value_for_others: String,
    /// Whom to ask about the idea; `null` for anonymous readers.
    #[schema(nullable)]
    pub contact: Contact,
    pub placement_rationale: Option<String>,
    /// Why the idea was last sent back to the idea stage (*tilbageløb*): by the business
    /// manager before submission, or by the board's return. Kept for reference after it is
    /// placed again; the history tells every round.
    pub return_reason: Option<String>,
    /// The submission round; a return starts the next.
    pub round: i32,
    /// The requirements of the project's level and every level below (N1 before placement).
    pub requirements: Vec<RequirementStatus>,
    pub current_approval: Option<ApprovalView>,
    /// Pending approvals of the project's steering group, budget or cancellation.
    pub open_approvals: Vec<ApprovalView>,
    /// The steering group in force (at N2/N3 only once the board approved or appointed it).
    pub steering_group: Option<SteeringGroupView>,
    pub budget: Option<BudgetView>,
    pub latest_report: Option<ReportView>,
    /// Formed before go-live (required at N2/N3); it follows the product.
    pub coordination_group: Option<CoordinationGroupView>,
    /// The product the project became, once `implemented`.
    pub product_id: Option<ProductId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What the caller may do now: `edit`, `record_evidence`, `place`, `send_back`, `submit`,
    /// `set_steering_group`, `set_budget`, `approve_budget`, `start`, `report`, `pause`, `resume`,
    /// `cancel`, and on the current approval `vote`, `record_meeting_decision`.
    #[serde(rename = "_actions")]
    pub actions: Vec<String>,
}

/// A project in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectSummary {
    pub id: ProjectId,
    pub title: String,
    pub summary: String,
    pub kind: Kind,
    pub state: State,
    pub level: Option<Level>,
    pub owner_organization: String,
    pub intended_funding: Funding,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
