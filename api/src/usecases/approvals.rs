//! Approvals: the business manager's and the board's inboxes, votes, and decisions recorded
//! from a board meeting. A decision is final and never edited.

use chrono::{DateTime, NaiveDate, Utc};
use os2pm_groups::board::check_quorum;
use os2pm_levels::Level;
use os2pm_persistence::approvals::{self as store, ApprovalFilter, ApprovalRow, Closing, VoteRow};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::projects::ProjectRow;
use os2pm_persistence::{DbConnection, StoreError, budgets, people, projects as project_store};
use os2pm_products::ChangeRequestId;
use os2pm_projects::{
    ApprovalId, ApprovalState, Approver, BudgetStatus, Decision, ProjectId, Subject, Tally, Vote,
    inbox, tally,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::handlers::approvals::{MeetingDecisionRequest, VoteRequest};
use crate::request::{IdempotencyKey, Outcome, StoredReply};
use crate::usecases::board::{domain_seat, seated_subs, seated_today};
use crate::usecases::groups::SteeringProposal;
use crate::usecases::people::organization_label;
use crate::usecases::privacy::{Audience, Redacted};
use crate::usecases::projects::Snapshot;
use crate::usecases::to_body;

/// A vote on an approval.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoteView {
    /// The voter's `sub`; `null` for anonymous readers.
    #[schema(nullable)]
    pub voter: String,
    /// The organisation the voter represented (kommunekode or id).
    pub organization: Option<String>,
    #[schema(example = "approve")]
    pub decision: Decision,
    pub reason: Option<String>,
    pub cast_at: DateTime<Utc>,
}

/// An approval: routed to the business manager (N1) or the board (N2/N3).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0f4-7b1e-7c3a-9a55-2f0e1d9c8b7a", "project_id": "0193a0f4-7b1e-7c3a-9a55-2f0e1d9c8b70",
    "project_title": "Fælles borgerdialog", "subject": "project", "round": 1, "level": "N2", "approver": "board",
    "state": "pending", "outcome": null, "reason": null, "decided_by": null, "decided_at": null,
    "meeting": null, "for_information": false,
    "votes": [{"voter": "mette@kl.dk", "organization": "751", "decision": "approve", "reason": null, "cast_at": "2026-11-22T10:00:00Z"}]
}))]
pub struct ApprovalView {
    pub id: ApprovalId,
    pub project_id: ProjectId,
    pub project_title: String,
    /// What is decided.
    pub subject: Subject,
    /// The submission round: a returned project's resubmission starts a new one.
    pub round: i32,
    pub level: Level,
    /// `forretningsleder` (N1) or `board` (N2/N3).
    pub approver: Approver,
    pub state: ApprovalState,
    /// Once decided.
    pub outcome: Option<Decision>,
    pub reason: Option<String>,
    /// `forretningsleder`, `board`, or `board_meeting` (recorded from a meeting's minutes).
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// For a decision recorded from a board meeting.
    pub meeting: Option<Meeting>,
    /// An N1 decision, listed for the board's information: the board does not decide it.
    pub for_information: bool,
    /// Once decided, every vote; while pending, the business manager and the board see the
    /// votes cast so far and others none.
    pub votes: Vec<VoteView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Meeting {
    pub date: NaiveDate,
    /// The `sub`s of the board members present; `null` for anonymous readers.
    #[schema(nullable)]
    pub members_present: Vec<String>,
}

impl ApprovalView {
    pub fn load(conn: &mut DbConnection, row: ApprovalRow) -> Result<Self, ApiError> {
        let project_title = project_store::title(conn, &row.project_id)?;
        let votes = store::votes(conn, &row.id)?;
        Ok(Self::of(row, project_title, &votes))
    }

