//! The OpenAPI document: what every document has (info, tags, security, shared schemas) here,
//! and every operation from the route table, which registers each handler with its annotation.

use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::{auth, error, handlers, request};

#[derive(OpenApi)]
#[openapi(
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

/// The complete document, as served and as committed in `openapi/openapi.json`: the operations
/// are the route table's.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(handlers::routes)
        .split_for_parts();
    os2pm_openapi::finish(document)
}

/// Swagger UI at `/swagger-ui/`, with the document at `/api-docs/openapi.json`; offline.
pub fn swagger_ui() -> SwaggerUi {
    SwaggerUi::new("/swagger-ui/{_:.*}").url(os2pm_openapi::DOCUMENT_PATH, document())
}
