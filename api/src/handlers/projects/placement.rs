//! `POST /api/v1/projects/{id}/placement`: the business manager places an idea at a level.

use actix_web::{HttpResponse, post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, IfMatch, StoredReply};
use crate::usecases::projects::placement;
use crate::usecases::projects::placement::{Placement, PlacementRequest};
use crate::usecases::projects::view::ProjectView;

/// Places an idea at a level (business manager): pins it to a catalogue version (`os2-2016`
/// unless another is named; `sandkasse` only in one that has it) and makes it a `concept`.
#[utoipa::path(
    operation_id = "placeProject",
    tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag"),
        ("Idempotency-Key" = Option<String>, Header)),
    request_body = PlacementRequest,
    responses(
        (status = 200, description = "The concept", body = ProjectView, headers(("ETag" = String))),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProject,
        (status = 409, description = "Cannot be placed in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown level or catalogue, a level the catalogue does not have, or no rationale", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/placement")]
pub async fn place(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<PlacementRequest>,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    let placement = Placement::try_from(body.into_inner())?;
    state
        .db(move |conn| placement::place(conn, &caller, &id, if_match, idempotency_key, placement))
        .await
        .map(StoredReply::into_response)
}
