//! `/api/v1/products/{id}/change-requests…`: wishes for further development, routed by cost and
//! the remaining budget frame to the coordination group, the board or the record.

use actix_web::{HttpResponse, get, post, web};

use os2pm_products::{ChangeRequestId, ProductId};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply};
use crate::usecases::privacy::Audience;
use crate::usecases::products::change_requests;
use crate::usecases::products::change_requests::{
    ChangeDecision, ChangeDecisionRequest, ChangeRequestView, NewChangeRequest, ParsedChangeRequest,
};

/// Files a change request (a member organisation of the coordination group). Maintenance and
/// minor changes are recorded; further development is decided by the coordination group's
/// chair, or by the board when it exceeds the remaining budget frame.
#[utoipa::path(
    operation_id = "submitChangeRequest",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewChangeRequest,
    responses(
        (status = 201, description = "The request with its route", body = ChangeRequestView, headers(("Location" = String))),
        (status = 403, description = "Not acting for a member organisation", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        refusals::ProductClosed,
        (status = 422, description = "Unknown category, invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/change-requests")]
pub async fn create_change_request(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewChangeRequest>,
) -> Result<StoredReply, ApiError> {
    let change = ParsedChangeRequest::try_from(body.into_inner())?;
    state
        .db(move |conn| change_requests::submit(conn, &caller, &id, idempotency_key, change))
        .await
}

/// The product's change requests, oldest first.
#[utoipa::path(
    operation_id = "listChangeRequests",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = ProductId, Path), PageParams),
    responses(
        (status = 200, description = "The change requests, oldest first, one page at a time", body = Page<ChangeRequestView>),
        refusals::NoSuchProduct,
    )
)]
#[get("/api/v1/products/{id}/change-requests")]
pub async fn list_change_requests(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ProductId>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let items = state
        .db(move |conn| change_requests::list(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}

/// The coordination group's chair decides a change request routed to the group.
#[utoipa::path(
    operation_id = "decideChangeRequest",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("request_id" = ChangeRequestId, Path)),
    request_body = ChangeDecisionRequest,
    responses(
        (status = 200, description = "The decided request; or, approved when its estimate no longer fits what remains of the frame, the request referred to the board (`route: board`, `state: pending`, a board approval opened)", body = ChangeRequestView),
        (status = 403, description = "Not the coordination group's chair, or the board decides this one", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product or request", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Already decided, or the product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown decision, or no reason to reject", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/change-requests/{request_id}/decision")]
pub async fn decide_change_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ProductId, ChangeRequestId)>,
    body: web::Json<ChangeDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, request_id) = path.into_inner();
    let decision = ChangeDecision::try_from(body.into_inner())?;
    let view = state
        .db(move |conn| change_requests::decide(conn, &caller, &id, &request_id, decision))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
