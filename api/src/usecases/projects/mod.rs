//! Projects (initiatives): the aggregate a request loads (`Loaded`), what a caller may do with
//! it, and one way to change it (`change_project`). The rules are the domain's.

pub mod budget;
pub mod coordination;
pub mod evidence;
pub mod go_live;
pub mod history;
pub mod idea;
pub mod placement;
pub mod read;
pub mod reconsideration;
pub mod reports;
pub mod send_back;
pub mod start;
pub mod steering;
pub mod submission;
pub mod view;

use std::sync::Arc;

use actix_web::web::Bytes;
use os2pm_levels::evidence::{self as ev, AttestationStatus, Evidence, EvidenceStatus, Facts};
use os2pm_levels::{Catalogue, DEFAULT_CATALOGUE_VERSION, Gate, Level, Requirement};
use os2pm_persistence::approvals::{ApprovalRow, ProjectApprovals, VoteRow};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::budgets::BudgetRow;
use os2pm_persistence::organizations::{self, OrganizationRow};
use os2pm_persistence::project_aggregate as aggregate;
use os2pm_persistence::projects::{self as store, DescriptionRow, ProjectRecord, ProjectRow};
use os2pm_persistence::reports::ReportRow;
use os2pm_persistence::{DbConnection, StoreError, WriteSet, catalogue};
use os2pm_projects::{Action, Actor, Approver, Funding, Kind, LifecycleError, ProjectId, State};
use serde::Serialize;

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError, UnmetRequirement};
use crate::request::Tagged;
use crate::request::{Guarded, IdempotencyKey, IfMatch, StoredReply};
use crate::usecases::Outcome;
use crate::usecases::approvals::{ApprovalView, Voter};
use crate::usecases::board::{seated_on, today};
use crate::usecases::groups::{CoordinationGroups, Known, SteeringInForce};
use crate::usecases::projects::view::{
    Contact, OrganizationAttestation, ProjectView, RequirementStatus,
};
use crate::usecases::running::{BudgetView, ReportView};
use crate::view_cache::ViewKey;
use actix_web::http::header::EntityTag;

/// What the audit trail keeps of a project before and after a change.
#[derive(Debug, Serialize)]
pub struct Snapshot {
    state: State,
    level: Option<Level>,
    catalogue_version: Option<String>,
    title: String,
    summary: String,
    kind: Kind,
    participants: Vec<String>,
    intended_funding: Funding,
    round: i32,
    version: i64,
    /// Recorded evidence: `key` (or `key/organisation`) → status.
    evidence: std::collections::BTreeMap<String, EvidenceStatus>,
    /// The budget's amount, so the portfolio can be told as it stood (absent: not known here).
    #[serde(skip_serializing_if = "Option::is_none")]
    budget_dkk: Option<i64>,
}

