//! `GET /api/v1/projects/{id}/history`: the project's audit trail.

use actix_web::{HttpResponse, get, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::error::{ApiError, refusals};
use crate::request::{Page, PageParams};
use crate::usecases::privacy::Audience;
use crate::usecases::projects::history as usecase;
use crate::usecases::projects::history::HistoryEntry;

/// The project's audit trail: every change, vote and decision, oldest first. Append-only.
#[utoipa::path(
    operation_id = "getProjectHistory",
    security((), ("bearer" = [])),
    tag = "projects",
    params(("id" = ProjectId, Path), PageParams),
    responses(
        (status = 200, description = "The history, oldest first, one page at a time", body = Page<HistoryEntry>),
        refusals::NoSuchProject,
    )
)]
#[get("/api/v1/projects/{id}/history")]
pub async fn history(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ProjectId>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let items = state
        .db(move |conn| usecase::history(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}