    /// The view of an approval whose project's title and votes are read already (a project
    /// view reads them with the rest of the project); `votes` may hold other approvals' too.
    pub fn of(row: ApprovalRow, project_title: String, votes: &[VoteRow]) -> Self {
        let votes = votes
            .iter()
            .filter(|v| v.approval_id == row.id)
            .map(|v| VoteView {
                voter: v.voter_sub.clone(),
                organization: v.voter_organization.clone(),
                decision: v.decision,
                reason: v.reason.clone(),
                cast_at: v.cast_at.and_utc(),
            })
            .collect();
        let meeting = row.meeting_date.map(|date| Meeting {
            date,
            members_present: row
                .members_present
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default(),
        });
        Self {
            for_information: row.approver == Approver::Forretningsleder && row.is_decided(),
            id: row.id,
            project_id: row.project_id,
            project_title,
            subject: row.subject,
            round: row.approval_round,
            level: row.level,
            approver: row.approver,
            state: row.state,
            outcome: row.outcome,
            reason: row.reason,
            decided_by: row.decided_by,
            decided_at: row.decided_at.map(|at| at.and_utc()),
            meeting,
            votes,
        }
    }
}

/// Opens an approval of `subject` for `project`, routed to `approver`.
/// What an approval carries besides its subject, kept with it (as JSON) until it is decided:
/// one variant per subject that needs more than the project.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Payload {
    /// The group the board is asked to approve or appoint.
    SteeringGroup(SteeringProposal),
    LevelChange(LevelChangeTo),
    Closure(ClosureReason),
    ChangeRequest(ChangeRequestRef),
    BudgetFrame(FrameProposal),
}

/// The yearly budget frame the board is asked to put in force for a product.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrameProposal {
    pub yearly_budget_frame_dkk: i64,
    pub reason: Option<String>,
}

/// The level a project or product is to move to, why, and who proposed it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LevelChangeTo {
    pub to: Level,
    pub reason: String,
    /// Absent in proposals stored before it was recorded.
    #[serde(default)]
    pub proposed_by: Option<Proposer>,
}

/// Who proposes a level change (governance.md §2): the business manager, or a product's
/// coordination group through its chair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Proposer {
    BusinessManager,
    CoordinationGroup,
}

/// Why a product is to be closed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClosureReason {
    pub reason: String,
}

/// The change request the board decides.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeRequestRef {
    pub change_request: ChangeRequestId,
}

impl Payload {
    /// The payload of `approval`, read as its subject stores it; `None` for subjects without
    /// one. A payload that does not read is a fault of the store (500), never a default.
    pub fn of(approval: &ApprovalRow) -> Result<Option<Self>, ApiError> {
        let Some(json) = approval.payload.as_deref() else {
            return Ok(None);
        };
        fn read<T: serde::de::DeserializeOwned>(
            id: &ApprovalId,
            json: &str,
        ) -> Result<T, ApiError> {
            serde_json::from_str(json)
                .map_err(|e| ApiError::Internal(format!("the payload of approval `{id}`: {e}")))
        }
        let id = &approval.id;
        Ok(Some(match approval.subject {
            Subject::SteeringGroup => Self::SteeringGroup(read(id, json)?),
            Subject::LevelChange => Self::LevelChange(read(id, json)?),
            Subject::Closure => Self::Closure(read(id, json)?),
            Subject::ChangeRequest => Self::ChangeRequest(read(id, json)?),
            Subject::BudgetFrame => Self::BudgetFrame(read(id, json)?),
            Subject::Project | Subject::Budget | Subject::Cancellation => return Ok(None),
        }))
    }
}

pub fn open_approval(
    conn: &mut DbConnection,
    project: &ProjectRow,
    level: Level,
    subject: Subject,
    approver: Approver,
    payload: Option<Payload>,
) -> Result<ApprovalRow, ApiError> {
    let payload = payload
        .map(|p| serde_json::to_string(&p))
        .transpose()
        .map_err(|e| ApiError::Internal(format!("an approval's payload: {e}")))?;
    let row = ApprovalRow {
        id: crate::usecases::new_id(),
        project_id: project.id.clone(),
        approval_round: project.approval_round,
        level,
        approver,
        state: ApprovalState::Pending,
        outcome: None,
        reason: None,
        decided_by: None,
        decided_at: None,
        meeting_date: None,
        members_present: None,
        version: 1,
        created_at: os2pm_persistence::now(),
        subject,
        payload,
    };
    store::insert(conn, &row).map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::Conflict(format!(
            "a {subject} approval is already pending for this project"
        )),
        other => other.into(),
    })?;
    Ok(row)
}

