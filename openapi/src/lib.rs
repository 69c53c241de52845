//! The published contract: the document's metadata and security scheme, and the committed
//! `openapi.json` that the served document must match.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContactBuilder, ContentBuilder, InfoBuilder, LicenseBuilder, OpenApi, Ref, RefOr,
    ResponseBuilder, ServerBuilder,
};

/// Where the service serves the document.
pub const DOCUMENT_PATH: &str = "/api-docs/openapi.json";

/// The document as committed; a test fails when the served one differs.
pub const COMMITTED: &str = include_str!("../openapi.json");

/// The schema every error response has.
const PROBLEM_SCHEMA: &str = "Problem";

/// Adds the refusals every operation of a kind can give, where its annotation does not name
/// them: the same middleware and extractors answer them for every handler, so listing them
/// per handler would only repeat (and forget) them.
fn add_common_responses(operation: &mut Operation) {
    // `[{}]` is public, `[{}, {bearer}]` takes a token if one is sent, `[{bearer}]` needs one.
    let names_scheme = |requirement: &utoipa::openapi::security::SecurityRequirement| {
        serde_json::to_value(requirement)
            .is_ok_and(|v| v.as_object().is_some_and(|schemes| !schemes.is_empty()))
    };
    let requirements = operation.security.iter().flatten();
    let takes_token = requirements.clone().any(names_scheme);
    let secured = takes_token && requirements.clone().all(names_scheme);
    let with_body = operation.request_body.is_some();
    let has_parameter = |place: ParameterIn, name: Option<&str>| {
        operation.parameters.iter().flatten().any(|p| {
            matches!(p, RefOr::T(p) if p.parameter_in == place
                && name.is_none_or(|name| p.name.eq_ignore_ascii_case(name)))
        })
    };
    let with_if_match = has_parameter(ParameterIn::Header, Some("If-Match"));
    let with_path = has_parameter(ParameterIn::Path, None);
    // A replayed Idempotency-Key with another request is refused with 422, body or not.
    let with_input = with_body
        || has_parameter(ParameterIn::Query, None)
        || has_parameter(ParameterIn::Header, Some("Idempotency-Key"));
    let health = operation.tags.iter().flatten().any(|t| t == "health");
    let common = [
        (
            true,
            "400",
            "The request could not be read: a malformed path, query or body",
        ),
        (takes_token, "401", "No valid token"),
        (
            secured,
            "403",
            "The caller's role or organisation may not do this",
        ),
        (
            with_path,
            "404",
            "No such resource, or not one the caller may see",
        ),
        (
            with_if_match,
            "412",
            "The If-Match ETag is stale: read the resource again",
        ),
        (
            with_body,
            "413",
            "The body is larger than the configured limit",
        ),
        (true, "414", "The URL (path and query) is longer than 8 KiB"),
        (with_body, "415", "The body is not `application/json`"),
        (
            with_input,
            "422",
            "A field is not valid (`errors` names each one), or an Idempotency-Key was used with \
             another request",
        ),
        (with_if_match, "428", "If-Match is required"),
        (true, "431", "The request headers are larger than 32 KiB"),
        (
            true,
            "429",
            "Too many anonymous requests or failed sign-ins from this client: wait the \
             `Retry-After` seconds",
        ),
        (
            !health,
            "503",
            "The database cannot be reached; retry later",
        ),
    ];
    if has_parameter(ParameterIn::Header, Some("Idempotency-Key")) {
        mark_replays(operation);
    }
    if with_if_match {
        tag_changes(operation);
    }
    for (applies, status, description) in common {
        if applies && !operation.responses.responses.contains_key(status) {
            let problem = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(PROBLEM_SCHEMA)))
                        .build(),
                )
                .build();
            operation
                .responses
                .responses
                .insert(status.to_owned(), RefOr::T(problem));
        }
    }
}

/// Adds what no handler annotation carries: the description, licence, the bearer scheme and
/// the common refusals.
pub fn finish(mut doc: OpenApi) -> OpenApi {
    for item in doc.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add_common_responses(operation);
        }
    }
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
        .license(Some(
            LicenseBuilder::new()
                .name("MPL-2.0")
                .identifier(Some("MPL-2.0"))
                .build(),
        ))
        .contact(Some(ContactBuilder::new().name(Some("os2pm")).build()))
        .build();
    doc.servers = Some(vec![
        ServerBuilder::new()
            .url("/")
            .description(Some(
                "The service that serves this document; `cargo run` listens on \
                 http://127.0.0.1:8080",
            ))
            .build(),
    ]);
    drop_unreferenced_schemas(&mut doc);
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

/// An answer to a retried Idempotency-Key is the first answer again, marked
/// `Idempotent-Replayed: true`: every success of an operation that takes the key says so.
fn mark_replays(operation: &mut Operation) {
    for (status, response) in operation.responses.responses.iter_mut() {
        if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
            response.headers.insert(
                "Idempotent-Replayed".to_owned(),
                RefOr::T(
                    HeaderBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::Boolean)))
                        .description(Some(
                            "`true` when this is the stored answer to an earlier request with the \
                         same Idempotency-Key; absent on a first answer",
                        ))
                        .build(),
                ),
            );
        }
    }
}

/// A change made under If-Match answers the changed resource with its new ETag (to send as the
/// next If-Match, or as If-None-Match): every 200 of such an operation says so.
fn tag_changes(operation: &mut Operation) {
    if let Some(RefOr::T(response)) = operation.responses.responses.get_mut("200") {
        response
            .headers
            .entry("ETag".to_owned())
            .or_insert_with(|| {
                RefOr::T(
                    HeaderBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                        .description(Some("The changed resource's ETag"))
                        .build(),
                )
            });
    }
}

/// Removes the component schemas nothing refers to: utoipa registers a list's item type and
/// also writes it out inside the list's `Page_…` schema, so the item's own entry is never used.
fn drop_unreferenced_schemas(doc: &mut OpenApi) {
    loop {
        let text = serde_json::to_string(&doc.paths).unwrap_or_default()
            + &serde_json::to_string(&doc.components).unwrap_or_default();
        let Some(components) = doc.components.as_mut() else {
            return;
        };
        let unused: Vec<String> = components
            .schemas
            .keys()
            .filter(|name| !text.contains(&format!("\"#/components/schemas/{name}\"")))
            .cloned()
            .collect();
        if unused.is_empty() {
            return;
        }
        for name in unused {
            components.schemas.remove(&name);
        }
    }
}

/// Pretty JSON with a final newline, the committed file's form.
pub fn to_json(doc: &OpenApi) -> Result<String, serde_json::Error> {
    doc.to_pretty_json().map(|json| json + "\n")
}
