//! Board meetings (governance.md §6): deadlines computed from the date, agendas that take every
//! recommendation to the board by its submission date, and the reporting duty before each one.

use chrono::{DateTime, NaiveDate, Utc};
use os2pm_groups::board::{AgendaItemKind, MeetingId, MeetingStatus};
use os2pm_levels::Level;
use os2pm_persistence::approvals::{self as approval_store, ApprovalRow};
use os2pm_persistence::meetings::{self as store, AgendaItemRow, MeetingRow};
use os2pm_persistence::{DbConnection, StoreError, projects, reports};
use os2pm_projects::meetings::{
    agenda_deadline, material_date, meeting_for, must_report, report_in_time,
};
use os2pm_projects::{ApprovalId, Approver, ProjectId, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Role;
use crate::error::ApiError;
use crate::request::{IdempotencyKey, Problems, StoredReply};
use crate::usecases::approvals::Minutes;
use crate::usecases::board::today;
use crate::usecases::{Caller, created, to_body};

/// A project whose progress report is missing for a meeting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MissingReport {
    pub project_id: ProjectId,
    pub title: String,
    pub level: Level,
    pub state: State,
    pub last_report_at: Option<DateTime<Utc>>,
    /// The meeting's material date: the report is due by then.
    pub due_by: NaiveDate,
    /// The material date has passed without it.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportingDuty {
    pub meeting_id: MeetingId,
    pub meeting_date: NaiveDate,
    pub material_date: NaiveDate,
    pub missing: Vec<MissingReport>,
}

/// The next planned meeting, today's included.
pub(crate) fn next_meeting(all: &[MeetingRow]) -> Option<&MeetingRow> {
    let today = today();
    all.iter()
        .find(|m| m.is_planned() && m.meeting_date >= today)
}

/// Who must still report for `meeting`, of all the meetings `all`.
pub(crate) fn reporting_duty(
    conn: &mut DbConnection,
    all: &[MeetingRow],
    meeting: &MeetingRow,
) -> Result<ReportingDuty, ApiError> {
    let today = today();
    let previous = all
        .iter()
        .filter(|m| !m.is_cancelled() && m.meeting_date < meeting.meeting_date)
        .map(|m| m.meeting_date)
        .max();
    let due_by = material_date(meeting.meeting_date);
    let mut missing = Vec::new();
    for project in projects::in_states(conn, &[State::InProgress, State::Paused])? {
        let Some(level) = project.level else {
            continue;
        };
        if !must_report(level, project.state) {
            continue;
        }
        let last = reports::latest_for_project(conn, &project.id)?.map(|r| r.reported_at);
        if report_in_time(last.map(|at| at.date()), previous, meeting.meeting_date) {
            continue;
        }
        missing.push(MissingReport {
            project_id: project.id,
            title: project.title,
            level,
            state: project.state,
            last_report_at: last.map(|at| at.and_utc()),
            due_by,
            overdue: today > due_by,
        });
    }
    Ok(ReportingDuty {
        meeting_id: meeting.id.clone(),
        meeting_date: meeting.meeting_date,
        material_date: due_by,
        missing,
    })
}

/// A recommendation (*indstilling*) on a meeting's agenda: a board approval, and once decided,
/// its decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    pub approval_id: ApprovalId,
    /// `project`, `steering_group`, `budget`, `cancellation`, `level_change`, `closure`, `change_request`.
    pub subject: os2pm_projects::Subject,
    pub project_id: ProjectId,
    pub project_title: String,
    pub level: os2pm_levels::Level,
    pub submitted_on: NaiveDate,
    pub state: os2pm_projects::ApprovalState,
    pub outcome: Option<os2pm_projects::Decision>,
    /// The decision's reason, once decided.
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The approval, where the votes or the meeting decision are recorded.
    pub href: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaItem {
    pub id: String,
    pub kind: os2pm_groups::board::AgendaItemKind,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Agenda {
    pub recommendations: Vec<Recommendation>,
    pub items: Vec<AgendaItem>,
}

/// A board meeting with its deadlines and agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01a2…", "date": "2027-03-18", "place": "KL, Weidekampsgade 10", "status": "planned",
    "agenda_deadline": "2027-02-18", "material_date": "2027-03-04",
    "agenda": {"recommendations": [], "items": []}
}))]
pub struct MeetingView {
    pub id: MeetingId,
    pub date: NaiveDate,
    pub place: String,
    pub status: MeetingStatus,
    /// Four weeks before: recommendations submitted later go to the next meeting.
    pub agenda_deadline: NaiveDate,
    /// Two weeks before: the agenda and material go out; reports are due.
    pub material_date: NaiveDate,
    pub agenda: Agenda,
}

