//! Approvals and the votes cast on them. Decisions are never edited: a decided approval is
//! only ever followed by a newer one.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use os2pm_levels::Level;
use os2pm_projects::{ApprovalId, ApprovalState, Approver, Decision, ProjectId, Subject};

use crate::schema::{approvals, votes};
use crate::stored::{MaybeStored, Stored};
use crate::{DbConnection, StoreError};

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = approvals)]
pub struct ApprovalRow {
    #[diesel(serialize_as = Stored<ApprovalId>)]
    pub id: ApprovalId,
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub approval_round: i32,
    #[diesel(serialize_as = Stored<Level>)]
    pub level: Level,
    #[diesel(serialize_as = Stored<Approver>)]
    pub approver: Approver,
    #[diesel(serialize_as = Stored<ApprovalState>)]
    pub state: ApprovalState,
    #[diesel(serialize_as = MaybeStored<Decision>)]
    pub outcome: Option<Decision>,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    #[serde(deserialize_with = "crate::project_aggregate::optional_timestamp")]
    pub decided_at: Option<NaiveDateTime>,
    pub meeting_date: Option<NaiveDate>,
    /// JSON array of the members present, for a decision recorded from a meeting.
    pub members_present: Option<String>,
    pub version: i64,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub created_at: NaiveDateTime,
    /// What is decided.
    #[diesel(serialize_as = Stored<Subject>)]
    pub subject: Subject,
    /// What the approval puts in force when approved, as JSON.
    pub payload: Option<String>,
}

impl ApprovalRow {
    /// Still waiting for its decision.
    pub fn is_pending(&self) -> bool {
        self.state == ApprovalState::Pending
    }

    /// Decided, whatever the outcome.
    pub fn is_decided(&self) -> bool {
        self.state == ApprovalState::Decided
    }

    /// Decided, and approved.
    pub fn is_approved(&self) -> bool {
        self.outcome == Some(Decision::Approve)
    }
}

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = votes)]
pub struct VoteRow {
    #[diesel(serialize_as = Stored<ApprovalId>)]
    pub approval_id: ApprovalId,
    pub voter_sub: String,
    #[diesel(serialize_as = Stored<Decision>)]
    pub decision: Decision,
    pub reason: Option<String>,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub cast_at: NaiveDateTime,
    /// The organisation the voter represented (kommunekode or id), public once decided.
    pub voter_organization: Option<String>,
}

/// How a decision was reached.
#[derive(Debug, Clone)]
pub struct Closing<'a> {
    pub outcome: Decision,
    pub reason: Option<&'a str>,
    pub decided_by: &'a str,
    pub meeting_date: Option<NaiveDate>,
    pub members_present: Option<String>,
}

