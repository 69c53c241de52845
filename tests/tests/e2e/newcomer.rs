//! A newcomer's first hour: every error is problem+json with a request id, even the ones
//! answered before a handler runs; every list has one shape; a write answers the ETag a
//! following GET sends; the bare address leads to the documentation.

use actix_web::test::TestRequest;
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::json;

use crate::lifecycle::{cast, etag, evidence, get, idea, new_idea, place, submit_idea};

#[track_caller]
fn has_request_id(reply: &Reply) {
    assert!(
        reply
            .header("x-request-id")
            .is_some_and(|id| id.len() >= 32),
        "{:?}",
        reply.headers
    );
}

#[actix_web::test]
async fn oversized_urls_and_headers_are_problems_with_a_request_id() {
    let app = TestApp::new();
    let service = app.service().await;
    let long = "a".repeat(os2pm_api::request::MAX_URI_BYTES);
    let reply = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/organizations?q={long}")),
    )
    .await;
    reply.problem(414, "uri-too-long");
    has_request_id(&reply);

    let mut request = TestRequest::get().uri("/health/live");
    for i in 0..5 {
        let value = "b".repeat(os2pm_api::request::MAX_HEADER_BYTES / 4);
        request = request.insert_header((format!("x-padding-{i}"), value));
    }
    let reply = send(&service, request).await;
    reply.problem(431, "headers-too-large");
    has_request_id(&reply);

    // A query string that cannot be read is the API's own 400.
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?limit=ten"),
    )
    .await;
    reply.problem(400, "invalid-query");
    has_request_id(&reply);
    let reply = send(
        &service,
        TestRequest::get().uri("/api/v1/organizations?cursor=%3Cnext_cursor%3E"),
    )
    .await;
    assert_eq!(
        reply.problem(422, "validation")["errors"][0]["field"],
        "cursor"
    );
    has_request_id(&reply);
}

#[actix_web::test]
async fn the_bare_address_and_the_ui_without_its_slash_lead_to_the_documentation() {
    let app = TestApp::new();
    let service = app.service().await;
    for path in ["/", "/swagger-ui"] {
        let reply = send(&service, TestRequest::get().uri(path)).await;
        assert_eq!(reply.status, 302, "{path}");
        assert_eq!(reply.header("location"), Some("/swagger-ui/"), "{path}");
    }
    let ui = send(&service, TestRequest::get().uri("/swagger-ui/")).await;
    assert_eq!(ui.status, 200);
}

/// Every answer tells a browser not to sniff, frame or refer, with a content security policy as
/// strict as the answer allows: nothing may run in JSON or a problem, no script on the board's
/// page, and Swagger UI only its own.
#[actix_web::test]
async fn every_answer_carries_browser_facing_headers() {
    let app = TestApp::new();
    let service = app.service().await;
    let policy = |path: &str| {
        let service = &service;
        let path = path.to_owned();
        async move {
            let reply = send(service, TestRequest::get().uri(&path)).await;
            assert_eq!(
                reply.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
            assert_eq!(
                reply.header("referrer-policy"),
                Some("no-referrer"),
                "{path}"
            );
            reply
                .header("content-security-policy")
                .unwrap_or_default()
                .to_owned()
        }
    };
    for path in ["/api/v1/projects", "/api/v1/nowhere", "/health/live"] {
        let csp = policy(path).await;
        assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
        assert!(
            !csp.contains("script-src") && !csp.contains("style-src"),
            "{path}: {csp}"
        );
    }
    let page = policy("/portfolio").await;
    assert!(!page.contains("script-src"), "{page}");
    assert!(page.contains("frame-ancestors 'none'"), "{page}");
    let ui = policy("/swagger-ui/").await;
    assert!(ui.contains("script-src 'self'"), "{ui}");
}

/// CORS is off unless origins are named: then an intranet page on a named origin may call the
/// API from a browser (its preflight answered, the headers a client reads exposed); another
/// origin may not.
#[actix_web::test]
async fn an_intranet_origin_calls_the_api_from_a_browser_only_when_named() {
    let intranet = "https://intranet.aarhus.dk";
    let preflight = |origin: &str| {
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/v1/projects")
            .insert_header(("origin", origin.to_owned()))
            .insert_header(("access-control-request-method", "POST"))
            .insert_header((
                "access-control-request-headers",
                "authorization, content-type, idempotency-key",
            ))
    };
    let read = |origin: &str| {
        TestRequest::get()
            .uri("/api/v1/projects")
            .insert_header(("origin", origin.to_owned()))
    };

    let off = TestApp::new();
    let service = off.service().await;
    let answer = send(&service, preflight(intranet)).await;
    assert_eq!(answer.header("access-control-allow-origin"), None);
    let answer = send(&service, read(intranet)).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);

    let on = TestApp::with_config(os2pm_tests::TestDb::seeded(), |url| {
        let mut config = os2pm_tests::test_config(url);
        config.cors_origins = vec![intranet.to_owned()];
        config
    });
    let service = on.service().await;
    let answer = send(&service, preflight(intranet)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("access-control-allow-origin"), Some(intranet));
    assert!(
        answer
            .header("access-control-allow-methods")
            .unwrap_or_default()
            .contains("POST")
    );
    let answer = send(&service, read(intranet)).await;
    assert_eq!(answer.header("access-control-allow-origin"), Some(intranet));
    let exposed = answer
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        exposed.contains("etag") && exposed.contains("location"),
        "{exposed}"
    );
    let other = send(&service, read("https://evil.example")).await;
    assert_eq!(other.header("access-control-allow-origin"), None);
}

