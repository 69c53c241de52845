//! `/api/v1/products/{id}/evaluations`: a product's evaluations, mark by mark.

use actix_web::{HttpResponse, get, post, web};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply};
use crate::usecases::privacy::Audience;
use crate::usecases::products::evaluations;
use crate::usecases::products::evaluations::{EvaluationView, NewEvaluation, ParsedEvaluation};

/// Records the half-yearly evaluation of a product (business manager): a mark per requirement
/// of its catalogue version and level, and a concluding level recommendation. A recommended
/// level change becomes a level-change proposal to the board (when moving up, only if the
/// target level's requirements are met; otherwise the evaluation says which are not).
#[utoipa::path(
    operation_id = "evaluateProduct",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewEvaluation,
    responses(
        (status = 201, description = "The evaluation", body = EvaluationView, headers(("Location" = String))),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProduct,
        refusals::ProductClosed,
        (status = 422, description = "Requirements unmarked, unknown or twice; yellow/red without reasoning; unknown level; or the recommended move up is blocked by unmet requirements (listed)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/evaluations")]
pub async fn evaluate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewEvaluation>,
) -> Result<StoredReply, ApiError> {
    let evaluation = ParsedEvaluation::try_from(body.into_inner())?;
    state
        .db(move |conn| evaluations::evaluate(conn, &caller, &id, idempotency_key, evaluation))
        .await
}

/// A product's evaluations, oldest first. Public.
#[utoipa::path(
    operation_id = "listEvaluations",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = String, Path), PageParams),
    responses(
        (status = 200, description = "The evaluations, oldest first, one page at a time", body = Page<EvaluationView>),
        refusals::NoSuchProduct,
    )
)]
#[get("/api/v1/products/{id}/evaluations")]
pub async fn list_evaluations(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let items = state
        .db(move |conn| evaluations::list(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}
