//! From approval to a running project: steering groups, budget, start, reports, reconsideration.

use actix_web::test::TestRequest;
use os2pm_api::auth::Role;
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{
    At, Cast, TestService, awaiting_approval, cast, change, evidence, get, history_actions,
    meet_gate, token_for, vote,
};

/// The people who run projects: representatives of Aarhus and Copenhagen, a project leader.
pub(crate) struct Crew {
    pub(crate) jens: String,
    pub(crate) pia: String,
}

pub(crate) async fn crew(app: &TestApp, service: &impl TestService, cast: &Cast) -> Crew {
    for (sub, org) in [
        ("jens", "751"),
        ("kim", "101"),
        ("pia", "751"),
        ("ane", "751"),
    ] {
        let reply = send(
            service,
            TestRequest::post()
                .uri("/api/v1/people")
                .insert_header(bearer(&cast.admin))
                .set_json(json!({"sub": sub, "name": sub, "organization": org})),
        )
        .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    Crew {
        jens: token_for(app, "jens", &[Role::MunicipalityUser], Some("751")),
        pia: token_for(app, "pia", &[Role::ProjectLeader], Some("751")),
    }
}

/// An approved project at `level`, decided by the first seated board members (or, at N1, the
/// business manager).
pub(crate) async fn approved<'a>(
    service: &impl TestService,
    cast: &Cast,
    at: impl Into<At<'a>>,
) -> String {
    let at = at.into();
    let (id, approval) = awaiting_approval(service, cast, at).await;
    if at.is_local() {
        vote(service, &cast.manager, &approval, "approve", None).await;
    } else {
        for i in 0..cast.board.len() {
            vote(service, cast.member(i), &approval, "approve", None).await;
        }
    }
    assert_eq!(get(service, &id, None).await.body["state"], "approved");
    id
}

pub(crate) async fn post(
    service: &impl TestService,
    token: &str,
    id: &str,
    what: &str,
    body: Value,
) -> Reply {
    let request = TestRequest::post()
        .uri(&format!("/api/v1/projects/{id}/{what}"))
        .insert_header(bearer(token))
        .set_json(body);
    change(service, request, id).await
}

pub(crate) async fn put(
    service: &impl TestService,
    token: &str,
    id: &str,
    what: &str,
    body: Value,
) -> Reply {
    let request = TestRequest::put()
        .uri(&format!("/api/v1/projects/{id}/{what}"))
        .insert_header(bearer(token))
        .set_json(body);
    change(service, request, id).await
}

pub(crate) async fn approve_all(service: &impl TestService, cast: &Cast, approval: &str) -> Reply {
    let mut last = None;
    for i in 0..cast.board.len() {
        let reply = vote(service, cast.member(i), approval, "approve", None).await;
        let decided = reply.body["state"] == "decided";
        last = Some(reply);
        if decided {
            break;
        }
    }
    last.unwrap()
}

