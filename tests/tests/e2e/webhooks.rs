//! Webhooks: a receiver started by the test fails, goes down, comes back; os2pm's dispatcher is
//! stopped mid-delivery and started again. Every event arrives, signed, in order.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::test::TestRequest;
use actix_web::{HttpRequest, HttpResponse, web};
use hmac::{Hmac, Mac};
use os2pm_api::auth::Role;
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::lifecycle::{TestService, cast, idea, submit_idea, token_for};

const SECRET: &str = "a-shared-secret-of-enough-length";

/// What the receiver does and what it got.
#[derive(Default)]
struct Inbox {
    /// Answer 500 to this many requests first.
    fail: usize,
    /// Hold each request this long before answering.
    delay: Duration,
    /// Requests being held right now.
    in_flight: usize,
    /// Every request answered 2xx: (headers, body).
    accepted: Vec<(Vec<(String, String)>, String)>,
    /// Every request seen, accepted or not.
    seen: usize,
}

struct Receiver {
    inbox: Arc<Mutex<Inbox>>,
    port: u16,
    server: Option<actix_web::dev::ServerHandle>,
}

async fn receive(
    request: HttpRequest,
    body: web::Bytes,
    inbox: web::Data<Arc<Mutex<Inbox>>>,
) -> HttpResponse {
    let (fail, delay) = {
        let mut inbox = inbox.lock().unwrap();
        inbox.seen += 1;
        inbox.in_flight += 1;
        let fail = inbox.fail > 0;
        if fail {
            inbox.fail -= 1;
        }
        (fail, inbox.delay)
    };
    actix_web::rt::time::sleep(delay).await;
    let mut inbox = inbox.lock().unwrap();
    inbox.in_flight -= 1;
    if fail {
        return HttpResponse::InternalServerError().finish();
    }
    let headers = request
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    inbox
        .accepted
        .push((headers, String::from_utf8_lossy(&body).into_owned()));
    HttpResponse::NoContent().finish()
}

impl Receiver {
    fn start() -> Self {
        let mut receiver = Self {
            inbox: Arc::default(),
            port: 0,
            server: None,
        };
        receiver.up();
        receiver
    }

    /// (Re)starts listening on the same port.
    fn up(&mut self) {
        let listener = std::net::TcpListener::bind(("127.0.0.1", self.port)).unwrap();
        self.port = listener.local_addr().unwrap().port();
        let inbox = web::Data::new(self.inbox.clone());
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(inbox.clone())
                .route("/hook", web::post().to(receive))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(0)
        .listen(listener)
        .unwrap()
        .run();
        self.server = Some(server.handle());
        actix_web::rt::spawn(server);
    }

    /// Stops listening: connections are refused until `up`.
    async fn down(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop(false).await;
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    fn inbox(&self) -> std::sync::MutexGuard<'_, Inbox> {
        self.inbox.lock().unwrap()
    }

