//! Approvals: the business manager's and the board's inboxes, votes, and decisions recorded
//! from a board meeting. A decision is final and never edited.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use os2pm_persistence::StoreError;
use os2pm_persistence::approvals::{self as store, ApprovalFilter, Closing, VoteRow};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_projects::{Approver, Decision, Tally, Vote, inbox, tally};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply};
use crate::usecases::approvals::ApprovalView;
use crate::usecases::approvals::Minutes;
use crate::usecases::approvals::Voter;
use crate::usecases::approvals::answer;
use crate::usecases::approvals::decide;
use crate::usecases::approvals::lock_open;
use crate::usecases::approvals::not_found;
use crate::usecases::approvals::parse_decision;
use crate::usecases::board::seated_today;
use crate::usecases::board::today;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `pending` (default) or `decided`.
    #[param(example = "pending")]
    pub state: Option<String>,
}

/// The caller's inbox: N1 approvals for the business manager, N2/N3 for seated board members.
/// Board members also see decided N1 approvals, for their information.
#[utoipa::path(
    get, path = "/api/v1/approvals", tag = "approvals",
    security(("bearer" = [])),
    params(InboxQuery, PageParams),
    responses(
        (status = 200, description = "The caller's approvals, oldest first", body = Page<ApprovalView>),
        (status = 403, description = "Neither business manager nor board member", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown state", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<InboxQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder, Role::BoardMember, Role::BoardChair])?;
    let wanted = query.into_inner().state.unwrap_or_else(|| "pending".into());
    if !matches!(wanted.as_str(), "pending" | "decided") {
        return Err(ApiError::validation("state", "must be pending or decided"));
    }
    let limit = page.limit()?;
    let after = page.after::<String>()?;
    let items = state
        .db(move |conn| {
            let voter = Voter::of(conn, &caller)?;
            let approver = inbox(
                voter.business_manager,
                caller.has_role(Role::BoardMember) || caller.has_role(Role::BoardChair),
                wanted == "pending",
            );
            let filter = ApprovalFilter {
                state: Some(wanted),
                approver: approver.map(|a| a.as_str().to_owned()),
            };
            store::list(conn, &filter, after.as_deref(), limit + 1)?
                .into_iter()
                .map(|row| ApprovalView::load(conn, row))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(items, limit, |a| a.id.clone(), |a| a)))
}

/// One approval with its votes.
#[utoipa::path(
    get, path = "/api/v1/approvals/{id}", tag = "approvals",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The approval", body = ApprovalView),
        (status = 404, description = "No such approval", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state
        .db(move |conn| {
            let row = store::find(conn, &id).map_err(|e| not_found(e, &id))?;
            ApprovalView::load(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "return", "reason": "Mangler strategisk sammenhæng"}))]
pub struct VoteRequest {
    /// `approve`, `return` or `reject`.
    pub decision: String,
    /// Required to return or reject.
    pub reason: Option<String>,
}

/// Votes on an approval. N1: the business manager decides alone. N2/N3: seated board members
/// vote; a majority of the seated members decides, and when everyone has voted without one,
/// the chair's side wins.
#[utoipa::path(
    post, path = "/api/v1/approvals/{id}/votes", tag = "approvals",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = VoteRequest,
    responses(
        (status = 201, description = "The vote is cast; the approval as it now stands", body = ApprovalView),
        (status = 403, description = "Not this approval's approver (or a board member without a seat)", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such approval", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Already decided, or this member already voted", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown decision, or no reason to return or reject", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn vote(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<VoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let decision = parse_decision(&request.decision, request.reason.as_deref())?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let approval = store::find(conn, &id).map_err(|e| not_found(e, &id))?;
                let voter = Voter::of(conn, &caller)?;
                if !voter.may_vote_on(&approval) {
                    return Err(ApiError::Forbidden(match approval.approver.as_str() {
                        "board" => {
                            "only board members seated today vote on N2 and N3 approvals".into()
                        }
                        _ => "only the business manager decides N1 approvals".into(),
                    }));
                }
                // Serialises concurrent votes on this approval; a decided one is a conflict.
                let approval = lock_open(conn, &id)?;
                store::cast(
                    conn,
                    &VoteRow {
                        approval_id: id.clone(),
                        voter_sub: caller.sub.clone(),
                        decision: decision.as_str().to_owned(),
                        reason: request.reason.clone(),
                        cast_at: os2pm_persistence::now(),
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
                        subject_id: &approval.project_id,
                        action: "vote_cast",
                        actor: &caller.actor(),
                        before: None,
                        after: Some(
                            serde_json::json!({"approval": id, "decision": decision.as_str()})
                                .to_string(),
                        ),
                        reason: request.reason.as_deref(),
                    },
                )?;
                let outcome = if approval.approver == Approver::Forretningsleder.as_str() {
                    Tally::Decided(decision)
                } else {
                    let (seated, chair) = seated_today(conn)?;
                    let seated: Vec<String> = seated.into_iter().map(|p| p.sub).collect();
                    let votes: Vec<Vote> = store::votes(conn, &id)?
                        .into_iter()
                        .filter_map(|v| {
                            v.decision.parse::<Decision>().ok().map(|decision| Vote {
                                member: v.voter_sub,
                                decision,
                            })
                        })
                        .collect();
                    tally(&seated, chair.as_deref(), &votes)
                };
                if let Tally::Decided(final_decision) = outcome {
                    let reason = store::votes(conn, &id)?
                        .into_iter()
                        .rev()
                        .find(|v| v.decision == final_decision.as_str())
                        .and_then(|v| v.reason);
                    decide(
                        conn,
                        &approval,
                        final_decision,
                        Closing {
                            outcome: final_decision.as_str(),
                            reason: reason.as_deref(),
                            decided_by: &approval.approver,
                            meeting_date: None,
                            members_present: None,
                        },
                        &caller,
                    )?;
                }
                answer(conn, &id)
            })
        })
        .await
        .map(StoredReply::into_response)
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "meeting_date": "2026-12-03", "members_present": ["mette@kl.dk", "jens@aarhus.dk", "ole@os2.eu"],
    "decision": "approve", "reason": "Godkendt på bestyrelsesmødet"
}))]
pub struct MeetingDecisionRequest {
    pub meeting_date: NaiveDate,
    /// The `sub`s (or person ids) of the board members present, from the minutes.
    pub members_present: Vec<String>,
    pub decision: String,
    pub reason: Option<String>,
}

/// Records a decision taken at a board meeting (the business manager, as the board's secretary,
/// from the minutes). Closes an N2/N3 approval.
#[utoipa::path(
    post, path = "/api/v1/approvals/{id}/meeting-decision", tag = "approvals",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = MeetingDecisionRequest,
    responses(
        (status = 201, description = "The decision is recorded", body = ApprovalView),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such approval", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Already decided, or not a board approval", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid decision, reason or members present", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn meeting_decision(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<MeetingDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
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
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                minutes.record(conn, &caller, &id, request.meeting_date)
            })
        })
        .await
        .map(StoredReply::into_response)
}
