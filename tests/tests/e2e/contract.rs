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

/// Every Rust source under `folders` (relative to the workspace), with its text.
fn sources(folders: &[&str]) -> Vec<(std::path::PathBuf, String)> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut folders: Vec<_> = folders.iter().map(|f| workspace.join(f)).collect();
    let mut found = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                found.push((path, source));
            }
        }
    }
    found
}

/// The routes the handlers declare: (method, path) with `{…}` parameters, read from each route
/// macro (`#[get("…")]` …) under `api/src/handlers`, whether or not the route table registers it.
fn declared_routes() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for (_, source) in sources(&["api/src/handlers"]) {
        for line in source.lines() {
            for method in ["get", "post", "put", "patch", "delete"] {
                if let Some(rest) = line.strip_prefix(&format!("#[{method}(\"")) {
                    let route = &rest[..rest.find('"').unwrap()];
                    routes.push((method.to_owned(), route.to_owned()));
                }
            }
        }
    }
    routes.sort();
    routes
}

/// The names of the types the document can show: every type deriving `ToSchema` and every
/// domain enum named by `names!`, each with the file it is in.
fn schema_types() -> Vec<(String, String)> {
    let mut types = Vec::new();
    for (path, source) in sources(&["api/src", "domain"]) {
        let file = path.display().to_string();
        let mut deriving = false;
        for line in source.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                deriving = true;
            } else if deriving {
                // The item after the derive and its other attributes (which may span lines).
                let item = line
                    .trim_start_matches("pub(crate) ")
                    .trim_start_matches("pub ");
                let name = item
                    .strip_prefix("struct ")
                    .or_else(|| item.strip_prefix("enum "))
                    .and_then(|rest| {
                        rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                    });
                if let Some(name) = name {
                    types.push((name.to_owned(), file.clone()));
                    deriving = false;
                }
            }
            if let Some(rest) = line
                .strip_prefix("names!(")
                .or_else(|| line.strip_prefix("crate::names!("))
            {
                let name = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap();
                types.push((name.to_owned(), file.clone()));
            }
        }
    }
    types.sort();
    types
}

/// utoipa keeps one schema per name: two types of one name would leave one of them documented
/// with the other's fields (as the board's and the steering group's seats once were).
#[test]
fn no_two_types_share_a_schema_name() {
    let types = schema_types();
    assert!(types.len() > 100, "{types:?}");
    let shared: Vec<_> = types
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| format!("{} in {} and {}", pair[0].0, pair[0].1, pair[1].1))
        .collect();
    assert!(shared.is_empty(), "{shared:#?}");
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
