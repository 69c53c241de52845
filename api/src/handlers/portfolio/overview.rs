//! The portfolio overview (*porteføljeoverblik*, governance.md §6) for a board meeting: every
//! project and product by level and state, their economy, pending decisions, and what the
//! board decided since its previous meeting.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::AppState;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::usecases::portfolio;
use crate::usecases::portfolio::{DecisionLog, Overview, overview_for, parse_as_of, to_markdown};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// The meeting the overview is for; without it, the portfolio as of today.
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub meeting: Option<String>,
    /// The portfolio as it stood then, from the audit history (states, levels, budgets, reports,
    /// products and decisions): a date (its end) or an RFC 3339 timestamp.
    #[param(example = "2027-03-18")]
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub as_of: Option<String>,
}

/// The portfolio overview for a board meeting (or as of today). Public.
#[utoipa::path(
    operation_id = "getPortfolioOverview",
    security(()),
    tag = "meetings",
    params(OverviewQuery),
    responses(
        (status = 200, description = "The overview", body = Overview),
        refusals::NoSuchMeeting,
        (status = 422, description = "`as_of` is not a date or timestamp", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/portfolio")]
pub async fn overview(
    state: web::Data<AppState>,
    query: web::Query<OverviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let historic = query.as_of.as_deref().map(parse_as_of).transpose()?;
    let overview = state
        .db(move |conn| overview_for(conn, query.meeting.as_deref(), historic))
        .await?;
    Ok(HttpResponse::Ok().json(overview))
}

/// The decision log: every decision, oldest first, grouped by year and item. With
/// `Accept: text/markdown`, in the association's Markdown layout, to replace the hand-kept log.
#[utoipa::path(
    operation_id = "getDecisionLog",
    security(()),
    tag = "meetings",
    responses(
        (status = 200, description = "The decision log: JSON, or Markdown with `Accept: text/markdown`",
            content((DecisionLog = "application/json"), (String = "text/markdown"))),
    )
)]
#[get("/api/v1/portfolio/decision-log")]
pub async fn decision_log(
    state: web::Data<AppState>,
    request: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let log = state.db(portfolio::decision_log).await?;
    Ok(if crate::request::wants_markdown(&request) {
        HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(to_markdown(&log))
    } else {
        HttpResponse::Ok().json(log)
    })
}