/// The meetings that take items: cancelled ones do not.
fn takes_items(meetings: &[MeetingRow]) -> Vec<(MeetingId, NaiveDate)> {
    meetings
        .iter()
        .filter(|m| !m.is_cancelled())
        .map(|m| (m.id.clone(), m.meeting_date))
        .collect()
}

fn meeting_view(
    conn: &mut DbConnection,
    meeting: &MeetingRow,
    all: &[MeetingRow],
    board_approvals: &[ApprovalRow],
) -> Result<MeetingView, ApiError> {
    let schedule = takes_items(all);
    let mut recommendations = Vec::new();
    for approval in board_approvals {
        let submitted_on = approval.created_at.date();
        if meeting_for(submitted_on, &schedule) != Some(meeting.id.as_str()) {
            continue;
        }
        let project = projects::find(conn, &approval.project_id)?.project;
        recommendations.push(Recommendation {
            approval_id: approval.id.clone(),
            subject: approval.subject,
            project_id: project.id,
            project_title: project.title,
            level: approval.level,
            submitted_on,
            state: approval.state,
            outcome: approval.outcome,
            reason: approval.reason.clone(),
            decided_at: approval.decided_at.map(|at| at.and_utc()),
            href: format!("/api/v1/approvals/{}", approval.id),
        });
    }
    let items = store::items(conn, &meeting.id)?
        .into_iter()
        .map(|i| AgendaItem {
            id: i.id,
            kind: i.kind,
            title: i.title,
            description: i.description,
        })
        .collect();
    Ok(MeetingView {
        id: meeting.id.clone(),
        date: meeting.meeting_date,
        place: meeting.place.clone(),
        status: meeting.status,
        agenda_deadline: agenda_deadline(meeting.meeting_date),
        material_date: material_date(meeting.meeting_date),
        agenda: Agenda {
            recommendations,
            items,
        },
    })
}

fn find_meeting<'a>(all: &'a [MeetingRow], id: &MeetingId) -> Result<&'a MeetingRow, ApiError> {
    all.iter()
        .find(|m| m.id == *id)
        .ok_or_else(|| ApiError::NotFound(format!("no meeting `{id}`")))
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2027-03-18", "place": "KL, Weidekampsgade 10"}))]
pub struct NewMeeting {
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub date: NaiveDate,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub place: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "strategy", "title": "Strategi 2028", "description": "Drøftelse af udkast"}))]
pub struct NewAgendaItem {
    #[schema(value_type = os2pm_groups::board::AgendaItemKind)]
    pub kind: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub title: String,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    /// The meeting; default the next planned one.
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub meeting: Option<MeetingId>,
}

/// The board's decision on a recommendation, from the meeting's minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "members_present": ["mette", "kim", "lise"],
    "decision": "approve", "reason": "Godkendt, jf. referatets pkt. 4"
}))]
pub struct AgendaDecisionRequest {
    /// The `sub`s (or person ids) of the board members present.
    pub members_present: Vec<String>,
    /// `approve`, `return` or `reject`; the last two need a reason.
    #[schema(value_type = os2pm_projects::Decision)]
    pub decision: String,
    pub reason: Option<String>,
}

/// Plans a board meeting (business manager); its deadlines follow from its date.
pub fn plan(
    conn: &mut DbConnection,
    caller: &Caller,
    idempotency_key: IdempotencyKey,
    request: NewMeeting,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    idempotency_key.run(conn, caller, &request, |conn| {
        let row = MeetingRow {
            id: crate::usecases::new_id(),
            meeting_date: request.date,
            place: request.place.clone(),
            status: MeetingStatus::Planned,
            created_at: os2pm_persistence::now(),
        };
        store::insert(conn, &row).map_err(|e| match e {
            StoreError::Conflict(_) => {
                ApiError::Conflict(format!("the board meets on {} already", request.date))
            }
            other => other.into(),
        })?;
        let all = store::all(conn)?;
        let board_approvals = approval_store::for_the_board(conn)?;
        let view = meeting_view(conn, &row, &all, &board_approvals)?;
        created(
            conn,
            caller,
            ("board", row.id.as_str(), "meeting_planned"),
            format!("/api/v1/board/meetings/{}", row.id),
            &view,
        )
    })
}

