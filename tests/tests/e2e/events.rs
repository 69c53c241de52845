//! The event feed: every change once, in commit order, resumable, and only what the reader may
//! see.

use std::collections::HashSet;

use actix_web::test::TestRequest;
use os2pm_api::auth::Role;
use os2pm_persistence::audit;
use os2pm_persistence::events::{self as store, Audience, TypeFilter};
use os2pm_persistence::{DatabaseUrl, DbConnection};
use os2pm_tests::{Reply, TestApp, TestDb, administrator, bearer, organisation_entry, send};
use serde_json::{Value, json};

use crate::lifecycle::{TestService, cast, etag, idea, new_idea, submit_idea, token_for};

async fn read(service: &impl TestService, token: &str, query: &str) -> Reply {
    send(
        service,
        TestRequest::get()
            .uri(&format!("/api/v1/events?{query}"))
            .insert_header(bearer(token)),
    )
    .await
}

/// Every event after `cursor`, page by page; returns them and the cursor to resume from.
async fn drain(
    service: &impl TestService,
    token: &str,
    mut cursor: String,
    limit: usize,
) -> (Vec<Value>, String) {
    let mut events = Vec::new();
    loop {
        let page = read(service, token, &format!("after={cursor}&limit={limit}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap().clone();
        cursor = page.body["next_cursor"].as_str().unwrap().to_owned();
        let done = items.len() < limit;
        events.extend(items);
        if done {
            return (events, cursor);
        }
    }
}

fn cursors(events: &[Value]) -> Vec<i64> {
    events
        .iter()
        .map(|e| e["cursor"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[actix_web::test]
async fn the_feed_has_every_change_once_in_commit_order_under_concurrent_writers() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let (before, start) = drain(&service, &cast.admin, "0".into(), 50).await;
    assert!(!before.is_empty(), "setting up the cast made events");

    // Four writers submit ten ideas each while a reader follows the feed in small pages; once
    // the writers are done, the reader catches up once more. A reader that skipped an event
    // committed late (a gap) would not see it again.
    let writing = std::cell::Cell::new(true);
    let writers = async {
        let writers = (0..4).map(|w| {
            let (service, token) = (&service, &cast.aarhus);
            async move {
                for i in 0..10 {
                    let created = submit_idea(service, token, &idea(&format!("Idé {w}-{i}"))).await;
                    assert_eq!(created.status, 201, "{}", created.body);
                }
            }
        });
        futures_util::future::join_all(writers).await;
        writing.set(false);
    };
    let reader = async {
        let mut seen = Vec::new();
        let mut cursor = start.clone();
        loop {
            let last_round = !writing.get();
            let (events, next) = drain(&service, &cast.admin, cursor, 7).await;
            seen.extend(events);
            cursor = next;
            if last_round {
                return seen;
            }
            actix_web::rt::task::yield_now().await;
        }
    };
    let (_, followed) = tokio::join!(writers, reader);

    let (everything, _) = drain(&service, &cast.admin, start, 1000).await;
    assert_eq!(everything.len(), 40, "one event per change");
    let order = cursors(&followed);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in order: {order:?}");
    assert_eq!(order, cursors(&everything), "the live reader missed none");
    let ids: HashSet<&str> = everything
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 40, "no duplicates");
    assert!(
        everything
            .iter()
            .all(|e| e["type"] == "project.idea_submitted")
    );
    assert_eq!(everything[0]["subject"]["type"], "project");
    assert_eq!(everything[0]["actor"], "jens");
    assert_eq!(everything[0]["payload"]["state"], "idea");
}

#[actix_web::test]
async fn a_refused_change_writes_no_event_and_a_change_writes_its_new_state() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let id = new_idea(&service, &cast.aarhus, &idea("Hændelser")).await;
    let (_, cursor) = drain(&service, &cast.admin, "0".into(), 1000).await;
    let stale = etag(&service, &id).await;
    let edit = |title: &str, etag: &str| {
        TestRequest::patch()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(bearer(&cast.aarhus))
            .insert_header(("if-match", etag.to_owned()))
            .set_json(json!({"title": title}))
    };
    assert_eq!(send(&service, edit("Ny titel", &stale)).await.status, 200);
    send(&service, edit("Forældet", &stale))
        .await
        .problem(412, "precondition-failed");
    let current = etag(&service, &id).await;
    let foreign = TestRequest::patch()
        .uri(&format!("/api/v1/projects/{id}"))
        .insert_header(bearer(&cast.copenhagen))
        .insert_header(("if-match", current))
        .set_json(json!({"title": "Ikke min"}));
    send(&service, foreign).await.problem(403, "forbidden");
    let (events, _) = drain(&service, &cast.admin, cursor, 1000).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["subject"]["id"], id.as_str());
    assert_eq!(events[0]["payload"]["title"], "Ny titel");
}

#[actix_web::test]
async fn an_integration_sees_public_events_and_its_own_organisations_only() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let person = |sub: &str, org: &str| {
        TestRequest::post()
            .uri("/api/v1/people")
            .insert_header(bearer(&cast.admin))
            .set_json(json!({"sub": sub, "name": "Medarbejder", "organization": org}))
    };
    assert_eq!(send(&service, person("mette", "751")).await.status, 201);
    assert_eq!(send(&service, person("kaj", "101")).await.status, 201);
    submit_idea(&service, &cast.copenhagen, &idea("Københavns idé")).await;
    let aarhus = token_for(&app, "intranet-751", &[Role::Integration], Some("751"));

    let (seen, _) = drain(&service, &aarhus, "0".into(), 1000).await;
    let people: Vec<&str> = seen
        .iter()
        .filter(|e| e["type"] == "person.created")
        .map(|e| e["payload"]["sub"].as_str().unwrap())
        .collect();
    assert_eq!(people, ["mette"], "people are Aarhus' own only");
    assert!(
        seen.iter().any(|e| e["type"] == "project.idea_submitted"),
        "public items' events are everyone's"
    );
    let (all, _) = drain(&service, &cast.admin, "0".into(), 1000).await;
    assert!(all.len() > seen.len());

    // Types: exact, or a whole subject.
    let only = read(&service, &cast.admin, "types=project.idea_submitted").await;
    let types: Vec<&Value> = only.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["type"])
        .collect();
    assert_eq!(types, [&json!("project.idea_submitted")]);
    let subject = read(&service, &cast.admin, "types=person.*").await;
    assert!(
        subject.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["subject"]["type"] == "person")
    );

    // Refusals.
    let refused = read(&service, &cast.aarhus, "").await;
    refused.problem(403, "forbidden");
    send(&service, TestRequest::get().uri("/api/v1/events"))
        .await
        .problem(401, "unauthorized");
    for (query, field) in [
        ("after=abc", "after"),
        ("after=-1", "after"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("types=project", "types"),
        ("types=Project.*", "types"),
    ] {
        let reply = read(&service, &cast.admin, query).await;
        reply.problem(422, "validation");
        assert_eq!(reply.error_fields(), [field], "{query}");
    }
    // Past the end: an empty page that keeps the cursor.
    let end = read(&service, &cast.admin, "after=999999").await;
    assert_eq!(end.body, json!({"items": [], "next_cursor": "999999"}));
}

