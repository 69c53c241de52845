//! HTTP only, one module per URL: each handler extracts, turns the request into a typed
//! command, makes one use-case call (`crate::usecases`) and answers.

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
    // actix tries routes in order (a regular expression each for those with a parameter), and
    // most requests are for projects: they go first, the rest by name.
    config
        .configure(projects::routes)
        .service(approvals::list)
        .service(approvals::get)
        .service(approvals::meeting_decision)
        .service(approvals::vote)
        .configure(board::routes)
        .service(events::feed)
        .service(health::live)
        .service(health::ready)
        .service(me::get)
        .service(organizations::list)
        .service(organizations::create)
        .service(organizations::get)
        .service(page::portfolio_page)
        .service(people::list)
        .service(people::create)
        .configure(portfolio::routes)
        .configure(products::routes)
        .service(requirements::list)
        .service(webhooks::list)
        .service(webhooks::create)
        .service(webhooks::delete)
        .service(webhooks::get)
        .service(webhooks::deliveries)
        .service(webhooks::redeliver);
}
