//! A project's view and its ETag follow every row the view shows, however it changed: the
//! view is built once and kept while the database's revision counts stay the same.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::header::IfNoneMatch;
use actix_web::test::TestRequest;
use diesel::connection::{Connection, InstrumentationEvent};
use os2pm_api::auth::{Caller, Role};
use os2pm_api::usecases::projects::read;
use os2pm_api::view_cache::ProjectViews;
use os2pm_persistence::DbConnection;
use os2pm_projects::ProjectId;
use os2pm_tests::{TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{TestService, awaiting_approval, cast, get, vote};
use crate::products::live_product;
use crate::running::{crew, running_project};

async fn get_if_none_match(service: &impl TestService, id: &str, etag: &str) -> os2pm_tests::Reply {
    send(
        service,
        TestRequest::get()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(("if-none-match", etag)),
    )
    .await
}

/// [`get_if_none_match`] as the holder of `token` reads it.
async fn get_if_none_match_as(
    service: &impl TestService,
    id: &str,
    etag: &str,
    token: &str,
) -> os2pm_tests::Reply {
    send(
        service,
        TestRequest::get()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(("if-none-match", etag))
            .insert_header(bearer(token)),
    )
    .await
}

fn actions(view: &Value) -> Vec<&str> {
    view["_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn a_vote_changes_the_project_view_and_its_etag() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 5).await;
    let (id, approval) = awaiting_approval(&service, &cast, "N2").await;

    let first = get(&service, &id, None).await;
    let first_tag = first.header("etag").unwrap().to_owned();
    assert_eq!(first.header("vary"), Some("Authorization"));
    assert_eq!(first.body["current_approval"]["votes"], json!([]));
    assert_eq!(first.body["_actions"], json!([]));
    let unchanged = get_if_none_match(&service, &id, &first_tag).await;
    assert_eq!(unchanged.status, 304);
    assert_eq!(unchanged.header("etag"), Some(first_tag.as_str()));

    // A vote leaves the project row as it was; its view and ETag change all the same.
    let voted = vote(&service, cast.member(1), &approval, "approve", None).await;
    assert_eq!(voted.body["state"], "pending", "{}", voted.body);
    let second = get_if_none_match_as(&service, &id, &first_tag, &cast.manager).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let second_tag = second.header("etag").unwrap().to_owned();
    assert_ne!(second_tag, first_tag);
    assert_eq!(
        second.body["current_approval"]["votes"][0]["voter"], "board-1",
        "{}",
        second.body
    );
    assert_eq!(
        get_if_none_match(&service, &id, &second_tag).await.status,
        304
    );

    // The same view, with each caller's own actions.
    let voter = get(&service, &id, Some(cast.member(1))).await;
    let other = get(&service, &id, Some(cast.member(2))).await;
    assert!(!actions(&voter.body).contains(&"vote"), "{}", voter.body);
    assert!(actions(&other.body).contains(&"vote"), "{}", other.body);
    assert_eq!(
        voter.body["current_approval"],
        second.body["current_approval"]
    );
    assert_eq!(voter.header("etag"), Some(second_tag.as_str()));

    // The ETag still serves as If-Match: it starts with the project's version.
    let placed = send(
        &service,
        TestRequest::patch()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(bearer(&cast.manager))
            .insert_header(("if-match", second_tag.as_str()))
            .set_json(json!({"title": "Ny titel"})),
    )
    .await;
    // Not editable while awaiting approval: the precondition passed, the state refused.
    placed.problem(409, "conflict");
}

#[actix_web::test]
async fn a_new_board_changes_the_steering_group_in_the_project_view() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 5).await;
    let crew = crew(&app, &service, &cast).await;
    let id = running_project(&service, &cast, &crew, "N3").await;
    let board_seats = |view: &Value| -> Vec<(String, bool)> {
        let mut seats: Vec<_> = view["steering_group"]["seats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["representative"]["sub"].as_str().unwrap().to_owned(),
                    s["board_member"].as_bool().unwrap(),
                )
            })
            .collect();
        seats.sort();
        seats
    };
    let before = get(&service, &id, Some(&cast.manager)).await;
    assert_eq!(
        board_seats(&before.body),
        [
            ("board-1".to_owned(), true),
            ("board-2".to_owned(), true),
            ("jens".to_owned(), false)
        ]
    );

    // Board members 1 and 2 leave the board: no project row changes.
    let roster = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/board/members")
            .insert_header(bearer(&cast.admin)),
    )
    .await;
    let members = json!([
        {"person": "board-0", "chair": true, "seat_from": "2020-01-01"},
        {"person": "board-1", "seat_from": "2020-01-01", "seat_until": "2021-12-31"},
        {"person": "board-2", "seat_from": "2020-01-01", "seat_until": "2021-12-31"},
        {"person": "board-3", "seat_from": "2020-01-01"},
        {"person": "board-4", "seat_from": "2020-01-01"},
    ]);
    let replaced = send(
        &service,
        TestRequest::put()
            .uri("/api/v1/board/members")
            .insert_header(bearer(&cast.admin))
            .insert_header(("if-match", roster.header("etag").unwrap()))
            .set_json(json!({"members": members})),
    )
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);

    let after =
        get_if_none_match_as(&service, &id, before.header("etag").unwrap(), &cast.manager).await;
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(
        board_seats(&after.body),
        [
            ("board-1".to_owned(), false),
            ("board-2".to_owned(), false),
            ("jens".to_owned(), false)
        ]
    );

    // The change is not refused; the portfolio shows the deviation (governance.md §4), in the
    // API and on the board's page.
    let portfolio = send(&service, TestRequest::get().uri("/api/v1/portfolio")).await;
    let deviations = portfolio.body["deviations"].as_array().unwrap().clone();
    let keys: Vec<(&str, &str)> = deviations
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap(),
                d["requirement"]["key"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(keys, [(id.as_str(), "board_appointed_steering_group")]);
    assert_eq!(deviations[0]["item"], "project");
    let page = send(&service, TestRequest::get().uri("/portfolio")).await;
    let html = page.body.as_str().unwrap();
    assert!(html.contains("Afvigelser fra formkrav"));
    assert!(html.contains(&format!(
        "data-id=\"{id}\" data-requirement=\"board_appointed_steering_group\""
    )));
}

