//! `/api/v1/board…`: the board's roster and its meetings.

pub mod meetings;
pub mod members;

use utoipa_actix_web::service_config::ServiceConfig;

/// This part of the route table (see `handlers::routes`).
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(meetings::list)
        .service(meetings::create)
        .service(meetings::get)
        .service(meetings::add_item)
        .service(meetings::decide_recommendation)
        .service(members::get)
        .service(members::put);
}