/// A client over its limit of anonymous requests, or of failed sign-ins, gets 429 with
/// Retry-After; a signed-in client is not limited, and another address has its own limit.
#[actix_web::test]
async fn a_client_over_its_limit_is_told_when_to_come_back() {
    let app = TestApp::with_config(os2pm_tests::TestDb::seeded(), |url| {
        let mut config = os2pm_tests::test_config(url);
        config.rate_limit_per_minute = 3;
        config
    });
    let service = app.service().await;
    let from = |address: &str| {
        TestRequest::get()
            .uri("/api/v1/organizations?limit=1")
            .peer_addr(address.parse().unwrap())
    };
    for _ in 0..3 {
        assert_eq!(send(&service, from("192.0.2.1:5000")).await.status, 200);
    }
    let refused = send(&service, from("192.0.2.1:5001")).await;
    refused.problem(429, "too-many-requests");
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(send(&service, from("192.0.2.2:5000")).await.status, 200);
    let token = app.token(&[os2pm_api::auth::Role::Admin], None);
    let signed_in = from("192.0.2.1:5002").insert_header(bearer(&token));
    assert_eq!(send(&service, signed_in).await.status, 200);

    // Guessing tokens: three failures, then 429 in place of the fourth's 401.
    let guess = || {
        TestRequest::get()
            .uri("/api/v1/me")
            .peer_addr("198.51.100.7:6000".parse().unwrap())
            .insert_header(bearer("not-a-token"))
    };
    for _ in 0..3 {
        send(&service, guess()).await.problem(401, "unauthorized");
    }
    send(&service, guess())
        .await
        .problem(429, "too-many-requests");
}

/// Every list answers `{"items": [...], "next_cursor": ...}` and pages with `limit` and `cursor`.
#[actix_web::test]
async fn every_list_has_one_shape_and_pages() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let id = new_idea(&service, &cast.aarhus, &idea("Lister")).await;
    assert_eq!(place(&service, &cast.manager, &id, "N2").await.status, 200);
    let lists = [
        format!("/api/v1/projects/{id}/history"),
        format!("/api/v1/projects/{id}/benefits"),
        format!("/api/v1/projects/{id}/reports"),
        "/api/v1/board/meetings".to_owned(),
        "/api/v1/webhooks".to_owned(),
        "/api/v1/organizations".to_owned(),
        "/api/v1/projects".to_owned(),
    ];
    for uri in &lists {
        let reply = send(
            &service,
            TestRequest::get()
                .uri(uri)
                .insert_header(bearer(&cast.admin)),
        )
        .await;
        assert_eq!(reply.status, 200, "{uri}: {}", reply.body);
        assert!(reply.body["items"].is_array(), "{uri}: {}", reply.body);
        assert!(
            reply.body.as_object().unwrap().contains_key("next_cursor"),
            "{uri}: {}",
            reply.body
        );
    }

    // The history has two entries: one a page, then the second, then no more.
    let page = |cursor: Option<&str>| {
        let cursor = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
        TestRequest::get().uri(&format!("/api/v1/projects/{id}/history?limit=1{cursor}"))
    };
    let first = send(&service, page(None)).await;
    assert_eq!(first.body["items"][0]["action"], "idea_submitted");
    let cursor = first.body["next_cursor"].as_str().unwrap().to_owned();
    let second = send(&service, page(Some(&cursor))).await;
    assert_eq!(second.body["items"][0]["action"], "placed");
    assert_eq!(second.body["next_cursor"], json!(null));
    let bad = send(&service, page(Some("nonsense"))).await;
    assert_eq!(bad.error_fields(), ["cursor"]);
}

