//! What a browser is told with every answer: no content sniffing, no framing, no referrer, and
//! a content security policy as strict as each kind of answer allows.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// JSON, problems, Markdown: nothing in them may load or run anything.
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/// The board's page: its own inline stylesheet and style attributes (the chart's colours), no
/// script at all.
const PAGE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
                           frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/// Swagger UI: its own scripts and stylesheets from this service (it sets inline styles and
/// draws icons from data: URLs), and the document it reads.
const SWAGGER_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' \
                              'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
                              frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy for an answer at `path`.
fn policy_for(path: &str) -> &'static str {
    if path.starts_with("/swagger-ui") {
        SWAGGER_POLICY
    } else if path == "/portfolio" {
        PAGE_POLICY
    } else {
        API_POLICY
    }
}

/// Adds the browser-facing headers to every answer, errors included.
pub async fn security_headers(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let policy = policy_for(request.path());
    let mut response = next.call(request).await?;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, policy),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_page_and_swagger_ui_may_style_and_only_swagger_ui_may_run_scripts() {
        assert_eq!(policy_for("/api/v1/projects"), API_POLICY);
        assert_eq!(policy_for("/api/v1/portfolio"), API_POLICY);
        assert_eq!(policy_for("/portfolio"), PAGE_POLICY);
        assert_eq!(policy_for("/swagger-ui/index.html"), SWAGGER_POLICY);
        assert!(!PAGE_POLICY.contains("script-src"));
    }
}
