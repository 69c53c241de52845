//! `GET /portfolio`: the portfolio overview for the next board meeting as one printable Danish
//! page, rendered on the server (no JavaScript), from the same overview the API serves.
//!
//! Every number on the page also sits in a `data-*` attribute, so the browser test can compare
//! the page with `GET /api/v1/portfolio` without parsing Danish number formats.

use actix_web::{HttpResponse, get, web};

use crate::app::AppState;
use crate::error::ApiError;
use crate::pages::portfolio::render;
use crate::usecases::portfolio;

/// The portfolio page for the next board meeting, in Danish: the portfolio by level and state
/// as a chart, every project and product, economy per project (budget against spent),
/// missing progress reports and pending decisions. Server-rendered, printable, no JavaScript.
/// Public: it shows what the overview API shows to anyone.
#[utoipa::path(
    operation_id = "getPortfolioPage",
    security(()),
    tag = "meetings",
    responses(
        (status = 200, description = "The page, in Danish", content_type = "text/html", body = String),
    )
)]
#[get("/portfolio")]
pub async fn portfolio_page(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let data = state.db(portfolio::page_data).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(render(&data).into_string()))
}
