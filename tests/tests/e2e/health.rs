use actix_web::test::TestRequest;
use os2pm_tests::{TestApp, send};

#[actix_web::test]
async fn liveness_answers_without_a_database_check() {
    let app = TestApp::new();
    let service = app.service().await;
    let reply = send(&service, TestRequest::get().uri("/health/live")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["status"], "ok");
    assert!(
        reply
            .header("x-request-id")
            .is_some_and(|id| id.len() >= 32)
    );
}

#[actix_web::test]
async fn readiness_goes_503_while_the_database_is_away_and_recovers_by_itself() {
    let app = TestApp::new();
    let service = app.service().await;
    let ready = || TestRequest::get().uri("/health/ready");

    let reply = send(&service, ready()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["status"], "ready");
    let backend = if os2pm_tests::postgres_url().is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    assert_eq!(reply.body["database"], backend);

    {
        let _outage = app.db.take_offline();
        let reply = send(&service, ready()).await;
        reply.problem(503, "database-unavailable");
        assert_eq!(reply.header("retry-after"), Some("5"));
        // Requests that need the database get the same answer, not a hang or a 500.
        let reply = send(
            &service,
            TestRequest::get().uri("/api/v1/organizations/101"),
        )
        .await;
        reply.problem(503, "database-unavailable");
    }

    let reply = send(&service, ready()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations/101"),
    )
    .await;
    assert_eq!(reply.body["name"], "Københavns Kommune");
}

#[actix_web::test]
async fn unknown_routes_and_wrong_methods_are_problems() {
    let app = TestApp::new();
    let service = app.service().await;

    let reply = send(&service, TestRequest::get().uri("/api/v1/nothing-here")).await;
    reply.problem(404, "not-found");
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("/api/v1/nothing-here")
    );

    let reply = send(&service, TestRequest::delete().uri("/api/v1/organizations")).await;
    reply.problem(405, "method-not-allowed");
    assert_eq!(
        reply.header("allow").map(|a| a.contains("POST")),
        Some(true)
    );

    let reply = send(&service, TestRequest::post().uri("/health/live")).await;
    reply.problem(405, "method-not-allowed");
}