/// What the caller may decide: as business manager, as a seated board member, or both.
pub struct Voter {
    pub business_manager: bool,
    pub seated_board_member: bool,
}

impl Voter {
    pub fn of(conn: &mut DbConnection, caller: &Caller) -> Result<Self, ApiError> {
        Ok(Self::among(caller, &seated_subs(conn)?))
    }

    /// The caller as a voter, when `seated` are the `sub`s of the members seated today.
    pub fn among(caller: &Caller, seated: &[String]) -> Self {
        let board_role = caller.has_role(Role::BoardMember) || caller.has_role(Role::BoardChair);
        Self {
            business_manager: caller.has_role(Role::Forretningsleder),
            seated_board_member: board_role && seated.contains(&caller.sub),
        }
    }

    pub fn may_vote_on(&self, approval: &ApprovalRow) -> bool {
        approval
            .approver
            .accepts_vote_from(self.business_manager, self.seated_board_member)
    }
}

/// Locks a pending approval for this transaction, serialising concurrent votes on it; a
/// decided one is a conflict.
pub(crate) fn lock_open(conn: &mut DbConnection, id: &ApprovalId) -> Result<ApprovalRow, ApiError> {
    store::lock_pending(conn, id).map_err(|e| match e {
        StoreError::Stale => ApiError::Conflict("the approval is already decided".into()),
        other => other.into(),
    })
}

/// 201 with the approval as it now stands.
pub(crate) fn answer(conn: &mut DbConnection, id: &ApprovalId) -> Result<Outcome, ApiError> {
    let row = store::find(conn, id)?;
    let view = ApprovalView::load(conn, row)?;
    Ok(Outcome::created(
        format!("/api/v1/approvals/{id}"),
        to_body(&view)?,
    ))
}

pub(crate) fn not_found(error: StoreError, id: &ApprovalId) -> ApiError {
    match error {
        StoreError::NotFound => ApiError::NotFound(format!("no approval `{id}`")),
        other => other.into(),
    }
}

pub(crate) fn parse_decision(decision: &str, reason: Option<&str>) -> Result<Decision, ApiError> {
    let decision = decision
        .parse::<Decision>()
        .map_err(|e| ApiError::validation("decision", e.to_string()))?;
    if decision.needs_reason() && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(ApiError::validation(
            "reason",
            "a reason is required to return or reject",
        ));
    }
    Ok(decision)
}

/// Closes the approval with `decision` and moves its project to the decided state, in the
/// caller's transaction, with the audit entry.
pub(crate) fn decide(
    conn: &mut DbConnection,
    approval: &ApprovalRow,
    decision: Decision,
    closing: Closing<'_>,
    caller: &Caller,
) -> Result<(), ApiError> {
    store::close(conn, &approval.id, &closing)?;
    let subject = approval.subject;
    let record = project_store::find(conn, &approval.project_id)?;
    let before = Snapshot::of(&record);
    let mut project = record.project.clone();
    let mut description = record.description.clone();
    let approved = decision == Decision::Approve;
    let state = project.state;
    let action = match (subject, decision) {
        (Subject::Project, _) => {
            let decided = state
                .decide(decision)
                .map_err(|e| ApiError::Conflict(e.to_string()))?;
            project.move_to(decided.state);
            if decided.new_round {
                project.approval_round += 1;
                description.return_reason = closing.reason.map(str::to_owned);
            }
            match decision {
                Decision::Approve => "approved",
                Decision::Return => "returned",
                Decision::Reject => "rejected",
            }
        }
        (Subject::SteeringGroup, _) if approved => {
            let Some(Payload::SteeringGroup(proposal)) = Payload::of(approval)? else {
                return Err(ApiError::Internal(
                    "a steering-group approval without its proposal".into(),
                ));
            };
            proposal.put_in_force(conn, &approval.project_id, true)?;
            "steering_group_approved"
        }
        (Subject::SteeringGroup, _) => "steering_group_not_approved",
        (Subject::Budget, _) => {
            let status = if approved {
                BudgetStatus::Approved
            } else {
                BudgetStatus::Proposed
            };
            budgets::set_status(conn, &approval.project_id, status)?;
            if approved {
                "budget_approved"
            } else {
                "budget_not_approved"
            }
        }
        (Subject::Cancellation, _) => {
            project.move_to(state.cancellation_decided(approved));
            if approved {
                "cancelled"
            } else {
                "cancellation_not_confirmed"
            }
        }
        (
            Subject::LevelChange | Subject::Closure | Subject::ChangeRequest | Subject::BudgetFrame,
            _,
        ) => crate::usecases::products::apply_decision(
            conn,
            approval,
            subject,
            approved,
            &mut project,
        )?,
    };
    project_store::update(conn, project.version, &project, &description, None)?;
    let after = Snapshot::of(&project_store::find(conn, &approval.project_id)?);
    audit::append(
        conn,
        NewEntry {
            subject_type: "project",
            subject_id: approval.project_id.as_str(),
            action,
            actor: &caller.actor(),
            before: before.json(),
            after: after.json(),
            reason: closing.reason,
        },
    )?;
    Ok(())
}