impl Snapshot {
    pub fn of(record: &ProjectRecord) -> Self {
        let p = &record.project;
        Self {
            state: p.state,
            level: p.level,
            catalogue_version: p.catalogue_version.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            kind: p.kind,
            participants: record.participants.clone(),
            intended_funding: p.intended_funding,
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
                    (key, e.status)
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
    pub(crate) catalogue: Arc<Catalogue>,
    /// The newest approval of the project itself.
    approval: Option<ApprovalRow>,
    /// Pending approvals of its steering group, budget or cancellation.
    side_approvals: Vec<ApprovalRow>,
    pub(crate) steering: Option<SteeringInForce>,
    pub(crate) budget: Option<BudgetRow>,
    latest_report: Option<ReportRow>,
    coordination: CoordinationGroups,
    product: Option<os2pm_persistence::products::ProductRow>,
    /// The board approved a level change: that is the board's approval at the new level.
    board_moved_level: bool,
    /// The votes on the project's approvals.
    votes: Vec<VoteRow>,
    /// The `sub`s of the board members seated today.
    seated_board: Vec<String>,
}

impl Loaded {
    /// The project `id` with everything its view shows: one query (the catalogue is kept in
    /// memory).
    pub(crate) fn load(conn: &mut DbConnection, id: &ProjectId) -> Result<Self, ApiError> {
        Self::load_stamped(conn, id).map(|(loaded, _)| loaded)
    }

    /// [`Loaded::load`], with what the view built from it is current for: read in the same
    /// statement as its rows.
    pub(crate) fn load_stamped(
        conn: &mut DbConnection,
        id: &ProjectId,
    ) -> Result<(Self, store::ViewStamp), ApiError> {
        let rows = aggregate::load(conn, id).map_err(|e| not_found(id, e))?;
        let stamp = rows.stamp;
        Ok((Self::of(conn, rows)?, stamp))
    }

    fn of(conn: &mut DbConnection, rows: aggregate::ProjectAggregate) -> Result<Self, ApiError> {
        let catalogue = catalogue::load(
            conn,
            rows.record
                .project
                .catalogue_version
                .as_deref()
                .unwrap_or(DEFAULT_CATALOGUE_VERSION),
        )?;
        let (board, _) = seated_on(rows.board, today());
        let known = Known {
            labels: rows.organization_labels,
            board: board.into_iter().map(|p| p.sub).collect(),
        };
        let approvals = ProjectApprovals::of(&rows.approvals);
        Ok(Self {
            steering: rows
                .steering
                .map(|(row, seats)| SteeringInForce::of(row, seats, &rows.people, &known)),
            coordination: CoordinationGroups::of(rows.coordination, &known),
            board_moved_level: approvals.level_change.is_some_and(|a| a.is_approved()),
            approval: approvals.project,
            side_approvals: approvals.pending_side,
            votes: rows.votes,
            seated_board: known.board,
            record: rows.record,
            owner: rows.owner,
            catalogue,
            budget: rows.budget,
            latest_report: rows.latest_report,
            product: rows.product,
        })
    }

    /// A project just inserted: nothing but its own rows exists yet, so nothing is read back
    /// but its catalogue.
    pub(crate) fn inserted(
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
            coordination: CoordinationGroups::default(),
            product: None,
            board_moved_level: false,
            votes: Vec::new(),
            seated_board: Vec::new(),
        })
    }

    pub(crate) fn state(&self) -> State {
        self.record.project.state
    }

    /// The level of a placed project; one without is a fault of the store.
    pub(crate) fn placed_level(&self) -> Result<Level, ApiError> {
        self.level()
            .ok_or_else(|| ApiError::Internal("a placed project without a level".into()))
    }

    pub(crate) fn level(&self) -> Option<Level> {
        self.record.project.level
    }

    fn evidence(&self) -> Vec<Evidence> {
        self.record
            .evidence
            .iter()
            .map(|row| Evidence {
                key: row.requirement_key.clone(),
                organization: Some(row.organization_id.clone()).filter(|o| !o.is_empty()),
                status: row.status,
                explanation: row.explanation.clone(),
                link: row.link.clone(),
            })
            .collect()
    }

    fn facts(&self) -> Facts {
        Facts {
            participating_municipalities: self.record.participating_municipalities,
            locally_funded: self.record.project.intended_funding == Funding::Local,
            board_approved: self.board_moved_level
                || self
                    .approval
                    .as_ref()
                    .is_some_and(|a| a.approver == Approver::Board && a.is_approved()),
            steering_group_in_force: self.steering.is_some(),
            steering_group_approved_by_board: self
                .steering
                .as_ref()
                .is_some_and(SteeringInForce::approved_by_board),
            board_majority_in_steering_group: self
                .steering
                .as_ref()
                .is_some_and(SteeringInForce::board_majority),
            coordination_group_formed: self.coordination.formed(),
            board_member_in_coordination_group: self.coordination.each_has_a_board_member(),
            adoption: self.record.project.kind == Kind::Adoption,
        }
    }

    fn actor(&self, caller: &Caller) -> Actor {
        actor(
            &self.owner,
            &self.record.participants,
            self.steering.as_ref(),
            caller,
        )
    }

    /// Who `caller` is to a piece of evidence for `organization` (or the project itself).
    fn recorder(&self, caller: &Caller, organization: Option<&str>) -> ev::Recorder {
        let actor = self.actor(caller);
        if actor.business_manager {
            ev::Recorder::BusinessManager
        } else if (actor.owner || actor.participant)
            && organization.is_some_and(|org| caller.acts_for(org, None))
        {
            ev::Recorder::NamedOrganization
        } else if actor.owner || actor.project_leader {
            ev::Recorder::Project
        } else {
            ev::Recorder::Other
        }
    }

