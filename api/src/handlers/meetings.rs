//! Board meetings (governance.md §6): deadlines computed from the date, agendas that take every
//! recommendation to the board by its submission date, and the reporting duty before each one.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use os2pm_persistence::approvals::{self as approval_store, ApprovalRow};
use os2pm_persistence::meetings::{self as store, AgendaItemRow, MeetingRow};
use os2pm_persistence::{DbConnection, StoreError, projects};
use os2pm_projects::Approver;
use os2pm_projects::meetings::{agenda_deadline, material_date, meeting_for};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError, ProblemSchema};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, validation_errors};
use crate::usecases::approvals::Minutes;
use crate::usecases::board::today;
use crate::usecases::created;
use crate::usecases::meetings::ReportingDuty;
use crate::usecases::meetings::next_meeting;
use crate::usecases::meetings::reporting_duty;
use crate::usecases::to_body;

/// A recommendation (*indstilling*) on a meeting's agenda: a board approval, and once decided,
/// its decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    pub approval_id: String,
    /// `project`, `steering_group`, `budget`, `cancellation`, `level_change`, `closure`, `change_request`.
    pub subject: String,
    pub project_id: String,
    pub project_title: String,
    pub level: String,
    pub submitted_on: NaiveDate,
    /// `pending` or `decided`.
    pub state: String,
    pub outcome: Option<String>,
    /// The decision's reason, once decided.
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The approval, where the votes or the meeting decision are recorded.
    pub href: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaItem {
    pub id: String,
    /// `orientation`, `strategy` or `other`.
    pub kind: String,
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
    pub id: String,
    pub date: NaiveDate,
    pub place: String,
    /// `planned`, `held` or `cancelled`.
    pub status: String,
    /// Four weeks before: recommendations submitted later go to the next meeting.
    pub agenda_deadline: NaiveDate,
    /// Two weeks before: the agenda and material go out; reports are due.
    pub material_date: NaiveDate,
    pub agenda: Agenda,
}

/// The meetings that take items: cancelled ones do not.
fn takes_items(meetings: &[MeetingRow]) -> Vec<(String, NaiveDate)> {
    meetings
        .iter()
        .filter(|m| m.status != "cancelled")
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
            subject: approval.subject.clone(),
            project_id: project.id,
            project_title: project.title,
            level: approval.level.clone(),
            submitted_on,
            state: approval.state.clone(),
            outcome: approval.outcome.clone(),
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
        status: meeting.status.clone(),
        agenda_deadline: agenda_deadline(meeting.meeting_date),
        material_date: material_date(meeting.meeting_date),
        agenda: Agenda {
            recommendations,
            items,
        },
    })
}

fn find_meeting<'a>(all: &'a [MeetingRow], id: &str) -> Result<&'a MeetingRow, ApiError> {
    all.iter()
        .find(|m| m.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("no meeting `{id}`")))
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2027-03-18", "place": "KL, Weidekampsgade 10"}))]
pub struct NewMeeting {
    pub date: NaiveDate,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub place: String,
}

/// Plans a board meeting (the business manager, as the board's secretary).
#[utoipa::path(
    post, path = "/api/v1/board/meetings", tag = "meetings",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = NewMeeting,
    responses(
        (status = 201, description = "The meeting with its deadlines and agenda", body = MeetingView, headers(("Location" = String))),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "A meeting on that date exists", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewMeeting>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &request, |conn| {
                let row = MeetingRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    meeting_date: request.date,
                    place: request.place.clone(),
                    status: "planned".into(),
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
                    &caller,
                    "board",
                    "meetings",
                    format!("/api/v1/board/meetings/{}", row.id),
                    &view,
                )
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// Every board meeting by date, with deadlines and agendas. Public.
#[utoipa::path(
    get, path = "/api/v1/board/meetings", tag = "meetings",
    params(PageParams),
    responses((status = 200, description = "The meetings by date, one page at a time", body = Page<MeetingView>))
)]
pub async fn list(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let meetings = state
        .db(|conn| {
            let all = store::all(conn)?;
            let board_approvals = approval_store::for_the_board(conn)?;
            all.iter()
                .map(|m| meeting_view(conn, m, &all, &board_approvals))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(meetings, &page)?))
}

/// One meeting with its agenda. Public.
#[utoipa::path(
    get, path = "/api/v1/board/meetings/{id}", tag = "meetings",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The meeting", body = MeetingView),
        (status = 404, description = "No such meeting", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state
        .db(move |conn| {
            let all = store::all(conn)?;
            let meeting = find_meeting(&all, &id)?.clone();
            let board_approvals = approval_store::for_the_board(conn)?;
            meeting_view(conn, &meeting, &all, &board_approvals)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "strategy", "title": "Strategi 2028", "description": "Drøftelse af udkast"}))]
