//! `POST /api/v1/projects/{id}/placement`: the business manager places an idea at a level.

use actix_web::{post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Guarded, StoredReply};
use crate::usecases::projects::placement;
use crate::usecases::projects::placement::{Placement, PlacementRequest};
use crate::usecases::projects::view::ProjectView;

/// Places an idea at a level (business manager): pins it to a catalogue version (`os2-2016`
/// unless another is named; `sandkasse` only in one that has it) and makes it a `concept`.
#[utoipa::path(
    operation_id = "placeProject",
    tag = "projects",
    security(("bearer" = [])),
    params(Guarded),
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
    write: Guarded,
    body: web::Json<PlacementRequest>,
) -> Result<StoredReply, ApiError> {
    let placement = Placement::try_from(body.into_inner())?;
    state
        .db(move |conn| placement::place(conn, &caller, write, placement))
        .await
}