/// A decision from a board meeting's minutes, checked as far as it can be without the
/// database.
pub struct Minutes {
    decision: Decision,
    reason: Option<String>,
    members_present: Vec<String>,
}

impl Minutes {
    pub(crate) fn read(
        decision: &str,
        reason: Option<String>,
        members_present: Vec<String>,
    ) -> Result<Self, ApiError> {
        let decision = parse_decision(decision, reason.as_deref())?;
        if members_present.is_empty() {
            return Err(ApiError::validation(
                "members_present",
                "name the board members present",
            ));
        }
        Ok(Self {
            decision,
            reason,
            members_present,
        })
    }

    /// Closes the board approval `id` with this decision, taken at a meeting on `meeting_date`
    /// by members who held a seat that day.
    pub(crate) fn record(
        &self,
        conn: &mut DbConnection,
        caller: &Caller,
        id: &ApprovalId,
        meeting_date: NaiveDate,
    ) -> Result<Outcome, ApiError> {
        let approval = store::find(conn, id).map_err(|e| not_found(e, id))?;
        if approval.approver != Approver::Board {
            return Err(ApiError::Conflict(
                "only board approvals are decided at board meetings".into(),
            ));
        }
        let approval = lock_open(conn, id)?;
        let seated: Vec<String> = os2pm_persistence::board::seats(conn)?
            .into_iter()
            .filter(|(seat, _)| domain_seat(seat).held_on(meeting_date))
            .map(|(_, person)| person.sub)
            .collect();
        let problems: Vec<FieldError> = check_quorum(&seated, &self.members_present)
            .iter()
            .map(|problem| FieldError::new("members_present", problem.to_string()))
            .collect();
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        decide(
            conn,
            &approval,
            self.decision,
            Closing {
                outcome: self.decision,
                reason: self.reason.as_deref(),
                decided_by: "board_meeting",
                meeting_date: Some(meeting_date),
                members_present: serde_json::to_string(&self.members_present).ok(),
            },
            caller,
        )?;
        answer(conn, id)
    }
}

