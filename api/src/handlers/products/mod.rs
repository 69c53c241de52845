//! `/api/v1/products…`: products, their budget frame, coordination groups, level changes, closing, change
//! requests, evaluations, self-assessments and publiccode.yml.

pub mod budget_frame;
pub mod change_requests;
pub mod closure;
pub mod coordination_group;
pub mod evaluations;
pub mod level_changes;
pub mod publiccode;
pub mod read;
pub mod self_assessments;
pub mod steering_group;

use utoipa_actix_web::service_config::ServiceConfig;

/// This part of the route table (see `handlers::routes`).
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(read::list)
        .service(read::get)
        .service(budget_frame::put_budget_frame)
        .service(change_requests::list_change_requests)
        .service(change_requests::create_change_request)
        .service(change_requests::decide_change_request)
        .service(closure::propose_closure)
        .service(coordination_group::put_product_coordination_group)
        .service(coordination_group::put_coordination_group_by_key)
        .service(coordination_group::disband_coordination_group)
        .service(coordination_group::join)
        .service(coordination_group::leave)
        .service(evaluations::draft)
        .service(evaluations::get_evaluation)
        .service(evaluations::list_evaluations)
        .service(evaluations::evaluate)
        .service(level_changes::product_level_change)
        .service(publiccode::publiccode)
        .service(self_assessments::export)
        .service(self_assessments::import)
        .service(steering_group::put_product_steering_group);
}