/// The `sub` of the representative of `organization` in the project's steering group.
fn representative(project: &Value, organization: &str) -> String {
    project["steering_group"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|seat| seat["organization"] == organization)
        .map(|seat| seat["representative"]["sub"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// A project at `level`, approved, with its steering group (Aarhus chairs, Pia leads; at N3
/// with a board majority), an approved budget and the start gate met: `in_progress`.
pub(crate) async fn running_project<'a>(
    service: &impl TestService,
    cast: &Cast,
    crew: &Crew,
    at: impl Into<At<'a>>,
) -> String {
    let at = at.into();
    let id = approved(service, cast, at).await;
    start_running(service, cast, crew, &id, at).await;
    id
}

/// Starts the approved project `id` at `at`: its steering group, an approved budget and the
/// start gate met.
pub(crate) async fn start_running(
    service: &impl TestService,
    cast: &Cast,
    crew: &Crew,
    id: &str,
    at: At<'_>,
) {
    let mut seats = vec![json!({"organization": "751", "representative": "jens"})];
    if at.level == "N3" {
        seats.push(json!({"organization": "kl", "representative": "board-1"}));
        seats.push(json!({"organization": "os2", "representative": "board-2"}));
    }
    let group = json!({"seats": seats, "chair": "751", "project_leader": "pia"});
    let proposed = put(service, &cast.manager, id, "steering-group", group).await;
    if proposed.status == 202 {
        approve_all(service, cast, proposed.body["id"].as_str().unwrap()).await;
    }
    let funding = if at.is_local() { "local" } else { "os2" };
    put(service, &cast.manager, id, "budget", budget(funding)).await;
    let chair = post(service, &crew.jens, id, "budget/approval", json!({})).await;
    if let Some(board) = chair.body["open_approvals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["subject"] == "budget")
    {
        approve_all(service, cast, board["id"].as_str().unwrap()).await;
    }
    meet_gate(service, &crew.pia, id, "start").await;
    let started = post(service, &crew.jens, id, "start", json!({})).await;
    assert_eq!(started.body["state"], "in_progress", "{}", started.body);
}

pub(crate) fn keys(reply: &Reply) -> Vec<String> {
    reply.body["unmet_requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn budget(funding: &str) -> Value {
    json!({"amount_dkk": 1_200_000, "period_start": "2027-01-01", "period_end": "2027-12-31",
        "funding": funding, "expected_costs": "900.000 udvikling", "expected_benefits": "20 timer/uge",
        "expected_effects": "Hurtigere svar"})
}

pub(crate) fn report(status: &str, reason: Option<&str>, spent: i64) -> Value {
    json!({"period_start": "2027-01-01", "period_end": "2027-03-31", "status": status,
        "status_reason": reason, "progress": "Login er færdigt.", "budget_dkk": 1_200_000,
        "spent_dkk": spent, "forecast_dkk": 1_250_000,
        "milestones": [{"name": "Pilot", "planned": "2027-03-01", "actual": null}], "risks": "Leverandør"})
}

pub(crate) async fn file_report(
    service: &impl TestService,
    token: &str,
    id: &str,
    body: Value,
) -> Reply {
    send(
        service,
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/reports"))
            .insert_header(bearer(token))
            .set_json(body),
    )
    .await
}

#[actix_web::test]
async fn an_n2_project_runs_with_a_board_approved_steering_group_budget_and_reports() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = approved(&service, &cast, "N2").await;

    // Nothing but the board's approval is in place yet: start lists what is missing.
    let refused = post(&service, &cast.manager, &id, "start", json!({})).await;
    refused.problem(422, "unmet-requirements");
    let missing = keys(&refused);
    for key in [
        "data_processing_agreements",
        "certified_project_leader",
        "operations_setup_described",
        "steering_group_approved",
        "budget_approved",
    ] {
        assert!(missing.contains(&key.to_owned()), "{key} in {missing:?}");
    }
    assert!(!missing.contains(&"board_approval".to_owned()));

    // The steering group waits for the board before it is in force.
    let group = json!({"seats": [{"organization": "751", "representative": "jens"}, {"organization": "101", "representative": "kim"}],
        "chair": "751", "project_leader": "pia"});
    put(&service, &crew.jens, &id, "steering-group", group.clone())
        .await
        .problem(403, "forbidden");
    let proposed = put(&service, &cast.manager, &id, "steering-group", group).await;
    assert_eq!(proposed.status, 202, "{}", proposed.body);
    assert_eq!(proposed.body["subject"], "steering_group");
    assert_eq!(proposed.body["approver"], "board");
    let project = get(&service, &id, None).await.body;
    assert_eq!(project["steering_group"], Value::Null);
    assert_eq!(project["open_approvals"][0]["subject"], "steering_group");
    let decided = approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    assert_eq!(decided.body["outcome"], "approve");
    let project = get(&service, &id, Some(&crew.jens)).await.body;
    assert_eq!(project["steering_group"]["chair"], "751");
    assert_eq!(project["steering_group"]["project_leader"]["sub"], "pia");
    assert!(
        project["_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("start")),
        "jens chairs"
    );

    // The budget: proposed, approved by the chair, then by the board.
    let set = put(&service, &cast.manager, &id, "budget", budget("mixed")).await;
    assert_eq!(set.body["budget"]["status"], "proposed");
    post(&service, &cast.manager, &id, "budget/approval", json!({}))
        .await
        .problem(403, "forbidden");
    let chair = post(&service, &crew.jens, &id, "budget/approval", json!({})).await;
    assert_eq!(chair.body["budget"]["status"], "chair_approved");
    let board = chair.body["open_approvals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["subject"] == "budget")
        .unwrap()
        .clone();
    approve_all(&service, &cast, board["id"].as_str().unwrap()).await;
    assert_eq!(
        get(&service, &id, None).await.body["budget"]["status"],
        "approved"
    );

    for (key, body) in [
        (
            "data_processing_agreements",
            json!({"status": "not_applicable", "explanation": "Ingen persondata"}),
        ),
        (
            "certified_project_leader",
            json!({"status": "met", "note": "PRINCE2"}),
        ),
        (
            "operations_setup_described",
            json!({"status": "met", "link": "https://os2.eu/drift"}),
        ),
    ] {
        assert_eq!(
            evidence(&service, &crew.pia, &id, key, body).await.status,
            200,
            "{key}"
        );
    }
    let started = post(&service, &crew.jens, &id, "start", json!({})).await;
    assert_eq!(started.status, 200, "{}", started.body);
    assert_eq!(started.body["state"], "in_progress");

    // Reports: by the project leader (or the business manager), with a reason unless green.
    file_report(&service, &cast.aarhus, &id, report("green", None, 1))
        .await
        .problem(403, "forbidden");
    let amber = file_report(&service, &crew.pia, &id, report("amber", None, 1)).await;
    amber.problem(422, "validation");
    assert_eq!(amber.error_fields(), ["status_reason"]);
    let negative = file_report(&service, &crew.pia, &id, report("green", None, -5)).await;
    assert_eq!(negative.error_fields(), ["spent_dkk"]);
    let first = file_report(&service, &crew.pia, &id, report("green", None, 100_000)).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = file_report(
        &service,
        &cast.manager,
        &id,
        report("amber", Some("Forsinket leverandør"), 350_000),
    )
    .await;
    assert_eq!(second.status, 201);
    let listed = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/projects/{id}/reports")),
    )
    .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    let project = get(&service, &id, None).await.body;
    assert_eq!(project["latest_report"]["status"], "amber");
    assert_eq!(project["latest_report"]["spent_dkk"], 350_000);
    assert_eq!(project["latest_report"]["milestones"][0]["name"], "Pilot");

    // Representation follows the organisation: a new representative keeps the seat, no vote.
    let replaced = json!({"seats": [{"organization": "751", "representative": "ane"}, {"organization": "101", "representative": "kim"}],
        "chair": "751", "project_leader": "pia"});
    let reply = put(&service, &cast.manager, &id, "steering-group", replaced).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(representative(&reply.body, "751"), "ane");
    assert_eq!(representative(&reply.body, "101"), "kim");

    let history = history_actions(&service, &id).await;
    for action in [
        "steering_group_approved",
        "budget_approved_by_chair",
        "budget_approved",
        "started",
    ] {
        assert!(
            history.contains(&action.to_owned()),
            "{action} in {history:?}"
        );
    }
}

#[actix_web::test]
async fn at_n3_the_board_appoints_the_steering_group_and_holds_the_majority() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    crew(&app, &service, &cast).await;
    let id = approved(&service, &cast, "N3").await;

    let minority = json!({"seats": [{"organization": "kl", "representative": "board-1"}, {"organization": "751", "representative": "jens"}],
        "chair": "kl", "project_leader": "pia"});
    let refused = put(&service, &cast.manager, &id, "steering-group", minority).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["seats"]);
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("majority")
    );

    let majority = json!({"seats": [{"organization": "kl", "representative": "board-1"}, {"organization": "os2", "representative": "board-2"},
        {"organization": "751", "representative": "jens"}], "chair": "kl", "project_leader": "pia"});
    let proposed = put(&service, &cast.manager, &id, "steering-group", majority).await;
    assert_eq!(proposed.status, 202, "{}", proposed.body);
    approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    let project = get(&service, &id, None).await.body;
    let appointed = project["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "board_appointed_steering_group")
        .unwrap()
        .clone();
    assert_eq!(appointed["status"], "met");

    // Replacing a board member's seat by someone off the board would break the majority.
    let broken = json!({"seats": [{"organization": "kl", "representative": "board-1"}, {"organization": "101", "representative": "kim"},
        {"organization": "751", "representative": "jens"}], "chair": "kl", "project_leader": "pia"});
    let refused = put(&service, &cast.manager, &id, "steering-group", broken).await;
    refused.problem(422, "validation");
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("majority")
    );
    // A seat is filled by one of its own organisation's people (governance.md §4): København's
    // Kim cannot hold OS2's seat, nor Jens of Aarhus KL's.
    let foreign = json!({"seats": [{"organization": "kl", "representative": "jens"}, {"organization": "os2", "representative": "kim"},
        {"organization": "751", "representative": "board-1"}], "chair": "kl", "project_leader": "pia"});
    let refused = put(&service, &cast.manager, &id, "steering-group", foreign).await;
    refused.problem(422, "validation");
    // Nor do organisations outside the project hold seats, unless a board member fills them
    // (report 4.1.4): KL's and OS2's seats held by non-members are refused as well.
    assert_eq!(
        refused.error_fields(),
        [
            "seats[0].representative",
            "seats[1].representative",
            "seats[2].representative",
            "seats",
            "seats",
            "seats"
        ]
    );
    assert!(
        refused.body["errors"][3]["message"]
            .as_str()
            .unwrap()
            .contains("`kl` does not participate")
    );
    assert!(
        refused.body["errors"][1]["message"]
            .as_str()
            .unwrap()
            .contains("`kim` belongs to `101`")
    );
    assert_eq!(
        representative(&get(&service, &id, Some(&cast.manager)).await.body, "os2"),
        "board-2"
    );
}

#[actix_web::test]
async fn os2_funding_is_refused_at_n1_and_an_n1_owner_stands_in_for_a_group() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = approved(&service, &cast, "N1").await;

    let refused = put(&service, &cast.manager, &id, "budget", budget("os2")).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["funding"]);
    let mut backwards = budget("local");
    backwards["period_end"] = json!("2026-01-01");
    assert_eq!(
        put(&service, &cast.manager, &id, "budget", backwards)
            .await
            .error_fields(),
        ["period_end"]
    );

    // N1: a single project owner, in force at once; the owner approves the budget alone.
    let owner = put(
        &service,
        &cast.manager,
        &id,
        "steering-group",
        json!({"project_owner": "jens"}),
    )
    .await;
    assert_eq!(owner.status, 200, "{}", owner.body);
    assert_eq!(owner.body["steering_group"]["project_owner"]["sub"], "jens");
    put(&service, &cast.manager, &id, "budget", budget("local")).await;
    let approved_budget = post(&service, &crew.jens, &id, "budget/approval", json!({})).await;
    assert_eq!(approved_budget.body["budget"]["status"], "approved");
    post(&service, &crew.jens, &id, "budget/approval", json!({}))
        .await
        .problem(409, "conflict");
}

