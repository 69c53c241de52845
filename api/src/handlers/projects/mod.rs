//! `/api/v1/projects…`: ideas, their evidence, placement at a level, submission and history.

pub mod benefits;
pub mod budget;
pub mod coordination_group;
pub mod create;
pub mod edit;
pub mod evidence;
pub mod go_live;
pub mod history;
pub mod level_changes;
pub mod placement;
pub mod read;
pub mod reconsideration;
pub mod reports;
pub mod send_back;
pub mod start;
pub mod steering_group;
pub mod submission;

use utoipa_actix_web::service_config::ServiceConfig;

/// This part of the route table (see `handlers::routes`).
pub fn routes(config: &mut ServiceConfig) {
    config
        .service(read::list)
        .service(create::create)
        .service(read::get)
        .service(edit::patch)
        .service(benefits::list)
        .service(benefits::create)
        .service(benefits::measure)
        .service(budget::put_budget)
        .service(budget::approve_budget)
        .service(reconsideration::cancel)
        .service(coordination_group::put_project_coordination_group)
        .service(go_live::go_live)
        .service(history::history)
        .service(level_changes::project_level_change)
        .service(reconsideration::pause)
        .service(placement::place)
        .service(reports::list_reports)
        .service(reports::create_report)
        .service(evidence::record_evidence)
        .service(send_back::send_back)
        .service(reconsideration::resume)
        .service(start::start)
        .service(steering_group::put_steering_group)
        .service(submission::check_submission)
        .service(submission::submit);
}
