//! From approval to a running project (governance.md §2, §4, §6): the steering group, the budget and
//! business case, the start, progress reports, and pausing, resuming or cancelling.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use os2pm_groups::steering::{check_composition, needs_board};
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_persistence::budgets::{self, BudgetRow};
use os2pm_persistence::reports::{self, ReportRow};
use os2pm_projects::{
    Action, Approver, BudgetStatus, Funding, Rag, State, Subject, cancellation_needs_board,
    check_budget, check_report,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, FieldError, ProblemSchema};
use crate::names::Names;
use crate::request::{
    IdempotencyKey, IfMatch, Outcome, Page, PageParams, StoredReply, validation_errors,
};
use crate::usecases::approvals::ApprovalView;
use crate::usecases::approvals::open_approval;
use crate::usecases::board::seated_subs;
use crate::usecases::groups::PersonRef;
use crate::usecases::groups::SteeringGroupView;
use crate::usecases::groups::SteeringInForce;
use crate::usecases::groups::SteeringProposal;
use crate::usecases::groups::SteeringSeatView;
use crate::usecases::groups::domain_group;
use crate::usecases::project::Loaded;
use crate::usecases::project::change_project;
use crate::usecases::project::etag_response;
use crate::usecases::running::Milestone;
use crate::usecases::running::ReportView;
use crate::usecases::running::start_blockers;
use crate::usecases::to_body;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatRequest {
    /// The organisation (kommunekode or id) that holds the seat.
    pub organization: String,
    /// The person (id or sub) who represents it.
    pub representative: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "seats": [{"organization": "751", "representative": "jens"}, {"organization": "kl", "representative": "mette"}],
    "chair": "751", "project_leader": "pia"
}))]
pub struct SteeringGroupRequest {
    #[serde(default)]
    pub seats: Vec<SeatRequest>,
    /// The chairing organisation, one of the seats'.
    pub chair: Option<String>,
    /// The project leader (person id or sub): the group's secretary, never a member.
    pub project_leader: Option<String>,
    /// N1 only: a single project owner (person id or sub) instead of seats.
    pub project_owner: Option<String>,
}

impl SteeringGroupRequest {
    /// Resolves organisations and people; unknown ones are listed by field.
    fn resolve(&self, conn: &mut DbConnection) -> Result<SteeringGroupView, ApiError> {
        let board = seated_subs(conn)?;
        let mut names = Names::new(conn);
        let mut seats = Vec::new();
        for (i, seat) in self.seats.iter().enumerate() {
            let organization =
                names.organization(format!("seats[{i}].organization"), &seat.organization)?;
            let person =
                names.person(format!("seats[{i}].representative"), &seat.representative)?;
            if let (Some(organization), Some(person)) = (organization, person) {
                seats.push(SteeringSeatView {
                    organization: organization.code.unwrap_or(organization.id),
                    board_member: board.contains(&person.sub),
                    representative: PersonRef::from(&person),
                });
            }
        }
        let chair = match &self.chair {
            Some(chair) => names
                .organization("chair", chair)?
                .map(|o| o.code.unwrap_or(o.id)),
            None => None,
        };
        let mut person = |field: &str, id: &Option<String>| match id {
            Some(id) => Ok(names.person(field, id)?.map(|p| PersonRef::from(&p))),
            None => Ok::<_, ApiError>(None),
        };
        let project_leader = person("project_leader", &self.project_leader)?;
        let project_owner = person("project_owner", &self.project_owner)?;
        names.finish()?;
        Ok(SteeringGroupView {
            seats,
            chair,
            project_leader,
            project_owner,
        })
    }
}