#[actix_web::test]
async fn a_running_project_is_paused_resumed_and_cancelled() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = approved(&service, &cast, "N1").await;
    put(
        &service,
        &cast.manager,
        &id,
        "steering-group",
        json!({"project_owner": "jens"}),
    )
    .await;
    put(&service, &cast.manager, &id, "budget", budget("local")).await;
    post(&service, &crew.jens, &id, "budget/approval", json!({})).await;
    evidence(
        &service,
        &cast.aarhus,
        &id,
        "data_processing_agreements",
        json!({"status": "met"}),
    )
    .await;
    post(&service, &crew.jens, &id, "resume", json!({}))
        .await
        .problem(409, "conflict");
    let started = post(&service, &cast.manager, &id, "start", json!({})).await;
    assert_eq!(started.body["state"], "in_progress", "{}", started.body);

    post(&service, &cast.manager, &id, "pause", json!({}))
        .await
        .problem(422, "validation");
    post(
        &service,
        &cast.copenhagen,
        &id,
        "pause",
        json!({"reason": "x"}),
    )
    .await
    .problem(403, "forbidden");
    let paused = post(
        &service,
        &cast.manager,
        &id,
        "pause",
        json!({"reason": "Afventer databehandleraftale"}),
    )
    .await;
    assert_eq!(paused.body["state"], "paused");
    let resumed = post(&service, &crew.jens, &id, "resume", json!({})).await;
    assert_eq!(resumed.body["state"], "in_progress");
    post(
        &service,
        &cast.manager,
        &id,
        "cancel",
        json!({"reason": "x"}),
    )
    .await
    .problem(403, "forbidden");
    let cancelled = post(
        &service,
        &crew.jens,
        &id,
        "cancel",
        json!({"reason": "Behovet er væk"}),
    )
    .await;
    assert_eq!(cancelled.status, 200);
    assert_eq!(
        cancelled.body["state"], "cancelled",
        "N1: the owner cancels alone"
    );
    post(&service, &cast.manager, &id, "start", json!({}))
        .await
        .problem(409, "conflict");
    let history = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/projects/{id}/history")),
    )
    .await;
    let paused = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "paused")
        .unwrap()
        .clone();
    assert_eq!(paused["reason"], "Afventer databehandleraftale");
}