    /// The event ids accepted, in arrival order, and whether every signature verified.
    fn arrivals(&self) -> Vec<String> {
        self.inbox()
            .accepted
            .iter()
            .map(|(headers, body)| {
                let header = |name: &str| {
                    headers
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                let timestamp = header("x-os2pm-timestamp");
                let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
                mac.update(format!("{timestamp}.{body}").as_bytes());
                let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
                assert_eq!(header("x-os2pm-signature"), expected, "signature of {body}");
                let sent: i64 = timestamp.parse().unwrap();
                assert!((chrono::Utc::now().timestamp() - sent).abs() < 120);
                let event: Value = serde_json::from_str(body).unwrap();
                assert_eq!(header("x-os2pm-event"), event["id"].as_str().unwrap());
                assert_eq!(
                    header("x-os2pm-event-type"),
                    event["type"].as_str().unwrap()
                );
                assert!(!header("x-os2pm-delivery").is_empty());
                event["id"].as_str().unwrap().to_owned()
            })
            .collect()
    }
}

/// Waits up to 60 s for `done` (a loaded CI machine runs ninety other tests beside this one).
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn subscribe(service: &impl TestService, token: &str, body: Value) -> Reply {
    send(
        service,
        TestRequest::post()
            .uri("/api/v1/webhooks")
            .insert_header(bearer(token))
            .set_json(body),
    )
    .await
}

/// A receiver started and subscribed (by the administrator) to every submitted idea.
async fn ideas_receiver(service: &impl TestService, admin: &str) -> Receiver {
    let receiver = Receiver::start();
    let hook = subscribe(
        service,
        admin,
        json!({"url": receiver.url(), "event_types": ["project.idea_submitted"], "secret": SECRET}),
    )
    .await;
    assert_eq!(hook.status, 201, "{}", hook.body);
    receiver
}

/// The ids of the project events in the feed, in order.
async fn project_events(service: &impl TestService, admin: &str) -> Vec<String> {
    let feed = send(
        service,
        TestRequest::get()
            .uri("/api/v1/events?types=project.*&limit=1000")
            .insert_header(bearer(admin)),
    )
    .await;
    feed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Each id once, in the order it first arrived.
fn first_arrivals(ids: &[String]) -> Vec<String> {
    let mut unique: Vec<String> = Vec::new();
    for id in ids {
        if !unique.contains(id) {
            unique.push(id.clone());
        }
    }
    unique
}

async fn ideas(service: &impl TestService, token: &str, names: std::ops::Range<usize>) {
    for i in names {
        let created = submit_idea(service, token, &idea(&format!("Idé {i}"))).await;
        assert_eq!(created.status, 201);
    }
}

#[actix_web::test]
async fn every_event_arrives_signed_and_in_order_through_errors_and_an_outage() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let mut receiver = Receiver::start();
    let hook = subscribe(
        &service,
        &cast.admin,
        json!({"url": receiver.url(), "event_types": ["project.*"], "secret": SECRET}),
    )
    .await;
    assert_eq!(hook.status, 201, "{}", hook.body);
    assert_eq!(hook.body["secret"], SECRET, "shown once, at creation");
    let id = hook.body["id"].as_str().unwrap().to_owned();
    let listed = send(
        &service,
        TestRequest::get()
            .uri(&format!("/api/v1/webhooks/{id}"))
            .insert_header(bearer(&cast.admin)),
    )
    .await;
    assert!(listed.body.get("secret").is_none(), "{}", listed.body);

    receiver.inbox().fail = 3;
    let _dispatcher = app.dispatch();
    ideas(&service, &cast.aarhus, 0..5).await;
    until("the first five", || receiver.arrivals().len() >= 5).await;

    // The receiver goes down while five more ideas come in, and comes back.
    receiver.down().await;
    ideas(&service, &cast.aarhus, 5..10).await;
    let deliveries = |service| {
        let uri = format!("/api/v1/webhooks/{id}/deliveries?limit=200");
        let token = cast.admin.clone();
        async move {
            send(
                service,
                TestRequest::get().uri(&uri).insert_header(bearer(&token)),
            )
            .await
        }
    };
    let started = Instant::now();
    loop {
        let page = deliveries(&service).await;
        let refused = page.body["items"].as_array().unwrap().iter().any(|d| {
            d["attempts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["status_code"].is_null())
                .count()
                >= 2
        });
        if refused {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no failed attempts while down"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    receiver.up();
    until("all ten", || {
        first_arrivals(&receiver.arrivals()).len() >= 10
    })
    .await;

    let expected = project_events(&service, &cast.admin).await;
    assert_eq!(expected.len(), 10);
    assert_eq!(
        first_arrivals(&receiver.arrivals()),
        expected,
        "every event, in order"
    );

    // The receiver has each event before the dispatcher records it delivered: wait for that.
    let started = Instant::now();
    let page = loop {
        let page = deliveries(&service).await;
        let items = page.body["items"].as_array().unwrap();
        if items.iter().all(|d| d["state"] == "delivered") {
            break page;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not all delivered: {:#}",
            page.body
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    };
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    let statuses: Vec<Value> = items
        .iter()
        .flat_map(|d| {
            d["attempts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["status_code"].clone())
        })
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == json!(500)).count(), 3);
    assert!(
        statuses.iter().any(Value::is_null),
        "connection refused while down"
    );
    let refused = items
        .iter()
        .flat_map(|d| d["attempts"].as_array().unwrap().clone())
        .find(|a| a["status_code"].is_null())
        .unwrap();
    // Only the kind: whether a port refused or a handshake failed is not for the subscriber.
    assert_eq!(refused["error"], "could not connect", "{refused}");

    // Redelivery: a delivered event is sent again, as a new delivery. The arrivals are counted
    // before asking: the dispatcher may send it before the answer to the request is read.
    let first = items.last().unwrap()["id"].as_str().unwrap().to_owned();
    let before = receiver.arrivals().len();
    let again = send(
        &service,
        TestRequest::post()
            .uri(&format!(
                "/api/v1/webhooks/{id}/deliveries/{first}/redeliver"
            ))
            .insert_header(bearer(&cast.admin)),
    )
    .await;
    assert_eq!(again.status, 202, "{}", again.body);
    assert_ne!(again.body["id"], first.as_str());
    assert_eq!(again.body["redelivery_of"], first.as_str());
    until("the redelivery", || receiver.arrivals().len() > before).await;
    assert_eq!(receiver.arrivals().last(), expected.first());
}

#[actix_web::test]
async fn a_dispatcher_stopped_mid_delivery_loses_nothing_after_a_restart() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let receiver = ideas_receiver(&service, &cast.admin).await;
    ideas(&service, &cast.aarhus, 0..4).await;
    receiver.inbox().delay = Duration::from_millis(400);

    // Stopped while the receiver holds a request: the attempt is never recorded.
    let dispatcher = app.dispatch();
    until("a request in flight", || receiver.inbox().in_flight > 0).await;
    dispatcher.abort();
    let _ = dispatcher.await;
    ideas(&service, &cast.aarhus, 4..6).await;

    // A new dispatcher (after the lease of the cut-off attempt runs out) delivers everything.
    receiver.inbox().delay = Duration::ZERO;
    let _restarted = app.dispatch();
    until("all six", || {
        first_arrivals(&receiver.arrivals()).len() >= 6
    })
    .await;
    let expected = project_events(&service, &cast.admin).await;
    assert_eq!(
        first_arrivals(&receiver.arrivals()),
        expected,
        "in order, none lost"
    );
}

/// Several instances on one database run a dispatcher each: every event still arrives once per
/// subscription, in order (the queue's cursor is compared and set, a unique index backs it, and
/// a delivery is leased on the database's clock).
#[actix_web::test]
async fn three_dispatchers_on_one_database_deliver_each_event_once() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let receiver = ideas_receiver(&service, &cast.admin).await;
    let dispatchers: Vec<_> = (0..3).map(|_| app.dispatch()).collect();
    ideas(&service, &cast.aarhus, 0..20).await;
    until("all twenty", || {
        first_arrivals(&receiver.arrivals()).len() >= 20
    })
    .await;
    // Long enough for a second copy of any of them to arrive.
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;
    let expected = project_events(&service, &cast.admin).await;
    assert_eq!(receiver.arrivals(), expected, "each once, in order");
    for dispatcher in dispatchers {
        dispatcher.abort();
    }
}

/// An Idempotency-Key is the client's own: two integrations of different organisations that
/// happen to share a `sub` never replay each other's answers (a webhook's secret included).
#[actix_web::test]
async fn an_idempotency_key_never_replays_another_organisations_answer() {
    let app = TestApp::new();
    let service = app.service().await;
    let aarhus = token_for(&app, "intranet", &[Role::Integration], Some("751"));
    let copenhagen = token_for(&app, "intranet", &[Role::Integration], Some("101"));
    let subscribe_with_key = |token: &str| {
        TestRequest::post()
            .uri("/api/v1/webhooks")
            .insert_header(bearer(token))
            .insert_header(("idempotency-key", "hook-1"))
            .set_json(json!({"url": "https://intranet.example/hook"}))
    };
    let first = send(&service, subscribe_with_key(&aarhus)).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let replayed = send(&service, subscribe_with_key(&aarhus)).await;
    assert_eq!(replayed.header("idempotent-replayed"), Some("true"));
    assert_eq!(replayed.body["id"], first.body["id"]);

    let other = send(&service, subscribe_with_key(&copenhagen)).await;
    assert_eq!(other.status, 201, "{}", other.body);
    assert_eq!(other.header("idempotent-replayed"), None);
    assert_ne!(other.body["id"], first.body["id"]);
    assert_ne!(other.body["secret"], first.body["secret"]);
    assert_ne!(other.body["organization_id"], first.body["organization_id"]);

    // A key is visible ASCII, as its error says: no tab.
    let tab = TestRequest::post()
        .uri("/api/v1/webhooks")
        .insert_header(bearer(&aarhus))
        .insert_header(("idempotency-key", "hook\t2"))
        .set_json(json!({"url": "https://intranet.example/hook"}));
    assert_eq!(
        send(&service, tab).await.error_fields(),
        ["Idempotency-Key"]
    );
}

/// No SSRF: a webhook goes over https to a public host, whatever the spelling of the address;
/// the allow-list is the only way to a private one, plain http only to those; one organisation
/// has at most OS2PM_WEBHOOKS_PER_ORG webhooks.
#[actix_web::test]
async fn a_webhook_reaches_only_public_hosts_and_an_organisation_has_a_bounded_number() {
    let app = TestApp::with_config(os2pm_tests::TestDb::seeded(), |url| {
        let mut config = os2pm_tests::test_config(url);
        config.webhooks.per_organization = 2;
        config
    });
    let service = app.service().await;
    let integration = token_for(&app, "intranet", &[Role::Integration], Some("751"));
    let register = |url: &str| subscribe(&service, &integration, json!({"url": url}));
    for (url, rule) in [
        ("https://127.0.0.2:8443/hook", "loopback"),
        ("https://[::1]/hook", "loopback"),
        ("https://localhost/hook", "loopback"),
        // 127.0.0.2 in other spellings (127.0.0.1 is on this test's allow-list).
        ("https://2130706434/hook", "loopback"),
        ("https://0x7f.2/hook", "loopback"),
        ("https://[::ffff:127.0.0.2]/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://10.0.0.1/hook", "private"),
        ("https://100.64.0.1/hook", "shared"),
        ("https:///nohost", "single-label"),
        ("http://127.0.0.2:8080/hook", "https"),
    ] {
        let refused = register(url).await;
        refused.problem(422, "validation");
        let message = refused.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(rule), "{url}: {message}");
    }
    // The allow-list (here 127.0.0.1, with http for development) is the way to a private host.
    assert_eq!(register("http://127.0.0.1:9/hook").await.status, 201);
    assert_eq!(
        register("https://intranet.aarhus.dk/hook").await.status,
        201
    );
    register("https://intranet.aarhus.dk/other")
        .await
        .problem(409, "conflict");

    // Checked again at the send: a target stored under other rules is not called.
    let mut conn = app.db.connect();
    let row = os2pm_persistence::webhooks::WebhookRow {
        id: "legacy".into(),
        organization_id: None,
        url: "https://10.1.2.3/hook".into(),
        event_types: "[]".into(),
        secret: SECRET.into(),
        cursor: 0,
        created_by: "admin".into(),
        created_at: os2pm_persistence::now(),
        deleted_at: None,
    };
    os2pm_persistence::webhooks::insert(&mut conn, &row).unwrap();
    let cast = cast(&app, &service, 1).await;
    let dispatcher = app.dispatch();
    let mut attempts = Value::Null;
    for _ in 0..300 {
        let deliveries = send(
            &service,
            TestRequest::get()
                .uri("/api/v1/webhooks/legacy/deliveries")
                .insert_header(bearer(&cast.admin)),
        )
        .await;
        attempts = deliveries.body["items"][0]["attempts"].clone();
        if attempts.as_array().is_some_and(|a| !a.is_empty()) {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    dispatcher.abort();
    let error = attempts[0]["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("not called") && error.contains("private"),
        "{attempts}"
    );
}

#[actix_web::test]
async fn subscriptions_are_checked_and_belong_to_their_organisation() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let aarhus = token_for(&app, "intranet-751", &[Role::Integration], Some("751"));
    let copenhagen = token_for(&app, "intranet-101", &[Role::Integration], Some("101"));

    subscribe(
        &service,
        &cast.aarhus,
        json!({"url": "https://aarhus.dk/hook"}),
    )
    .await
    .problem(403, "forbidden");
    subscribe(
        &service,
        &aarhus,
        json!({"url": "https://aarhus.dk/hook", "organization": "101"}),
    )
    .await
    .problem(403, "forbidden");
    let bad = subscribe(
        &service,
        &aarhus,
        json!({"url": "http://aarhus.dk/hook", "event_types": ["Project"], "secret": "short"}),
    )
    .await;
    bad.problem(422, "validation");
    assert_eq!(bad.error_fields(), ["url", "event_types", "secret"]);
    let unknown = subscribe(
        &service,
        &aarhus,
        json!({"url": "https://aarhus.dk/hook", "colour": "red"}),
    )
    .await;
    unknown.problem(422, "validation");

    let created = subscribe(
        &service,
        &aarhus,
        json!({"url": "https://intranet.aarhus.dk/os2pm"}),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        created.body["secret"].as_str().unwrap().len(),
        64,
        "a generated secret"
    );
    let id = created.body["id"].as_str().unwrap().to_owned();
    let get = |token: &str| {
        TestRequest::get()
            .uri(&format!("/api/v1/webhooks/{id}"))
            .insert_header(bearer(token))
    };
    send(&service, get(&copenhagen))
        .await
        .problem(403, "forbidden");
    assert_eq!(send(&service, get(&cast.admin)).await.status, 200);
    let mine = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/webhooks")
            .insert_header(bearer(&copenhagen)),
    )
    .await;
    assert_eq!(mine.body["items"], json!([]));

    // The subscription's own events are not public: Copenhagen's intranet does not see them.
    let feed = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/events?types=webhook.*")
            .insert_header(bearer(&copenhagen)),
    )
    .await;
    assert_eq!(feed.body["items"], json!([]));
    let own = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/events?types=webhook.*")
            .insert_header(bearer(&aarhus)),
    )
    .await;
    assert_eq!(own.body["items"][0]["type"], "webhook.created");
    assert!(
        own.body["items"][0]["payload"].get("secret").is_none(),
        "no secret in events"
    );

    let delete = |token: &str| {
        TestRequest::delete()
            .uri(&format!("/api/v1/webhooks/{id}"))
            .insert_header(bearer(token))
    };
    send(&service, delete(&copenhagen))
        .await
        .problem(403, "forbidden");
    assert_eq!(send(&service, delete(&aarhus)).await.status, 204);
    send(&service, get(&aarhus)).await.problem(404, "not-found");
    send(&service, delete(&aarhus))
        .await
        .problem(404, "not-found");
}
