//! Faults: the database goes away under write load and comes back. While it is away, requests
//! get 503 problem+json within the pool's timeout and readiness is 503; once it is back the
//! service recovers by itself; every idea that got 201 is stored whole (project, audit entry,
//! event) and nothing half-written is left behind. On SQLite the same load shows that
//! concurrent writers queue instead of failing with "database is locked".

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use os2pm_api::auth::Role;
use os2pm_persistence::schema::{audit_log, events, projects};
use os2pm_tests::TestApp;
use serde_json::Value;

use crate::lifecycle::idea;

const WRITERS: usize = 8;

/// What one request got.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: Option<String>,
    body: Value,
    took: Duration,
    started: Instant,
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let started = Instant::now();
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.json().await.unwrap_or(Value::Null);
    Answer {
        status,
        content_type,
        body,
        took: started.elapsed(),
        started,
    }
}

/// Posts ideas one after another until `stop`, each with its own Idempotency-Key.
async fn writer(base: String, token: String, number: usize, stop: Arc<AtomicBool>) -> Vec<Answer> {
    let client = client();
    let mut answers = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let request = client
            .post(format!("{base}/api/v1/projects"))
            .bearer_auth(&token)
            .header(
                "Idempotency-Key",
                format!("fault-{number}-{}", answers.len()),
            )
            .json(&idea(&format!("Idé {number}-{}", answers.len())));
        answers.push(answer(request).await);
    }
    answers
}

fn assert_unavailable(answer: &Answer) {
    assert_eq!(answer.status, 503, "{:#}", answer.body);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(answer.body["type"], "/problems/database-unavailable");
}

#[actix_web::test]
async fn the_database_going_away_under_write_load_loses_nothing_and_recovers_by_itself() {
    let app = TestApp::new();
    let base = app.listen();
    let token = app.token(&[Role::MunicipalityUser], Some("751"));
    let client = client();
    let ready = || answer(client.get(format!("{base}/health/ready")));

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|n| actix_web::rt::spawn(writer(base.clone(), token.clone(), n, stop.clone())))
        .collect();
    // The outage starts once the writers have stored something: a slow machine may need a while.
    let mut conn = app.db.connect();
    let warming = Instant::now();
    while projects::table
        .filter(projects::created_by.eq("test-municipality_user"))
        .count()
        .get_result::<i64>(&mut conn)
        .unwrap()
        == 0
    {
        assert!(
            warming.elapsed() < Duration::from_secs(30),
            "no idea stored"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    drop(conn);
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;

    let outage_started;
    {
        let _outage = app.db.take_offline();
        outage_started = Instant::now();
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        let readiness = ready().await;
        assert_unavailable(&readiness);
        actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
    }
    let back = Instant::now();
    let recovered_after = loop {
        let readiness = ready().await;
        if readiness.status == 200 {
            break back.elapsed();
        }
        assert_unavailable(&readiness);
        assert!(back.elapsed() < Duration::from_secs(10), "no recovery");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        recovered_after <= Duration::from_secs(5),
        "ready again only {recovered_after:?} after the database came back"
    );
    actix_web::rt::time::sleep(Duration::from_millis(600)).await;
    stop.store(true, Ordering::Relaxed);
    let mut answers = Vec::new();
    for writer in writers {
        answers.extend(writer.await.unwrap());
    }

    // Every answer is a stored idea or a prompt 503 problem: no 500, no hang.
    let limit = app.config.db_timeout + Duration::from_secs(2);
    let mut created = HashSet::new();
    for answer in &answers {
        assert!(answer.took <= limit, "a request hung for {:?}", answer.took);
        match answer.status {
            201 => {
                created.insert(answer.body["id"].as_str().unwrap().to_owned());
            }
            _ => assert_unavailable(answer),
        }
    }
    let during = |a: &&Answer| a.started >= outage_started && a.started < back;
    assert!(
        answers.iter().filter(during).any(|a| a.status == 503),
        "no writer noticed the outage"
    );
    assert!(
        answers
            .iter()
            .any(|a| a.status == 201 && a.started > back + recovered_after),
        "no idea was stored after the recovery"
    );
    assert!(
        answers
            .iter()
            .any(|a| a.status == 201 && a.started < outage_started)
    );

    // Each 201 is in the database; each stored idea has its audit entry and its event.
    let mut conn = app.db.connect();
    let stored: HashSet<String> = projects::table
        .filter(projects::created_by.eq("test-municipality_user"))
        .select(projects::id)
        .load::<String>(&mut conn)
        .unwrap()
        .into_iter()
        .collect();
    assert!(created.is_subset(&stored), "a 201 was not stored");
    for id in &stored {
        let audited: i64 = audit_log::table
            .filter(audit_log::subject_id.eq(id))
            .filter(audit_log::action.eq("idea_submitted"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        let announced: i64 = events::table
            .filter(events::subject_id.eq(id))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!((audited, announced), (1, 1), "project {id} is half-written");
    }
}
