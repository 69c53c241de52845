//! `GET /api/v1/projects` and `GET /api/v1/projects/{id}`: the portfolio, and one project.

use actix_web::http::header::{self, IfNoneMatch};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::MaybeCaller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Page, PageParams};
use crate::usecases::projects::read;
use crate::usecases::projects::read::{ProjectQuery, ProjectSearch};
use crate::usecases::projects::view::{ProjectSummary, ProjectView};

/// The portfolio: every project, newest first, filtered.
#[utoipa::path(
    operation_id = "listProjects",
    security(()),
    tag = "projects",
    params(ProjectQuery, PageParams),
    responses(
        (status = 200, description = "One page of projects", body = Page<ProjectSummary>),
        (status = 422, description = "Unknown state, level, kind or organisation; bad limit or cursor", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/projects")]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<ProjectQuery>,
    page: web::Query<PageParams>,
) -> Result<Page<ProjectSummary>, ApiError> {
    let search = ProjectSearch::try_from(query.into_inner())?;
    state
        .page_by_id(
            &page,
            |p: &ProjectSummary| p.id.as_str(),
            move |conn, after, limit| read::list(conn, search, after, limit),
        )
        .await
}

/// One project: its requirements' status, its current approval with votes, and `_actions`.
///
/// The ETag changes with anything the view shows (votes, reports, groups, the board included);
/// send it as `If-None-Match` to get 304 while nothing changed, or as `If-Match` to change the
/// project.
#[utoipa::path(
    operation_id = "getProject",
    security((), ("bearer" = [])),
    tag = "projects",
    params(
        ("id" = ProjectId, Path),
        ("If-None-Match" = Option<String>, Header, description = "An ETag this project was read with"),
    ),
    responses(
        (status = 200, description = "The project", body = ProjectView, headers(
            ("ETag" = String, description = "`\"version.revision.shared.day\"`: the project's version, then what else the view depends on"),
            ("Vary" = String, description = "`Authorization`: `_actions` depend on the caller"),
        )),
        (status = 304, description = "Unchanged since If-None-Match", headers(("ETag" = String))),
        (status = 401, description = "A token was sent and is not valid", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProject,
    )
)]
#[get("/api/v1/projects/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    request: HttpRequest,
    id: web::Path<ProjectId>,
) -> Result<HttpResponse, ApiError> {
    let known = request.get_header::<IfNoneMatch>();
    let views = state.project_views.clone();
    let read = state
        .db(move |conn| read::read(conn, &views, caller.0.as_ref(), &id, known.as_ref()))
        .await?;
    // `_actions` depend on the caller.
    let vary = (
        header::VARY,
        header::HeaderValue::from_static("Authorization"),
    );
    let mut response = match read.body {
        None => HttpResponse::NotModified(),
        Some(_) => HttpResponse::Ok(),
    };
    response
        .insert_header(header::ETag(read.tag))
        .insert_header(vary);
    Ok(match read.body {
        None => response.finish(),
        Some(body) => response
            .content_type(header::ContentType::json())
            .body(body),
    })
}
