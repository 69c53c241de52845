//! Prioritisation (governance.md §6): the board's weighted criteria (kept by the business manager on
//! its behalf), board members' scores, and the ranking with its stability.

use actix_web::{HttpResponse, get, put, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::usecases::priorities;
use crate::usecases::priorities::{Criteria, CriteriaRequest, Priorities, ScoresRequest};
use crate::usecases::privacy::Audience;

/// The ranking of candidates by weighted score, each member's scores (to signed-in readers), and
/// how stable each rank is. Public.
#[utoipa::path(
    operation_id = "getPriorities",
    security((), ("bearer" = [])),
    tag = "meetings",
    responses((status = 200, description = "The criteria in force and the ranking", body = Priorities))
)]
#[get("/api/v1/portfolio/priorities")]
pub async fn get(state: web::Data<AppState>, audience: Audience) -> Result<HttpResponse, ApiError> {
    let view = state
        .db(move |conn| priorities::read(conn, audience))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Sets a new version of the criteria and weights (the business manager, on the board's
/// behalf). Scores are kept per version.
#[utoipa::path(
    operation_id = "replacePriorityCriteria",
    tag = "meetings",
    security(("bearer" = [])),
    request_body = CriteriaRequest,
    responses(
        (status = 200, description = "The new version and the (empty) ranking", body = Priorities),
        refusals::NotTheBusinessManager,
        (status = 422, description = "No criteria, a weight that is not positive, a key twice", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/portfolio/priorities/criteria")]
pub async fn put_criteria(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CriteriaRequest>,
) -> Result<HttpResponse, ApiError> {
    let criteria = Criteria::try_from(body.into_inner())?;
    let view = state
        .db(move |conn| priorities::set_criteria(conn, &caller, criteria))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// A seated board member scores a candidate (a project) on the criteria in force, 0–5 each;
/// scoring again replaces the member's earlier scores for it.
#[utoipa::path(
    operation_id = "scoreProject",
    tag = "meetings",
    security(("bearer" = [])),
    params(("project_id" = ProjectId, Path)),
    request_body = ScoresRequest,
    responses(
        (status = 200, description = "The ranking now", body = Priorities),
        (status = 403, description = "Not a board member seated today", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProject,
        (status = 409, description = "No criteria are set yet", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown criteria or scores outside 0–5", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/portfolio/priorities/scores/{project_id}")]
pub async fn put_scores(
    state: web::Data<AppState>,
    caller: Caller,
    project_id: web::Path<ProjectId>,
    body: web::Json<ScoresRequest>,
) -> Result<HttpResponse, ApiError> {
    let project_id = project_id.into_inner();
    let request = body.into_inner();
    let view = state
        .db(move |conn| priorities::score(conn, &caller, &project_id, request))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
