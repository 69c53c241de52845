//! Projects (initiatives): ideas from municipalities, their evidence, placement at a level and
//! submission for approval. The rules are the domain's (`os2pm_projects`, `os2pm_levels`);
//! this module loads, asks, stores and answers.

use std::sync::Arc;

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use os2pm_levels::evidence::{self as ev, Evidence, EvidenceStatus, Facts, RequirementState};
use os2pm_levels::{Catalogue, DEFAULT_CATALOGUE_VERSION, Gate, Level, Requirement};
use os2pm_persistence::approvals::{self as approval_store, ApprovalRow};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::budgets::{self, BudgetRow};
use os2pm_persistence::organizations::{self, OrganizationRow};
use os2pm_persistence::projects::{
    self as store, DescriptionRow, EvidenceRow, ProjectFilter, ProjectRecord, ProjectRow,
};
use os2pm_persistence::reports::{self, ReportRow};
use os2pm_persistence::{DbConnection, StoreError, WriteSet, catalogue, search_text};
use os2pm_projects::{
    Action, Actor, Approver, Funding, Kind, LifecycleError, State, Subject, approver_for,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::app::AppState;
use crate::auth::{Caller, MaybeCaller, Role};
use crate::error::{ApiError, FieldError, ProblemSchema, UnmetRequirement};
use crate::handlers::approvals::{ApprovalView, Voter, open_approval};
use crate::handlers::board::{SeatedToday, today};
use crate::handlers::products::{CoordinationGroupView, CoordinationInForce};
use crate::handlers::running::{BudgetView, ReportView, SteeringGroupView, SteeringInForce};
use crate::request::{
    IdempotencyKey, IfMatch, Outcome, Page, PageParams, StoredReply, already_has, validation_errors,
};
use crate::view_cache::{CachedProject, ViewKey};

/// How to reach the idea's contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    #[validate(email(message = "is not an e-mail address"))]
    pub email: String,
}

/// A new idea.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Fælles borgerdialog", "summary": "Én løsning til dialog med borgerne på tværs af forvaltninger.",
    "kind": "project", "participants": ["751", "101"],
    "local_value": "Kortere svartider i Borgerservice.", "value_for_others": "Alle kommuner har samme behov.",
    "intended_funding": "local", "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"}
}))]
pub struct NewProjectRequest {
    #[validate(length(min = 3, max = 200, message = "must be 3 to 200 characters"))]
    pub title: String,
    /// The idea, in a few paragraphs.
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub summary: String,
    /// `project` (default) or `adoption`: a solution built elsewhere, handed over.
    pub kind: Option<String>,
    /// The owner organisation; defaults to the token's. A caller submits only for its own.
    pub owner_organization: Option<String>,
    /// Participating organisations (kommunekoder); the owner always participates.
    #[serde(default)]
    #[validate(length(max = 150, message = "at most 150 organisations"))]
    pub participants: Vec<String>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub local_value: String,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub value_for_others: String,
    /// `local`, `os2` or `mixed`; at N1 only `local` is possible.
    pub intended_funding: String,
    #[validate(nested)]
    pub contact: Contact,
}

/// Changes to an idea while it is `idea` or `returned`; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"summary": "Ny beskrivelse efter tilbageløb: nu med strategisk sammenhæng."}))]
pub struct ProjectPatch {
    #[validate(length(min = 3, max = 200, message = "must be 3 to 200 characters"))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub summary: Option<String>,
    pub kind: Option<String>,
    #[validate(length(max = 150, message = "at most 150 organisations"))]
    pub participants: Option<Vec<String>>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub local_value: Option<String>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub value_for_others: Option<String>,
    pub intended_funding: Option<String>,
    #[validate(nested)]
    pub contact: Option<Contact>,
}

/// Evidence for one requirement.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "met", "link": "https://github.com/OS2/borgerdialog/blob/main/docs/solution.md"}))]
pub struct EvidenceRequest {
    /// `met`, `explained` (follow-or-explain only) or `not_applicable` (where allowed).
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

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "N2", "rationale": "Fælleskommunal værdi; kræver strategisk forankring."}))]
pub struct PlacementRequest {
    /// `N1`, `N2` or `N3`; `sandkasse` (the sandbox below N1) in a catalogue that has it.
    #[schema(example = "N2")]
    pub level: String,
    pub rationale: String,
    /// The catalogue version to pin the project to; `os2-2016` when left out.
    #[schema(example = "os2-styringsmodel-2025")]
    pub catalogue: Option<String>,
}

/// One requirement's status on a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequirementStatus {
    pub key: String,
    pub level: String,
    pub gate: String,
    pub kind: String,
    pub title_da: String,
    pub title_en: String,
    /// *(anbefaling)*: recommended, shown, never blocking a gate.
    pub recommended: bool,
    /// `met`, `explained`, `not_applicable`, `partial` (some organisations attested) or `missing`.
    #[schema(example = "missing")]
    pub status: String,
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
    /// `met` or `missing`.
    pub status: String,
}

/// A project with its requirements, its current approval and what the caller may do now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub kind: String,
    /// `idea`, `concept`, `awaiting_approval`, `approved`, `returned` or `rejected`.
    pub state: String,
    /// Set by placement.
    pub level: Option<String>,
    /// The catalogue version the project is checked against (pinned at placement).
    pub catalogue_version: String,
    pub owner_organization: String,
    pub participants: Vec<String>,
    pub intended_funding: String,
    pub local_value: String,
    pub value_for_others: String,
    pub contact: Contact,
    pub placement_rationale: Option<String>,
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
    pub product_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What the caller may do now: `edit`, `record_evidence`, `place`, `submit`,
    /// `set_steering_group`, `set_budget`, `approve_budget`, `start`, `report`, `pause`, `resume`,
    /// `cancel`, and on the current approval `vote`, `record_meeting_decision`.
    #[serde(rename = "_actions")]
    pub actions: Vec<String>,
}