#[actix_web::test]
async fn a_new_idea_answers_the_view_a_later_read_gives() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    // Copenhagen submits with Aarhus and the association (not a municipality) taking part.
    let mut idea = crate::lifecycle::idea("Fælles booking");
    idea["participants"] = json!(["751", "os2"]);
    let created = crate::lifecycle::submit_idea(&service, &cast.copenhagen, &idea).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap();
    let read = get(&service, id, Some(&cast.copenhagen)).await;
    assert_eq!(created.body, read.body);
    // The 201 carries the ETag a read sends, as the document says.
    assert!(created.header("etag").is_some());
    assert_eq!(created.header("etag"), read.header("etag"));
    assert_eq!(read.body["participants"], json!(["101", "751", "os2"]));
}

/// Counts the statements a connection starts.
fn count_queries(conn: &mut DbConnection) -> Arc<AtomicUsize> {
    let started = Arc::new(AtomicUsize::new(0));
    let counter = started.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { .. } = event {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    started
}

#[actix_web::test]
async fn a_project_view_is_read_in_one_query_whatever_it_shows() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 5).await;
    let crew = crew(&app, &service, &cast).await;
    let (id, _) = live_product(&service, &cast, &crew, 100_000).await;
    let member = get(&service, &id, Some(cast.member(1))).await;
    for part in [
        "steering_group",
        "coordination_group",
        "budget",
        "product_id",
    ] {
        assert!(!member.body[part].is_null(), "{part}: {}", member.body);
    }
    assert_ne!(member.body["current_approval"]["votes"], json!([]));

    // Read again, uncached, on a connection that counts: the project with all its rows and
    // what they are current for, in one statement.
    let mut conn = app.db.connect();
    let queries = count_queries(&mut conn);
    let caller = Caller {
        sub: "board-1".into(),
        roles: vec![Role::BoardMember],
        org: Some("kl".into()),
    };
    let views = ProjectViews::new(16 << 20);
    let id = ProjectId::from(id);
    let read = read::read(&mut conn, &views, Some(&caller), &id, None).unwrap();
    assert_eq!(queries.load(Ordering::SeqCst), 1);
    let body: Value = serde_json::from_slice(&read.body.unwrap()).unwrap();
    assert_eq!(body, member.body);
    assert_eq!(Some(read.tag.to_string().as_str()), member.header("etag"));
    // Kept: the stamp alone answers, with the same view.
    let kept = read::read(&mut conn, &views, Some(&caller), &id, None).unwrap();
    assert_eq!(queries.load(Ordering::SeqCst), 2);
    assert_eq!(
        serde_json::from_slice::<Value>(&kept.body.unwrap()).unwrap(),
        body
    );
    // An ETag to compare: the stamp alone answers that it is current.
    let known: IfNoneMatch = IfNoneMatch::Items(vec![read.tag.clone()]);
    let not_modified = read::read(
        &mut conn,
        &ProjectViews::new(0),
        Some(&caller),
        &id,
        Some(&known),
    )
    .unwrap();
    assert_eq!(queries.load(Ordering::SeqCst), 3);
    assert!(not_modified.body.is_none());
}