/// The ETag a write answers is the one a GET right after it sends: usable at once for
/// `If-Match` and `If-None-Match`.
#[actix_web::test]
async fn a_write_answers_the_etag_a_following_get_sends() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let created = submit_idea(&service, &cast.aarhus, &idea("Mærker")).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let tag = created
        .header("etag")
        .expect("201 sends an ETag")
        .to_owned();
    assert_eq!(tag, etag(&service, &id).await);

    let placed = place(&service, &cast.manager, &id, "N2").await;
    let tag = placed.header("etag").unwrap().to_owned();
    assert_eq!(tag, etag(&service, &id).await);
    let unchanged = send(
        &service,
        TestRequest::get()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(("if-none-match", tag.clone())),
    )
    .await;
    assert_eq!(unchanged.status, 304);

    let attested = evidence(
        &service,
        &cast.aarhus,
        &id,
        "idea_described",
        json!({"status": "met"}),
    )
    .await;
    let tag = attested.header("etag").unwrap().to_owned();
    assert_eq!(tag, get(&service, &id, None).await.header("etag").unwrap());
    // And it is good for the next change at once.
    let edited = send(
        &service,
        TestRequest::put()
            .uri(&format!("/api/v1/projects/{id}/requirements/local_value"))
            .insert_header(bearer(&cast.aarhus))
            .insert_header(("if-match", tag))
            .set_json(json!({"status": "met"})),
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
}

/// The README names every role with what it may do, says how long a development token lives
/// and how to start again; the licence file is the one `Cargo.toml` names.
#[test]
fn the_readme_and_the_licence_tell_a_newcomer_what_they_need() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let read = |name: &str| {
        std::fs::read_to_string(format!("{root}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let readme = read("README.md");
    for role in os2pm_api::auth::Role::ALL {
        assert!(
            readme.contains(&format!("| `{}` |", role.as_str())),
            "the README's role table lacks {role}"
        );
    }
    assert!(readme.contains("A token lives 1 hour unless you say `--ttl`"));
    assert!(readme.contains("**Starting again from nothing.**"));
    let manifest = read("Cargo.toml");
    assert!(manifest.contains("license = \"MPL-2.0\""));
    assert!(read("LICENSE").starts_with("Mozilla Public License Version 2.0"));
}

/// A port already in use stops the start with the address, before the database file is
/// created or migrated and before a development key is written.
#[actix_web::test]
async fn a_busy_port_is_reported_before_anything_is_written() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("os2pm.db");
    let key = folder.path().join("os2pm.key");
    let values = [
        ("DATABASE_URL", database.display().to_string()),
        ("OS2PM_BIND", bind.clone()),
        ("OS2PM_JWT_KEY_FILE", key.display().to_string()),
    ];
    let config = os2pm_api::config::Config::from_lookup(|name| {
        values
            .iter()
            .find(|(variable, _)| *variable == name)
            .map(|(_, value)| value.clone())
    })
    .unwrap();
    let refused = os2pm_api::server::serve(config).await.unwrap_err();
    assert!(
        matches!(&refused, os2pm_api::server::StartError::Bind { bind: at, .. } if *at == bind),
        "{refused}"
    );
    assert!(refused.to_string().contains(&bind), "{refused}");
    assert!(!database.exists(), "the database file was created");
    assert!(!key.exists(), "a key file was written");
}
