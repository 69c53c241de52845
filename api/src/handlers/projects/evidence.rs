//! `PUT /api/v1/projects/{id}/requirements/{key}`: evidence for one requirement.

use actix_web::{put, web};

use os2pm_projects::ProjectId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IfMatch, Tagged};
use crate::usecases::projects::evidence;
use crate::usecases::projects::evidence::{EvidenceRequest, NewEvidence};
use crate::usecases::projects::view::ProjectView;

/// Records evidence for one requirement: the project's own by the owner organisation, the
/// project leader or the business manager; an organisation's part of a per-organisation
/// requirement (`organization`) by that organisation, or by the business manager on its behalf
/// with a link to the document.
#[utoipa::path(
    operation_id = "recordEvidence",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("key" = String, Path, example = "solution_documented"),
        ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = EvidenceRequest,
    responses(
        (status = 200, description = "The project with the evidence recorded", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to record evidence on this project, or another organisation's part", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or no such requirement in its catalogue", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Evidence cannot be recorded in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Derived requirement, status not allowed, explanation or link missing (the business manager's on an organisation's behalf included), organisation not participating", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/projects/{id}/requirements/{key}")]
pub async fn record_evidence(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ProjectId, String)>,
    body: web::Json<EvidenceRequest>,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    let (id, key) = path.into_inner();
    let evidence = NewEvidence::try_from(body.into_inner())?;
    state
        .db(move |conn| evidence::record_evidence(conn, &caller, &id, &key, if_match, evidence))
        .await
}
