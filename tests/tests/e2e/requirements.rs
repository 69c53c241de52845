use actix_web::test::TestRequest;
use os2pm_tests::{TestApp, send};
use serde_json::Value;

fn keys(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn the_catalogue_is_cumulative_per_level() {
    let app = TestApp::new();
    let service = app.service().await;
    let at = |level: &str| TestRequest::get().uri(&format!("/api/v1/requirements?level={level}"));

    let n1 = send(&service, at("N1")).await;
    let n2 = send(&service, at("N2")).await;
    let n3 = send(&service, at("N3")).await;
    assert_eq!(n1.body["catalogue"], "os2-2016");
    assert_eq!(n2.body["level"], "N2");
    let (n1, n2, n3) = (keys(&n1.body), keys(&n2.body), keys(&n3.body));
    assert_eq!((n1.len(), n2.len(), n3.len()), (16, 28, 33));
    assert!(n1.contains(&"local_funding".to_owned()));
    assert!(
        !n2.contains(&"local_funding".to_owned()),
        "OS2 funding is possible from N2"
    );
    assert!(n2.iter().all(|key| n3.contains(key)));
    assert!(n3.contains(&"board_member_in_coordination_group".to_owned()));
}

#[actix_web::test]
async fn requirements_carry_both_titles_kind_and_gate() {
    let app = TestApp::new();
    let service = app.service().await;
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/requirements?level=N2"),
    )
    .await;
    let acceptance = reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "line_management_acceptance")
        .unwrap();
    assert_eq!(acceptance["level"], "N2");
    assert_eq!(acceptance["gate"], "approval");
    assert_eq!(acceptance["kind"], "attestation");
    assert_eq!(acceptance["theme"], "relevance");
    assert_eq!(acceptance["per_organization"], true);
    assert!(
        acceptance["title_da"]
            .as_str()
            .unwrap()
            .contains("linjeledelse")
    );
    assert!(
        acceptance["title_en"]
            .as_str()
            .unwrap()
            .contains("line management")
    );
}

#[actix_web::test]
async fn a_gate_filter_keeps_what_is_due_by_then() {
    let app = TestApp::new();
    let service = app.service().await;
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/requirements?level=N2&gate=start"),
    )
    .await;
    let gates: Vec<&str> = reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["gate"].as_str().unwrap())
        .collect();
    assert!(gates.contains(&"approval") && gates.contains(&"start"));
    assert!(!gates.contains(&"go_live"));
    assert!(keys(&reply.body).contains(&"board_approval".to_owned()));
}

#[actix_web::test]
async fn unknown_levels_gates_and_catalogues_are_refused_by_field() {
    let app = TestApp::new();
    let service = app.service().await;
    for (query, field) in [
        ("level=N4", "level"),
        ("gate=launch", "gate"),
        ("catalogue=os2-1999", "catalogue"),
    ] {
        let reply = send(
            &service,
            TestRequest::get().uri(&format!("/api/v1/requirements?{query}")),
        )
        .await;
        reply.problem(422, "validation");
        assert_eq!(reply.error_fields(), [field], "{query}");
    }
}