#[actix_web::test]
async fn cancelling_an_n2_project_needs_the_boards_confirmation() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = running_project(&service, &cast, &crew, "N2").await;

    let requested = post(
        &service,
        &crew.jens,
        &id,
        "cancel",
        json!({"reason": "For dyrt"}),
    )
    .await;
    assert_eq!(requested.status, 202, "{}", requested.body);
    assert_eq!(requested.body["subject"], "cancellation");
    assert_eq!(
        get(&service, &id, None).await.body["state"],
        "in_progress",
        "until the board confirms"
    );
    post(
        &service,
        &crew.jens,
        &id,
        "cancel",
        json!({"reason": "Igen"}),
    )
    .await
    .problem(409, "conflict");
    approve_all(&service, &cast, requested.body["id"].as_str().unwrap()).await;
    assert_eq!(get(&service, &id, None).await.body["state"], "cancelled");
}

/// Steering and coordination groups look names up in one way: every unknown organisation or
/// person is named by its field in one answer, the chair included.
#[actix_web::test]
async fn unknown_names_in_either_group_are_listed_by_field_in_one_answer() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = approved(&service, &cast, "N2").await;
    let steering = json!({"seats": [{"organization": "999", "representative": "jens"},
        {"organization": "101", "representative": "nobody"}], "chair": "998", "project_leader": "ghost"});
    let refused = put(&service, &cast.manager, &id, "steering-group", steering).await;
    assert_eq!(
        refused.error_fields(),
        [
            "seats[0].organization",
            "seats[1].representative",
            "chair",
            "project_leader"
        ],
        "{}",
        refused.body
    );
    let running = running_project(&service, &cast, &crew, "N2").await;
    let coordination = json!({"members": [{"organization": "999", "representative": "nobody"}],
        "chair": "998", "supplier": "997"});
    let refused = put(
        &service,
        &cast.manager,
        &running,
        "coordination-group",
        coordination,
    )
    .await;
    assert_eq!(
        refused.error_fields(),
        [
            "members[0].organization",
            "members[0].representative",
            "chair",
            "supplier"
        ],
        "{}",
        refused.body
    );
}

