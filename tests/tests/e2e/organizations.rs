use std::collections::HashSet;

use actix_web::test::TestRequest;
use os2pm_api::auth::Role;
use os2pm_persistence::audit;
use os2pm_tests::{TestApp, bearer, send};
use serde_json::{Value, json};

#[actix_web::test]
async fn the_98_municipalities_page_through_completely_by_name() {
    let app = TestApp::new();
    let service = app.service().await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let uri = match &cursor {
            None => "/api/v1/organizations?type=municipality&limit=30".to_owned(),
            Some(c) => format!("/api/v1/organizations?type=municipality&limit=30&cursor={c}"),
        };
        let reply = send(&service, TestRequest::get().uri(&uri)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let items = reply.body["items"].as_array().unwrap();
        assert!(items.len() <= 30);
        seen.extend(items.iter().map(|o| o["code"].as_str().unwrap().to_owned()));
        assert!(items.iter().all(|o| o["type"] == "municipality"));
        match reply.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 98);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        98,
        "no duplicates across pages"
    );
    assert!(seen.contains(&"101".to_owned()) && seen.contains(&"860".to_owned()));
}

#[actix_web::test]
async fn the_default_page_is_50_and_the_limit_is_checked() {
    let app = TestApp::new();
    let service = app.service().await;
    let reply = send(&service, TestRequest::get().uri("/api/v1/organizations")).await;
    assert_eq!(reply.body["items"].as_array().unwrap().len(), 50);
    assert!(reply.body["next_cursor"].is_string());

    for limit in ["0", "201", "-5"] {
        let uri = format!("/api/v1/organizations?limit={limit}");
        let reply = send(&service, TestRequest::get().uri(&uri)).await;
        reply.problem(422, "validation");
        assert_eq!(reply.error_fields(), ["limit"]);
    }
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?limit=ten"),
    )
    .await;
    reply.problem(400, "invalid-query");
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?cursor=bm9wZQ"),
    )
    .await;
    reply.problem(422, "validation");
    assert_eq!(reply.error_fields(), ["cursor"]);
}

#[actix_web::test]
async fn filters_by_type_and_by_text_the_same_on_both_databases() {
    let app = TestApp::new();
    let service = app.service().await;
    let names = |body: &Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap().to_owned())
            .collect()
    };

    let regions = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?type=region"),
    )
    .await;
    assert_eq!(names(&regions.body).len(), 5);
    let associations = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?type=association"),
    )
    .await;
    let codes: HashSet<&str> = associations.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, HashSet::from(["kl", "kombit", "os2"]));

    // Upper-case Danish letters match: the search folds case in Rust, not in SQL.
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?q=K%C3%98BENHAVN"),
    )
    .await;
    assert_eq!(names(&reply.body), ["Københavns Kommune"]);
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?q=%C3%A6r%C3%B8"),
    )
    .await;
    assert_eq!(names(&reply.body), ["Ærø Kommune"]);
    // LIKE wildcards are literals.
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?q=%25"),
    )
    .await;
    assert_eq!(names(&reply.body), Vec::<String>::new());
    // Combined with a type.
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?type=region&q=nord"),
    )
    .await;
    assert_eq!(names(&reply.body), ["Region Nordjylland"]);

    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?type=county"),
    )
    .await;
    reply.problem(422, "validation");
    assert_eq!(reply.error_fields(), ["type"]);
}

#[actix_web::test]
async fn one_organisation_by_code_or_id_with_an_etag() {
    let app = TestApp::new();
    let service = app.service().await;
    let by_code = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations/751"),
    )
    .await;
    assert_eq!(by_code.status, 200);
    assert_eq!(by_code.body["name"], "Aarhus Kommune");
    assert_eq!(by_code.body["region_code"], "1082");
    let etag = by_code.header("etag").unwrap().to_owned();

    let id = by_code.body["id"].as_str().unwrap();
    let by_id = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/organizations/{id}")),
    )
    .await;
    assert_eq!(by_id.body, by_code.body);

    let unchanged = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/organizations/751")
            .insert_header(("if-none-match", etag.as_str())),
    )
    .await;
    assert_eq!(unchanged.status, 304);
    assert_eq!(unchanged.body, Value::Null);

    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations/999"),
    )
    .await;
    reply.problem(404, "not-found");
    assert!(reply.body["detail"].as_str().unwrap().contains("999"));
}

fn new_agency() -> Value {
    json!({"name": "Digitaliseringsstyrelsen", "type": "state_agency", "code": "digst", "cvr": "34051178"})
}

fn post(body: &Value, token: &str) -> TestRequest {
    TestRequest::post()
        .uri("/api/v1/organizations")
        .insert_header(bearer(token))
        .set_json(body)
}

#[actix_web::test]
async fn an_administrator_adds_an_organisation_with_an_audit_entry() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);

    let reply = send(&service, post(&new_agency(), &admin)).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["name"], "Digitaliseringsstyrelsen");
    assert_eq!(reply.body["type"], "state_agency");
    assert_eq!(reply.body["cvr"], "34051178");
    let location = reply.header("location").unwrap().to_owned();
    let id = reply.body["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/organizations/{id}"));

    let fetched = send(&service, TestRequest::get().uri(&location)).await;
    assert_eq!(fetched.body, reply.body);

    let entries = audit::for_subject(&mut app.db.connect(), "organization", id).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "created");
    assert_eq!(entries[0].actor_sub, "test-admin");
    assert_eq!(entries[0].actor_roles, "admin");
    let after: Value = serde_json::from_str(entries[0].after_state.as_deref().unwrap()).unwrap();
    assert_eq!(after["code"], "digst");
}

