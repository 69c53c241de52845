//! The published contract: the document's metadata and security scheme, and the committed
//! `openapi.json` that the served document must match.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContactBuilder, InfoBuilder, LicenseBuilder, OpenApi};

/// Where the service serves the document.
pub const DOCUMENT_PATH: &str = "/api-docs/openapi.json";

/// The document as committed; a test fails when the served one differs.
pub const COMMITTED: &str = include_str!("../openapi.json");

/// Adds what no handler annotation carries: the description, licence and the bearer scheme.
pub fn finish(mut doc: OpenApi) -> OpenApi {
    doc.info = InfoBuilder::new()
        .title("os2pm")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "The project and product portfolio of an OS2-style public-sector open-source \
             association: ideas from municipalities, level placement (N1, N2, N3) with \
             level requirements, approvals by the business manager or the board, steering and \
             coordination groups, and the board's portfolio overview.\n\n\
             Errors are `application/problem+json` (RFC 9457) with a stable `type` per kind. \
             Reads of public portfolio data need no token; everything else takes \
             `Authorization: Bearer <JWT>`.",
        ))
        .license(Some(LicenseBuilder::new().name("MPL-2.0").build()))
        .contact(Some(ContactBuilder::new().name(Some("os2pm")).build()))
        .build();
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    doc
}

/// Pretty JSON with a final newline, the committed file's form.
pub fn to_json(doc: &OpenApi) -> Result<String, serde_json::Error> {
    doc.to_pretty_json().map(|json| json + "\n")
}