/// Sets the steering group (business manager). N1 takes effect at once; at N2 the board
/// approves the composition and at N3 appoints it (board members must hold a majority of the
/// seats), so those answer 202 with the approval. Replacing an organisation's representative
/// keeps its seat and needs no new approval.
#[utoipa::path(
    put, path = "/api/v1/projects/{id}/steering-group", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = SteeringGroupRequest,
    responses(
        (status = 200, description = "In force: the project", body = crate::usecases::project::view::ProjectView),
        (status = 202, description = "Waiting for the board: the approval", body = ApprovalView),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not approved or running, or a proposal is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "A composition rule is broken (named), or unknown people/organisations", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn put_steering_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<SteeringGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let (status, version, body) = state
        .db(move |conn| {
            let mut proposal = None;
            let (version, body) = change_project(
                conn,
                &caller,
                &id,
                if_match,
                Action::SetSteeringGroup,
                "steering_group_proposed",
                None,
                |conn, loaded, project, _| {
                    let level = loaded.level().unwrap_or(Level::N1);
                    let group = request.resolve(conn)?;
                    let errors: Vec<FieldError> = check_composition(&domain_group(&group), level)
                        .into_iter()
                        .map(|e| FieldError::new(e.field(), e.to_string()))
                        .collect();
                    if !errors.is_empty() {
                        return Err(ApiError::Validation(errors));
                    }
                    let current = loaded.steering.as_ref().map(SteeringInForce::domain);
                    let proposed = SteeringProposal { group };
                    if needs_board(level, current.as_ref(), &domain_group(&proposed.group)) {
                        let payload = serde_json::to_string(&proposed)
                            .map_err(|e| ApiError::Internal(e.to_string()))?;
                        let approval = open_approval(
                            conn,
                            project,
                            level,
                            Subject::SteeringGroup,
                            Approver::Board,
                            Some(payload),
                        )?;
                        proposal = Some(approval.id);
                    } else {
                        proposed.put_in_force(conn, &project.id)?;
                    }
                    Ok(None)
                },
            )?;
            match proposal {
                Some(approval) => {
                    let row = os2pm_persistence::approvals::find(conn, &approval)?;
                    Ok((202, version, to_body(&ApprovalView::load(conn, row)?)?))
                }
                None => Ok((200, version, body)),
            }
        })
        .await?;
    Ok(match status {
        202 => HttpResponse::Accepted().json(body),
        _ => etag_response(version, body),
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "amount_dkk": 1200000, "period_start": "2027-01-01", "period_end": "2027-12-31", "funding": "mixed",
    "expected_costs": "Udvikling 900.000, drift 300.000", "expected_benefits": "20 timer sparet pr. uge pr. kommune",
    "expected_effects": "Hurtigere svar til borgerne"
}))]
pub struct BudgetRequest {
    #[validate(range(min = 0, message = "must not be negative"))]
    pub amount_dkk: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub funding: String,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub expected_costs: Option<String>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub expected_benefits: Option<String>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub expected_effects: Option<String>,
}