/// Governance.md §4: a steering group put in force at N1 never went to the board; after a
/// level change to N2 `steering_group_approved` is missing until the board approves the group
/// (the same composition included), and the level change was not held up by it.
#[actix_web::test]
async fn after_n1_to_n2_the_steering_group_needs_the_boards_approval() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = running_project(&service, &cast, &crew, "N1").await;
    let group = get(&service, &id, None).await.body["steering_group"].clone();
    assert_eq!(group["approved_by_board"], false);
    for gate in ["approval", "start"] {
        crate::products::record_n2(&service, &cast, &cast.aarhus, &id, gate).await;
    }
    let propose = TestRequest::post()
        .uri(&format!("/api/v1/projects/{id}/level-changes"))
        .insert_header(bearer(&cast.manager))
        .set_json(json!({"level": "N2", "reason": "Fælleskommunal værdi"}));
    let proposed = send(&service, propose).await;
    assert_eq!(proposed.status, 201, "{}", proposed.body);
    approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    let moved = get(&service, &id, None).await.body;
    assert_eq!(moved["level"], "N2");
    let status = |project: &Value| {
        crate::scenario::requirement(project, "steering_group_approved")["status"].clone()
    };
    assert_eq!(status(&moved), "missing");

    // The same composition, now before the board.
    let same = json!({"seats": [{"organization": "751", "representative": "jens"}], "chair": "751", "project_leader": "pia"});
    let before_board = put(&service, &cast.manager, &id, "steering-group", same).await;
    assert_eq!(before_board.status, 202, "{}", before_board.body);
    approve_all(&service, &cast, before_board.body["id"].as_str().unwrap()).await;
    let approved = get(&service, &id, None).await.body;
    assert_eq!(status(&approved), "met");
    assert_eq!(approved["steering_group"]["approved_by_board"], true);
}
