//! `POST /api/v1/projects/{id}/go-live`: a running project goes live and becomes a product.

use actix_web::{post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Guarded, StoredReply};
use crate::usecases::projects::go_live as usecase;

/// Takes a running project live (business manager or steering group chair): every
/// `go_live`-gate requirement must hold (at N2/N3 a coordination group, at N3 with a board
/// member). The project becomes `implemented` and a product.
#[utoipa::path(
    operation_id = "goLive",
    tag = "products",
    security(("bearer" = [])),
    params(Guarded),
    responses(
        (status = 200, description = "The project, `implemented`, with `product_id`", body = crate::usecases::projects::view::ProjectView),
        refusals::NotManagerOrChair,
        (status = 409, description = "Not in progress", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Go-live requirements unmet, each listed", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/go-live")]
pub async fn go_live(
    state: web::Data<AppState>,
    caller: Caller,
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    state
        .db(move |conn| usecase::go_live(conn, &caller, write))
        .await
}