pub fn insert(conn: &mut DbConnection, approval: &ApprovalRow) -> Result<(), StoreError> {
    diesel::insert_into(approvals::table)
        .values(approval.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &ApprovalId) -> Result<ApprovalRow, StoreError> {
    Ok(approvals::table
        .find(id.as_str())
        .select(ApprovalRow::as_select())
        .first(conn)?)
}

/// Locks a pending approval for this transaction by bumping its version, so concurrent votes
/// on it are counted one after the other. `Stale` when it is no longer pending.
pub fn lock_pending(conn: &mut DbConnection, id: &ApprovalId) -> Result<ApprovalRow, StoreError> {
    let locked = diesel::update(
        approvals::table
            .find(id.as_str())
            .filter(approvals::state.eq(Stored(ApprovalState::Pending))),
    )
    .set(approvals::version.eq(approvals::version + 1))
    .execute(conn)?;
    if locked == 0 {
        return Err(StoreError::Stale);
    }
    find(conn, id)
}

pub fn close(
    conn: &mut DbConnection,
    id: &ApprovalId,
    closing: &Closing<'_>,
) -> Result<(), StoreError> {
    diesel::update(approvals::table.find(id.as_str()))
        .set((
            approvals::state.eq(Stored(ApprovalState::Decided)),
            approvals::outcome.eq(Stored(closing.outcome)),
            approvals::reason.eq(closing.reason),
            approvals::decided_by.eq(closing.decided_by),
            approvals::decided_at.eq(crate::now()),
            approvals::meeting_date.eq(closing.meeting_date),
            approvals::members_present.eq(&closing.members_present),
        ))
        .execute(conn)?;
    Ok(())
}

/// Casts a vote; a second vote by the same voter is `Conflict`.
pub fn cast(conn: &mut DbConnection, vote: &VoteRow) -> Result<(), StoreError> {
    diesel::insert_into(votes::table)
        .values(vote.clone())
        .execute(conn)?;
    Ok(())
}

pub fn votes(
    conn: &mut DbConnection,
    approval_id: &ApprovalId,
) -> Result<Vec<VoteRow>, StoreError> {
    Ok(votes::table
        .filter(votes::approval_id.eq(approval_id.as_str()))
        .order((votes::cast_at, votes::voter_sub))
        .select(VoteRow::as_select())
        .load(conn)?)
}

/// What a project's view shows of its approvals, from one read of them all.
#[derive(Debug, Clone, Default)]
pub struct ProjectApprovals {
    /// The newest approval of the project itself (highest round, then latest).
    pub project: Option<ApprovalRow>,
    /// The newest approval of a level change.
    pub level_change: Option<ApprovalRow>,
    /// The pending approvals about anything but the project itself, oldest first.
    pub pending_side: Vec<ApprovalRow>,
}

impl ProjectApprovals {
    /// Sorts a project's approvals (`rows`, in id order) into what its view shows.
    pub fn of(rows: &[ApprovalRow]) -> Self {
        let newest = |subject: Subject| {
            rows.iter()
                .filter(|r| r.subject == subject)
                .max_by_key(|r| (r.approval_round, r.created_at))
                .cloned()
        };
        Self {
            project: newest(Subject::Project),
            level_change: newest(Subject::LevelChange),
            pending_side: rows
                .iter()
                .filter(|r| r.is_pending() && r.subject != Subject::Project)
                .cloned()
                .collect(),
        }
    }
}

/// A project's pending approvals about anything but the project itself.
pub fn pending_side_approvals(
    conn: &mut DbConnection,
    project_id: &ProjectId,
) -> Result<Vec<ApprovalRow>, StoreError> {
    Ok(approvals::table
        .filter(approvals::project_id.eq(project_id.as_str()))
        .filter(approvals::state.eq(Stored(ApprovalState::Pending)))
        .filter(approvals::subject.ne(Stored(Subject::Project)))
        .order(approvals::id)
        .select(ApprovalRow::as_select())
        .load(conn)?)
}

/// Every approval routed to the board, oldest first: the recommendations meetings take.
pub fn for_the_board(conn: &mut DbConnection) -> Result<Vec<ApprovalRow>, StoreError> {
    Ok(approvals::table
        .filter(approvals::approver.eq(Stored(Approver::Board)))
        .order(approvals::id)
        .select(ApprovalRow::as_select())
        .load(conn)?)
}

/// Every approval, oldest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<ApprovalRow>, StoreError> {
    Ok(approvals::table
        .order(approvals::id)
        .select(ApprovalRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Default)]
pub struct ApprovalFilter {
    pub state: Option<ApprovalState>,
    pub approver: Option<Approver>,
}

/// One page in id order (ids are time-ordered: oldest first).
pub fn list(
    conn: &mut DbConnection,
    filter: &ApprovalFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ApprovalRow>, StoreError> {
    let mut query = approvals::table
        .select(ApprovalRow::as_select())
        .order(approvals::id)
        .limit(limit)
        .into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(approvals::state.eq(Stored(state)));
    }
    if let Some(approver) = filter.approver {
        query = query.filter(approvals::approver.eq(Stored(approver)));
    }
    if let Some(after) = after {
        query = query.filter(approvals::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}