/// One event about an organisation, written by `conn` (inside whatever transaction it is in).
fn write_event(conn: &mut DbConnection, subject: &str) {
    let actor = administrator();
    audit::append(conn, organisation_entry(&actor, subject, "updated")).unwrap();
}

/// Every event a reader gets after `after`, with its place.
fn read_after(conn: &mut DbConnection, after: i64) -> Vec<(i64, i64, String)> {
    store::sequence(conn).unwrap();
    store::between(
        conn,
        after,
        i64::MAX,
        &Audience::Everything,
        &TypeFilter::default(),
        100,
    )
    .unwrap()
    .into_iter()
    .map(|e| (e.seq, e.id, e.subject_id))
    .collect()
}

#[actix_web::test]
async fn an_event_that_commits_late_comes_after_everything_read_before_it() {
    use diesel::Connection;

    let db = TestDb::seeded();
    let (mut slow, mut reader) = (db.connect(), db.connect());
    let start = read_after(&mut reader, 0).last().map_or(0, |e| e.0);
    let mut seen_meanwhile = Vec::new();
    slow.transaction(|slow| {
        write_event(slow, "late");
        // PostgreSQL: another writer commits meanwhile, its event numbered after the open
        // one's. (SQLite's one writer cannot begin before the open transaction ends.)
        if matches!(db.url, DatabaseUrl::Postgres(_)) {
            write_event(&mut db.connect(), "early");
        }
        seen_meanwhile = read_after(&mut reader, start);
        Ok::<_, diesel::result::Error>(())
    })
    .unwrap();
    let cursor = seen_meanwhile.last().map_or(start, |e| e.0);
    let after_commit = read_after(&mut reader, cursor);

    let subjects = |events: &[(i64, i64, String)]| -> Vec<String> {
        events.iter().map(|e| e.2.clone()).collect()
    };
    assert_eq!(
        subjects(&after_commit),
        ["late"],
        "the reader resuming from its cursor gets the late event"
    );
    if let DatabaseUrl::Postgres(_) = db.url {
        assert_eq!(
            subjects(&seen_meanwhile),
            ["early"],
            "uncommitted is unseen"
        );
        assert!(
            after_commit[0].1 < seen_meanwhile[0].1,
            "the late event was written first: {after_commit:?} {seen_meanwhile:?}"
        );
    } else {
        assert!(seen_meanwhile.is_empty());
    }
    assert!(
        after_commit[0].0 > cursor,
        "its place comes after the cursor"
    );
}

/// Governance.md §6 (issue: events say what happened): a change request and a benefit arrive as
/// themselves, `change_request.filed` and `benefit.added`, not both as `project.created`, and a
/// subject filter finds them by their own names.
#[actix_web::test]
async fn events_name_their_subject_and_act() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crate::running::crew(&app, &service, &cast).await;
    let (project, product) = crate::products::live_product(&service, &cast, &crew, 500_000).await;
    let filed = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/change-requests"))
            .insert_header(bearer(&cast.aarhus))
            .set_json(json!({"category": "legal_maintenance", "description": "Ny vejledning", "estimated_cost_dkk": 40000})),
    )
    .await;
    assert_eq!(filed.status, 201, "{}", filed.body);
    let benefit = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{project}/benefits"))
            .insert_header(bearer(&cast.aarhus))
            .set_json(
                json!({"indicator": "Svartid", "unit": "dage", "baseline": 40, "target": 20,
                "owner": "Borgerservice", "due_date": "2027-06-30"}),
            ),
    )
    .await;
    assert_eq!(benefit.status, 201, "{}", benefit.body);

    let (all, _) = drain(&service, &cast.admin, "0".into(), 1000).await;
    let types: HashSet<&str> = all.iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(types.contains("change_request.filed"), "{types:?}");
    assert!(types.contains("benefit.added"), "{types:?}");
    assert!(!types.contains("project.created"), "{types:?}");
    let requests = read(&service, &cast.admin, "types=change_request.*").await;
    let found: Vec<&str> = requests.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(found, ["change_request.filed"]);
    assert_eq!(requests.body["items"][0]["subject"]["id"], project.as_str());
}
