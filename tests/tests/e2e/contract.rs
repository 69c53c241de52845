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

/// The routes the handlers declare: (method, path) with `{…}` parameters, read from each route
/// macro (`#[get("…")]` …) under `api/src/handlers`, whether or not the route table registers it.
fn declared_routes() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    let mut folders =
        vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src/handlers")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for line in source.lines() {
                for method in ["get", "post", "put", "patch", "delete"] {
                    if let Some(rest) = line.strip_prefix(&format!("#[{method}(\"")) {
                        let route = &rest[..rest.find('"').unwrap()];
                        routes.push((method.to_owned(), route.to_owned()));
                    }
                }
            }
        }
    }
    routes.sort();
    routes
}

/// Every route is documented and every documented operation is routed: the route table and
/// the OpenAPI document name the same (method, path) pairs, and each answers from its handler.
#[actix_web::test]
async fn the_route_table_and_the_document_name_the_same_operations() {
    let document: Value = serde_json::from_str(os2pm_openapi::COMMITTED).unwrap();
    let mut documented: Vec<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|m| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
                .map(|m| (m.clone(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    documented.sort();
    let routes = declared_routes();
    assert!(routes.len() > 60, "{routes:?}");
    let undocumented: Vec<_> = routes.iter().filter(|r| !documented.contains(r)).collect();
    let unrouted: Vec<_> = documented.iter().filter(|d| !routes.contains(d)).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routed but not documented: {undocumented:?}\ndocumented but not routed: {unrouted:?}"
    );

    // And each reaches a handler: never the fallback's 404 or a 405.
    let app = TestApp::new();
    let service = app.service().await;
    for (method, path) in &documented {
        let uri = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        let method = actix_web::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let reply = send(
            &service,
            TestRequest::default().method(method.clone()).uri(&uri),
        )
        .await;
        assert_ne!(reply.status, 405, "{method} {uri}");
        assert!(
            !(reply.status == 404
                && reply.body["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("no resource at"))),
            "{method} {uri} is not routed: {}",
            reply.body
        );
    }
}
