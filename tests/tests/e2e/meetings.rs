//! Board meetings: deadlines, agendas by submission date, the reporting duty.

use actix_web::test::TestRequest;
use chrono::{Days, NaiveDate, Utc};
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::json;

use crate::lifecycle::{Cast, TestService, awaiting_approval, cast};
use crate::running::{crew, file_report, report, running_project};

pub(crate) fn in_days(days: i64) -> NaiveDate {
    let today = Utc::now().date_naive();
    if days >= 0 {
        today + Days::new(days.unsigned_abs())
    } else {
        today - Days::new(days.unsigned_abs())
    }
}

pub(crate) async fn plan(service: &impl TestService, cast: &Cast, date: NaiveDate) -> Reply {
    send(
        service,
        TestRequest::post()
            .uri("/api/v1/board/meetings")
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"date": date, "place": "KL"})),
    )
    .await
}

#[actix_web::test]
async fn meetings_show_their_deadlines_and_refuse_a_second_meeting_on_a_day() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let date = in_days(60);
    send(
        &service,
        TestRequest::post()
            .uri("/api/v1/board/meetings")
            .insert_header(bearer(cast.member(0)))
            .set_json(json!({"date": date, "place": "KL"})),
    )
    .await
    .problem(403, "forbidden");
    let planned = plan(&service, &cast, date).await;
    assert_eq!(planned.status, 201, "{}", planned.body);
    assert_eq!(planned.body["agenda_deadline"], json!(date - Days::new(28)));
    assert_eq!(planned.body["material_date"], json!(date - Days::new(14)));
    assert_eq!(planned.body["status"], "planned");
    plan(&service, &cast, date).await.problem(409, "conflict");
    let bad = send(
        &service,
        TestRequest::post()
            .uri("/api/v1/board/meetings")
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"date": "2027-02-30", "place": "KL"})),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
}

/// One input policy on both databases: dates are in the years 1900 to 2200 (a meeting's agenda
/// deadline of "-0002-12-04" was stored), and each refusal names its field.
#[actix_web::test]
async fn dates_outside_1900_to_2200_are_refused_with_their_field() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    for date in ["-0001-01-01", "2201-01-01", "1899-12-31"] {
        let refused = send(
            &service,
            TestRequest::post()
                .uri("/api/v1/board/meetings")
                .insert_header(bearer(&cast.manager))
                .set_json(json!({"date": date, "place": "KL"})),
        )
        .await;
        refused.problem(422, "validation");
        assert_eq!(refused.error_fields(), ["date"], "{date}");
    }
    let crew = crew(&app, &service, &cast).await;
    let id = running_project(&service, &cast, &crew, "N2").await;
    let mut late = report("green", None, 100_000);
    late["milestones"] = json!([{"name": "Pilot", "planned": "2300-01-01", "actual": null}]);
    late["period_end"] = json!("2201-06-30");
    let refused = file_report(&service, &crew.pia, &id, late).await;
    refused.problem(422, "validation");
    assert_eq!(
        refused.error_fields(),
        ["milestones[0].planned", "period_end"]
    );
}