#[actix_web::test]
async fn adding_organisations_is_for_administrators_only() {
    let app = TestApp::new();
    let service = app.service().await;
    for role in [
        Role::Forretningsleder,
        Role::MunicipalityUser,
        Role::BoardChair,
    ] {
        let token = app.token(&[role], Some("101"));
        let reply = send(&service, post(&new_agency(), &token)).await;
        reply.problem(403, "forbidden");
        assert!(reply.body["detail"].as_str().unwrap().contains("admin"));
    }
    let reply = send(
        &service,
        TestRequest::post()
            .uri("/api/v1/organizations")
            .set_json(new_agency()),
    )
    .await;
    reply.problem(401, "unauthorized");
    let listed = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?q=digst"),
    )
    .await;
    assert_eq!(listed.body["items"], json!([]), "nothing was created");
}

#[actix_web::test]
async fn invalid_organisations_are_refused_field_by_field() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);
    let cases = [
        (json!({"name": "", "type": "supplier"}), vec!["name"]),
        (json!({"name": "X", "type": "county"}), vec!["type"]),
        (
            json!({"name": "X", "type": "supplier", "cvr": "34051179"}),
            vec!["cvr"],
        ),
        (
            json!({"name": "X", "type": "supplier", "cvr": "1234"}),
            vec!["cvr"],
        ),
        (
            json!({"name": "X", "type": "municipality", "code": "1x1"}),
            vec!["code", "region_code"],
        ),
        (
            json!({"name": "X", "type": "municipality", "code": "999", "region_code": "101"}),
            vec!["region_code"],
        ),
        (
            json!({"name": "X", "type": "supplier", "colour": "red"}),
            vec!["colour"],
        ),
        (json!({"type": "supplier"}), vec!["name"]),
        (
            json!({"name": "", "type": "county", "cvr": "1"}),
            vec!["cvr", "name", "type"],
        ),
    ];
    for (body, fields) in cases {
        let reply = send(&service, post(&body, &admin)).await;
        reply.problem(422, "validation");
        assert_eq!(reply.error_fields(), fields, "{body}");
    }
}

#[actix_web::test]
async fn malformed_wrongly_typed_and_oversized_bodies_are_refused() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);
    let raw = |body: &str, content_type: &str| {
        TestRequest::post()
            .uri("/api/v1/organizations")
            .insert_header(bearer(&admin))
            .insert_header(("content-type", content_type))
            .set_payload(body.to_owned())
    };
    send(&service, raw("{\"name\": ", "application/json"))
        .await
        .problem(400, "malformed-body");
    send(&service, raw("not json", "application/json"))
        .await
        .problem(400, "malformed-body");
    send(&service, raw("name=x", "application/x-www-form-urlencoded"))
        .await
        .problem(415, "unsupported-media-type");
    let huge = format!(
        "{{\"name\": \"{}\", \"type\": \"supplier\"}}",
        "x".repeat(70_000)
    );
    send(&service, raw(&huge, "application/json"))
        .await
        .problem(413, "payload-too-large");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    // Deep nesting is refused at its first bracket: the body is an object, not a list.
    let reply = send(&service, raw(&deep, "application/json")).await;
    reply.problem(422, "validation");
    assert_eq!(reply.error_fields(), ["body"]);
}

#[actix_web::test]
async fn a_taken_code_is_a_conflict() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);
    let body = json!({"name": "Another KL", "type": "association", "code": "kl"});
    let reply = send(&service, post(&body, &admin)).await;
    reply.problem(409, "conflict");
    assert!(reply.body["detail"].as_str().unwrap().contains("kl"));
}

#[actix_web::test]
async fn a_retried_post_with_the_same_idempotency_key_creates_nothing_new() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);
    let keyed = |body: &Value, key: &str| {
        post(body, &admin).insert_header(("idempotency-key", key.to_owned()))
    };

    let first = send(&service, keyed(&new_agency(), "retry-1")).await;
    assert_eq!(first.status, 201);
    let again = send(&service, keyed(&new_agency(), "retry-1")).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("idempotent-replayed"), Some("true"));

    let mut changed = new_agency();
    changed["name"] = json!("Something else");
    let reply = send(&service, keyed(&changed, "retry-1")).await;
    reply.problem(422, "idempotency-key-reused");

    let reply = send(&service, keyed(&new_agency(), &"k".repeat(256))).await;
    reply.problem(422, "validation");
    assert_eq!(reply.error_fields(), ["Idempotency-Key"]);

    let listed = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?q=digst"),
    )
    .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn concurrent_posts_with_one_idempotency_key_create_exactly_one() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);
    let keyed = || post(&new_agency(), &admin).insert_header(("idempotency-key", "race"));

    let replies = futures_util::future::join_all((0..4).map(|_| send(&service, keyed()))).await;
    for reply in &replies {
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(reply.body, replies[0].body);
    }
    let listed = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?q=digst"),
    )
    .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn an_organisation_added_after_an_idea_named_it_takes_part_in_the_next() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);
    let aarhus = app.token(&[Role::MunicipalityUser], Some("751"));
    let mut idea = crate::lifecycle::idea("Med styrelsen");
    idea["participants"] = json!(["751", "digst"]);

    // Organisations once read are remembered; one not found is looked up again next time.
    let before = crate::lifecycle::submit_idea(&service, &aarhus, &idea).await;
    before.problem(422, "validation");
    assert_eq!(before.error_fields(), ["participants"]);
    let added = send(&service, post(&new_agency(), &admin)).await;
    assert_eq!(added.status, 201, "{}", added.body);
    let after = crate::lifecycle::submit_idea(&service, &aarhus, &idea).await;
    assert_eq!(after.status, 201, "{}", after.body);
    assert_eq!(after.body["participants"], json!(["751", "digst"]));
}
