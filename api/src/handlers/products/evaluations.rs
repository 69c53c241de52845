//! `/api/v1/products/{id}/evaluations`: a product's evaluations, mark by mark.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post, web};

use os2pm_products::{EvaluationId, ProductId};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, wants_markdown};
use crate::usecases::privacy::Audience;
use crate::usecases::products::evaluations;
use crate::usecases::products::evaluations::{
    EvaluationDraft, EvaluationView, NewEvaluation, ParsedEvaluation, ReportQuery,
};

/// The body of a new evaluation: JSON, or a published report in Markdown
/// (`Content-Type: text/markdown`).
pub enum EvaluationBody {
    Json(NewEvaluation),
    Markdown(String),
}

impl FromRequest for EvaluationBody {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let markdown = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.trim_start().starts_with("text/markdown"));
        if markdown {
            let text = String::from_request(request, payload);
            Box::pin(async move { Ok(Self::Markdown(text.await?)) })
        } else {
            let json = web::Json::<NewEvaluation>::from_request(request, payload);
            Box::pin(async move { Ok(Self::Json(json.await?.into_inner())) })
        }
    }
}

/// Records the half-yearly evaluation of a product (business manager): a mark per requirement
/// of its catalogue version, every level from the sandbox to N3 whatever the product's level,
/// and a concluding level recommendation (the answer counts the marks and suggests the highest
/// level they bear out).
///
/// Or reads back a report the association published (`Content-Type: text/markdown`): its theme
/// tables, found by their headers (the generated six-column layout or the hand-edited
/// nine-column one), give the marks and bases, every column kept; its resumé, overall
/// assessment and recommendation the texts; its own count tables, where it has them, must add up
/// to the marks, or it is refused with the differences listed. `recommended_level` and `period`
/// come from the query (by default the product's own level, and the half-year of the report's
/// date). A recommended
/// level change becomes a level-change proposal to the board (when moving up, only if the
/// target level's requirements are met; otherwise the evaluation says which are not).
#[utoipa::path(
    operation_id = "evaluateProduct",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("Idempotency-Key" = Option<String>, Header), ReportQuery),
    request_body(content((NewEvaluation = "application/json"), (String = "text/markdown"))),
    responses(
        (status = 201, description = "The evaluation", body = EvaluationView, headers(("Location" = String))),
        refusals::NotTheBusinessManager,
        refusals::NoSuchProduct,
        refusals::ProductClosed,
        (status = 422, description = "Requirements unmarked, unknown or twice; yellow, red or grey without a basis; a report whose tables cannot be read or do not add up (each difference listed); unknown level; or the recommended move up is blocked by unmet requirements (listed)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/evaluations")]
pub async fn evaluate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    idempotency_key: IdempotencyKey,
    query: web::Query<ReportQuery>,
    body: EvaluationBody,
) -> Result<StoredReply, ApiError> {
    let evaluation = match body {
        EvaluationBody::Json(request) => ParsedEvaluation::try_from(request)?,
        EvaluationBody::Markdown(text) => ParsedEvaluation::from_report(&text, query.into_inner())?,
    };
    state
        .db(move |conn| evaluations::evaluate(conn, &caller, &id, idempotency_key, evaluation))
        .await
}

/// A draft evaluation from the product's latest self-assessment, every requirement marked as the
/// association maps answers, with its counts: the start an evaluator adjusts before recording
/// it. Public, like the self-assessment.
#[utoipa::path(
    operation_id = "draftEvaluation",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = ProductId, Path)),
    responses(
        (status = 200, description = "The draft", body = EvaluationDraft),
        refusals::NoSuchProduct,
        (status = 409, description = "No self-assessment imported", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/products/{id}/evaluations/draft")]
pub async fn draft(
    state: web::Data<AppState>,
    id: web::Path<ProductId>,
) -> Result<HttpResponse, ApiError> {
    let draft = state.db(move |conn| evaluations::draft(conn, &id)).await?;
    Ok(HttpResponse::Ok().json(draft))
}

/// One evaluation: JSON, or with `Accept: text/markdown` the report the association publishes
/// (*evalueringsrapport*: front matter, document information, resumé, overall assessment,
/// recommendation, a table per theme with the marks, the count tables and a pie chart per
/// level), ready to publish as it is. Public; the evaluator is named to signed-in readers.
#[utoipa::path(
    operation_id = "getEvaluation",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = ProductId, Path), ("evaluation_id" = EvaluationId, Path)),
    responses(
        (status = 200, description = "The evaluation: JSON, or the report in Markdown with `Accept: text/markdown`",
            content((EvaluationView = "application/json"), (String = "text/markdown"))),
        (status = 404, description = "No such product, or no such evaluation of it", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/products/{id}/evaluations/{evaluation_id}")]
pub async fn get_evaluation(
    state: web::Data<AppState>,
    audience: Audience,
    request: HttpRequest,
    path: web::Path<(ProductId, EvaluationId)>,
) -> Result<HttpResponse, ApiError> {
    let (id, evaluation_id) = path.into_inner();
    Ok(if wants_markdown(&request) {
        let markdown = state
            .db(move |conn| evaluations::report(conn, &id, &evaluation_id, audience))
            .await?;
        HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(markdown)
    } else {
        let view = state
            .db(move |conn| evaluations::view(conn, &id, &evaluation_id, audience))
            .await?;
        HttpResponse::Ok().json(view)
    })
}

/// A product's evaluations, oldest first. Public.
#[utoipa::path(
    operation_id = "listEvaluations",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = ProductId, Path), PageParams),
    responses(
        (status = 200, description = "The evaluations, oldest first, one page at a time", body = Page<EvaluationView>),
        refusals::NoSuchProduct,
    )
)]
#[get("/api/v1/products/{id}/evaluations")]
pub async fn list_evaluations(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ProductId>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let items = state
        .db(move |conn| evaluations::list(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}