    /// What decides a caller's `_actions`, apart from the view.
    pub(crate) fn action_inputs(&self) -> ActionInputs {
        ActionInputs {
            state: Some(self.state()),
            owner: self.owner.clone(),
            participants: self.record.participants.clone(),
            steering: self.steering.clone(),
            voted: self.approval.as_ref().map_or_else(Vec::new, |approval| {
                self.votes
                    .iter()
                    .filter(|v| v.approval_id == approval.id)
                    .map(|v| v.voter_sub.clone())
                    .collect()
            }),
            approval: self.approval.clone(),
            seated_board: self.seated_board.clone(),
        }
    }

    /// The state `action` leads to, as the domain says; refuses an action the caller may not
    /// take (403) or the state does not allow (409); a closed product's project takes nothing.
    pub(crate) fn check(&self, action: Action, caller: &Caller) -> Result<State, ApiError> {
        if let Some(product) = &self.product {
            product
                .state
                .check_open()
                .map_err(|e| ApiError::Conflict(e.to_string()))?;
        }
        self.state()
            .transition_at(action, self.actor(caller), self.level())
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

    /// Refuses (422, each listed) when a requirement of `gate` at `level` is unmet.
    pub(crate) fn require(&self, level: Level, gate: Gate) -> Result<(), ApiError> {
        unmet_refused(self.unmet(level, gate))
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
            title_da: r.title_da.clone(),
            title_en: r.title_en.clone(),
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
                            status: (if evidence.iter().any(|e| {
                                e.key == r.key
                                    && e.organization.as_ref() == Some(org)
                                    && e.status == EvidenceStatus::Met
                            }) {
                                AttestationStatus::Met
                            } else {
                                AttestationStatus::Missing
                            }),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                RequirementStatus {
                    key: r.key.clone(),
                    level: r.level,
                    gate: r.gate,
                    kind: r.kind,
                    title_da: r.title_da.clone(),
                    title_en: r.title_en.clone(),
                    recommended: r.recommended,
                    status: state,
                    // An adoption spared by the catalogue says why.
                    explanation: row
                        .and_then(|e| e.explanation.clone())
                        .or_else(|| r.not_for_adoptions.clone().filter(|_| facts.adoption)),
                    link: row.and_then(|e| e.link.clone()),
                    note: row.and_then(|e| e.note.clone()),
                    organizations,
                }
            })
            .collect()
    }

    /// The view with the caller's `_actions` (none for an anonymous caller).
    fn view(&self, caller: Option<&Caller>) -> ProjectView {
        let mut view = self.view_without_actions();
        if let Some(caller) = caller {
            view.actions = self.action_inputs().actions(caller);
        }
        view
    }

    /// The view as anyone may read it: the same for every caller, `_actions` empty.
    pub(crate) fn view_without_actions(&self) -> ProjectView {
        let p = &self.record.project;
        let d = &self.record.description;
        let approval_view =
            |row: &ApprovalRow| ApprovalView::of(row.clone(), p.title.clone(), &self.votes);
        ProjectView {
            id: p.id.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            kind: p.kind,
            state: p.state,
            level: p.level,
            catalogue_version: self.catalogue.version.clone(),
            owner_organization: self
                .owner
                .code
                .clone()
                .unwrap_or_else(|| self.owner.id.clone()),
            participants: self.record.participants.clone(),
            intended_funding: p.intended_funding,
            local_value: d.local_value.clone(),
            value_for_others: d.value_for_others.clone(),
            contact: Contact {
                name: d.contact_name.clone(),
                email: d.contact_email.clone(),
            },
            placement_rationale: d.placement_rationale.clone(),
            return_reason: d.return_reason.clone(),
            round: p.approval_round,
            requirements: self.requirements(),
            current_approval: self.approval.as_ref().map(approval_view),
            open_approvals: self.side_approvals.iter().map(approval_view).collect(),
            steering_group: self.steering.as_ref().map(SteeringInForce::view),
            budget: self.budget.clone().map(BudgetView::from),
            latest_report: self.latest_report.clone().map(ReportView::from),
            coordination_group: self.coordination.main().map(|c| c.view.clone()),
            product_id: self.product.as_ref().map(|p| p.id.clone()),
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
            actions: Vec::new(),
        }
    }
}