/// Sets the budget and business case (business manager, steering group chair or project
/// leader); it is then `proposed` until approved. OS2 funding is refused at N1.
#[utoipa::path(
    put, path = "/api/v1/projects/{id}/budget", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = BudgetRequest,
    responses(
        (status = 200, description = "The project with its proposed budget", body = crate::usecases::project::view::ProjectView),
        (status = 403, description = "Not allowed to set the budget", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not approved or running", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "OS2 funding at N1, a period that ends before it starts, invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn put_budget(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<BudgetRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    let funding = request
        .funding
        .parse::<Funding>()
        .map_err(|e| ApiError::validation("funding", e.to_string()))?;
    let (version, body) = state
        .db(move |conn| {
            change_project(
                conn,
                &caller,
                &id,
                if_match,
                Action::SetBudget,
                "budget_proposed",
                None,
                |conn, loaded, project, _| {
                    let level = loaded.level().unwrap_or(Level::N1);
                    let errors: Vec<FieldError> =
                        check_budget(level, funding, &request.period_start, &request.period_end)
                            .into_iter()
                            .map(|e| FieldError::new(e.field(), e.to_string()))
                            .collect();
                    if !errors.is_empty() {
                        return Err(ApiError::Validation(errors));
                    }
                    budgets::save(
                        conn,
                        &BudgetRow {
                            project_id: project.id.clone(),
                            amount_dkk: request.amount_dkk,
                            period_start: request.period_start,
                            period_end: request.period_end,
                            funding: funding.as_str().into(),
                            expected_costs: request.expected_costs.clone(),
                            expected_benefits: request.expected_benefits.clone(),
                            expected_effects: request.expected_effects.clone(),
                            status: BudgetStatus::Proposed.as_str().into(),
                            updated_at: os2pm_persistence::now(),
                        },
                    )?;
                    Ok(None)
                },
            )
        })
        .await?;
    Ok(etag_response(version, body))
}

/// The steering group's chair approves the budget: final at N1; at N2/N3 it goes to the board.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/budget/approval", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag"),
        ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The project; its budget approved, or waiting for the board", body = crate::usecases::project::view::ProjectView),
        (status = 403, description = "Not the steering group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "No budget, already approved, or waiting for the board", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn approve_budget(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &id, |conn| {
                let (version, body) = change_project(
                    conn,
                    &caller,
                    &id,
                    if_match,
                    Action::ApproveBudget,
                    "budget_approved_by_chair",
                    None,
                    |conn, loaded, project, _| {
                        let level = loaded.level().unwrap_or(Level::N1);
                        let budget = loaded.budget.as_ref().ok_or_else(|| {
                            ApiError::Conflict("there is no budget to approve".into())
                        })?;
                        let status = budget
                            .status
                            .parse::<BudgetStatus>()
                            .map_err(|e| ApiError::Internal(format!("stored budget status: {e}")))?
                            .approve_by_chair(level)
                            .map_err(|e| ApiError::Conflict(e.to_string()))?;
                        budgets::set_status(conn, &project.id, status.as_str())?;
                        if status == BudgetStatus::ChairApproved {
                            open_approval(
                                conn,
                                project,
                                level,
                                Subject::Budget,
                                Approver::Board,
                                None,
                            )?;
                        }
                        Ok(None)
                    },
                )?;
                Ok(Outcome::ok(body).with_etag(version))
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// Starts an approved project (business manager or steering group chair): every `start`-gate
/// requirement must hold, including the derived ones and the approved budget.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/start", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag"),
        ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The project, `in_progress`", body = crate::usecases::project::view::ProjectView),
        (status = 403, description = "Neither business manager nor steering group chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not approved", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Start-gate requirements unmet, each listed", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn start(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &id, |conn| {
                let (version, body) = change_project(
                    conn,
                    &caller,
                    &id,
                    if_match,
                    Action::Start,
                    "started",
                    None,
                    |_, loaded, project, _| {
                        let level = loaded.level().unwrap_or(Level::N1);
                        let unmet = start_blockers(loaded, level);
                        if !unmet.is_empty() {
                            return Err(ApiError::UnmetRequirements(unmet));
                        }
                        project.state = State::InProgress.as_str().into();
                        Ok(None)
                    },
                )?;
                Ok(Outcome::ok(body).with_etag(version))
            })
        })
        .await
        .map(StoredReply::into_response)
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "period_start": "2027-01-01", "period_end": "2027-03-31", "status": "amber",
    "status_reason": "Leverandøren er forsinket to uger", "progress": "Login og sagsoversigt er færdige.",
    "budget_dkk": 1200000, "spent_dkk": 350000, "forecast_dkk": 1250000,
    "milestones": [{"name": "Pilot i Aarhus", "planned": "2027-03-01", "actual": null}],
    "risks": "Afhængighed af KOMBITs støttesystemer"
}))]
pub struct ReportRequest {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub status: String,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub status_reason: Option<String>,
    #[validate(length(min = 1, max = 20000, message = "must be 1 to 20000 characters"))]
    pub progress: String,
    pub budget_dkk: i64,
    pub spent_dkk: i64,
    pub forecast_dkk: i64,
    #[serde(default)]
    #[validate(length(max = 200, message = "at most 200 milestones"))]
    pub milestones: Vec<Milestone>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub risks: Option<String>,
}