/// A project in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub kind: String,
    pub state: String,
    pub level: Option<String>,
    pub owner_organization: String,
    pub intended_funding: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the audit trail keeps of a project before and after a change.
#[derive(Debug, Serialize)]
pub struct Snapshot {
    state: String,
    level: Option<String>,
    catalogue_version: Option<String>,
    title: String,
    summary: String,
    kind: String,
    participants: Vec<String>,
    intended_funding: String,
    round: i32,
    version: i64,
    /// Recorded evidence: `key` (or `key/organisation`) → status.
    evidence: std::collections::BTreeMap<String, String>,
    /// The budget's amount, so the portfolio can be told as it stood (absent: not known here).
    #[serde(skip_serializing_if = "Option::is_none")]
    budget_dkk: Option<i64>,
}

impl Snapshot {
    pub fn of(record: &ProjectRecord) -> Self {
        let p = &record.project;
        Self {
            state: p.state.clone(),
            level: p.level.clone(),
            catalogue_version: p.catalogue_version.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            kind: p.kind.clone(),
            participants: record.participants.clone(),
            intended_funding: p.intended_funding.clone(),
            round: p.approval_round,
            version: p.version,
            evidence: record
                .evidence
                .iter()
                .map(|e| {
                    let key = match e.organization_id.as_str() {
                        "" => e.requirement_key.clone(),
                        org => format!("{}/{org}", e.requirement_key),
                    };
                    (key, e.status.clone())
                })
                .collect(),
            budget_dkk: None,
        }
    }

    /// The snapshot of a loaded project, its budget included.
    fn of_loaded(loaded: &Loaded) -> Self {
        Self {
            budget_dkk: loaded.budget.as_ref().map(|b| b.amount_dkk),
            ..Self::of(&loaded.record)
        }
    }