fn actor(
    owner: &OrganizationRow,
    participants: &[String],
    steering: Option<&SteeringInForce>,
    caller: &Caller,
) -> Actor {
    let for_organization =
        caller.has_role(Role::MunicipalityUser) || caller.has_role(Role::Integration);
    let owner = for_organization && caller.acts_for(&owner.id, owner.code.as_deref());
    Actor {
        owner,
        participant: for_organization
            && !owner
            && participants.iter().any(|p| caller.acts_for(p, None)),
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
    /// Participating organisations by code (or id).
    participants: Vec<String>,
    steering: Option<SteeringInForce>,
    /// The newest approval of the project itself.
    approval: Option<ApprovalRow>,
    /// Who voted on it.
    voted: Vec<String>,
    /// The `sub`s of the board members seated today.
    seated_board: Vec<String>,
}

impl ActionInputs {
    /// What `caller` may do now; on a pending approval also `vote` (an eligible voter who has
    /// not voted) and `record_meeting_decision` (the business manager, for the board).
    pub(crate) fn actions(&self, caller: &Caller) -> Vec<String> {
        let Some(state) = self.state else {
            return Vec::new();
        };
        let mut actions: Vec<String> = state
            .actions(actor(
                &self.owner,
                &self.participants,
                self.steering.as_ref(),
                caller,
            ))
            .into_iter()
            .map(|a| a.as_str().to_owned())
            .collect();
        if let Some(row) = &self.approval
            && row.is_pending()
        {
            let voter = Voter::among(caller, &self.seated_board);
            if voter.may_vote_on(row) && !self.voted.contains(&caller.sub) {
                actions.push("vote".into());
            }
            if voter.business_manager && row.approver == Approver::Board {
                actions.push("record_meeting_decision".into());
            }
        }
        actions
    }
}

/// Nothing, or the refusal that lists `unmet`.
pub(crate) fn unmet_refused(unmet: Vec<UnmetRequirement>) -> Result<(), ApiError> {
    if unmet.is_empty() {
        Ok(())
    } else {
        Err(ApiError::UnmetRequirements(unmet))
    }
}

/// Resolves one organisation code or id; an unknown one is a validation error on `field`.
pub(crate) fn resolve_organization(
    conn: &mut DbConnection,
    field: &str,
    code: &str,
) -> Result<OrganizationRow, ApiError> {
    let known = organizations::find_all(conn, &[code.to_owned()])?;
    pick_organization(&known, field, code)
}

/// Resolves organisation codes to ids; unknown ones are validation errors on `field`.
pub(crate) fn resolve_organizations(
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

pub(crate) fn pick_organization(
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
pub(crate) fn pick_organizations(
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
pub(crate) fn push_audit(
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
            subject_id: project_id.as_str(),
            action,
            actor: &caller.actor(),
            before: before.and_then(Snapshot::json),
            after: after.json(),
            reason,
        },
        owner,
    );
}

pub(crate) fn project_body(
    loaded: &Loaded,
    caller: &Caller,
) -> Result<serde_json::Value, ApiError> {
    crate::usecases::to_body(&loaded.view(Some(caller)))
}

/// The anyone-view's JSON with the caller's `_actions`: they are the view's last field, so the
/// JSON ends in `"_actions":[]}`.
pub(crate) fn with_actions(anonymous: &[u8], actions: &[String]) -> Result<Bytes, ApiError> {
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

pub(crate) fn not_found(id: &ProjectId, error: StoreError) -> ApiError {
    match error {
        StoreError::NotFound => ApiError::NotFound(format!("no project `{id}`")),
        other => other.into(),
    }
}

/// A change to a project: which, at which version, by which action, and how the audit trail
/// tells it.
pub(crate) struct ProjectChange<'a> {
    pub(crate) id: &'a ProjectId,
    pub(crate) if_match: IfMatch,
    pub(crate) action: Action,
    pub(crate) audit_action: &'a str,
    pub(crate) reason: Option<&'a str>,
}

impl<'a> ProjectChange<'a> {
    /// `action` on project `id` at version `if_match`, told in the audit trail as
    /// `audit_action`, with no reason given.
    pub(crate) fn new(
        id: &'a ProjectId,
        if_match: IfMatch,
        action: Action,
        audit_action: &'a str,
    ) -> Self {
        Self {
            id,
            if_match,
            action,
            audit_action,
            reason: None,
        }
    }
}

/// What a change does beyond the state the domain moves it to: edits the project's rows and
/// answers the participants it names (`None`: unchanged).
pub(crate) trait ApplyChange:
    FnOnce(&mut DbConnection, &Loaded, &mut ProjectRow, &mut DescriptionRow) -> Applied
{
}

impl<F> ApplyChange for F where
    F: FnOnce(&mut DbConnection, &Loaded, &mut ProjectRow, &mut DescriptionRow) -> Applied
{
}

pub(crate) type Applied = Result<Option<Vec<String>>, ApiError>;

/// Loads a project, asks the domain where the action leads (refusing it if it may not be
/// taken), checks the If-Match version, stores the state the domain returned with what `apply`
/// changes (and the participants it names), and writes the audit entry: one transaction,
/// nothing written on any refusal.
pub(crate) fn change_project(
    conn: &mut DbConnection,
    caller: &Caller,
    change: ProjectChange,
    apply: impl ApplyChange,
) -> Result<Tagged, ApiError> {
    let ProjectChange {
        id,
        if_match,
        action,
        audit_action,
        reason,
    } = change;
    os2pm_persistence::in_transaction(conn, |conn| {
        let loaded = Loaded::load(conn, id)?;
        let next = loaded.check(action, caller)?;
        let expected = if_match.matched(loaded.record.project.version)?;
        let before = Snapshot::of_loaded(&loaded);
        let mut project = loaded.record.project.clone();
        project.move_to(next);
        let mut description = loaded.record.description.clone();
        let participants = apply(conn, &loaded, &mut project, &mut description)?;
        store::update(
            conn,
            expected,
            &project,
            &description,
            participants.as_deref(),
        )?;
        let after = Loaded::load(conn, id)?;
        let body = project_body(&after, caller)?;
        audit_change(conn, caller, &after, audit_action, Some(&before), reason)?;
        Ok(Tagged {
            tag: project_etag(conn, id)?,
            body,
        })
    })
}

/// [`change_project`] once per Idempotency-Key (`key` is what a retry must repeat): a retry
/// answers what the first request did and changes nothing.
pub(crate) fn change_project_once<K: Serialize>(
    conn: &mut DbConnection,
    caller: &Caller,
    idempotency_key: IdempotencyKey,
    key: &K,
    change: ProjectChange,
    apply: impl ApplyChange,
) -> Result<StoredReply, ApiError> {
    idempotency_key.run(conn, caller, key, |conn| {
        let changed = change_project(conn, caller, change, apply)?;
        Ok(Outcome::ok(changed.body).with_etag(changed.tag))
    })
}

/// `action` on the project `write` guards, told in the audit trail as `audit_action`, once per
/// Idempotency-Key ([`change_project_once`] keyed on the project).
pub(crate) fn change_guarded(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
    action: Action,
    audit_action: &str,
    apply: impl ApplyChange,
) -> Result<StoredReply, ApiError> {
    let Guarded {
        id,
        if_match,
        idempotency_key,
    } = write;
    let change = ProjectChange::new(&id, if_match, action, audit_action);
    change_project_once(conn, caller, idempotency_key, &id, change, apply)
}

/// [`change_guarded`] with a `reason` the audit trail keeps, once per Idempotency-Key keyed on
/// the project and `request` (a retry must repeat both).
pub(crate) fn change_guarded_because<K: Serialize>(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
    request: &K,
    (action, audit_action, reason): (Action, &str, &str),
    apply: impl ApplyChange,
) -> Result<StoredReply, ApiError> {
    let Guarded {
        id,
        if_match,
        idempotency_key,
    } = write;
    let change = ProjectChange {
        reason: Some(reason),
        ..ProjectChange::new(&id, if_match, action, audit_action)
    };
    change_project_once(
        conn,
        caller,
        idempotency_key,
        &(&id, request),
        change,
        apply,
    )
}

/// The ETag a GET of the project would send now: read after a change, in its transaction, so
/// the answer to a change can be used at once for `If-Match` and `If-None-Match`.
pub(crate) fn project_etag(conn: &mut DbConnection, id: &ProjectId) -> Result<EntityTag, ApiError> {
    let key = ViewKey {
        stamp: store::view_stamp(conn, id)?,
        day: today(),
    };
    Ok(key.etag())
}
