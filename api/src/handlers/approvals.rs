//! Approvals: the business manager's and the board's inboxes, votes, and decisions recorded
//! from a board meeting. A decision is final and never edited.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use os2pm_levels::UnknownValue;
use os2pm_projects::{ApprovalId, ApprovalState};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply};
use crate::usecases::approvals;
use crate::usecases::approvals::{ApprovalView, Minutes, parse_decision};
use crate::usecases::board::today;
use crate::usecases::privacy::Audience;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `pending` (default) or `decided`.
    #[param(value_type = Option<os2pm_projects::ApprovalState>, example = "pending")]
    pub state: Option<String>,
}

/// The caller's inbox: N1 approvals for the business manager, N2/N3 for seated board members.
/// Board members also see decided N1 approvals, for their information.
#[utoipa::path(
    operation_id = "listApprovals",
    tag = "approvals",
    security(("bearer" = [])),
    params(InboxQuery, PageParams),
    responses(
        (status = 200, description = "The caller's approvals, oldest first", body = Page<ApprovalView>),
        (status = 403, description = "Neither business manager nor board member", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown state", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/approvals")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<InboxQuery>,
    page: web::Query<PageParams>,
) -> Result<Page<ApprovalView>, ApiError> {
    let wanted = match query.into_inner().state {
        None => ApprovalState::Pending,
        Some(state) => state
            .parse()
            .map_err(|e: UnknownValue| ApiError::validation("state", e.to_string()))?,
    };
    state
        .page_by_id(
            &page,
            |a: &ApprovalView| a.id.as_str(),
            move |conn, after, limit| approvals::inbox_for(conn, &caller, wanted, after, limit),
        )
        .await
}

/// One approval with its votes.
#[utoipa::path(
    operation_id = "getApproval",
    security((), ("bearer" = [])),
    tag = "approvals",
    params(("id" = ApprovalId, Path)),
    responses(
        (status = 200, description = "The approval", body = ApprovalView),
        refusals::NoSuchApproval,
    )
)]
#[get("/api/v1/approvals/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ApprovalId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state
        .db(move |conn| approvals::view(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "return", "reason": "Mangler strategisk sammenhæng"}))]
pub struct VoteRequest {
    /// `approve`, `return` or `reject`.
    #[schema(value_type = os2pm_projects::Decision)]
    pub decision: String,
    /// Required to return or reject.
    pub reason: Option<String>,
}

/// Votes on an approval. N1: the business manager decides alone. N2/N3: seated board members
/// vote; a majority of the seated members decides, and when everyone has voted without one,
/// the chair's side wins.
#[utoipa::path(
    operation_id = "castVote",
    tag = "approvals",
    security(("bearer" = [])),
    params(("id" = ApprovalId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = VoteRequest,
    responses(
        (status = 201, description = "The vote is cast; the approval as it now stands", body = ApprovalView),
        (status = 403, description = "Not this approval's approver (or a board member without a seat)", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchApproval,
        (status = 409, description = "Already decided, or this member already voted", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown decision, or no reason to return or reject", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/approvals/{id}/votes")]
pub async fn vote(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ApprovalId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<VoteRequest>,
) -> Result<StoredReply, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let decision = parse_decision(&request.decision, request.reason.as_deref())?;
    state
        .db(move |conn| approvals::vote(conn, &caller, &id, idempotency_key, request, decision))
        .await
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "meeting_date": "2026-12-03", "members_present": ["mette", "kim", "lise"],
    "decision": "approve", "reason": "Godkendt på bestyrelsesmødet"
}))]
pub struct MeetingDecisionRequest {
    pub meeting_date: NaiveDate,
    /// The `sub`s (or person ids) of the board members present, from the minutes.
    pub members_present: Vec<String>,
    #[schema(value_type = os2pm_projects::Decision)]
    pub decision: String,
    pub reason: Option<String>,
}

/// Records a decision taken at a board meeting (the business manager, as the board's secretary,
/// from the minutes). Closes an N2/N3 approval.
#[utoipa::path(
    operation_id = "recordMeetingDecision",
    tag = "approvals",
    security(("bearer" = [])),
    params(("id" = ApprovalId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = MeetingDecisionRequest,
    responses(
        (status = 201, description = "The decision is recorded", body = ApprovalView),
        refusals::NotTheBusinessManager,
        refusals::NoSuchApproval,
        (status = 409, description = "Already decided, or not a board approval", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid decision or reason; members present not seated on the meeting date, named twice, or not more than half of the seated board (no quorum)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/approvals/{id}/meeting-decision")]
pub async fn meeting_decision(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ApprovalId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<MeetingDecisionRequest>,
) -> Result<StoredReply, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let minutes = Minutes::read(
        &request.decision,
        request.reason.clone(),
        request.members_present.clone(),
    )?;
    if request.meeting_date > today() {
        return Err(ApiError::validation(
            "meeting_date",
            "lies in the future: record a decision from the minutes after the meeting",
        ));
    }
    state
        .db(move |conn| {
            approvals::record_meeting_decision(
                conn,
                &caller,
                &id,
                idempotency_key,
                request,
                minutes,
            )
        })
        .await
}