#[actix_web::test]
async fn a_recommendation_goes_to_the_first_meeting_whose_deadline_has_not_passed() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    // Deadline yesterday, and deadline tomorrow: meetings two days apart.
    let closed = plan(&service, &cast, in_days(27)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let open = plan(&service, &cast, in_days(29)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (id, approval) = awaiting_approval(&service, &cast, "N2").await;
    // N1 is decided by the business manager and never goes on the board's agenda.
    awaiting_approval(&service, &cast, "N1").await;

    let meeting = |id: String| TestRequest::get().uri(&format!("/api/v1/board/meetings/{id}"));
    let too_late = send(&service, meeting(closed)).await;
    assert_eq!(too_late.body["agenda"]["recommendations"], json!([]));
    let on_time = send(&service, meeting(open.clone())).await;
    let recommendations = on_time.body["agenda"]["recommendations"]
        .as_array()
        .unwrap();
    assert_eq!(recommendations.len(), 1);
    assert_eq!(recommendations[0]["approval_id"], approval.as_str());
    assert_eq!(recommendations[0]["project_id"], id.as_str());
    assert_eq!(recommendations[0]["state"], "pending");

    // Decided, the agenda shows the decision.
    for i in 0..2 {
        crate::lifecycle::vote(&service, cast.member(i), &approval, "approve", None).await;
    }
    let decided = send(&service, meeting(open.clone())).await;
    assert_eq!(
        decided.body["agenda"]["recommendations"][0]["outcome"],
        "approve"
    );

    let item = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/board/meetings/{open}/agenda-items"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"kind": "strategy", "title": "Strategi 2028"})),
    )
    .await;
    assert_eq!(item.status, 201, "{}", item.body);
    assert_eq!(item.body["agenda"]["items"][0]["title"], "Strategi 2028");
    let bad = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/board/meetings/{open}/agenda-items"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"kind": "gossip", "title": ""})),
    )
    .await;
    assert_eq!(bad.error_fields(), ["title", "kind"]);
    send(&service, meeting("nope".into()))
        .await
        .problem(404, "not-found");
    let all = send(&service, TestRequest::get().uri("/api/v1/board/meetings")).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn n2_and_n3_running_projects_owe_a_report_before_each_meeting() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let n2 = running_project(&service, &cast, &crew, "N2").await;
    running_project(&service, &cast, &crew, "N1").await;
    send(
        &service,
        TestRequest::get().uri("/api/v1/portfolio/overdue-reports"),
    )
    .await
    .problem(404, "not-found");

    // The first meeting: its material goes out in 26 days. The report is due, not overdue.
    let later = plan(&service, &cast, in_days(40)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let duty = send(
        &service,
        TestRequest::get().uri("/api/v1/portfolio/overdue-reports"),
    )
    .await;
    assert_eq!(
        duty.body["meeting_id"],
        later.as_str(),
        "the next meeting by default"
    );
    let missing = duty.body["missing"].as_array().unwrap();
    assert_eq!(missing.len(), 1, "N1 only informs: {missing:?}");
    assert_eq!(missing[0]["project_id"], n2.as_str());
    assert_eq!(missing[0]["overdue"], false);
    assert_eq!(missing[0]["due_by"], json!(in_days(26)));

    assert_eq!(
        file_report(&service, &crew.pia, &n2, report("green", None, 1))
            .await
            .status,
        201
    );
    let done = send(
        &service,
        TestRequest::get().uri("/api/v1/portfolio/overdue-reports"),
    )
    .await;
    assert_eq!(done.body["missing"], json!([]), "{}", done.body);

    // A meeting planned in between, whose material went out four days ago: today's report was
    // too late for it, and for the later meeting it is no longer newer than the previous one.
    let soon = plan(&service, &cast, in_days(10)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let duty = |meeting: &str| {
        TestRequest::get().uri(&format!(
            "/api/v1/portfolio/overdue-reports?meeting={meeting}"
        ))
    };
    let soon_duty = send(&service, duty(&soon)).await;
    assert_eq!(soon_duty.body["missing"][0]["overdue"], true);
    let later_duty = send(&service, duty(&later)).await;
    assert_eq!(later_duty.body["missing"][0]["overdue"], false);
    assert!(later_duty.body["missing"][0]["last_report_at"].is_string());
    send(&service, duty("nope")).await.problem(404, "not-found");
}

#[actix_web::test]
async fn the_overview_counts_the_portfolio_and_adds_up_its_economy() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let n2 = running_project(&service, &cast, &crew, "N2").await;
    running_project(&service, &cast, &crew, "N1").await;
    let (pending_project, pending) = awaiting_approval(&service, &cast, "N3").await;
    crate::lifecycle::submit_idea(
        &service,
        &cast.aarhus,
        &crate::lifecycle::idea("Bare en idé"),
    )
    .await;
    // Budgets are 1.200.000 each; the N2 project reports 350.000 spent, 1.250.000 forecast.
    let mut figures = report("amber", Some("Forsinket"), 350_000);
    figures["budget_dkk"] = json!(1_200_000);
    figures["forecast_dkk"] = json!(1_250_000);
    assert_eq!(
        file_report(&service, &crew.pia, &n2, figures).await.status,
        201
    );

    let overview = send(&service, TestRequest::get().uri("/api/v1/portfolio")).await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    let body = &overview.body;
    assert_eq!(body["as_of"], json!(in_days(0)));
    assert_eq!(
        body["projects_by_level"],
        json!({"N1": {"in_progress": 1}, "N2": {"in_progress": 1}, "N3": {"awaiting_approval": 1}, "unplaced": {"idea": 1}})
    );
    assert_eq!(
        body["economy"],
        json!({"budget_dkk": 2_400_000, "spent_dkk": 350_000, "forecast_dkk": 2_450_000, "variance_dkk": 50_000})
    );
    let line = body["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == n2.as_str())
        .unwrap()
        .clone();
    assert_eq!(line["rag"], "amber");
    assert_eq!(line["economy"]["variance_dkk"], 50_000);
    let pending_ids: Vec<&str> = body["pending_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["approval_id"].as_str().unwrap())
        .collect();
    assert_eq!(pending_ids, [pending.as_str()]);
    assert_eq!(
        body["pending_decisions"][0]["project_id"],
        pending_project.as_str()
    );
    let since = &body["since_previous_meeting"];
    assert_eq!(
        since["for_information"].as_array().unwrap().len(),
        1,
        "the N1 approval"
    );
    assert!(
        since["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["approver"] == "board")
    );

    // For a meeting whose previous one lies ahead of today's decisions, nothing is "since".
    let meeting = plan(&service, &cast, in_days(60)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    plan(&service, &cast, in_days(30)).await;
    let later = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/portfolio?meeting={meeting}")),
    )
    .await;
    assert_eq!(later.body["since"], json!(in_days(30)));
    assert_eq!(later.body["since_previous_meeting"]["decisions"], json!([]));
    send(
        &service,
        TestRequest::get().uri("/api/v1/portfolio?meeting=nope"),
    )
    .await
    .problem(404, "not-found");
}

#[actix_web::test]
async fn the_decision_log_replaces_the_hand_kept_markdown() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let (_, n2) = awaiting_approval(&service, &cast, "N2").await;
    crate::lifecycle::vote(&service, cast.member(0), &n2, "approve", None).await;
    crate::lifecycle::vote(&service, cast.member(1), &n2, "approve", None).await;
    let (_, n1) = awaiting_approval(&service, &cast, "N1").await;
    crate::lifecycle::vote(
        &service,
        &cast.manager,
        &n1,
        "return",
        Some("Mangler lokal værdi"),
    )
    .await;

    let json_log = send(
        &service,
        TestRequest::get().uri("/api/v1/portfolio/decision-log"),
    )
    .await;
    let items = json_log.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["decision"], "Godkendt på N2");
    assert_eq!(items[0]["decided_by"], "Bestyrelsen");
    assert_eq!(items[1]["decision"], "Sendt tilbage (tilbageløb)");
    assert_eq!(items[1]["basis"], "Mangler lokal værdi");
    assert_eq!(items[1]["decided_by"], "Forretningslederen");

    let markdown = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/portfolio/decision-log")
            .insert_header(("accept", "text/markdown")),
    )
    .await;
    assert_eq!(
        markdown.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    let text = markdown.body.as_str().unwrap();
    let year = in_days(0).format("%Y").to_string();
    assert!(
        text.starts_with(&format!("# Beslutningslog\n\n## {year}\n")),
        "{text}"
    );
    assert!(
        text.contains("| Godkendt på N2 | Indstilling fra forretningslederen | Bestyrelsen |"),
        "{text}"
    );
    assert!(text.contains(&format!("| Sendt tilbage (tilbageløb) | Mangler lokal værdi | Forretningslederen | /api/v1/approvals/{n1} |")), "{text}");
}

#[actix_web::test]
async fn candidates_are_ranked_by_weighted_score_with_ties_and_stability() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let ideas: Vec<String> = {
        let mut ids = Vec::new();
        for title in ["Alfa", "Beta", "Gamma"] {
            let reply = crate::lifecycle::submit_idea(
                &service,
                &cast.aarhus,
                &crate::lifecycle::idea(title),
            )
            .await;
            ids.push(reply.body["id"].as_str().unwrap().to_owned());
        }
        ids
    };
    let put = |token: &str, uri: String, body: serde_json::Value| {
        TestRequest::put()
            .uri(&uri)
            .insert_header(bearer(token))
            .set_json(body)
    };
    let score = |member: usize, id: &str, value: i32, risk: i32| {
        put(
            cast.member(member),
            format!("/api/v1/portfolio/priorities/scores/{id}"),
            json!({"scores": {"value": value, "risk": risk}}),
        )
    };
    send(&service, score(0, &ideas[0], 5, 0))
        .await
        .problem(409, "conflict");
    let criteria = json!({"criteria": [{"key": "value", "name": "Værdi", "weight": 20}, {"key": "risk", "name": "Risiko", "weight": 19}]});
    send(
        &service,
        put(
            cast.member(0),
            "/api/v1/portfolio/priorities/criteria".into(),
            criteria.clone(),
        ),
    )
    .await
    .problem(403, "forbidden");
    let set = send(
        &service,
        put(
            &cast.manager,
            "/api/v1/portfolio/priorities/criteria".into(),
            criteria,
        ),
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["version"], 1);

    // Alfa: all value; Beta: all risk (a 10 % move flips them); Gamma ties with nobody and trails.
    assert_eq!(send(&service, score(0, &ideas[0], 5, 0)).await.status, 200);
    send(&service, score(1, &ideas[0], 5, 0)).await;
    send(&service, score(0, &ideas[1], 0, 5)).await;
    let last = send(&service, score(0, &ideas[2], 1, 1)).await;
    let ranking = last.body["ranking"].as_array().unwrap();
    let order: Vec<(&str, u64, bool)> = ranking
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap(),
                r["rank"].as_u64().unwrap(),
                r["stable"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [("Alfa", 1, false), ("Beta", 2, false), ("Gamma", 3, true)]
    );
    assert_eq!(
        ranking[0]["scores"]["board-1"]["value"], 5,
        "each member's scores are shown"
    );

    // A tie: scored like Beta, Gamma shares its rank.
    send(&service, score(0, &ideas[2], 0, 5)).await;
    let tied = send(
        &service,
        TestRequest::get().uri("/api/v1/portfolio/priorities"),
    )
    .await;
    let ranks: Vec<u64> = tied.body["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 2]);

    let bad = send(
        &service,
        put(
            cast.member(0),
            format!("/api/v1/portfolio/priorities/scores/{}", ideas[0]),
            json!({"scores": {"value": 6, "cost": 1}}),
        ),
    )
    .await;
    bad.problem(422, "validation");
    assert_eq!(bad.error_fields(), ["scores", "scores"]);
    let former = send(
        &service,
        put(
            &cast.former,
            format!("/api/v1/portfolio/priorities/scores/{}", ideas[0]),
            json!({"scores": {"value": 1}}),
        ),
    )
    .await;
    former.problem(403, "forbidden");
    send(
        &service,
        put(
            cast.member(0),
            "/api/v1/portfolio/priorities/scores/nope".into(),
            json!({"scores": {"value": 1}}),
        ),
    )
    .await
    .problem(404, "not-found");
    let weights = send(
        &service,
        put(
            &cast.manager,
            "/api/v1/portfolio/priorities/criteria".into(),
            json!({"criteria": [{"key": "a", "name": "A", "weight": 0}]}),
        ),
    )
    .await;
    weights.problem(422, "validation");
}

#[actix_web::test]
async fn benefits_are_measured_against_their_targets_and_rolled_up() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id =
        crate::lifecycle::submit_idea(&service, &cast.aarhus, &crate::lifecycle::idea("Gevinster"))
            .await
            .body["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let post = |token: &str, uri: String, body: serde_json::Value| {
        TestRequest::post()
            .uri(&uri)
            .insert_header(bearer(token))
            .set_json(body)
    };
    let benefit = |indicator: &str, due: NaiveDate| json!({"indicator": indicator, "unit": "dage", "baseline": 40, "target": 20, "owner": "Borgerservice", "due_date": due});
    let uri = format!("/api/v1/projects/{id}/benefits");
    send(
        &service,
        post(&cast.copenhagen, uri.clone(), benefit("x", in_days(10))),
    )
    .await
    .problem(403, "forbidden");
    let same =
        json!({"indicator": "x", "baseline": 1, "target": 1, "owner": "o", "due_date": in_days(1)});
    assert_eq!(
        send(&service, post(&cast.aarhus, uri.clone(), same))
            .await
            .error_fields(),
        ["target"]
    );

    let measured = send(
        &service,
        post(
            &cast.aarhus,
            uri.clone(),
            benefit("Sagsbehandlingstid", in_days(30)),
        ),
    )
    .await;
    assert_eq!(measured.status, 201, "{}", measured.body);
    let overdue = send(
        &service,
        post(&cast.aarhus, uri.clone(), benefit("Klager", in_days(-1))),
    )
    .await;
    let benefit_id = measured.body["id"].as_str().unwrap();
    let measurement = send(
        &service,
        post(
            &cast.aarhus,
            format!("{uri}/{benefit_id}/measurements"),
            json!({"measured_on": in_days(0), "value": 30}),
        ),
    )
    .await;
    assert_eq!(measurement.status, 201, "{}", measurement.body);
    assert_eq!(
        measurement.body["realised"], 0.5,
        "half way from 40 to 20 days"
    );
    send(
        &service,
        post(
            &cast.aarhus,
            format!("{uri}/nope/measurements"),
            json!({"measured_on": in_days(0), "value": 1}),
        ),
    )
    .await
    .problem(404, "not-found");

    let listed = send(&service, TestRequest::get().uri(&uri)).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    let overview = send(&service, TestRequest::get().uri("/api/v1/portfolio")).await;
    let rollup = &overview.body["benefits"];
    assert_eq!(rollup["expected"], 2);
    assert_eq!(rollup["measured"], 1);
    assert_eq!(rollup["mean_realised"], 0.5);
    let past_due: Vec<&str> = rollup["past_due_without_measurement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(past_due, ["Klager"]);
    assert_eq!(overdue.body["past_due_without_measurement"], true);
}

#[actix_web::test]
async fn the_overview_as_of_a_moment_shows_the_portfolio_as_it_stood() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = crate::running::approved(&service, &cast, "N1").await;
    crate::products::record_n2(&service, &cast, &cast.aarhus, &id, "approval").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let before = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let proposed = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/level-changes"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"level": "N2", "reason": "Fælleskommunal"})),
    )
    .await;
    crate::running::approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    let budget = |amount: i64| {
        let mut budget = crate::running::budget("local");
        budget["amount_dkk"] = json!(amount);
        crate::running::put(&service, &cast.manager, &id, "budget", budget)
    };
    assert_eq!(budget(1_200_000).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let budgeted = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(budget(900_000).await.status, 200);
    // A benefit expected after the budget, and measured later still.
    let benefit = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/benefits"))
            .insert_header(bearer(&cast.aarhus))
            .set_json(
                json!({"indicator": "Svartid", "unit": "dage", "baseline": 40, "target": 20,
                "owner": "Borgerservice", "due_date": in_days(300)}),
            ),
    )
    .await;
    assert_eq!(benefit.status, 201, "{}", benefit.body);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let expected = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let measured = send(
        &service,
        TestRequest::post()
            .uri(&format!(
                "/api/v1/projects/{id}/benefits/{}/measurements",
                benefit.body["id"].as_str().unwrap()
            ))
            .insert_header(bearer(&cast.aarhus))
            .set_json(json!({"measured_on": in_days(0), "value": 30})),
    )
    .await;
    assert_eq!(measured.status, 201, "{}", measured.body);

    let at = |when: String| {
        TestRequest::get().uri(&format!(
            "/api/v1/portfolio?as_of={}",
            when.replace('+', "%2B")
        ))
    };
    let then = send(&service, at(before.to_rfc3339())).await;
    assert_eq!(then.status, 200, "{}", then.body);
    assert_eq!(
        then.body["projects_by_level"],
        json!({"N1": {"approved": 1}})
    );
    assert_eq!(
        then.body["since_previous_meeting"]["level_changes"],
        json!([])
    );
    assert_eq!(then.body["economy"]["budget_dkk"], 0, "no budget yet");
    let budgeted = send(&service, at(budgeted.to_rfc3339())).await;
    assert_eq!(budgeted.body["economy"]["budget_dkk"], 1_200_000);
    // Every figure as it stood, the benefits roll-up included (governance.md §6).
    assert_eq!(budgeted.body["benefits"]["expected"], 0);
    let expected = send(&service, at(expected.to_rfc3339())).await;
    assert_eq!(expected.body["benefits"]["expected"], 1);
    assert_eq!(expected.body["benefits"]["measured"], 0);
    let now = send(&service, at(Utc::now().to_rfc3339())).await;
    assert_eq!(
        now.body["projects_by_level"],
        json!({"N2": {"approved": 1}})
    );
    assert_eq!(now.body["economy"]["budget_dkk"], 900_000);
    assert_eq!(now.body["benefits"]["measured"], 1);
    assert_eq!(
        now.body["since_previous_meeting"]["level_changes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Before the project existed, there was nothing.
    let earlier = send(&service, at(in_days(-1).to_string())).await;
    assert_eq!(earlier.body["projects"], json!([]));
    let bad = send(
        &service,
        TestRequest::get().uri("/api/v1/portfolio?as_of=yesterday"),
    )
    .await;
    assert_eq!(bad.error_fields(), ["as_of"]);
}

/// Moves an approval's submission back to `day`, as if it had been recommended then.
fn submitted_on(app: &TestApp, approval: &str, day: NaiveDate) {
    use diesel::connection::SimpleConnection;
    app.db
        .connect()
        .batch_execute(&format!(
            "UPDATE approvals SET created_at = '{day} 10:00:00' WHERE id = '{approval}'"
        ))
        .unwrap();
}

#[actix_web::test]
async fn a_decision_recorded_for_an_agenda_item_resolves_its_approval() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    // Held two days ago; the recommendation came in before its agenda deadline.
    let held = plan(&service, &cast, in_days(-2)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ahead = plan(&service, &cast, in_days(40)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (project, approval) = awaiting_approval(&service, &cast, "N2").await;
    let (_, for_later) = awaiting_approval(&service, &cast, "N3").await;
    submitted_on(&app, &approval, in_days(-40));
    let (_, n1) = awaiting_approval(&service, &cast, "N1").await;
    let decide = |meeting: &str, approval: &str, token: &str, body: serde_json::Value| {
        TestRequest::post()
            .uri(&format!(
                "/api/v1/board/meetings/{meeting}/recommendations/{approval}/decision"
            ))
            .insert_header(bearer(token))
            .set_json(body)
    };
    let minutes = json!({"members_present": ["board-0", "board-1"], "decision": "approve",
        "reason": "Godkendt, jf. referatets pkt. 4"});

    // Refusals: wrong role, unknown meeting or approval, not on this meeting's agenda (the N3
    // recommendation is on the later meeting's, the N1 one on none), a meeting not yet held,
    // a member who held no seat, a return without a reason.
    send(
        &service,
        decide(&held, &approval, cast.member(0), minutes.clone()),
    )
    .await
    .problem(403, "forbidden");
    send(
        &service,
        decide("nope", &approval, &cast.manager, minutes.clone()),
    )
    .await
    .problem(404, "not-found");
    send(
        &service,
        decide(&held, "nope", &cast.manager, minutes.clone()),
    )
    .await
    .problem(404, "not-found");
    for elsewhere in [&for_later, &n1] {
        let refused = send(
            &service,
            decide(&held, elsewhere, &cast.manager, minutes.clone()),
        )
        .await;
        let detail = refused.problem(409, "conflict")["detail"].as_str().unwrap();
        assert!(detail.contains("not on the agenda"), "{detail}");
    }
    let early = send(
        &service,
        decide(&ahead, &for_later, &cast.manager, minutes.clone()),
    )
    .await;
    let detail = early.problem(409, "conflict")["detail"].as_str().unwrap();
    assert!(detail.contains("not been held"), "{detail}");
    let stranger = json!({"members_present": ["board-0", "former"], "decision": "approve"});
    let refused = send(&service, decide(&held, &approval, &cast.manager, stranger)).await;
    assert_eq!(
        refused.problem(422, "validation")["errors"][0]["field"],
        "members_present"
    );
    let bare = json!({"members_present": ["board-0"], "decision": "return"});
    send(&service, decide(&held, &approval, &cast.manager, bare))
        .await
        .problem(422, "validation");
    let untouched = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/approvals/{approval}")),
    )
    .await;
    assert_eq!(
        untouched.body["state"], "pending",
        "refusals change nothing"
    );

    // Recorded: the approval is decided by the meeting, the project approved, and the agenda
    // item links to the decision.
    let recorded = send(
        &service,
        decide(&held, &approval, &cast.manager, minutes.clone()),
    )
    .await;
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    assert_eq!(recorded.body["decided_by"], "board_meeting");
    assert_eq!(recorded.body["meeting"]["date"], json!(in_days(-2)));
    assert_eq!(
        crate::lifecycle::get(&service, &project, None).await.body["state"],
        "approved"
    );
    let meeting = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/board/meetings/{held}")),
    )
    .await;
    let item = &meeting.body["agenda"]["recommendations"][0];
    assert_eq!(item["approval_id"], approval.as_str());
    assert_eq!(item["state"], "decided");
    assert_eq!(item["outcome"], "approve");
    assert_eq!(item["reason"], "Godkendt, jf. referatets pkt. 4");
    assert_eq!(item["href"], format!("/api/v1/approvals/{approval}"));
    assert!(item["decided_at"].is_string());
    send(&service, decide(&held, &approval, &cast.manager, minutes))
        .await
        .problem(409, "conflict");
}