/// Files a progress and economy report (project leader or business manager) on a running
/// project.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/reports", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "The report", body = ReportView, headers(("Location" = String))),
        (status = 403, description = "Neither project leader nor business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not running", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason for amber/red, a bad period or amount, invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn create_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<ReportRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let mut errors = request
        .validate()
        .err()
        .map(|e| validation_errors(&e))
        .unwrap_or_default();
    let status = request
        .status
        .parse::<Rag>()
        .map_err(|e| errors.push(FieldError::new("status", e.to_string())))
        .ok();
    if let Some(status) = status {
        errors.extend(
            check_report(
                status,
                request.status_reason.as_deref(),
                (&request.period_start, &request.period_end),
                &[request.budget_dkk, request.spent_dkk, request.forecast_dkk],
            )
            .into_iter()
            .map(|e| FieldError::new(e.field(), e.to_string())),
        );
    }
    let (Some(status), true) = (status, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let loaded = Loaded::load(conn, &id)?;
                loaded.check(Action::Report, &caller)?;
                let row = ReportRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    project_id: id.clone(),
                    period_start: request.period_start,
                    period_end: request.period_end,
                    status: status.as_str().into(),
                    status_reason: request.status_reason.clone(),
                    progress: request.progress.clone(),
                    budget_dkk: request.budget_dkk,
                    spent_dkk: request.spent_dkk,
                    forecast_dkk: request.forecast_dkk,
                    milestones: serde_json::to_string(&request.milestones)
                        .map_err(|e| ApiError::Internal(e.to_string()))?,
                    risks: request.risks.clone(),
                    reported_by: caller.sub.clone(),
                    reported_at: os2pm_persistence::now(),
                };
                reports::insert(conn, &row)?;
                let view = ReportView::from(row);
                crate::usecases::created(
                    conn,
                    &caller,
                    "project",
                    &id,
                    format!("/api/v1/projects/{id}/reports/{}", view.id),
                    &view,
                )
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// The project's reports, oldest first.
#[utoipa::path(
    get, path = "/api/v1/projects/{id}/reports", tag = "running",
    params(("id" = String, Path), PageParams),
    responses(
        (status = 200, description = "The reports, oldest first, one page at a time", body = Page<ReportView>),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list_reports(
    state: web::Data<AppState>,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let items = state
        .db(move |conn| {
            Loaded::load(conn, &id)?;
            Ok(reports::for_project(conn, &id)?)
        })
        .await?;
    let items: Vec<ReportView> = items.into_iter().map(ReportView::from).collect();
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Afventer afklaring af databehandleraftale"}))]
pub struct ReconsiderRequest {
    /// Why: required to pause or cancel.
    pub reason: Option<String>,
}

/// Pauses, resumes or cancels a running project (governance.md §2, reconsideration).
async fn reconsider(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    if_match: IfMatch,
    action: Action,
    request: ReconsiderRequest,
) -> Result<HttpResponse, ApiError> {
    let reason = request.reason.filter(|r| !r.trim().is_empty());
    if action != Action::Resume && reason.is_none() {
        return Err(ApiError::validation("reason", "say why"));
    }
    let (status, version, body) = state
        .db(move |conn| {
            let mut confirmation = None;
            let audit_action = match action {
                Action::Pause => "paused",
                Action::Resume => "resumed",
                _ => "cancellation_requested",
            };
            let (version, body) = change_project(
                conn,
                &caller,
                &id,
                if_match,
                action,
                audit_action,
                reason.as_deref(),
                |conn, loaded, project, _| {
                    let level = loaded.level().unwrap_or(Level::N1);
                    let next = loaded.check(action, &caller)?;
                    if action == Action::Cancel && cancellation_needs_board(level) {
                        let approval = open_approval(
                            conn,
                            project,
                            level,
                            Subject::Cancellation,
                            Approver::Board,
                            None,
                        )?;
                        confirmation = Some(approval.id);
                    } else {
                        project.state = next.as_str().into();
                    }
                    Ok(None)
                },
            )?;
            match confirmation {
                Some(approval) => {
                    let row = os2pm_persistence::approvals::find(conn, &approval)?;
                    Ok((202, version, to_body(&ApprovalView::load(conn, row)?)?))
                }
                None => Ok((200, version, body)),
            }
        })
        .await?;
    Ok(match status {
        202 => HttpResponse::Accepted().json(body),
        _ => etag_response(version, body),
    })
}

/// Pauses a running project (business manager or steering group chair), with a reason.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/pause", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ReconsiderRequest,
    responses(
        (status = 200, description = "The project, `paused`", body = crate::usecases::project::view::ProjectView),
        (status = 403, description = "Neither business manager nor steering group chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not in progress", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn pause(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<ReconsiderRequest>,
) -> Result<HttpResponse, ApiError> {
    reconsider(
        state,
        caller,
        id.into_inner(),
        if_match,
        Action::Pause,
        body.into_inner(),
    )
    .await
}

/// Resumes a paused project (business manager or steering group chair).
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/resume", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ReconsiderRequest,
    responses(
        (status = 200, description = "The project, `in_progress`", body = crate::usecases::project::view::ProjectView),
        (status = 403, description = "Neither business manager nor steering group chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not paused", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn resume(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<ReconsiderRequest>,
) -> Result<HttpResponse, ApiError> {
    reconsider(
        state,
        caller,
        id.into_inner(),
        if_match,
        Action::Resume,
        body.into_inner(),
    )
    .await
}

/// Cancels a running project (steering group chair), with a reason. At N1 at once; at N2/N3
/// the board confirms it (202 with the approval).
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/cancel", tag = "running",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ReconsiderRequest,
    responses(
        (status = 200, description = "The project, `cancelled` (N1)", body = crate::usecases::project::view::ProjectView),
        (status = 202, description = "Waiting for the board (N2/N3): the approval", body = ApprovalView),
        (status = 403, description = "Not the steering group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not running, or a cancellation is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<ReconsiderRequest>,
) -> Result<HttpResponse, ApiError> {
    reconsider(
        state,
        caller,
        id.into_inner(),
        if_match,
        Action::Cancel,
        body.into_inner(),
    )
    .await
}
