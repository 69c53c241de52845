//! Handlers by resource. Each one authenticates, parses and validates, asks the domain, and
//! stores the result with its audit entry in one transaction.

pub mod approvals;
pub mod benefits;
pub mod board;
pub mod events;
pub mod health;
pub mod me;
pub mod meetings;
pub mod organizations;
pub mod page;
pub mod people;
pub mod portfolio;
pub mod priorities;
pub mod products;
pub mod projects;
pub mod requirements;
pub mod webhooks;

use actix_web::web;

/// The route table. Resources (not bare routes) so a wrong method answers 405, not 404.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(web::resource("/health/live").route(web::get().to(health::live)))
        .service(web::resource("/portfolio").route(web::get().to(page::portfolio_page)))
        .service(web::resource("/health/ready").route(web::get().to(health::ready)))
        .service(
            web::scope("/api/v1")
                .service(
                    web::resource("/organizations")
                        .route(web::get().to(organizations::list))
                        .route(web::post().to(organizations::create)),
                )
                .service(
                    web::resource("/organizations/{id}").route(web::get().to(organizations::get)),
                )
                .service(web::resource("/requirements").route(web::get().to(requirements::list)))
                .service(web::resource("/me").route(web::get().to(me::get)))
                .service(web::resource("/events").route(web::get().to(events::feed)))
                .service(
                    web::resource("/webhooks")
                        .route(web::get().to(webhooks::list))
                        .route(web::post().to(webhooks::create)),
                )
                .service(
                    web::resource("/webhooks/{id}")
                        .route(web::get().to(webhooks::get))
                        .route(web::delete().to(webhooks::delete)),
                )
                .service(
                    web::resource("/webhooks/{id}/deliveries")
                        .route(web::get().to(webhooks::deliveries)),
                )
                .service(
                    web::resource("/webhooks/{id}/deliveries/{delivery_id}/redeliver")
                        .route(web::post().to(webhooks::redeliver)),
                )
                .service(
                    web::resource("/people")
                        .route(web::get().to(people::list))
                        .route(web::post().to(people::create)),
                )
                .service(
                    web::resource("/board/members")
                        .route(web::get().to(board::get))
                        .route(web::put().to(board::put)),
                )
                .service(
                    web::resource("/board/meetings")
                        .route(web::get().to(meetings::list))
                        .route(web::post().to(meetings::create)),
                )
                .service(web::resource("/board/meetings/{id}").route(web::get().to(meetings::get)))
                .service(
                    web::resource("/board/meetings/{id}/agenda-items")
                        .route(web::post().to(meetings::add_item)),
                )
                .service(
                    web::resource("/board/meetings/{id}/recommendations/{approval_id}/decision")
                        .route(web::post().to(meetings::decide_recommendation)),
                )
                .service(
                    web::resource("/portfolio/overdue-reports")
                        .route(web::get().to(meetings::overdue_reports)),
                )
                .service(web::resource("/portfolio").route(web::get().to(portfolio::overview)))
                .service(
                    web::resource("/projects/{id}/benefits")
                        .route(web::get().to(benefits::list))
                        .route(web::post().to(benefits::create)),
                )
                .service(
                    web::resource("/projects/{id}/benefits/{benefit_id}/measurements")
                        .route(web::post().to(benefits::measure)),
                )
                .service(
                    web::resource("/portfolio/priorities").route(web::get().to(priorities::get)),
                )
                .service(
                    web::resource("/portfolio/priorities/criteria")
                        .route(web::put().to(priorities::put_criteria)),
                )
                .service(
                    web::resource("/portfolio/priorities/scores/{project_id}")
                        .route(web::put().to(priorities::put_scores)),
                )
                .service(
                    web::resource("/portfolio/decision-log")
                        .route(web::get().to(portfolio::decision_log)),
                )
                .service(
                    web::resource("/projects")
                        .route(web::get().to(projects::read::list))
                        .route(web::post().to(projects::create::create)),
                )
                .service(
                    web::resource("/projects/{id}")
                        .route(web::get().to(projects::read::get))
                        .route(web::patch().to(projects::edit::patch)),
                )
                .service(
                    web::resource("/projects/{id}/requirements/{key}")
                        .route(web::put().to(projects::evidence::record_evidence)),
                )
                .service(
                    web::resource("/projects/{id}/placement")
                        .route(web::post().to(projects::placement::place)),
                )
                .service(
                    web::resource("/projects/{id}/submission")
                        .route(web::post().to(projects::submission::submit)),
                )
                .service(
                    web::resource("/projects/{id}/history")
                        .route(web::get().to(projects::history::history)),
                )
                .service(
                    web::resource("/projects/{id}/steering-group")
                        .route(web::put().to(projects::steering_group::put_steering_group)),
                )
                .service(
                    web::resource("/projects/{id}/budget")
                        .route(web::put().to(projects::budget::put_budget)),
                )
                .service(
                    web::resource("/projects/{id}/budget/approval")
                        .route(web::post().to(projects::budget::approve_budget)),
                )
                .service(
                    web::resource("/projects/{id}/start")
                        .route(web::post().to(projects::start::start)),
                )
                .service(
                    web::resource("/projects/{id}/reports")
                        .route(web::get().to(projects::reports::list_reports))
                        .route(web::post().to(projects::reports::create_report)),
                )
                .service(
                    web::resource("/projects/{id}/pause")
                        .route(web::post().to(projects::reconsideration::pause)),
                )
                .service(
                    web::resource("/projects/{id}/resume")
                        .route(web::post().to(projects::reconsideration::resume)),
                )
                .service(
                    web::resource("/projects/{id}/cancel")
                        .route(web::post().to(projects::reconsideration::cancel)),
                )
                .service(web::resource("/projects/{id}/coordination-group").route(
                    web::put().to(projects::coordination_group::put_project_coordination_group),
                ))
                .service(
                    web::resource("/projects/{id}/go-live")
                        .route(web::post().to(projects::go_live::go_live)),
                )
                .service(
                    web::resource("/projects/{id}/level-changes")
                        .route(web::post().to(projects::level_changes::project_level_change)),
                )
                .service(web::resource("/products").route(web::get().to(products::read::list)))
                .service(
                    web::resource("/products/{id}/self-assessments")
                        .route(web::get().to(products::self_assessments::export))
                        .route(web::post().to(products::self_assessments::import)),
                )
                .service(
                    web::resource("/products/{id}/publiccode.yml")
                        .route(web::get().to(products::publiccode::publiccode)),
                )
                .service(web::resource("/products/{id}").route(web::get().to(products::read::get)))
                .service(
                    web::resource("/products/{id}/evaluations")
                        .route(web::get().to(products::evaluations::list_evaluations))
                        .route(web::post().to(products::evaluations::evaluate)),
                )
                .service(web::resource("/products/{id}/coordination-group").route(
                    web::put().to(products::coordination_group::put_product_coordination_group),
                ))
                .service(
                    web::resource("/products/{id}/coordination-group/members")
                        .route(web::post().to(products::coordination_group::join)),
                )
                .service(
                    web::resource("/products/{id}/coordination-group/members/{organization}")
                        .route(web::delete().to(products::coordination_group::leave)),
                )
                .service(
                    web::resource("/products/{id}/level-changes")
                        .route(web::post().to(products::level_changes::product_level_change)),
                )
                .service(
                    web::resource("/products/{id}/closure")
                        .route(web::post().to(products::closure::propose_closure)),
                )
                .service(
                    web::resource("/products/{id}/change-requests")
                        .route(web::get().to(products::change_requests::list_change_requests))
                        .route(web::post().to(products::change_requests::create_change_request)),
                )
                .service(
                    web::resource("/products/{id}/change-requests/{request_id}/decision")
                        .route(web::post().to(products::change_requests::decide_change_request)),
                )
                .service(web::resource("/approvals").route(web::get().to(approvals::list)))
                .service(web::resource("/approvals/{id}").route(web::get().to(approvals::get)))
                .service(
                    web::resource("/approvals/{id}/votes").route(web::post().to(approvals::vote)),
                )
                .service(
                    web::resource("/approvals/{id}/meeting-decision")
                        .route(web::post().to(approvals::meeting_decision)),
                ),
        );
}
