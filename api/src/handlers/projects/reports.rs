//! `/api/v1/projects/{id}/reports`: progress and economy reports.

use actix_web::{HttpResponse, get, post, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply};
use crate::usecases::privacy::Audience;
use crate::usecases::projects::reports;
use crate::usecases::projects::reports::{NewReport, ReportRequest};
use crate::usecases::running::ReportView;

/// Files a progress and economy report (project leader or business manager) on a running
/// project.
#[utoipa::path(
    operation_id = "fileReport",
    tag = "running",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "The report", body = ReportView, headers(("Location" = String))),
        (status = 403, description = "Neither project leader nor business manager", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProject,
        (status = 409, description = "Not running", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason for amber/red, a bad period or amount, invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/reports")]
pub async fn create_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<ReportRequest>,
) -> Result<StoredReply, ApiError> {
    let report = NewReport::try_from(body.into_inner())?;
    state
        .db(move |conn| reports::file_report(conn, &caller, &id, idempotency_key, report))
        .await
}

/// The project's reports, oldest first.
#[utoipa::path(
    operation_id = "listReports",
    security((), ("bearer" = [])),
    tag = "running",
    params(("id" = ProjectId, Path), PageParams),
    responses(
        (status = 200, description = "The reports, oldest first, one page at a time", body = Page<ReportView>),
        refusals::NoSuchProject,
    )
)]
#[get("/api/v1/projects/{id}/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ProjectId>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let items = state
        .db(move |conn| reports::reports(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}
