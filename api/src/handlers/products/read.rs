//! `GET /api/v1/products` and `GET /api/v1/products/{id}`: the products, and one with its group
//! and budget frame.

use actix_web::{HttpRequest, HttpResponse, get, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{Page, PageParams, with_etag};
use crate::usecases::products::read::{ProductQuery, ProductSearch, ProductSummary};
use crate::usecases::products::{ProductView, read};

/// The products, newest first, filtered.
#[utoipa::path(
    operation_id = "listProducts",
    security(()),
    tag = "products",
    params(ProductQuery, PageParams),
    responses(
        (status = 200, description = "One page of products", body = Page<ProductSummary>),
        (status = 422, description = "Unknown state, level or organisation; bad limit or cursor", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/products")]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<ProductQuery>,
    page: web::Query<PageParams>,
) -> Result<Page<ProductSummary>, ApiError> {
    let search = ProductSearch::try_from(query.into_inner())?;
    state
        .page_by_id(
            &page,
            |p: &ProductSummary| p.id.as_str(),
            move |conn, after, limit| read::list(conn, search, after, limit),
        )
        .await
}

/// One product, with its coordination group, remaining budget frame and `_actions`.
#[utoipa::path(
    operation_id = "getProduct",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = ProductId, Path)),
    responses(
        (status = 200, description = "The product", body = ProductView, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since If-None-Match"),
        refusals::NoSuchProduct,
    )
)]
#[get("/api/v1/products/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: crate::auth::MaybeCaller,
    request: HttpRequest,
    id: web::Path<ProductId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (version, view) = state
        .db(move |conn| read::view(conn, caller.0.as_ref(), &id))
        .await?;
    Ok(with_etag(&request, version, &view))
}
