//! The OpenAPI document, gathered from the handlers' annotations.

use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::handlers::{
    approvals, board, events, health, me, organizations, page, people, portfolio, products,
    projects, requirements, webhooks,
};
use crate::{auth, error, request};

#[derive(OpenApi)]
#[openapi(
    paths(
        health::live,
        health::ready,
        me::get,
        organizations::list,
        organizations::get,
        organizations::create,
        requirements::list,
        people::create,
        people::list,
        board::members::get,
        board::members::put,
        events::feed,
        products::publiccode::publiccode,
        products::self_assessments::import,
        products::self_assessments::export,
        webhooks::create,
        webhooks::list,
        webhooks::get,
        webhooks::delete,
        webhooks::deliveries,
        webhooks::redeliver,
        board::meetings::create,
        board::meetings::list,
        board::meetings::get,
        board::meetings::add_item,
        board::meetings::decide_recommendation,
        portfolio::overdue_reports::overdue_reports,
        page::portfolio_page,
        portfolio::overview::overview,
        portfolio::overview::decision_log,
        portfolio::priorities::get,
        projects::benefits::create,
        projects::benefits::measure,
        projects::benefits::list,
        portfolio::priorities::put_criteria,
        portfolio::priorities::put_scores,
        projects::create::create,
        projects::read::list,
        projects::read::get,
        projects::edit::patch,
        projects::evidence::record_evidence,
        projects::placement::place,
        projects::submission::submit,
        projects::history::history,
        approvals::list,
        approvals::get,
        approvals::vote,
        approvals::meeting_decision,
        projects::steering_group::put_steering_group,
        projects::budget::put_budget,
        projects::budget::approve_budget,
        projects::start::start,
        projects::reports::create_report,
        projects::reports::list_reports,
        projects::reconsideration::pause,
        projects::reconsideration::resume,
        projects::reconsideration::cancel,
        projects::coordination_group::put_project_coordination_group,
        projects::go_live::go_live,
        projects::level_changes::project_level_change,
        products::read::list,
        products::read::get,
        products::coordination_group::put_product_coordination_group,
        products::coordination_group::join,
        products::coordination_group::leave,
        products::level_changes::product_level_change,
        products::closure::propose_closure,
        products::change_requests::create_change_request,
        products::change_requests::list_change_requests,
        products::change_requests::decide_change_request,
        products::evaluations::evaluate,
        products::evaluations::list_evaluations,
    ),
    components(schemas(
        error::ProblemSchema,
        error::FieldError,
        auth::Role,
        error::UnmetRequirement,
        request::Page<crate::usecases::organizations::Organization>,
        crate::usecases::projects::submission::SubmissionCheck,
    )),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Sign-in: who the token says you are"),
        (name = "organizations", description = "Municipalities, regions, associations and other organisations"),
        (name = "requirements", description = "The level requirements (formkrav), a versioned catalogue"),
        (name = "people", description = "People and the sub of their tokens"),
        (name = "board", description = "The board roster: seats and chair"),
        (name = "meetings", description = "Board meetings: deadlines, agendas, the reporting duty"),
        (name = "projects", description = "Ideas, evidence, placement at a level, submission, history"),
        (name = "running", description = "From approval to a running project: steering group, budget, start, reports, pause, resume, cancel"),
        (name = "products", description = "Go-live, products, coordination groups, level changes, closing, change requests"),
        (name = "approvals", description = "Approvals routed to the business manager (N1) or the board (N2/N3), votes and meeting decisions"),
        (name = "events", description = "The event feed and signed webhooks, for municipal intranets and the association's tools"),
    )
)]
struct ApiDoc;

/// The complete document, as served and as committed in `openapi/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    os2pm_openapi::finish(ApiDoc::openapi())
}

/// Swagger UI at `/swagger-ui/`, with the document at `/api-docs/openapi.json`; offline.
pub fn swagger_ui() -> SwaggerUi {
    SwaggerUi::new("/swagger-ui/{_:.*}").url(os2pm_openapi::DOCUMENT_PATH, document())
}
