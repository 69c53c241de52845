//! Board meetings (governance.md §6): deadlines computed from the date, agendas that take every
//! recommendation to the board by its submission date, and the reporting duty before each one.

use actix_web::{HttpResponse, get, post, web};

use os2pm_groups::board::MeetingId;
use os2pm_projects::ApprovalId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, valid};
use crate::usecases::approvals::Minutes;
use crate::usecases::meetings;
use crate::usecases::meetings::{
    AgendaDecisionRequest, MeetingView, NewAgendaItem, NewMeeting, ParsedAgendaItem,
};

/// Plans a board meeting (the business manager, as the board's secretary).
#[utoipa::path(
    operation_id = "planBoardMeeting",
    tag = "meetings",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = NewMeeting,
    responses(
        (status = 201, description = "The meeting with its deadlines and agenda", body = MeetingView, headers(("Location" = String))),
        refusals::NotTheBusinessManager,
        (status = 409, description = "A meeting on that date exists", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/board/meetings")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewMeeting>,
) -> Result<StoredReply, ApiError> {
    let request = valid(body.into_inner())?;
    state
        .db(move |conn| meetings::plan(conn, &caller, idempotency_key, request))
        .await
}

/// Every board meeting by date, with deadlines and agendas. Public.
#[utoipa::path(
    operation_id = "listBoardMeetings",
    security(()),
    tag = "meetings",
    params(PageParams),
    responses((status = 200, description = "The meetings by date, one page at a time", body = Page<MeetingView>))
)]
#[get("/api/v1/board/meetings")]
pub async fn list(
    state: web::Data<AppState>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let meetings = state.db(meetings::list).await?;
    Ok(HttpResponse::Ok().json(Page::from_list(meetings, &page)?))
}

/// One meeting with its agenda. Public.
#[utoipa::path(
    operation_id = "getBoardMeeting",
    security(()),
    tag = "meetings",
    params(("id" = MeetingId, Path)),
    responses(
        (status = 200, description = "The meeting", body = MeetingView),
        refusals::NoSuchMeeting,
    )
)]
#[get("/api/v1/board/meetings/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<MeetingId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state.db(move |conn| meetings::view(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Adds an orientation, strategy or other item to a meeting's agenda (business manager).
#[utoipa::path(
    operation_id = "addAgendaItem",
    tag = "meetings",
    security(("bearer" = [])),
    params(("id" = MeetingId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewAgendaItem,
    responses(
        (status = 201, description = "The meeting with the item", body = MeetingView, headers(("Location" = String))),
        refusals::NotTheBusinessManager,
        refusals::NoSuchMeeting,
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/board/meetings/{id}/agenda-items")]
pub async fn add_item(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<MeetingId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewAgendaItem>,
) -> Result<StoredReply, ApiError> {
    let id = id.into_inner();
    let item = ParsedAgendaItem::try_from(body.into_inner())?;
    state
        .db(move |conn| meetings::add_item(conn, &caller, &id, idempotency_key, item))
        .await
}

/// Records the board's decision on a recommendation on this meeting's agenda (the business
/// manager, from the minutes, once the meeting has been held). Resolves its approval.
#[utoipa::path(
    operation_id = "decideRecommendation",
    tag = "meetings",
    security(("bearer" = [])),
    params(("id" = MeetingId, Path), ("approval_id" = ApprovalId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = AgendaDecisionRequest,
    responses(
        (status = 201, description = "The decision is recorded; the approval with it", body = crate::usecases::approvals::ApprovalView),
        refusals::NotTheBusinessManager,
        (status = 404, description = "No such meeting or approval", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is cancelled or not yet held, the recommendation is on another meeting's agenda, or it is decided already", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid decision or reason; members present not seated on the meeting date, named twice, or not more than half of the seated board (no quorum)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/board/meetings/{id}/recommendations/{approval_id}/decision")]
pub async fn decide_recommendation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(MeetingId, ApprovalId)>,
    idempotency_key: IdempotencyKey,
    body: web::Json<AgendaDecisionRequest>,
) -> Result<StoredReply, ApiError> {
    let (meeting_id, approval_id) = path.into_inner();
    let request = body.into_inner();
    let minutes = Minutes::read(
        &request.decision,
        request.reason.clone(),
        request.members_present.clone(),
    )?;
    state
        .db(move |conn| {
            meetings::decide_recommendation(
                conn,
                &caller,
                &meeting_id,
                &approval_id,
                idempotency_key,
                request,
                minutes,
            )
        })
        .await
}
