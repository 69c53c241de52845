//! The published contract: the served OpenAPI document is the committed one.

use actix_web::test::TestRequest;
use os2pm_api::openapi_doc;
use os2pm_tests::{TestApp, send};
use serde_json::Value;

#[actix_web::test]
async fn the_served_document_matches_the_committed_openapi_json() {
    let app = TestApp::new();
    let service = app.service().await;
    let reply = send(
        &service,
        TestRequest::get().uri(os2pm_openapi::DOCUMENT_PATH),
    )
    .await;
    assert_eq!(reply.status, 200);
    let committed: Value = serde_json::from_str(os2pm_openapi::COMMITTED).unwrap();
    assert!(
        reply.body == committed,
        "the API changed: run `cargo run -- openapi > openapi/openapi.json` and commit it"
    );
    assert_eq!(reply.body["openapi"], "3.1.0");
    // The CLI prints the same document byte for byte.
    let printed = os2pm_openapi::to_json(&openapi_doc::document()).unwrap();
    assert_eq!(printed, os2pm_openapi::COMMITTED);
}

#[actix_web::test]
async fn every_operation_documents_its_errors_as_problems() {
    let doc: Value = serde_json::from_str(os2pm_openapi::COMMITTED).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/organizations") && paths.contains_key("/health/ready"));
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                operation["summary"].is_string() || operation["description"].is_string(),
                "{method} {path} has no description"
            );
            for (status, response) in responses.iter().filter(|(s, _)| s.as_str() >= "400") {
                assert!(
                    response["content"]["application/problem+json"].is_object(),
                    "{method} {path} {status} is not documented as problem+json"
                );
            }
        }
    }
}

#[actix_web::test]
async fn swagger_ui_is_served_from_the_binary() {
    let app = TestApp::new();
    let service = app.service().await;
    let reply = send(&service, TestRequest::get().uri("/swagger-ui/")).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.as_str().unwrap().contains("Swagger UI"));
    let reply = send(
        &service,
        TestRequest::get().uri("/swagger-ui/swagger-ui-bundle.js"),
    )
    .await;
    assert_eq!(
        reply.status, 200,
        "the UI's script is vendored, not fetched"
    );
}