pub struct NewAgendaItem {
    /// `orientation`, `strategy` or `other`.
    pub kind: String,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub title: String,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub description: Option<String>,
}

/// Adds an orientation, strategy or other item to a meeting's agenda (business manager).
#[utoipa::path(
    post, path = "/api/v1/board/meetings/{id}/agenda-items", tag = "meetings",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewAgendaItem,
    responses(
        (status = 201, description = "The meeting with the item", body = MeetingView, headers(("Location" = String))),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn add_item(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewAgendaItem>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let id = id.into_inner();
    let request = body.into_inner();
    let mut errors = request
        .validate()
        .err()
        .map(|e| validation_errors(&e))
        .unwrap_or_default();
    if !matches!(request.kind.as_str(), "orientation" | "strategy" | "other") {
        errors.push(FieldError::new(
            "kind",
            "must be orientation, strategy or other",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let all = store::all(conn)?;
                let meeting = find_meeting(&all, &id)?.clone();
                store::add_item(
                    conn,
                    &AgendaItemRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        meeting_id: id.clone(),
                        kind: request.kind.clone(),
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
        })
        .await
        .map(StoredReply::into_response)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverdueQuery {
    /// The meeting; default the next planned one.
    pub meeting: Option<String>,
}

/// The N2/N3 running projects without a progress report newer than the previous meeting and
/// in before the meeting's material date (N1 projects only inform). Public.
#[utoipa::path(
    get, path = "/api/v1/portfolio/overdue-reports", tag = "meetings",
    params(OverdueQuery),
    responses(
        (status = 200, description = "The reporting duty for the meeting", body = ReportingDuty),
        (status = 404, description = "No such meeting, or no meeting planned", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn overdue_reports(
    state: web::Data<AppState>,
    query: web::Query<OverdueQuery>,
) -> Result<HttpResponse, ApiError> {
    let wanted = query.into_inner().meeting;
    let duty = state
        .db(move |conn| {
            let all = store::all(conn)?;
            let meeting = match &wanted {
                Some(id) => find_meeting(&all, id)?,
                None => next_meeting(&all)
                    .ok_or_else(|| ApiError::NotFound("no board meeting is planned".into()))?,
            };
            reporting_duty(conn, &all, meeting)
        })
        .await?;
    Ok(HttpResponse::Ok().json(duty))
}

/// The board's decision on a recommendation, from the meeting's minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "members_present": ["mette@kl.dk", "jens@aarhus.dk", "ole@os2.eu"],
    "decision": "approve", "reason": "Godkendt, jf. referatets pkt. 4"
}))]
pub struct AgendaDecisionRequest {
    /// The `sub`s (or person ids) of the board members present.
    pub members_present: Vec<String>,
    /// `approve`, `return` or `reject`; the last two need a reason.
    pub decision: String,
    pub reason: Option<String>,
}

/// Records the board's decision on a recommendation on this meeting's agenda (the business
/// manager, from the minutes, once the meeting has been held). Resolves its approval.
#[utoipa::path(
    post, path = "/api/v1/board/meetings/{id}/recommendations/{approval_id}/decision", tag = "meetings",
    security(("bearer" = [])),
    params(("id" = String, Path), ("approval_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = AgendaDecisionRequest,
    responses(
        (status = 201, description = "The decision is recorded; the approval with it", body = crate::usecases::approvals::ApprovalView),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting or approval", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is cancelled or not yet held, the recommendation is on another meeting's agenda, or it is decided already", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid decision, reason or members present", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn decide_recommendation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    idempotency_key: IdempotencyKey,
    body: web::Json<AgendaDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let (meeting_id, approval_id) = path.into_inner();
    let request = body.into_inner();
    let minutes = Minutes::read(
        &request.decision,
        request.reason.clone(),
        request.members_present.clone(),
    )?;
    state
        .db(move |conn| {
            let key = (&meeting_id, &approval_id, &request);
            idempotency_key.run(conn, &caller.sub, &key, |conn| {
                let all = store::all(conn)?;
                let meeting = find_meeting(&all, &meeting_id)?;
                if meeting.status == "cancelled" {
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
                let approval = approval_store::find(conn, &approval_id).map_err(|e| match e {
                    StoreError::NotFound => {
                        ApiError::NotFound(format!("no approval `{approval_id}`"))
                    }
                    other => other.into(),
                })?;
                let schedule = takes_items(&all);
                let on_agenda = meeting_for(approval.created_at.date(), &schedule);
                if approval.approver != Approver::Board.as_str()
                    || on_agenda != Some(meeting.id.as_str())
                {
                    return Err(ApiError::Conflict(format!(
                        "approval `{approval_id}` is not on the agenda of the meeting on {}",
                        meeting.meeting_date
                    )));
                }
                minutes.record(conn, &caller, &approval_id, meeting.meeting_date)
            })
        })
        .await
        .map(StoredReply::into_response)
}