/// The caller's inbox: pending (or decided) approvals of the approver the caller decides for.
pub fn inbox_for(
    conn: &mut DbConnection,
    caller: &Caller,
    wanted: ApprovalState,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ApprovalView>, ApiError> {
    caller.require_any(&[Role::Forretningsleder, Role::BoardMember, Role::BoardChair])?;
    let voter = Voter::of(conn, caller)?;
    let approver = inbox(
        voter.business_manager,
        caller.has_role(Role::BoardMember) || caller.has_role(Role::BoardChair),
        wanted == ApprovalState::Pending,
    );
    let filter = ApprovalFilter {
        state: Some(wanted),
        approver,
    };
    store::list(conn, &filter, after, limit)?
        .into_iter()
        .map(|row| ApprovalView::load(conn, row))
        .collect::<Result<Vec<_>, _>>()
}

/// One approval with its votes, as `audience` may read it.
pub fn view(
    conn: &mut DbConnection,
    id: &ApprovalId,
    audience: Audience,
) -> Result<Redacted<ApprovalView>, ApiError> {
    let row = store::find(conn, id).map_err(|e| not_found(e, id))?;
    Ok(audience.redacted(ApprovalView::load(conn, row)?))
}

/// The organisation a voter represents: theirs in the people register, else their token's.
fn voter_organization(
    conn: &mut DbConnection,
    caller: &Caller,
) -> Result<Option<String>, ApiError> {
    match people::find(conn, &caller.sub) {
        Ok(person) => Ok(Some(organization_label(conn, &person.organization_id)?)),
        Err(StoreError::NotFound) => Ok(caller.org.clone()),
        Err(other) => Err(other.into()),
    }
}

/// Casts the caller's vote; when the votes decide the approval (or the business manager decides
/// an N1 one), its decision takes effect.
pub fn vote(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ApprovalId,
    idempotency_key: IdempotencyKey,
    request: VoteRequest,
    decision: Decision,
) -> Result<StoredReply, ApiError> {
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        let approval = store::find(conn, id).map_err(|e| not_found(e, id))?;
        let voter = Voter::of(conn, caller)?;
        if !voter.may_vote_on(&approval) {
            return Err(ApiError::Forbidden(match approval.approver {
                Approver::Board => {
                    "only board members seated today vote on N2 and N3 approvals".into()
                }
                Approver::Forretningsleder => {
                    "only the business manager decides N1 approvals".into()
                }
            }));
        }
        // Serialises concurrent votes on this approval; a decided one is a conflict.
        let approval = lock_open(conn, id)?;
        let voter_organization = voter_organization(conn, caller)?;
        store::cast(
            conn,
            &VoteRow {
                approval_id: id.clone(),
                voter_sub: caller.sub.clone(),
                decision,
                reason: request.reason.clone(),
                cast_at: os2pm_persistence::now(),
                voter_organization,
            },
        )
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ApiError::Conflict("you have already voted on this approval".into())
            }
            other => other.into(),
        })?;
        audit::append(
            conn,
            NewEntry {
                subject_type: "project",
                subject_id: approval.project_id.as_str(),
                action: "vote_cast",
                actor: &caller.actor(),
                before: None,
                after: Some(
                    serde_json::json!({"approval": id, "decision": decision.as_str()}).to_string(),
                ),
                reason: request.reason.as_deref(),
            },
        )?;
        let outcome = if approval.approver == Approver::Forretningsleder {
            Tally::Decided(decision)
        } else {
            let (seated, chair) = seated_today(conn)?;
            let seated: Vec<String> = seated.into_iter().map(|p| p.sub).collect();
            let votes: Vec<Vote> = store::votes(conn, id)?
                .into_iter()
                .map(|v| Vote {
                    member: v.voter_sub,
                    decision: v.decision,
                })
                .collect();
            tally(&seated, chair.as_deref(), &votes)
        };
        if let Tally::Decided(final_decision) = outcome {
            let reason = store::votes(conn, id)?
                .into_iter()
                .rev()
                .find(|v| v.decision == final_decision)
                .and_then(|v| v.reason);
            decide(
                conn,
                &approval,
                final_decision,
                Closing {
                    outcome: final_decision,
                    reason: reason.as_deref(),
                    decided_by: approval.approver.as_str(),
                    meeting_date: None,
                    members_present: None,
                },
                caller,
            )?;
        }
        answer(conn, id)
    })
}

/// Records the board's decision from a meeting's minutes (business manager).
pub fn record_meeting_decision(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ApprovalId,
    idempotency_key: IdempotencyKey,
    request: MeetingDecisionRequest,
    minutes: Minutes,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        minutes.record(conn, caller, id, request.meeting_date)
    })
}