    pub fn json(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// A project as loaded for a request: its record, catalogue and current approval.
pub(crate) struct Loaded {
    pub(crate) record: ProjectRecord,
    pub(crate) owner: OrganizationRow,
    pub(crate) catalogue: Catalogue,
    /// The newest approval of the project itself.
    approval: Option<ApprovalRow>,
    /// Pending approvals of its steering group, budget or cancellation.
    side_approvals: Vec<ApprovalRow>,
    pub(crate) steering: Option<SteeringInForce>,
    pub(crate) budget: Option<BudgetRow>,
    latest_report: Option<ReportRow>,
    coordination: Option<CoordinationInForce>,
    product: Option<os2pm_persistence::products::ProductRow>,
    /// The board approved a level change: that is the board's approval at the new level.
    board_moved_level: bool,
}

impl Loaded {
    pub(crate) fn load(conn: &mut DbConnection, id: &str) -> Result<Self, ApiError> {
        let record = store::find(conn, id).map_err(|e| not_found(id, e))?;
        let owner = organizations::find(conn, &record.project.owner_organization_id)?;
        let version = record
            .project
            .catalogue_version
            .clone()
            .unwrap_or_else(|| DEFAULT_CATALOGUE_VERSION.to_owned());
        let catalogue = catalogue::load(conn, &version)?;
        let approvals = approval_store::of_project(conn, id)?;
        let mut board = SeatedToday::default();
        let steering = SteeringInForce::load(conn, id, &mut board)?;
        let budget = budgets::find(conn, id)?;
        let latest_report = reports::latest_for_project(conn, id)?;
        let coordination = CoordinationInForce::load(conn, id, &mut board)?;
        let product = os2pm_persistence::products::for_project(conn, id)?;
        let board_moved_level = approvals
            .level_change
            .is_some_and(|a| a.outcome.as_deref() == Some("approve"));
        let (approval, side_approvals) = (approvals.project, approvals.pending_side);
        Ok(Self {
            coordination,
            product,
            board_moved_level,
            record,
            owner,
            catalogue,
            approval,
            side_approvals,
            steering,
            budget,
            latest_report,
        })
    }

    /// A project just inserted: nothing but its own rows exists yet, so nothing is read back
    /// but its catalogue.
    fn inserted(
        conn: &mut DbConnection,
        project: ProjectRow,
        description: DescriptionRow,
        owner: OrganizationRow,
        participants: &[OrganizationRow],
    ) -> Result<Self, ApiError> {
        let catalogue = catalogue::load(
            conn,
            project
                .catalogue_version
                .as_deref()
                .unwrap_or(DEFAULT_CATALOGUE_VERSION),
        )?;
        Ok(Self {
            record: ProjectRecord::inserted(project, description, participants),
            owner,
            catalogue,
            approval: None,
            side_approvals: Vec::new(),
            steering: None,
            budget: None,
            latest_report: None,
            coordination: None,
            product: None,
            board_moved_level: false,
        })
    }

    pub(crate) fn state(&self) -> Result<State, ApiError> {
        self.record
            .project
            .state
            .parse()
            .map_err(|e: os2pm_levels::UnknownValue| {
                ApiError::Internal(format!("stored state: {e}"))
            })
    }

    pub(crate) fn level(&self) -> Option<Level> {
        self.record
            .project
            .level
            .as_deref()
            .and_then(|l| l.parse().ok())
    }

    fn evidence(&self) -> Vec<Evidence> {
        self.record
            .evidence
            .iter()
            .filter_map(|row| {
                Some(Evidence {
                    key: row.requirement_key.clone(),
                    organization: Some(row.organization_id.clone()).filter(|o| !o.is_empty()),
                    status: row.status.parse().ok()?,
                    explanation: row.explanation.clone(),
                    link: row.link.clone(),
                })
            })
            .collect()
    }

    fn facts(&self) -> Facts {
        Facts {
            participating_municipalities: self.record.participating_municipalities,
            locally_funded: self.record.project.intended_funding == Funding::Local.as_str(),
            board_approved: self.board_moved_level
                || self.approval.as_ref().is_some_and(|a| {
                    a.approver == Approver::Board.as_str()
                        && a.outcome.as_deref() == Some("approve")
                }),
            steering_group_in_force: self.steering.is_some(),
            board_majority_in_steering_group: self
                .steering
                .as_ref()
                .is_some_and(SteeringInForce::board_majority),
            coordination_group_formed: self.coordination.is_some(),
            board_member_in_coordination_group: self
                .coordination
                .as_ref()
                .is_some_and(CoordinationInForce::has_board_member),
        }
    }

    fn actor(&self, caller: &Caller) -> Actor {
        actor(&self.owner, self.steering.as_ref(), caller)
    }

    /// What decides a caller's `_actions`, apart from the view.
    pub(crate) fn action_inputs(&self) -> ActionInputs {
        ActionInputs {
            state: self.state().ok(),
            owner: self.owner.clone(),
            steering: self.steering.clone(),
            approval: self.approval.clone(),
        }
    }

    /// Refuses an action the caller may not take (403) or the state does not allow (409); a
    /// closed product's project takes nothing.
    pub(crate) fn check(&self, action: Action, caller: &Caller) -> Result<State, ApiError> {
        if let Some(product) = &self.product {
            product
                .state
                .parse::<os2pm_products::ProductState>()
                .map_err(|e| ApiError::Internal(format!("stored product state: {e}")))?
                .check_open()
                .map_err(|e| ApiError::Conflict(e.to_string()))?;
        }
        self.state()?
            .transition(action, self.actor(caller))
            .map_err(|e| match e {
                LifecycleError::NotAllowed(why) => ApiError::Forbidden(why.into()),
                wrong_state @ LifecycleError::WrongState { .. } => {
                    ApiError::Conflict(wrong_state.to_string())
                }
            })
    }

    pub(crate) fn unmet(&self, level: Level, gate: Gate) -> Vec<UnmetRequirement> {
        self.unmet_where(level, gate, |_| true)
    }

    /// The unmet requirements `keep` keeps.
    pub(crate) fn unmet_where(
        &self,
        level: Level,
        gate: Gate,
        keep: impl Fn(&Requirement) -> bool,
    ) -> Vec<UnmetRequirement> {
        ev::unmet(
            &self.catalogue,
            level,
            gate,
            &self.evidence(),
            &self.participant_ids(),
            &self.facts(),
        )
        .into_iter()
        .filter(|r| keep(r))
        .map(|r| UnmetRequirement {
            key: r.key.clone(),
            level: r.level.to_string(),
            gate: r.gate.to_string(),
            title: r.title_en.clone(),
        })
        .collect()
    }

    /// Participants as evidence names them (kommunekoder).
    fn participant_ids(&self) -> Vec<String> {
        self.record.participants.clone()
    }

    fn requirements(&self) -> Vec<RequirementStatus> {
        let evidence = self.evidence();
        let participants = self.participant_ids();
        let facts = self.facts();
        self.catalogue
            .for_level(self.level().unwrap_or(Level::N1))
            .map(|r| {
                let state = ev::requirement_state(r, &evidence, &participants, &facts);
                let row = self
                    .record
                    .evidence
                    .iter()
                    .find(|e| e.requirement_key == r.key && e.organization_id.is_empty());
                let organizations = if r.per_organization {
                    participants
                        .iter()
                        .map(|org| OrganizationAttestation {
                            organization: org.clone(),
                            status: if evidence.iter().any(|e| {
                                e.key == r.key
                                    && e.organization.as_ref() == Some(org)
                                    && e.status == EvidenceStatus::Met
                            }) {
                                "met".into()
                            } else {
                                "missing".into()
                            },
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                RequirementStatus {
                    key: r.key.clone(),
                    level: r.level.to_string(),
                    gate: r.gate.to_string(),
                    kind: r.kind.to_string(),
                    title_da: r.title_da.clone(),
                    title_en: r.title_en.clone(),
                    recommended: r.recommended,
                    status: requirement_state_name(state).into(),
                    explanation: row.and_then(|e| e.explanation.clone()),
                    link: row.and_then(|e| e.link.clone()),
                    note: row.and_then(|e| e.note.clone()),
                    organizations,
                }
            })
            .collect()
    }

    /// The view with the caller's `_actions` (none for an anonymous caller).
    fn view(
        &self,
        conn: &mut DbConnection,
        caller: Option<&Caller>,
    ) -> Result<ProjectView, ApiError> {
        let mut view = self.anonymous_view(conn)?;
        if let Some(caller) = caller {
            view.actions = self.action_inputs().actions(conn, caller)?;
        }
        Ok(view)
    }

    /// The view as anyone may read it: the same for every caller, `_actions` empty.
    fn anonymous_view(&self, conn: &mut DbConnection) -> Result<ProjectView, ApiError> {
        let p = &self.record.project;
        let d = &self.record.description;
        let current_approval = self
            .approval
            .clone()
            .map(|row| ApprovalView::with_title(conn, row, p.title.clone()))
            .transpose()?;
        let open_approvals = self
            .side_approvals
            .iter()
            .map(|row| ApprovalView::with_title(conn, row.clone(), p.title.clone()))
            .collect::<Result<_, _>>()?;
        Ok(ProjectView {
            id: p.id.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            kind: p.kind.clone(),
            state: p.state.clone(),
            level: p.level.clone(),
            catalogue_version: self.catalogue.version.clone(),
            owner_organization: self
                .owner
                .code
                .clone()
                .unwrap_or_else(|| self.owner.id.clone()),
            participants: self.record.participants.clone(),
            intended_funding: p.intended_funding.clone(),
            local_value: d.local_value.clone(),
            value_for_others: d.value_for_others.clone(),
            contact: Contact {
                name: d.contact_name.clone(),
                email: d.contact_email.clone(),
            },
            placement_rationale: d.placement_rationale.clone(),
            round: p.approval_round,
            requirements: self.requirements(),
            current_approval,
            open_approvals,
            steering_group: self.steering.as_ref().map(SteeringInForce::view),
            budget: self.budget.clone().map(BudgetView::from),
            latest_report: self.latest_report.clone().map(ReportView::from),
            coordination_group: self.coordination.as_ref().map(|c| c.view.clone()),
            product_id: self.product.as_ref().map(|p| p.id.clone()),
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
            actions: Vec::new(),
        })
    }
}

fn actor(owner: &OrganizationRow, steering: Option<&SteeringInForce>, caller: &Caller) -> Actor {
    let for_owner = caller.has_role(Role::MunicipalityUser) || caller.has_role(Role::Integration);
    Actor {
        owner: for_owner && caller.acts_for(&owner.id, owner.code.as_deref()),
        project_leader: steering.is_some_and(|s| s.is_project_leader(&caller.sub)),
        business_manager: caller.has_role(Role::Forretningsleder),
        steering_chair: steering.is_some_and(|s| s.is_chair(&caller.sub)),
    }
}

/// What decides a caller's `_actions` on a project: kept beside a cached view, so the view is
/// built once for every caller.
#[derive(Clone)]
pub(crate) struct ActionInputs {
    state: Option<State>,
    owner: OrganizationRow,
    steering: Option<SteeringInForce>,
    /// The newest approval of the project itself.
    approval: Option<ApprovalRow>,
}

impl ActionInputs {
    /// What `caller` may do now; on a pending approval also `vote` (an eligible voter who has
    /// not voted) and `record_meeting_decision` (the business manager, for the board).
    pub(crate) fn actions(
        &self,
        conn: &mut DbConnection,
        caller: &Caller,
    ) -> Result<Vec<String>, ApiError> {
        let Some(state) = self.state else {
            return Ok(Vec::new());
        };
        let mut actions: Vec<String> = state
            .actions(actor(&self.owner, self.steering.as_ref(), caller))
            .into_iter()
            .map(|a| a.as_str().to_owned())
            .collect();
        if let Some(row) = &self.approval
            && row.state == "pending"
        {
            let voter = Voter::of(conn, caller)?;
            let voted = approval_store::votes(conn, &row.id)?
                .iter()
                .any(|v| v.voter_sub == caller.sub);
            if voter.may_vote_on(row) && !voted {
                actions.push("vote".into());
            }
            if voter.business_manager && row.approver == Approver::Board.as_str() {
                actions.push("record_meeting_decision".into());
            }
        }
        Ok(actions)
    }
}

fn requirement_state_name(state: RequirementState) -> &'static str {
    match state {
        RequirementState::Met => "met",
        RequirementState::Explained => "explained",
        RequirementState::NotApplicable => "not_applicable",
        RequirementState::Partial => "partial",
        RequirementState::Missing => "missing",
    }
}

/// Resolves one organisation code or id; an unknown one is a validation error on `field`.
fn resolve_organization(
    conn: &mut DbConnection,
    field: &str,
    code: &str,
) -> Result<OrganizationRow, ApiError> {
    let known = organizations::find_all(conn, &[code.to_owned()])?;
    pick_organization(&known, field, code)
}

/// Resolves organisation codes to ids; unknown ones are validation errors on `field`.
fn resolve_organizations(
    conn: &mut DbConnection,
    field: &str,
    codes: &[String],
) -> Result<Vec<OrganizationRow>, ApiError> {
    let known = organizations::find_all(conn, codes)?;
    pick_organizations(&known, field, codes)
}

/// The organisation `code` (or id) names among `known`.
fn named<'a>(known: &'a [OrganizationRow], code: &str) -> Option<&'a OrganizationRow> {
    known
        .iter()
        .find(|o| o.id == code || o.code.as_deref() == Some(code))
}

fn unknown_organization(field: &str, code: &str) -> FieldError {
    FieldError::new(field, format!("`{code}` is not a known organisation"))
}

fn pick_organization(
    known: &[OrganizationRow],
    field: &str,
    code: &str,
) -> Result<OrganizationRow, ApiError> {
    named(known, code)
        .cloned()
        .ok_or_else(|| ApiError::Validation(vec![unknown_organization(field, code)]))
}

/// The organisations `codes` name among `known`, each once, in order; every unknown code is
/// a validation error on `field`.
fn pick_organizations(
    known: &[OrganizationRow],
    field: &str,
    codes: &[String],
) -> Result<Vec<OrganizationRow>, ApiError> {
    let mut found: Vec<OrganizationRow> = Vec::new();
    let mut unknown = Vec::new();
    for code in codes {
        match named(known, code) {
            Some(org) if !found.iter().any(|o| o.id == org.id) => found.push(org.clone()),
            Some(_) => {}
            None => unknown.push(unknown_organization(field, code)),
        }
    }
    if unknown.is_empty() {
        Ok(found)
    } else {
        Err(ApiError::Validation(unknown))
    }
}

fn parse_field<T: std::str::FromStr<Err = os2pm_levels::UnknownValue>>(
    field: &str,
    value: &str,
) -> Result<T, FieldError> {
    value
        .parse()
        .map_err(|e: os2pm_levels::UnknownValue| FieldError::new(field, e.to_string()))
}

fn audit_change(
    conn: &mut DbConnection,
    caller: &Caller,
    after: &Loaded,
    action: &str,
    before: Option<&Snapshot>,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let mut writes = WriteSet::default();
    push_audit(&mut writes, caller, after, action, before, reason);
    writes.run(conn)?;
    Ok(())
}

/// The audit entry (and event) of a change to a project, with the change's other writes.
fn push_audit(
    writes: &mut WriteSet,
    caller: &Caller,
    after: &Loaded,
    action: &str,
    before: Option<&Snapshot>,
    reason: Option<&str>,
) {
    let project = &after.record.project;
    let (project_id, owner) = (&project.id, &project.owner_organization_id);
    let after = Snapshot::of_loaded(after);
    audit::push_owned(
        writes,
        NewEntry {
            subject_type: "project",
            subject_id: project_id,
            action,
            actor: &caller.actor(),
            before: before.and_then(Snapshot::json),
            after: after.json(),
            reason,
        },
        owner,
    );
}

fn project_body(
    conn: &mut DbConnection,
    loaded: &Loaded,
    caller: &Caller,
) -> Result<serde_json::Value, ApiError> {
    crate::handlers::to_body(&loaded.view(conn, Some(caller))?)
}

/// Submits an idea for the caller's own organisation.
#[utoipa::path(
    post, path = "/api/v1/projects", tag = "projects",
    security(("bearer" = [])),
    request_body = NewProjectRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body return the first response and create nothing")),
    responses(
        (status = 201, description = "The idea, in state `idea`", body = ProjectView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not a municipality user or integration, or not for the caller's own organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each listed), unknown organisations, or an Idempotency-Key reused", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewProjectRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let request = body.into_inner();
    let mut problems = request
        .validate()
        .err()
        .map(|e| validation_errors(&e))
        .unwrap_or_default();
    let kind = parse_field::<Kind>("kind", request.kind.as_deref().unwrap_or("project"))
        .map_err(|e| problems.push(e))
        .ok();
    let funding = parse_field::<Funding>("intended_funding", &request.intended_funding)
        .map_err(|e| problems.push(e))
        .ok();
    let (Some(kind), Some(funding), true) = (kind, funding, problems.is_empty()) else {
        return Err(ApiError::Validation(problems));
    };
    let owner_code = request
        .owner_organization
        .clone()
        .or_else(|| caller.org.clone())
        .ok_or_else(|| {
            ApiError::Forbidden("the token names no organisation to submit for".into())
        })?;
    let directory = state.organizations.clone();
    state
        .db(move |conn| {
            let reply = idempotency_key.run_writes(conn, &caller.sub, &request, |conn| {
                // The owner and the participants in one read, or none.
                let named: Vec<String> = std::iter::once(owner_code.clone())
                    .chain(request.participants.iter().cloned())
                    .collect();
                let known = directory.find_all(conn, &named)?;
                let owner = pick_organization(&known, "owner_organization", &owner_code)?;
                if !caller.acts_for(&owner.id, owner.code.as_deref()) {
                    return Err(ApiError::Forbidden(format!(
                        "you act for `{}`; ideas are submitted for your own organisation",
                        caller.org.as_deref().unwrap_or("no organisation")
                    )));
                }
                let mut participants =
                    pick_organizations(&known, "participants", &request.participants)?;
                if !participants.iter().any(|p| p.id == owner.id) {
                    participants.insert(0, owner.clone());
                }
                let now = os2pm_persistence::now();
                let id = uuid::Uuid::now_v7().to_string();
                let project = ProjectRow {
                    id: id.clone(),
                    title: request.title.clone(),
                    summary: request.summary.clone(),
                    kind: kind.as_str().into(),
                    state: State::Idea.as_str().into(),
                    level: None,
                    catalogue_version: None,
                    owner_organization_id: owner.id.clone(),
                    intended_funding: funding.as_str().into(),
                    approval_round: 1,
                    search_text: search_text(&[&request.title, &request.summary]),
                    version: 1,
                    created_by: caller.sub.clone(),
                    created_at: now,
                    updated_at: now,
                };
                let description = DescriptionRow {
                    project_id: id.clone(),
                    local_value: request.local_value.clone(),
                    value_for_others: request.value_for_others.clone(),
                    contact_name: request.contact.name.clone(),
                    contact_email: request.contact.email.clone(),
                    placement_rationale: None,
                };
                let ids: Vec<String> = participants.iter().map(|o| o.id.clone()).collect();
                let mut writes = WriteSet::default();
                store::insert(&mut writes, &project, &description, &ids);
                let loaded = Loaded::inserted(conn, project, description, owner, &participants)?;
                let body = project_body(conn, &loaded, &caller)?;
                push_audit(&mut writes, &caller, &loaded, "idea_submitted", None, None);
                Ok((
                    Outcome::created(format!("/api/v1/projects/{id}"), body),
                    writes,
                ))
            })?;
            // The ETag a GET sends counts the rows the database's triggers wrote, so it is
            // read once the idea is stored (for a replay too: the project may have moved on).
            let id = reply
                .location()
                .and_then(|location| location.rsplit('/').next())
                .unwrap_or_default()
                .to_owned();
            Ok(reply.with_etag(&project_etag(conn, &id)?))
        })
        .await
        .map(StoredReply::into_response)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// `idea`, `concept`, `awaiting_approval`, `approved`, `returned`, `rejected`.
    pub state: Option<String>,
    /// `N1`, `N2` or `N3`.
    pub level: Option<String>,
    /// `project` or `adoption`.
    pub kind: Option<String>,
    /// An organisation (kommunekode or id): the projects it owns or participates in.
    #[param(example = "751")]
    pub organization: Option<String>,
    /// Free text over title and summary, case-insensitive.
    pub q: Option<String>,
}

/// The portfolio: every project, newest first, filtered.
#[utoipa::path(
    get, path = "/api/v1/projects", tag = "projects",
    params(ProjectQuery, PageParams),
    responses(
        (status = 200, description = "One page of projects", body = Page<ProjectSummary>),
        (status = 422, description = "Unknown state, level, kind or organisation; bad limit or cursor", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<ProjectQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut problems = Vec::new();
    if let Some(s) = &query.state
        && let Err(e) = parse_field::<State>("state", s)
    {
        problems.push(e);
    }
    if let Some(k) = &query.kind
        && let Err(e) = parse_field::<Kind>("kind", k)
    {
        problems.push(e);
    }
    if let Some(l) = &query.level
        && l.parse::<Level>().is_err()
    {
        problems.push(FieldError::new("level", "must be sandkasse, N1, N2 or N3"));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let limit = page.limit()?;
    let after = page.after::<String>()?;
    let rows = state
        .db(move |conn| {
            let organization_id = match &query.organization {
                Some(org) => Some(resolve_organization(conn, "organization", org)?.id),
                None => None,
            };
            let filter = ProjectFilter {
                state: query.state,
                level: query.level,
                kind: query.kind,
                organization_id,
                text: query.q.filter(|q| !q.trim().is_empty()),
            };
            Ok(store::list(conn, &filter, after.as_deref(), limit + 1)?)
        })
        .await?;
    let page = Page::from_rows(
        rows,
        limit,
        |(p, _)| p.id.clone(),
        |(p, owner)| ProjectSummary {
            owner_organization: owner.unwrap_or_else(|| p.owner_organization_id.clone()),
            id: p.id,
            title: p.title,
            summary: p.summary,
            kind: p.kind,
            state: p.state,
            level: p.level,
            intended_funding: p.intended_funding,
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
        },
    );
    Ok(HttpResponse::Ok().json(page))
}

/// One project: its requirements' status, its current approval with votes, and `_actions`.
///
/// The ETag changes with anything the view shows (votes, reports, groups, the board included);
/// send it as `If-None-Match` to get 304 while nothing changed, or as `If-Match` to change the
/// project.
#[utoipa::path(
    get, path = "/api/v1/projects/{id}", tag = "projects",
    params(
        ("id" = String, Path),
        ("If-None-Match" = Option<String>, Header, description = "An ETag this project was read with"),
    ),
    responses(
        (status = 200, description = "The project", body = ProjectView, headers(
            ("ETag" = String, description = "`\"version.revision.shared.day\"`: the project's version, then what else the view depends on"),
            ("Vary" = String, description = "`Authorization`: `_actions` depend on the caller"),
        )),
        (status = 304, description = "Unchanged since If-None-Match", headers(("ETag" = String))),
        (status = 401, description = "A token was sent and is not valid", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    request: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let known = request.get_header::<IfNoneMatch>();
    let views = state.project_views.clone();
    let (tag, body) = state
        .db(move |conn| {
            // The stamp is read before the view is built, so a view is never filed under a
            // stamp newer than itself.
            let key = ViewKey {
                stamp: store::view_stamp(conn, &id).map_err(|e| not_found(&id, e))?,
                day: today(),
            };
            let tag = key.etag();
            if already_has(known.as_ref(), &tag) {
                return Ok((tag, None));
            }
            let entry = match views.get(&id, &key) {
                Some(entry) => entry,
                None => {
                    let loaded = Loaded::load(conn, &id)?;
                    let view = loaded.anonymous_view(conn)?;
                    let entry = Arc::new(CachedProject {
                        key,
                        body: serde_json::to_vec(&view)
                            .map_err(|e| ApiError::Internal(format!("project view: {e}")))?
                            .into(),
                        actions: loaded.action_inputs(),
                    });
                    views.insert(&id, entry.clone());
                    entry
                }
            };
            let body = match caller.0.as_ref() {
                None => entry.body.clone(),
                Some(caller) => with_actions(&entry.body, &entry.actions.actions(conn, caller)?)?,
            };
            Ok((tag, Some(body)))
        })
        .await?;
    // `_actions` depend on the caller.
    let vary = (
        header::VARY,
        header::HeaderValue::from_static("Authorization"),
    );
    Ok(match body {
        None => HttpResponse::NotModified()
            .insert_header(header::ETag(tag))
            .insert_header(vary)
            .finish(),
        Some(body) => HttpResponse::Ok()
            .insert_header(header::ETag(tag))
            .insert_header(vary)
            .content_type(header::ContentType::json())
            .body(body),
    })
}

/// The anyone-view's JSON with the caller's `_actions`: they are the view's last field, so the
/// JSON ends in `"_actions":[]}`.
fn with_actions(anonymous: &[u8], actions: &[String]) -> Result<Bytes, ApiError> {
    const NO_ACTIONS: &[u8] = br#""_actions":[]}"#;
    let head = anonymous
        .strip_suffix(NO_ACTIONS)
        .ok_or_else(|| ApiError::Internal("a project view does not end in `_actions`".into()))?;
    let mut body = Vec::with_capacity(anonymous.len() + 16 * actions.len());
    body.extend_from_slice(head);
    body.extend_from_slice(br#""_actions":"#);
    serde_json::to_writer(&mut body, actions)
        .map_err(|e| ApiError::Internal(format!("project actions: {e}")))?;
    body.push(b'}');
    Ok(body.into())
}

fn not_found(id: &str, error: StoreError) -> ApiError {
    match error {
        StoreError::NotFound => ApiError::NotFound(format!("no project `{id}`")),
        other => other.into(),
    }
}

/// Loads a project, checks the action and the If-Match version, applies `change` and writes it
/// with an audit entry: one transaction, nothing written on any refusal.
#[allow(clippy::too_many_arguments)]
pub(crate) fn change_project(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: IfMatch,
    action: Action,
    audit_action: &str,
    reason: Option<&str>,
    change: impl FnOnce(
        &mut DbConnection,
        &Loaded,
        &mut ProjectRow,
        &mut DescriptionRow,
    ) -> Result<Option<Vec<String>>, ApiError>,
) -> Result<(EntityTag, serde_json::Value), ApiError> {
    os2pm_persistence::in_transaction(conn, |conn| {
        let loaded = Loaded::load(conn, id)?;
        loaded.check(action, caller)?;
        if loaded.record.project.version != if_match.0 {
            return Err(StoreError::Stale.into());
        }
        let before = Snapshot::of_loaded(&loaded);
        let mut project = loaded.record.project.clone();
        let mut description = loaded.record.description.clone();
        let participants = change(conn, &loaded, &mut project, &mut description)?;
        store::update(
            conn,
            if_match.0,
            &project,
            &description,
            participants.as_deref(),
        )?;
        let after = Loaded::load(conn, id)?;
        let body = project_body(conn, &after, caller)?;
        audit_change(conn, caller, &after, audit_action, Some(&before), reason)?;
        Ok((project_etag(conn, id)?, body))
    })
}

/// The ETag a GET of the project would send now: read after a change, in its transaction, so
/// the answer to a change can be used at once for `If-Match` and `If-None-Match`.
pub(crate) fn project_etag(conn: &mut DbConnection, id: &str) -> Result<EntityTag, ApiError> {
    let key = ViewKey {
        stamp: store::view_stamp(conn, id)?,
        day: today(),
    };
    Ok(key.etag())
}

pub(crate) fn etag_response(tag: EntityTag, body: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(actix_web::http::header::ETag(tag))
        .json(body)
}

/// Edits an idea while it is `idea` or `returned` (owner organisation or business manager).
#[utoipa::path(
    patch, path = "/api/v1/projects/{id}", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ProjectPatch,
    responses(
        (status = 200, description = "The edited project", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Neither the owner organisation nor the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not editable in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<ProjectPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let patch = body.into_inner();
    let mut problems = patch
        .validate()
        .err()
        .map(|e| validation_errors(&e))
        .unwrap_or_default();
    let kind = patch
        .kind
        .as_deref()
        .map(|k| parse_field::<Kind>("kind", k))
        .transpose()
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    let funding = patch
        .intended_funding
        .as_deref()
        .map(|f| parse_field::<Funding>("intended_funding", f))
        .transpose()
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let (version, body) = state
        .db(move |conn| {
            change_project(
                conn,
                &caller,
                &id,
                if_match,
                Action::Edit,
                "idea_edited",
                None,
                |conn, loaded, project, description| {
                    if let Some(title) = &patch.title {
                        project.title.clone_from(title);
                    }
                    if let Some(summary) = &patch.summary {
                        project.summary.clone_from(summary);
                    }
                    project.search_text = search_text(&[&project.title, &project.summary]);
                    if let Some(kind) = kind {
                        project.kind = kind.as_str().into();
                    }
                    if let Some(funding) = funding {
                        project.intended_funding = funding.as_str().into();
                    }
                    if let Some(value) = &patch.local_value {
                        description.local_value.clone_from(value);
                    }
                    if let Some(value) = &patch.value_for_others {
                        description.value_for_others.clone_from(value);
                    }
                    if let Some(contact) = &patch.contact {
                        description.contact_name.clone_from(&contact.name);
                        description.contact_email.clone_from(&contact.email);
                    }
                    let Some(codes) = &patch.participants else {
                        return Ok(None);
                    };
                    let mut ids: Vec<String> = resolve_organizations(conn, "participants", codes)?
                        .into_iter()
                        .map(|o| o.id)
                        .collect();
                    if !ids.contains(&loaded.owner.id) {
                        ids.insert(0, loaded.owner.id.clone());
                    }
                    Ok(Some(ids))
                },
            )
        })
        .await?;
    Ok(etag_response(version, body))
}

/// Records evidence for one requirement (owner organisation or business manager).
#[utoipa::path(
    put, path = "/api/v1/projects/{id}/requirements/{key}", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path, example = "solution_documented"),
        ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = EvidenceRequest,
    responses(
        (status = 200, description = "The project with the evidence recorded", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to record evidence on this project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or no such requirement in its catalogue", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Evidence cannot be recorded in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Derived requirement, status not allowed, explanation or link missing, organisation not participating", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn record_evidence(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: web::Json<EvidenceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, key) = path.into_inner();
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    let status = request
        .status
        .parse::<EvidenceStatus>()
        .map_err(|_| ApiError::validation("status", "must be met, explained or not_applicable"))?;
    let audit_action = format!("evidence_recorded:{key}");
    let (version, body) = state
        .db(move |conn| {
            change_project(
                conn,
                &caller,
                &id,
                if_match,
                Action::RecordEvidence,
                &audit_action,
                None,
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
                        key: key.clone(),
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
                    store::record_evidence(
                        conn,
                        &EvidenceRow {
                            project_id: loaded.record.project.id.clone(),
                            requirement_key: key.clone(),
                            organization_id: request.organization.clone().unwrap_or_default(),
                            status: status.as_str().into(),
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
        })
        .await?;
    Ok(etag_response(version, body))
}

/// Places an idea at a level (business manager): pins it to a catalogue version (`os2-2016`
/// unless another is named; `sandkasse` only in one that has it) and makes it a `concept`.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/placement", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag"),
        ("Idempotency-Key" = Option<String>, Header)),
    request_body = PlacementRequest,
    responses(
        (status = 200, description = "The concept", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Cannot be placed in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown level or catalogue, a level the catalogue does not have, or no rationale", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn place(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
    body: web::Json<PlacementRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let mut problems = Vec::new();
    let level = request
        .level
        .parse::<Level>()
        .map_err(|e| problems.push(FieldError::new("level", e.to_string())))
        .ok();
    if request.rationale.trim().is_empty() || request.rationale.len() > 10_000 {
        problems.push(FieldError::new(
            "rationale",
            "must be 1 to 10000 characters",
        ));
    }
    let (Some(level), true) = (level, problems.is_empty()) else {
        return Err(ApiError::Validation(problems));
    };
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let pinned = pinnable_catalogue(conn, request.catalogue.as_deref(), level)?;
                let (version, body) = change_project(
                    conn,
                    &caller,
                    &id,
                    if_match,
                    Action::Place,
                    "placed",
                    Some(&request.rationale),
                    |_, _, project, description| {
                        project.state = State::Concept.as_str().into();
                        project.level = Some(level.to_string());
                        // A later placement re-pins.
                        project.catalogue_version = Some(pinned.clone());
                        description.placement_rationale = Some(request.rationale.clone());
                        Ok(None)
                    },
                )?;
                Ok(Outcome::ok(body).with_etag(version))
            })
        })
        .await
        .map(StoredReply::into_response)
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
    Ok(pinned.version)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// Only check the requirements; change nothing.
    pub dry_run: Option<bool>,
}

/// The outcome of a dry-run submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionCheck {
    /// Whether a submission now would pass the approval gate.
    pub ready: bool,
    /// `forretningsleder` (N1) or `board` (N2/N3).
    pub approver: String,
    pub unmet_requirements: Vec<UnmetRequirement>,
}

/// Submits a concept for approval (business manager): every approval-gate requirement of its
/// level and below must hold. The approval goes to the business manager (N1) or the board.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/submission", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), SubmissionQuery,
        ("If-Match" = String, Header, description = "The project's ETag (not needed for a dry run)"),
        ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "Submitted (the project, now `awaiting_approval`), or the dry run's check", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not a concept", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Requirements not met: `unmet_requirements` lists each", body = ProblemSchema, content_type = "application/problem+json",
            example = json!({"type": "/problems/unmet-requirements", "title": "Requirements are not met", "status": 422,
                "detail": "1 requirement(s) are not met",
                "unmet_requirements": [{"key": "idea_described", "level": "N1", "gate": "approval", "title": "The basic idea is described"}]})),
    )
)]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<SubmissionQuery>,
    request: HttpRequest,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if query.dry_run.unwrap_or(false) {
        let check = state
            .db(move |conn| {
                let loaded = Loaded::load(conn, &id)?;
                loaded.check(Action::Submit, &caller)?;
                let level = loaded
                    .level()
                    .ok_or_else(|| ApiError::Internal("a concept without a level".into()))?;
                let unmet = loaded.unmet(level, Gate::Approval);
                Ok(SubmissionCheck {
                    ready: unmet.is_empty(),
                    approver: approver_for(level).as_str().into(),
                    unmet_requirements: unmet,
                })
            })
            .await?;
        return Ok(HttpResponse::Ok().json(check));
    }
    let if_match = IfMatch::from_request_headers(&request)?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &id, |conn| {
                let (version, body) = change_project(
                    conn,
                    &caller,
                    &id,
                    if_match,
                    Action::Submit,
                    "submitted",
                    None,
                    |conn, loaded, project, _| {
                        let level = loaded.level().ok_or_else(|| {
                            ApiError::Internal("a concept without a level".into())
                        })?;
                        let unmet = loaded.unmet(level, Gate::Approval);
                        if !unmet.is_empty() {
                            return Err(ApiError::UnmetRequirements(unmet));
                        }
                        project.state = State::AwaitingApproval.as_str().into();
                        open_approval(
                            conn,
                            project,
                            level,
                            Subject::Project,
                            approver_for(level),
                            None,
                        )?;
                        Ok(None)
                    },
                )?;
                Ok(Outcome::ok(body).with_etag(version))
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// One entry of a project's audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// What happened: `idea_submitted`, `idea_edited`, `evidence_recorded:<key>`, `placed`,
    /// `submitted`, `vote_cast`, `approved`, `returned`, `rejected`.
    pub action: String,
    pub actor: HistoryActor,
    /// The state before the change; `null` when the action created the item.
    pub before: Option<serde_json::Value>,
    /// The state after the change; `null` when the action removed it.
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryActor {
    pub sub: String,
    pub roles: Vec<String>,
    pub organization: Option<String>,
}

/// The project's audit trail: every change, vote and decision, oldest first. Append-only.
#[utoipa::path(
    get, path = "/api/v1/projects/{id}/history", tag = "projects",
    params(("id" = String, Path), PageParams),
    responses(
        (status = 200, description = "The history, oldest first, one page at a time", body = Page<HistoryEntry>),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn history(
    state: web::Data<AppState>,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let entries = state
        .db(move |conn| {
            store::find(conn, &id).map_err(|e| match e {
                StoreError::NotFound => ApiError::NotFound(format!("no project `{id}`")),
                other => other.into(),
            })?;
            Ok(audit::for_subject(conn, "project", &id)?)
        })
        .await?;
    let parse = |json: Option<String>| json.and_then(|j| serde_json::from_str(&j).ok());
    let items: Vec<HistoryEntry> = entries
        .into_iter()
        .map(|e| HistoryEntry {
            at: e.occurred_at.and_utc(),
            action: e.action,
            actor: HistoryActor {
                sub: e.actor_sub,
                roles: e
                    .actor_roles
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect(),
                organization: e.actor_org,
            },
            before: parse(e.before_state),
            after: parse(e.after_state),
            reason: e.reason,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}
