//! Handlers by resource. Each one authenticates, parses and validates, asks the domain, and
//! stores the result with its audit entry in one transaction.

pub mod approvals;
pub mod board;
pub mod events;
pub mod health;
pub mod me;
pub mod organizations;
pub mod page;
pub mod people;
pub mod portfolio;
pub mod products;
pub mod projects;
pub mod requirements;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// The route table: each endpoint once. Its method, path and documentation are declared on its
/// handler (`#[utoipa::path]` over the route macro); registering it here serves it and puts it
/// in the OpenAPI document. A wrong method on a known path answers 405 (see `app::not_found`).
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(approvals::list)
        .service(approvals::get)
        .service(approvals::meeting_decision)
        .service(approvals::vote)
        .service(board::meetings::list)
        .service(board::meetings::create)
        .service(board::meetings::get)
        .service(board::meetings::add_item)
        .service(board::meetings::decide_recommendation)
        .service(board::members::get)
        .service(board::members::put)
        .service(events::feed)
        .service(me::get)
        .service(organizations::list)
        .service(organizations::create)
        .service(organizations::get)
        .service(people::list)
        .service(people::create)
        .service(portfolio::overview::overview)
        .service(portfolio::overview::decision_log)
        .service(portfolio::overdue_reports::overdue_reports)
        .service(portfolio::priorities::get)
        .service(portfolio::priorities::put_criteria)
        .service(portfolio::priorities::put_scores)
        .service(products::read::list)
        .service(products::read::get)
        .service(products::change_requests::list_change_requests)
        .service(products::change_requests::create_change_request)
        .service(products::change_requests::decide_change_request)
        .service(products::closure::propose_closure)
        .service(products::coordination_group::put_product_coordination_group)
        .service(products::coordination_group::join)
        .service(products::coordination_group::leave)
        .service(products::evaluations::list_evaluations)
        .service(products::evaluations::evaluate)
        .service(products::level_changes::product_level_change)
        .service(products::publiccode::publiccode)
        .service(products::self_assessments::export)
        .service(products::self_assessments::import)
        .service(projects::read::list)
        .service(projects::create::create)
        .service(projects::read::get)
        .service(projects::edit::patch)
        .service(projects::benefits::list)
        .service(projects::benefits::create)
        .service(projects::benefits::measure)
        .service(projects::budget::put_budget)
        .service(projects::budget::approve_budget)
        .service(projects::reconsideration::cancel)
        .service(projects::coordination_group::put_project_coordination_group)
        .service(projects::go_live::go_live)
        .service(projects::history::history)
        .service(projects::level_changes::project_level_change)
        .service(projects::reconsideration::pause)
        .service(projects::placement::place)
        .service(projects::reports::list_reports)
        .service(projects::reports::create_report)
        .service(projects::evidence::record_evidence)
        .service(projects::reconsideration::resume)
        .service(projects::start::start)
        .service(projects::steering_group::put_steering_group)
        .service(projects::submission::submit)
        .service(requirements::list)
        .service(webhooks::list)
        .service(webhooks::create)
        .service(webhooks::delete)
        .service(webhooks::get)
        .service(webhooks::deliveries)
        .service(webhooks::redeliver)
        .service(health::live)
        .service(health::ready)
        .service(page::portfolio_page);
}
