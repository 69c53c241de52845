//! The OpenAPI document, gathered from the handlers' annotations.

use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::handlers::{health, me, organizations, requirements};
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
    ),
    components(schemas(
        error::ProblemSchema,
        error::FieldError,
        auth::Role,
        request::Page<organizations::Organization>,
    )),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Sign-in: who the token says you are"),
        (name = "organizations", description = "Municipalities, regions, associations and other organisations"),
        (name = "requirements", description = "The level requirements (formkrav), a versioned catalogue"),
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
