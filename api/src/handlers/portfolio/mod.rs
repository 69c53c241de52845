//! `/api/v1/portfolio…`: the overview, the decision log, the reporting duty and the board's
//! priorities.

pub mod overdue_reports;
pub mod overview;
pub mod priorities;

use utoipa_actix_web::service_config::ServiceConfig;

/// This part of the route table (see `handlers::routes`).
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(overview::overview)
        .service(overview::decision_log)
        .service(overdue_reports::overdue_reports)
        .service(priorities::get)
        .service(priorities::put_criteria)
        .service(priorities::put_scores);
}
