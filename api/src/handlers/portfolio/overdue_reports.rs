//! `GET /api/v1/portfolio/overdue-reports`: the reports due before a board meeting and missing.

use actix_web::{HttpResponse, get, web};

use crate::app::AppState;
use crate::error::{ApiError, ProblemSchema};
use crate::usecases::meetings;
use crate::usecases::meetings::{OverdueQuery, ReportingDuty};

/// The N2/N3 running projects without a progress report newer than the previous meeting and
/// in before the meeting's material date (N1 projects only inform). Public.
#[utoipa::path(
    operation_id = "listOverdueReports",
    security(()),
    tag = "meetings",
    params(OverdueQuery),
    responses(
        (status = 200, description = "The reporting duty for the meeting", body = ReportingDuty),
        (status = 404, description = "No such meeting, or no meeting planned", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/portfolio/overdue-reports")]
pub async fn overdue_reports(
    state: web::Data<AppState>,
    query: web::Query<OverdueQuery>,
) -> Result<HttpResponse, ApiError> {
    let wanted = query.into_inner().meeting;
    let duty = state
        .db(move |conn| meetings::overdue_reports(conn, wanted))
        .await?;
    Ok(HttpResponse::Ok().json(duty))
}