/// Every board meeting with its agenda, oldest first.
pub fn list(conn: &mut DbConnection) -> Result<Vec<MeetingView>, ApiError> {
    let all = store::all(conn)?;
    let board_approvals = approval_store::for_the_board(conn)?;
    all.iter()
        .map(|m| meeting_view(conn, m, &all, &board_approvals))
        .collect::<Result<Vec<_>, _>>()
}

/// One board meeting with its agenda.
pub fn view(conn: &mut DbConnection, id: &MeetingId) -> Result<MeetingView, ApiError> {
    let all = store::all(conn)?;
    let meeting = find_meeting(&all, id)?.clone();
    let board_approvals = approval_store::for_the_board(conn)?;
    meeting_view(conn, &meeting, &all, &board_approvals)
}

/// Adds an orientation, strategy or other item to a meeting's agenda (business manager).
/// An agenda item as asked for, its kind parsed.
pub struct ParsedAgendaItem {
    request: NewAgendaItem,
    kind: AgendaItemKind,
}

impl TryFrom<NewAgendaItem> for ParsedAgendaItem {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(request: NewAgendaItem) -> Result<Self, ApiError> {
        let mut problems = Problems::of(&request);
        let kind = problems.parse("kind", &request.kind);
        problems.or_command(|| {
            Some(Self {
                kind: kind?,
                request,
            })
        })
    }
}

pub fn add_item(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &MeetingId,
    idempotency_key: IdempotencyKey,
    item: ParsedAgendaItem,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let ParsedAgendaItem { request, kind } = item;
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        let all = store::all(conn)?;
        let meeting = find_meeting(&all, id)?.clone();
        store::add_item(
            conn,
            &AgendaItemRow {
                id: crate::usecases::new_id(),
                meeting_id: id.to_owned(),
                kind,
                title: request.title.clone(),
                description: request.description.clone(),
                created_by: caller.sub.clone(),
                created_at: os2pm_persistence::now(),
            },
        )?;
        let board_approvals = approval_store::for_the_board(conn)?;
        let view = meeting_view(conn, &meeting, &all, &board_approvals)?;
        Ok(crate::request::Outcome::created(
            format!("/api/v1/board/meetings/{id}"),
            to_body(&view)?,
        ))
    })
}

/// The reporting duty before a meeting (the next one unless named): every report that is due
/// and missing.
pub fn overdue_reports(
    conn: &mut DbConnection,
    wanted: Option<MeetingId>,
) -> Result<ReportingDuty, ApiError> {
    let all = store::all(conn)?;
    let meeting = match &wanted {
        Some(id) => find_meeting(&all, id)?,
        None => next_meeting(&all)
            .ok_or_else(|| ApiError::NotFound("no board meeting is planned".into()))?,
    };
    reporting_duty(conn, &all, meeting)
}

/// Records the board's decision at a held meeting on an approval on that meeting's agenda.
pub fn decide_recommendation(
    conn: &mut DbConnection,
    caller: &Caller,
    meeting_id: &MeetingId,
    approval_id: &ApprovalId,
    idempotency_key: IdempotencyKey,
    request: AgendaDecisionRequest,
    minutes: Minutes,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let key = (&meeting_id, &approval_id, &request);
    idempotency_key.run(conn, caller, &key, |conn| {
        let all = store::all(conn)?;
        let meeting = find_meeting(&all, meeting_id)?;
        if meeting.is_cancelled() {
            return Err(ApiError::Conflict(format!(
                "the meeting on {} was cancelled",
                meeting.meeting_date
            )));
        }
        if meeting.meeting_date > today() {
            return Err(ApiError::Conflict(format!(
                "the meeting on {} has not been held yet",
                meeting.meeting_date
            )));
        }
        let approval = approval_store::find(conn, approval_id).map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound(format!("no approval `{approval_id}`")),
            other => other.into(),
        })?;
        let schedule = takes_items(&all);
        let on_agenda = meeting_for(approval.created_at.date(), &schedule);
        if approval.approver != Approver::Board || on_agenda != Some(meeting.id.as_str()) {
            return Err(ApiError::Conflict(format!(
                "approval `{approval_id}` is not on the agenda of the meeting on {}",
                meeting.meeting_date
            )));
        }
        minutes.record(conn, caller, approval_id, meeting.meeting_date)
    })
}
