//! `/api/v1/projects/{id}/budget…`: the budget and business case, and its approval.

use actix_web::{post, put, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Guarded, IfMatch, StoredReply, Tagged};
use crate::usecases::projects::budget;
use crate::usecases::projects::budget::{BudgetRequest, NewBudget};

/// Sets the budget and business case (business manager, steering group chair or project
/// leader); it is then `proposed` until approved. OS2 funding is refused at N1.
#[utoipa::path(
    operation_id = "proposeBudget",
    tag = "running",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = BudgetRequest,
    responses(
        (status = 200, description = "The project with its proposed budget", body = crate::usecases::projects::view::ProjectView),
        (status = 403, description = "Not allowed to set the budget", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProject,
        (status = 409, description = "Not approved or running", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "OS2 funding at N1, a period that ends before it starts, invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/projects/{id}/budget")]
pub async fn put_budget(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    body: web::Json<BudgetRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let budget = NewBudget::try_from(body.into_inner())?;
    state
        .db(move |conn| budget::set_budget(conn, &caller, &id, if_match, budget))
        .await
}

/// The steering group's chair approves the budget: final at N1; at N2/N3 it goes to the board.
#[utoipa::path(
    operation_id = "approveBudget",
    tag = "running",
    security(("bearer" = [])),
    params(Guarded),
    responses(
        (status = 200, description = "The project; its budget approved, or waiting for the board", body = crate::usecases::projects::view::ProjectView),
        (status = 403, description = "Not the steering group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProject,
        (status = 409, description = "No budget, already approved, or waiting for the board", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/budget/approval")]
pub async fn approve_budget(
    state: web::Data<AppState>,
    caller: Caller,
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    state
        .db(move |conn| budget::approve_budget(conn, &caller, write))
        .await
}
