//! Personal data only where it is needed (governance.md §9): the public reads organisations,
//! states and decisions, never a person; the association reads the people; the votes of a pending
//! approval are the business manager's and the board's until it is decided.

use actix_web::test::TestRequest;
use os2pm_tests::{TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{TestService, awaiting_approval, cast, get, vote};
use crate::products::live_product;
use crate::running::{crew, file_report, report, running_project};

/// How the people of the scenes below appear in a response: their `sub`s as JSON strings,
/// their names and an e-mail address.
const PEOPLE: &[&str] = &[
    "\"jens\"",
    "\"kim\"",
    "\"pia\"",
    "\"anne\"",
    "\"board-0\"",
    "\"board-1\"",
    "Jens Hansen",
    "jens@aarhus.dk",
];

async fn read(service: &impl TestService, uri: &str, token: Option<&str>) -> String {
    let mut request = TestRequest::get().uri(uri);
    if let Some(token) = token {
        request = request.insert_header(bearer(token));
    }
    let reply = send(service, request).await;
    assert_eq!(reply.status, 200, "{uri}: {}", reply.body);
    match reply.body {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

#[actix_web::test]
async fn the_public_reads_no_person_and_the_association_reads_them_all() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (project, product) = live_product(&service, &cast, &crew, 500_000).await;
    let running = running_project(&service, &cast, &crew, "N2").await;
    let filed = file_report(&service, &crew.pia, &running, report("green", None, 1)).await;
    assert_eq!(filed.status, 201, "{}", filed.body);
    let requested = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/change-requests"))
            .insert_header(bearer(&cast.aarhus))
            .set_json(
                json!({"category": "legal_maintenance", "description": "Ny vejledning",
                "estimated_cost_dkk": 40_000}),
            ),
    )
    .await;
    assert_eq!(requested.status, 201, "{}", requested.body);
    // A second project waits for the board, one vote cast.
    let (pending, approval) = awaiting_approval(&service, &cast, "N2").await;
    let voted = vote(&service, cast.member(1), &approval, "approve", Some("Godt")).await;
    assert_eq!(voted.body["state"], "pending", "{}", voted.body);

    let uris = [
        format!("/api/v1/projects/{project}"),
        format!("/api/v1/projects/{project}/history"),
        format!("/api/v1/projects/{running}"),
        format!("/api/v1/projects/{running}/reports"),
        format!("/api/v1/projects/{pending}"),
        format!("/api/v1/projects/{pending}/history"),
        format!("/api/v1/approvals/{approval}"),
        format!("/api/v1/products/{product}"),
        format!("/api/v1/products/{product}/change-requests"),
        "/api/v1/portfolio".into(),
        "/api/v1/portfolio/decision-log".into(),
        "/portfolio".into(),
    ];
    let mut public = String::new();
    let mut association = String::new();
    for uri in &uris {
        let anyone = read(&service, uri, None).await;
        for person in PEOPLE {
            assert!(!anyone.contains(person), "{uri} names {person}: {anyone}");
        }
        public.push_str(&anyone);
        association.push_str(&read(&service, uri, Some(&cast.copenhagen)).await);
    }
    // The same reads name every one of them to the association, so the check above can fail.
    for person in PEOPLE {
        assert!(association.contains(person), "{person} is never named");
    }
    // Organisations, decisions and their reasons stay public.
    for public_fact in ["\"751\"", "\"organization\":\"101\"", "Godkendt"] {
        assert!(public.contains(public_fact), "{public_fact}");
    }
}

#[actix_web::test]
async fn pending_votes_are_the_boards_and_decided_votes_are_public_by_organisation() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let (project, approval) = awaiting_approval(&service, &cast, "N2").await;
    let first = vote(&service, cast.member(2), &approval, "approve", None).await;
    assert_eq!(first.body["state"], "pending", "{}", first.body);
    let votes = |view: &Value| view["votes"].as_array().cloned().unwrap_or_default();
    let approval_as = |token: Option<String>| {
        let uri = format!("/api/v1/approvals/{approval}");
        let service = &service;
        async move {
            let text = read(service, &uri, token.as_deref()).await;
            serde_json::from_str::<Value>(&text).unwrap()
        }
    };

    // Pending: the board and the business manager see the vote; the association and the
    // public do not, in the approval and in the project's view alike.
    for reader in [cast.member(0), &cast.manager] {
        let seen = approval_as(Some(reader.to_owned())).await;
        assert_eq!(votes(&seen).len(), 1, "{seen}");
        assert_eq!(seen["votes"][0]["voter"], "board-2");
        assert_eq!(seen["votes"][0]["organization"], "os2");
    }
    for reader in [Some(cast.aarhus.clone()), None] {
        assert!(votes(&approval_as(reader.clone()).await).is_empty());
        let project_view = get(&service, &project, reader.as_deref()).await.body;
        assert_eq!(project_view["current_approval"]["votes"], json!([]));
    }
    let own = get(&service, &project, Some(cast.member(0))).await.body;
    assert_eq!(own["current_approval"]["votes"][0]["voter"], "board-2");

    // Decided: the votes are public, by organisation; the association sees who.
    let second = vote(&service, cast.member(1), &approval, "approve", None).await;
    assert_eq!(second.body["state"], "decided", "{}", second.body);
    let public = approval_as(None).await;
    assert_eq!(votes(&public).len(), 2, "{public}");
    for vote in votes(&public) {
        assert_eq!(vote["voter"], Value::Null, "{vote}");
        assert!(["kl", "os2"].contains(&vote["organization"].as_str().unwrap()));
    }
    let association = approval_as(Some(cast.aarhus.clone())).await;
    assert_eq!(association["votes"][0]["voter"], "board-2");
}

#[actix_web::test]
async fn everything_stored_about_a_person_is_exported() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let (project, approval) = awaiting_approval(&service, &cast, "N2").await;
    let voted = vote(&service, cast.member(1), &approval, "approve", Some("Godt")).await;
    assert_eq!(voted.status, 201, "{}", voted.body);

    let mut conn = app.db.connect();
    let member = os2pm_persistence::person_data::export(&mut conn, "board-1").unwrap();
    assert_eq!(member["person"]["name"], "Person board-1");
    assert_eq!(member["board_seats"].as_array().unwrap().len(), 1);
    assert_eq!(member["votes"][0]["approval_id"], approval.as_str());
    assert_eq!(member["votes"][0]["voter_organization"], "kl");
    assert!(
        member["audit_log"]
            .as_array()
            .unwrap()
            .iter()
            .any(|entry| entry["action"] == "vote_cast")
    );
    // The owner's user filed the idea and is its contact (by e-mail, as `sub`).
    let owner = os2pm_persistence::person_data::export(&mut conn, "jens").unwrap();
    assert_eq!(
        owner["person"],
        Value::Null,
        "jens is not in the register here"
    );
    assert_eq!(owner["projects"][0]["id"], project.as_str());
    assert!(owner.get("votes").is_none(), "{owner:?}");
    let stranger = os2pm_persistence::person_data::export(&mut conn, "nobody").unwrap();
    assert_eq!(
        serde_json::to_value(&stranger).unwrap(),
        json!({"person": null})
    );
}
