//! The initiative life cycle end to end: ideas, evidence, placement, submission, approvals.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::TestRequest;
use os2pm_api::auth::Role;
use os2pm_tests::{Reply, TestApp, bearer, send};

use crate::scenario::{requirement, scenario};
use serde_json::{Value, json};

/// The people of these scenarios, by the `sub` of their tokens.
pub(crate) struct Cast {
    pub(crate) admin: String,
    pub(crate) manager: String,
    pub(crate) aarhus: String,
    pub(crate) copenhagen: String,
    /// Board members: (sub, token).
    pub(crate) board: Vec<(String, String)>,
    /// A board member whose seat ended.
    pub(crate) former: String,
}

impl Cast {
    pub(crate) fn member(&self, i: usize) -> &str {
        &self.board[i].1
    }
}

pub(crate) trait TestService:
    Service<actix_http::Request, Response = ServiceResponse<Self::Body>, Error = actix_web::Error>
{
    type Body: MessageBody;
}

impl<S, B> TestService for S
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Body = B;
}

pub(crate) fn token_for(app: &TestApp, sub: &str, roles: &[Role], org: Option<&str>) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({"sub": sub, "roles": roles, "iss": os2pm_tests::ISSUER,
        "aud": os2pm_tests::AUDIENCE, "iat": now, "exp": now + 3600});
    if let Some(org) = org {
        claims["org"] = json!(org);
    }
    let _ = app;
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(os2pm_tests::TEST_SECRET.as_bytes()),
    )
    .unwrap()
}

/// Registers the people and seats a board of `seats` members (the first chairs), plus a former
/// member whose seat has ended.
pub(crate) async fn cast(app: &TestApp, service: &impl TestService, seats: usize) -> Cast {
    let admin = app.token(&[Role::Admin], None);
    let add = |sub: &str, org: &str| {
        TestRequest::post()
            .uri("/api/v1/people")
            .insert_header(bearer(&admin))
            .set_json(json!({"sub": sub, "name": format!("Person {sub}"), "organization": org}))
    };
    let mut board = Vec::new();
    let mut members = Vec::new();
    for i in 0..seats {
        let sub = format!("board-{i}");
        // The board's people come from KL and OS2; each holds a group seat of its own
        // organisation only.
        let org = if i == 2 { "os2" } else { "kl" };
        assert_eq!(send(service, add(&sub, org)).await.status, 201);
        members.push(json!({"person": sub, "chair": i == 0, "seat_from": "2020-01-01"}));
        let role = if i == 0 {
            Role::BoardChair
        } else {
            Role::BoardMember
        };
        board.push((
            sub.clone(),
            token_for(app, &sub, &[role, Role::BoardMember], Some(org)),
        ));
    }
    assert_eq!(send(service, add("former", "kl")).await.status, 201);
    members
        .push(json!({"person": "former", "seat_from": "2018-01-01", "seat_until": "2019-12-31"}));
    let roster = send(
        service,
        TestRequest::get()
            .uri("/api/v1/board/members")
            .insert_header(bearer(&admin)),
    )
    .await;
    let etag = roster.header("etag").unwrap().to_owned();
    let put = TestRequest::put()
        .uri("/api/v1/board/members")
        .insert_header(bearer(&admin))
        .insert_header(("if-match", etag))
        .set_json(json!({"members": members}));
    let reply = send(service, put).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    Cast {
        manager: token_for(app, "anne", &[Role::Forretningsleder], Some("os2")),
        aarhus: token_for(app, "jens", &[Role::MunicipalityUser], Some("751")),
        copenhagen: token_for(app, "kim", &[Role::MunicipalityUser], Some("101")),
        former: token_for(app, "former", &[Role::BoardMember], Some("kl")),
        admin,
        board,
    }
}

pub(crate) fn idea(title: &str) -> Value {
    json!({
        "title": title, "summary": "Én løsning til dialog med borgerne.", "participants": ["751", "101"],
        "local_value": "Kortere svartider.", "value_for_others": "Alle kommuner har behovet.",
        "intended_funding": "local", "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"}
    })
}

pub(crate) async fn submit_idea(service: &impl TestService, token: &str, body: &Value) -> Reply {
    send(
        service,
        TestRequest::post()
            .uri("/api/v1/projects")
            .insert_header(bearer(token))
            .set_json(body),
    )
    .await
}

/// Submits an idea that must be accepted, and gives its id.
pub(crate) async fn new_idea(service: &impl TestService, token: &str, body: &Value) -> String {
    let created = submit_idea(service, token, body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn get(service: &impl TestService, id: &str, token: Option<&str>) -> Reply {
    let mut request = TestRequest::get().uri(&format!("/api/v1/projects/{id}"));
    if let Some(token) = token {
        request = request.insert_header(bearer(token));
    }
    send(service, request).await
}

pub(crate) async fn etag(service: &impl TestService, id: &str) -> String {
    get(service, id, None)
        .await
        .header("etag")
        .unwrap()
        .to_owned()
}

/// A change to a project with the current ETag.
pub(crate) async fn change(service: &impl TestService, request: TestRequest, id: &str) -> Reply {
    let etag = etag(service, id).await;
    send(service, request.insert_header(("if-match", etag))).await
}

pub(crate) async fn evidence(
    service: &impl TestService,
    token: &str,
    id: &str,
    key: &str,
    body: Value,
) -> Reply {
    let request = TestRequest::put()
        .uri(&format!("/api/v1/projects/{id}/requirements/{key}"))
        .insert_header(bearer(token))
        .set_json(body);
    change(service, request, id).await
}

/// Where a placement puts a project: a level, in the default catalogue unless one is named.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub level: &'a str,
    pub catalogue: Option<&'a str>,
    /// The idea is an adoption, a solution built elsewhere (for the helpers that create it).
    pub adoption: bool,
}

impl<'a> At<'a> {
    pub fn in_2025(level: &'a str) -> Self {
        Self {
            level,
            catalogue: Some("os2-styringsmodel-2025"),
            adoption: false,
        }
    }

    /// The same, for an adoption.
    pub fn adopted(self) -> Self {
        Self {
            adoption: true,
            ..self
        }
    }

    /// Decided by the business manager, funded locally.
    pub fn is_local(self) -> bool {
        matches!(self.level, "N1" | "sandkasse")
    }
}

impl<'a> From<&'a str> for At<'a> {
    fn from(level: &'a str) -> Self {
        Self {
            level,
            catalogue: None,
            adoption: false,
        }
    }
}

pub(crate) async fn place<'a>(
    service: &impl TestService,
    manager: &str,
    id: &str,
    at: impl Into<At<'a>>,
) -> Reply {
    let At {
        level, catalogue, ..
    } = at.into();
    let request = TestRequest::post()
        .uri(&format!("/api/v1/projects/{id}/placement"))
        .insert_header(bearer(manager))
        .set_json(json!({"level": level, "rationale": format!("Placed at {level}"), "catalogue": catalogue}));
    change(service, request, id).await
}

pub(crate) async fn submit(service: &impl TestService, manager: &str, id: &str) -> Reply {
    let request = TestRequest::post()
        .uri(&format!("/api/v1/projects/{id}/submission"))
        .insert_header(bearer(manager));
    change(service, request, id).await
}

/// Records evidence for every approval-gate requirement the project still misses: Aarhus the
/// project's own and its own acceptance, København its own, the business manager (with the
/// document's link) any other organisation's.
pub(crate) async fn meet_approval_gate(service: &impl TestService, cast: &Cast, id: &str) {
    meet_gate_as(service, id, "approval", |organization| match organization {
        None | Some("751") => &cast.aarhus,
        Some("101") => &cast.copenhagen,
        Some(_) => &cast.manager,
    })
    .await;
}

/// Records evidence for every requirement of `gate` the project still misses, all by `token`.
pub(crate) async fn meet_gate(service: &impl TestService, token: &str, id: &str, gate: &str) {
    meet_gate_as(service, id, gate, |_| token).await;
}

/// Records evidence for every requirement of `gate` the project still misses, each part by
/// the token `recorder` gives for its organisation (`None`: the project's own).
async fn meet_gate_as<'t>(
    service: &impl TestService,
    id: &str,
    gate: &str,
    recorder: impl Fn(Option<&str>) -> &'t str,
) {
    let project = get(service, id, None).await.body;
    for requirement in project["requirements"].as_array().unwrap() {
        let key = requirement["key"].as_str().unwrap();
        if requirement["gate"] != gate
            || requirement["kind"] == "derived"
            || requirement["status"] == "met"
        {
            continue;
        }
        let orgs: Vec<Option<String>> = match requirement["organizations"].as_array() {
            Some(orgs) => orgs
                .iter()
                .map(|o| Some(o["organization"].as_str().unwrap().to_owned()))
                .collect(),
            None => vec![None],
        };
        for org in orgs {
            let token = recorder(org.as_deref());
            let body = json!({"status": "met", "link": "https://github.com/OS2/idea", "organization": org});
            let reply = evidence(service, token, id, key, body).await;
            assert_eq!(reply.status, 200, "{key}: {}", reply.body);
        }
    }
}

/// An idea by Aarhus, placed at `at` and submitted with its approval gate met.
pub(crate) async fn awaiting_approval<'a>(
    service: &impl TestService,
    cast: &Cast,
    at: impl Into<At<'a>>,
) -> (String, String) {
    let at = at.into();
    let title = format!("Idé på {}", at.level);
    let mut body = idea(&title);
    if at.adoption {
        body["kind"] = json!("adoption");
    }
    let created = submit_idea(service, &cast.aarhus, &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let placed = place(service, &cast.manager, &id, at).await;
    assert_eq!(placed.status, 200, "{}", placed.body);
    meet_approval_gate(service, cast, &id).await;
    let submitted = submit(service, &cast.manager, &id).await;
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    assert_eq!(submitted.body["state"], "awaiting_approval");
    let approval = submitted.body["current_approval"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, approval)
}

pub(crate) async fn vote(
    service: &impl TestService,
    token: &str,
    approval: &str,
    decision: &str,
    reason: Option<&str>,
) -> Reply {
    send(
        service,
        TestRequest::post()
            .uri(&format!("/api/v1/approvals/{approval}/votes"))
            .insert_header(bearer(token))
            .set_json(json!({"decision": decision, "reason": reason})),
    )
    .await
}

pub(crate) async fn history_actions(service: &impl TestService, id: &str) -> Vec<String> {
    let reply = send(
        service,
        TestRequest::get().uri(&format!("/api/v1/projects/{id}/history")),
    )
    .await;
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn n1_goes_from_idea_to_approved_by_the_business_manager() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;

    let created = submit_idea(&service, &cast.aarhus, &idea("Borgerdialog")).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["state"], "idea");
    assert_eq!(created.body["owner_organization"], "751");
    assert_eq!(created.body["participants"], json!(["101", "751"]));
    assert_eq!(
        created.body["_actions"],
        json!(["edit", "record_evidence", "attest"])
    );
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location").unwrap(),
        format!("/api/v1/projects/{id}")
    );

    let placed = place(&service, &cast.manager, &id, "N1").await;
    assert_eq!(placed.body["state"], "concept");
    assert_eq!(placed.body["level"], "N1");
    assert_eq!(placed.body["catalogue_version"], "os2-2016");
    assert_eq!(placed.body["requirements"].as_array().unwrap().len(), 16);
    meet_approval_gate(&service, &cast, &id).await;
    let submitted = submit(&service, &cast.manager, &id).await;
    let approval = &submitted.body["current_approval"];
    assert_eq!(approval["approver"], "forretningsleder");
    assert_eq!(approval["level"], "N1");
    let approval_id = approval["id"].as_str().unwrap().to_owned();

    // The inbox of the business manager has it; the board's pending list does not.
    let inbox = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/approvals?state=pending")
            .insert_header(bearer(&cast.manager)),
    )
    .await;
    assert_eq!(inbox.body["items"][0]["id"], approval_id.as_str());
    let board = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/approvals?state=pending")
            .insert_header(bearer(cast.member(1))),
    )
    .await;
    assert_eq!(board.body["items"], json!([]));
    // A board member cannot decide N1.
    vote(&service, cast.member(1), &approval_id, "approve", None)
        .await
        .problem(403, "forbidden");

    let decided = vote(&service, &cast.manager, &approval_id, "approve", None).await;
    assert_eq!(decided.status, 201, "{}", decided.body);
    assert_eq!(decided.body["state"], "decided");
    assert_eq!(decided.body["outcome"], "approve");
    assert_eq!(get(&service, &id, None).await.body["state"], "approved");

    // The board is informed of N1 decisions, it does not decide them.
    let informed = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/approvals?state=decided")
            .insert_header(bearer(cast.member(1))),
    )
    .await;
    let item = &informed.body["items"][0];
    assert_eq!(item["id"], approval_id.as_str());
    assert_eq!(item["for_information"], true);

    assert_eq!(
        history_actions(&service, &id)
            .await
            .iter()
            .filter(|a| !a.starts_with("evidence"))
            .collect::<Vec<_>>(),
        [
            "idea_submitted",
            "placed",
            "submitted",
            "vote_cast",
            "approved"
        ]
    );
}

#[actix_web::test]
async fn n2_is_approved_by_a_majority_of_the_seated_board() {
    let app = TestApp::new();
    let scene = scenario(&app, 5).await;
    let (id, approval) = scene.awaiting_approval("N2").await;
    let view = scene.project_as(&id, Some(scene.cast.member(2))).await;
    assert_eq!(view.body["current_approval"]["approver"], "board");
    assert!(
        view.body["_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("vote"))
    );

    // The business manager does not vote on N2.
    scene
        .vote(&scene.cast.manager, &approval, "approve", None)
        .await
        .problem(403, "forbidden");
    for i in [1, 2] {
        let reply = scene.member_votes(i, &approval, "approve", None).await;
        assert_eq!(reply.body["state"], "pending", "2 of 5 is no majority");
    }
    let reply = scene.member_votes(3, &approval, "approve", None).await;
    assert_eq!(reply.body["state"], "decided");
    assert_eq!(reply.body["outcome"], "approve");
    assert_eq!(reply.body["votes"].as_array().unwrap().len(), 3);
    let project = scene.project(&id).await;
    assert_eq!(project["state"], "approved");
    // The derived board_approval now holds.
    assert_eq!(requirement(&project, "board_approval")["status"], "met");

    // The vote is closed now.
    scene
        .member_votes(4, &approval, "reject", Some("for sent"))
        .await
        .problem(409, "conflict");
}

#[actix_web::test]
async fn n3_returned_with_a_reason_is_edited_resubmitted_and_approved() {
    let app = TestApp::new();
    let scene = scenario(&app, 3).await;
    let (id, first) = scene.awaiting_approval("N3").await;

    scene
        .member_votes(0, &first, "return", None)
        .await
        .problem(422, "validation");
    scene
        .member_votes(0, &first, "return", Some("Mangler strategisk fit"))
        .await;
    let reply = scene.member_votes(1, &first, "return", Some("Enig")).await;
    assert_eq!(reply.body["outcome"], "return");
    let project = scene.project_as(&id, Some(&scene.cast.aarhus)).await.body;
    assert_eq!(project["state"], "returned");
    assert_eq!(project["round"], 2);
    assert_eq!(project["return_reason"], "Enig");
    assert!(
        project["_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("edit"))
    );

    let edited = scene
        .edit(
            &id,
            json!({"summary": "Nu med strategisk sammenhæng til fællesstrategien."}),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(
        edited.body["summary"],
        "Nu med strategisk sammenhæng til fællesstrategien."
    );

    assert_eq!(scene.place(&id, "N3").await.status, 200);
    let resubmitted = scene.submit(&id).await;
    let second = resubmitted.body["current_approval"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(second, first);
    assert_eq!(resubmitted.body["current_approval"]["round"], 2);
    scene.member_votes(0, &second, "approve", None).await;
    scene.member_votes(2, &second, "approve", None).await;
    assert_eq!(scene.project(&id).await["state"], "approved");

    // Both rounds stay on record: the first approval still says `return`, with its reason.
    let old = scene.approval(&first).await;
    assert_eq!(old["outcome"], "return");
    assert_eq!(old["reason"], "Enig");
    let history = scene.history(&id).await;
    let returned = history
        .iter()
        .find(|e| e["action"] == "returned")
        .unwrap()
        .clone();
    assert_eq!(returned["before"]["state"], "awaiting_approval");
    assert_eq!(returned["after"]["state"], "returned");
    let actions: Vec<&str> = history
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == "submitted").count(), 2);
    assert_eq!(actions.last().unwrap(), &"approved");
}

/// Tilbageløb before the board (governance.md §2, report §5.2): the business manager edits a
/// concept or sends it back with a reason the owner sees; the owner reworks it and it is placed
/// again. An N1 concept funded by OS2 is fixed that way.
#[actix_web::test]
async fn a_concept_is_shaped_by_the_business_manager_or_sent_back_to_the_owner() {
    let app = TestApp::new();
    let scene = scenario(&app, 3).await;
    let cast = &scene.cast;
    let mut body = idea("Borgerdialog");
    body["intended_funding"] = json!("os2");
    let id = new_idea(&scene.service, &cast.aarhus, &body).await;
    assert_eq!(scene.place(&id, "N1").await.status, 200);

    // A concept is the business manager's to shape: the owner neither edits nor sends it back.
    let fix = json!({"intended_funding": "local"});
    scene
        .edit_as(&cast.aarhus, &id, fix.clone())
        .await
        .problem(403, "forbidden");
    let reason = json!({"reason": "Finansieringen skal være lokal på N1."});
    scene
        .send_back(&cast.aarhus, &id, reason.clone())
        .await
        .problem(403, "forbidden");
    let no_reason = scene
        .send_back(&cast.manager, &id, json!({"reason": " "}))
        .await;
    assert_eq!(
        no_reason.problem(422, "validation")["errors"][0]["field"],
        "reason"
    );
    let stale = send(
        &scene.service,
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/send-back"))
            .insert_header(bearer(&cast.manager))
            .insert_header(("if-match", "\"0-stale\""))
            .set_json(&reason),
    )
    .await;
    assert_eq!(stale.status, 412, "{}", stale.body);
    assert_eq!(scene.project(&id).await["state"], "concept");

    let sent_back = scene.send_back(&cast.manager, &id, reason.clone()).await;
    assert_eq!(sent_back.status, 200, "{}", sent_back.body);
    assert_eq!(sent_back.body["state"], "returned");
    let seen = scene.project_as(&id, Some(&cast.aarhus)).await.body;
    assert_eq!(
        seen["return_reason"],
        "Finansieringen skal være lokal på N1."
    );
    assert!(
        seen["_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("edit"))
    );
    // Not placed yet, it cannot be sent back again or submitted.
    scene
        .send_back(&cast.manager, &id, reason.clone())
        .await
        .problem(409, "conflict");

    let fixed = scene.edit_as(&cast.aarhus, &id, fix).await;
    assert_eq!(fixed.status, 200, "{}", fixed.body);
    assert_eq!(fixed.body["intended_funding"], "local");
    assert_eq!(scene.place(&id, "N1").await.status, 200);
    // The business manager may edit the concept itself.
    let shaped = scene
        .edit_as(
            &cast.manager,
            &id,
            json!({"summary": "Formet sammen med Aarhus."}),
        )
        .await;
    assert_eq!(shaped.status, 200, "{}", shaped.body);
    assert_eq!(shaped.body["state"], "concept");
    meet_approval_gate(&scene.service, cast, &id).await;
    assert_eq!(scene.submit(&id).await.status, 200);
    // Submitted, it is its approver's to return.
    scene
        .send_back(&cast.manager, &id, reason)
        .await
        .problem(409, "conflict");

    let history = scene.history(&id).await;
    let entry = history.iter().find(|e| e["action"] == "sent_back").unwrap();
    assert_eq!(entry["before"]["state"], "concept");
    assert_eq!(entry["after"]["state"], "returned");
    assert_eq!(entry["reason"], "Finansieringen skal være lokal på N1.");
}

#[actix_web::test]
async fn a_rejected_project_is_final() {
    let app = TestApp::new();
    let scene = scenario(&app, 3).await;
    let (id, approval) = scene.awaiting_approval("N2").await;
    scene
        .member_votes(1, &approval, "reject", Some("Lovmedholdelighed"))
        .await;
    scene
        .member_votes(2, &approval, "reject", Some("Enig"))
        .await;
    let project = scene.project_as(&id, Some(&scene.cast.manager)).await;
    assert_eq!(project.body["state"], "rejected");
    assert_eq!(project.body["_actions"], json!([]));
    scene.place(&id, "N1").await.problem(409, "conflict");
    scene
        .edit(&id, json!({"title": "Igen"}))
        .await
        .problem(409, "conflict");
}

#[actix_web::test]
async fn the_chair_breaks_a_tie_once_every_seated_member_has_voted() {
    let app = TestApp::new();
    let scene = scenario(&app, 4).await;
    let (id, approval) = scene.awaiting_approval("N2").await;
    scene.member_votes(0, &approval, "approve", None).await; // the chair
    scene.member_votes(1, &approval, "approve", None).await;
    scene
        .member_votes(2, &approval, "reject", Some("Nej"))
        .await;
    assert_eq!(
        scene.project(&id).await["state"],
        "awaiting_approval",
        "2–1 of 4 is no majority yet"
    );
    let last = scene
        .member_votes(3, &approval, "reject", Some("Nej"))
        .await;
    assert_eq!(last.body["outcome"], "approve", "2–2: the chair's side");
    assert_eq!(scene.project(&id).await["state"], "approved");
}

#[actix_web::test]
async fn submission_is_refused_with_the_exact_unmet_requirements_and_nothing_changes() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let mut body = idea("Uden alt");
    body["intended_funding"] = json!("os2");
    let id = new_idea(&service, &cast.aarhus, &body).await;
    place(&service, &cast.manager, &id, "N1").await;
    for (key, evidence_body) in [
        ("idea_described", json!({"status": "met"})),
        ("local_value", json!({"status": "met"})),
        ("value_for_others", json!({"status": "met"})),
        ("license_criteria", json!({"status": "met"})),
        ("procurement_compliant", json!({"status": "met"})),
        ("legally_compliant", json!({"status": "met"})),
        (
            "solution_documented",
            json!({"status": "met", "link": "https://os2.eu/doc"}),
        ),
        (
            "standards_follow_or_explain",
            json!({"status": "explained", "explanation": "Egen SSO"}),
        ),
    ] {
        assert_eq!(
            evidence(&service, &cast.aarhus, &id, key, evidence_body)
                .await
                .status,
            200,
            "{key}"
        );
    }
    let before = get(&service, &id, None).await;

    let dry = send(
        &service,
        TestRequest::get()
            .uri(&format!("/api/v1/projects/{id}/submission"))
            .insert_header(bearer(&cast.manager)),
    )
    .await;
    assert_eq!(dry.status, 200);
    assert_eq!(dry.body["ready"], false);
    assert_eq!(dry.body["approver"], "forretningsleder");

    // The dry run of old is refused, never taken for a submission.
    let old_dry_run = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/submission?dry_run=true"))
            .insert_header(bearer(&cast.manager))
            .insert_header(("if-match", "*")),
    )
    .await;
    old_dry_run.problem(422, "validation");
    assert_eq!(old_dry_run.error_fields(), ["dry_run"]);

    let refused = submit(&service, &cast.manager, &id).await;
    refused.problem(422, "unmet-requirements");
    let unmet: Vec<&str> = refused.body["unmet_requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        unmet,
        ["security_by_design", "local_funding", "supports_innovation"]
    );
    assert_eq!(refused.body["unmet_requirements"][0]["gate"], "approval");
    assert_eq!(refused.body["unmet_requirements"][0]["level"], "N1");
    // In Danish beside English: the board reads Danish (governance.md §3).
    assert_eq!(
        refused.body["unmet_requirements"][0]["title_da"],
        "Sikkerhed er tænkt ind i løsningen"
    );
    assert!(refused.body["unmet_requirements"][0]["title_en"].is_string());
    assert_eq!(
        dry.body["unmet_requirements"],
        refused.body["unmet_requirements"]
    );

    let after = get(&service, &id, None).await;
    assert_eq!(
        after.body, before.body,
        "a refused submission changes nothing"
    );
    assert_eq!(after.header("etag"), before.header("etag"));
    assert!(
        !history_actions(&service, &id)
            .await
            .contains(&"submitted".to_owned())
    );
}

#[actix_web::test]
async fn votes_are_refused_twice_after_closing_and_from_anyone_else() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 5).await;
    let (_, approval) = awaiting_approval(&service, &cast, "N2").await;

    vote(&service, cast.member(1), &approval, "approve", None).await;
    let again = vote(
        &service,
        cast.member(1),
        &approval,
        "reject",
        Some("changed my mind"),
    )
    .await;
    again.problem(409, "conflict");
    assert!(
        again.body["detail"]
            .as_str()
            .unwrap()
            .contains("already voted")
    );

    vote(&service, &cast.former, &approval, "approve", None)
        .await
        .problem(403, "forbidden");
    vote(&service, &cast.aarhus, &approval, "approve", None)
        .await
        .problem(403, "forbidden");
    let unseated = token_for(&app, "board-99", &[Role::BoardMember], Some("kl"));
    vote(&service, &unseated, &approval, "approve", None)
        .await
        .problem(403, "forbidden");
    vote(&service, cast.member(2), &approval, "maybe", None)
        .await
        .problem(422, "validation");
    send(
        &service,
        TestRequest::post()
            .uri("/api/v1/approvals/nope/votes")
            .insert_header(bearer(cast.member(2)))
            .set_json(json!({"decision": "approve"})),
    )
    .await
    .problem(404, "not-found");

    let view = send(
        &service,
        TestRequest::get()
            .uri(&format!("/api/v1/approvals/{approval}"))
            .insert_header(bearer(&cast.manager)),
    )
    .await;
    assert_eq!(
        view.body["votes"].as_array().unwrap().len(),
        1,
        "only the first vote counts"
    );
}

#[actix_web::test]
async fn concurrent_votes_decide_exactly_once() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let (id, approval) = awaiting_approval(&service, &cast, "N2").await;
    let replies = futures_util::future::join_all(
        (0..3).map(|i| vote(&service, cast.member(i), &approval, "approve", None)),
    )
    .await;
    let accepted = replies.iter().filter(|r| r.status == 201).count();
    let closed = replies.iter().filter(|r| r.status == 409).count();
    assert_eq!(accepted + closed, 3, "{replies:?}");
    assert!(accepted >= 2);
    let view = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/approvals/{approval}")),
    )
    .await;
    assert_eq!(view.body["outcome"], "approve");
    assert_eq!(view.body["votes"].as_array().unwrap().len(), accepted);
    let decisions = history_actions(&service, &id)
        .await
        .into_iter()
        .filter(|a| a == "approved")
        .count();
    assert_eq!(decisions, 1, "decided exactly once");
}

#[actix_web::test]
async fn a_meeting_decision_recorded_by_the_business_manager_closes_a_board_approval() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let (id, approval) = awaiting_approval(&service, &cast, "N2").await;
    let record = |token: &str, present: Value| {
        TestRequest::post()
            .uri(&format!("/api/v1/approvals/{approval}/meeting-decision"))
            .insert_header(bearer(token))
            .set_json(json!({"meeting_date": "2026-11-20", "members_present": present, "decision": "approve", "reason": "Referat pkt. 4"}))
    };
    send(&service, record(cast.member(0), json!(["board-0"])))
        .await
        .problem(403, "forbidden");
    let stranger = send(
        &service,
        record(&cast.manager, json!(["board-0", "former"])),
    )
    .await;
    stranger.problem(422, "validation");
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let minutes_ahead = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/approvals/{approval}/meeting-decision"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"meeting_date": tomorrow, "members_present": ["board-0"], "decision": "approve"})),
    )
    .await;
    minutes_ahead.problem(422, "validation");
    assert_eq!(minutes_ahead.error_fields(), ["meeting_date"]);
    let reply = send(
        &service,
        record(&cast.manager, json!(["board-0", "board-1"])),
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body["meeting"]["date"], "2026-11-20");
    assert_eq!(reply.body["decided_by"], "board_meeting");
    assert_eq!(get(&service, &id, None).await.body["state"], "approved");
}

/// governance.md §7: a board meeting decides only when more than half of the members seated on
/// its date were present.
#[actix_web::test]
async fn a_meeting_decision_needs_more_than_half_of_the_seated_board_present() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 4).await;
    let (id, approval) = awaiting_approval(&service, &cast, "N3").await;
    let record = |present: Value| {
        TestRequest::post()
            .uri(&format!("/api/v1/approvals/{approval}/meeting-decision"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"meeting_date": "2026-11-20", "members_present": present, "decision": "approve"}))
    };
    for present in [
        json!(["board-0"]),
        json!(["board-0", "board-1"]),
        json!(["board-0", "board-1", "board-1"]),
    ] {
        let refused = send(&service, record(present.clone())).await;
        let problem = refused.problem(422, "validation");
        assert_eq!(
            refused.error_fields().last().map(String::as_str),
            Some("members_present")
        );
        assert!(
            problem.to_string().contains("not quorate"),
            "{present}: {problem}"
        );
    }
    assert_eq!(
        get(&service, &id, None).await.body["state"],
        "awaiting_approval"
    );
    let decided = send(&service, record(json!(["board-0", "board-1", "board-3"]))).await;
    assert_eq!(decided.status, 201, "{}", decided.body);
    assert_eq!(get(&service, &id, None).await.body["state"], "approved");
}

#[actix_web::test]
async fn changes_need_a_current_if_match_and_refusals_change_nothing() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = new_idea(&service, &cast.aarhus, &idea("ETag")).await;
    let stale = etag(&service, &id).await;
    let edit = |title: &str| {
        TestRequest::patch()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(bearer(&cast.aarhus))
            .set_json(json!({"title": title}))
    };
    send(&service, edit("Uden If-Match"))
        .await
        .problem(428, "precondition-required");
    // An empty If-Match names no version: it is missing, not a wrong one.
    send(
        &service,
        edit("Tom If-Match").insert_header(("if-match", "")),
    )
    .await
    .problem(428, "precondition-required");
    let first = send(
        &service,
        edit("Første").insert_header(("if-match", stale.clone())),
    )
    .await;
    assert_eq!(first.status, 200);
    assert_ne!(first.header("etag"), Some(stale.as_str()));
    send(&service, edit("Anden").insert_header(("if-match", stale)))
        .await
        .problem(412, "precondition-failed");
    send(
        &service,
        edit("Tredje").insert_header(("if-match", "\"garbage\"")),
    )
    .await
    .problem(412, "precondition-failed");
    assert_eq!(get(&service, &id, None).await.body["title"], "Første");
    // The body is judged before the precondition: a wrong one is named whatever If-Match says.
    let wrong_body = send(
        &service,
        TestRequest::patch()
            .uri(&format!("/api/v1/projects/{id}"))
            .insert_header(bearer(&cast.aarhus))
            .insert_header(("if-match", "\"garbage\""))
            .set_json(json!({"title": 7})),
    )
    .await;
    wrong_body.problem(422, "validation");
    // `*` matches whatever is current (RFC 9110 §13.1.1).
    let any = send(&service, edit("Fjerde").insert_header(("if-match", "*"))).await;
    assert_eq!(any.status, 200, "{}", any.body);
    assert_eq!(any.body["title"], "Fjerde");

    let place_without = TestRequest::post()
        .uri(&format!("/api/v1/projects/{id}/placement"))
        .insert_header(bearer(&cast.manager))
        .set_json(json!({"level": "N1", "rationale": "x"}));
    send(&service, place_without)
        .await
        .problem(428, "precondition-required");
}

/// One input policy on both databases: a NUL or another control character in any text is a
/// 422 naming the field (SQLite stored a NUL, PostgreSQL refused it); newline and tab are text.
/// A token's `sub` with one is a 401.
#[actix_web::test]
async fn control_characters_are_refused_alike_on_both_databases() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 1).await;
    let mut body = idea("Nul\u{0}titel");
    body["contact"]["name"] = json!("Jens\u{7}Hansen");
    body["summary"] = json!("Linje et\nLinje to\tmed tabulator");
    let refused = submit_idea(&service, &cast.aarhus, &body).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["title", "contact.name"]);
    body["title"] = json!("Nul-titel");
    body["contact"]["name"] = json!("Jens Hansen");
    let created = submit_idea(&service, &cast.aarhus, &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["summary"], "Linje et\nLinje to\tmed tabulator");

    for sub in ["jens\u{0}", "jens\nadmin"] {
        let token = token_for(&app, sub, &[Role::MunicipalityUser], Some("751"));
        let reply = submit_idea(&service, &token, &idea("Fra en mærkelig sub")).await;
        reply.problem(401, "unauthorized");
    }
}

#[actix_web::test]
async fn a_retried_idea_with_the_same_idempotency_key_creates_one_project() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let post = |body: &Value| {
        TestRequest::post()
            .uri("/api/v1/projects")
            .insert_header(bearer(&cast.aarhus))
            .insert_header(("idempotency-key", "intranet-42"))
            .set_json(body)
    };
    let first = send(&service, post(&idea("Idempotent"))).await;
    let again = send(&service, post(&idea("Idempotent"))).await;
    assert_eq!(first.status, 201);
    assert_eq!(again.status, 201);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    send(&service, post(&idea("Noget andet")))
        .await
        .problem(422, "idempotency-key-reused");
    let listed = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?q=idempotent"),
    )
    .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn concurrent_ideas_with_one_idempotency_key_create_exactly_one_project() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let keyed = || {
        TestRequest::post()
            .uri("/api/v1/projects")
            .insert_header(bearer(&cast.aarhus))
            .insert_header(("idempotency-key", "race"))
            .set_json(idea("Samtidig"))
    };
    let replies = futures_util::future::join_all((0..4).map(|_| send(&service, keyed()))).await;
    for reply in &replies {
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(reply.body, replies[0].body);
    }
    let listed = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?q=samtidig"),
    )
    .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    let id = replies[0].body["id"].as_str().unwrap();
    assert_eq!(history_actions(&service, id).await, ["idea_submitted"]);
}

#[actix_web::test]
async fn a_retried_change_gets_its_first_answer_though_the_project_has_moved_on() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = new_idea(&service, &cast.aarhus, &idea("Gentaget placering")).await;
    let before = etag(&service, &id).await;
    let placement = || {
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/placement"))
            .insert_header(bearer(&cast.manager))
            .insert_header(("if-match", before.clone()))
            .insert_header(("idempotency-key", "placering-1"))
            .set_json(json!({"level": "N2", "rationale": "Fælles løsning"}))
    };
    let first = send(&service, placement()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["level"], "N2");

    // The retry's If-Match is stale now, and placing again would be refused: the key's first
    // answer is the answer all the same, and nothing is placed twice.
    let again = send(&service, placement()).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(
        history_actions(&service, &id).await,
        ["idea_submitted", "placed"]
    );

    // Without the key, the same stale request is refused as any other.
    let unkeyed = TestRequest::post()
        .uri(&format!("/api/v1/projects/{id}/placement"))
        .insert_header(bearer(&cast.manager))
        .insert_header(("if-match", before.clone()))
        .set_json(json!({"level": "N2", "rationale": "Fælles løsning"}));
    send(&service, unkeyed)
        .await
        .problem(412, "precondition-failed");
}

#[actix_web::test]
async fn municipalities_act_only_for_themselves() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let mut for_aarhus = idea("Fra København");
    for_aarhus["owner_organization"] = json!("751");
    submit_idea(&service, &cast.copenhagen, &for_aarhus)
        .await
        .problem(403, "forbidden");
    submit_idea(&service, &cast.manager, &idea("Forretningsleder"))
        .await
        .problem(403, "forbidden");

    let id = new_idea(&service, &cast.aarhus, &idea("Aarhus' idé")).await;
    let edit = TestRequest::patch()
        .uri(&format!("/api/v1/projects/{id}"))
        .insert_header(bearer(&cast.copenhagen))
        .set_json(json!({"title": "Kapret"}));
    change(&service, edit, &id).await.problem(403, "forbidden");
    let body = json!({"status": "met"});
    evidence(&service, &cast.copenhagen, &id, "idea_described", body)
        .await
        .problem(403, "forbidden");
    place(&service, &cast.aarhus, &id, "N1")
        .await
        .problem(403, "forbidden");
    // The intranet integration of Aarhus acts for Aarhus.
    let intranet = token_for(&app, "intranet-751", &[Role::Integration], Some("751"));
    let edit = TestRequest::patch()
        .uri(&format!("/api/v1/projects/{id}"))
        .insert_header(bearer(&intranet))
        .set_json(json!({"title": "Fra intranettet"}));
    assert_eq!(change(&service, edit, &id).await.status, 200);
    let _ = cast.admin;
}

/// Governance.md §3 (report 5.4, "Lokal linjeledelse accept"): each participating
/// municipality attests its own line management's acceptance, or the business manager does on
/// its behalf with the document; another participant cannot, and refusals change nothing.
#[actix_web::test]
async fn an_organisation_attests_its_own_acceptance_or_the_business_manager_with_its_document() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = new_idea(&service, &cast.aarhus, &idea("Borgerdialog")).await;
    assert_eq!(place(&service, &cast.manager, &id, "N2").await.status, 200);
    let accept = |org: &str| json!({"status": "met", "organization": org});
    let key = "line_management_acceptance";
    let before = etag(&service, &id).await;

    // Aarhus, the owner, cannot accept on København's behalf; nor can anyone else's token.
    let refused = evidence(&service, &cast.aarhus, &id, key, accept("101")).await;
    assert!(
        refused.problem(403, "forbidden")["detail"]
            .as_str()
            .unwrap()
            .contains("`101` itself")
    );
    evidence(&service, &cast.copenhagen, &id, key, accept("751"))
        .await
        .problem(403, "forbidden");
    let odense = token_for(&app, "odense", &[Role::MunicipalityUser], Some("461"));
    evidence(&service, &odense, &id, key, accept("101"))
        .await
        .problem(403, "forbidden");
    // A participant attests only its own part, not the project's requirements.
    let described = json!({"status": "met"});
    evidence(&service, &cast.copenhagen, &id, "idea_described", described)
        .await
        .problem(403, "forbidden");
    // The business manager on its behalf needs the document.
    let without_document = evidence(&service, &cast.manager, &id, key, accept("751")).await;
    assert_eq!(
        without_document.problem(422, "validation")["errors"][0]["field"],
        "link"
    );
    assert_eq!(etag(&service, &id).await, before, "refusals change nothing");

    let seen = get(&service, &id, Some(&cast.copenhagen)).await.body;
    assert_eq!(seen["_actions"], json!(["attest"]));
    let own = evidence(&service, &cast.copenhagen, &id, key, accept("101")).await;
    assert_eq!(own.status, 200, "{}", own.body);
    let mut minutes = accept("751");
    minutes["link"] = json!("https://www.aarhus.dk/byraad/accept-borgerdialog.pdf");
    let on_behalf = evidence(&service, &cast.manager, &id, key, minutes).await;
    assert_eq!(on_behalf.status, 200, "{}", on_behalf.body);
    assert_eq!(requirement(&on_behalf.body, key)["status"], "met");
}

#[actix_web::test]
async fn evidence_follows_the_catalogue() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = new_idea(&service, &cast.aarhus, &idea("Evidens")).await;
    place(&service, &cast.manager, &id, "N2").await;
    let cases = [
        ("municipality_count", json!({"status": "met"}), "key"),
        (
            "security_by_design",
            json!({"status": "not_applicable", "explanation": "x"}),
            "status",
        ),
        (
            "idea_described",
            json!({"status": "explained", "explanation": "x"}),
            "status",
        ),
        (
            "standards_follow_or_explain",
            json!({"status": "explained"}),
            "explanation",
        ),
        (
            "data_processing_agreements",
            json!({"status": "not_applicable", "explanation": " "}),
            "explanation",
        ),
        ("solution_documented", json!({"status": "met"}), "link"),
        (
            "solution_documented",
            json!({"status": "met", "link": "not a url"}),
            "link",
        ),
        (
            "line_management_acceptance",
            json!({"status": "met"}),
            "organization",
        ),
        (
            "line_management_acceptance",
            json!({"status": "met", "organization": "461"}),
            "organization",
        ),
        ("idea_described", json!({"status": "done"}), "status"),
    ];
    for (key, body, field) in cases {
        let reply = evidence(&service, &cast.aarhus, &id, key, body.clone()).await;
        reply.problem(422, "validation");
        assert_eq!(reply.error_fields(), [field], "{key} {body}");
    }
    evidence(
        &service,
        &cast.aarhus,
        &id,
        "no_such_key",
        json!({"status": "met"}),
    )
    .await
    .problem(404, "not-found");

    let ok = evidence(
        &service,
        &cast.aarhus,
        &id,
        "data_processing_agreements",
        json!({"status": "not_applicable", "explanation": "Ingen persondata"}),
    )
    .await;
    assert_eq!(ok.status, 200);
    let acceptance = evidence(
        &service,
        &cast.aarhus,
        &id,
        "line_management_acceptance",
        json!({"status": "met", "organization": "751"}),
    )
    .await;
    let requirement = acceptance.body["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "line_management_acceptance")
        .unwrap()
        .clone();
    assert_eq!(requirement["status"], "partial");
    assert_eq!(
        requirement["organizations"],
        json!([{"organization": "101", "status": "missing"}, {"organization": "751", "status": "met"}])
    );
    let dpa = acceptance.body["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "data_processing_agreements")
        .unwrap()
        .clone();
    assert_eq!(dpa["status"], "not_applicable");
    assert_eq!(dpa["explanation"], "Ingen persondata");
}

#[actix_web::test]
async fn invalid_ideas_are_refused_field_by_field() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let mut bad = idea("x");
    bad["participants"] = json!(["751", "999"]);
    bad["intended_funding"] = json!("venture");
    bad["contact"]["email"] = json!("nobody");
    bad["kind"] = json!("purchase");
    let reply = submit_idea(&service, &cast.aarhus, &bad).await;
    reply.problem(422, "validation");
    assert_eq!(
        reply.error_fields(),
        ["contact.email", "title", "kind", "intended_funding"]
    );
    let mut unknown_participant = idea("Ukendt deltager");
    unknown_participant["participants"] = json!(["999"]);
    let reply = submit_idea(&service, &cast.aarhus, &unknown_participant).await;
    reply.problem(422, "validation");
    assert_eq!(reply.error_fields(), ["participants"]);
    let raw = |payload: String| {
        TestRequest::post()
            .uri("/api/v1/projects")
            .insert_header(bearer(&cast.aarhus))
            .insert_header(("content-type", "application/json"))
            .set_payload(payload)
    };
    send(&service, raw("{\"title\": ".into()))
        .await
        .problem(400, "malformed-body");
    let mut huge = idea("Stor");
    huge["summary"] = json!("x".repeat(70_000));
    send(&service, raw(huge.to_string()))
        .await
        .problem(413, "payload-too-large");
    let listed = send(&service, TestRequest::get().uri("/api/v1/projects")).await;
    assert_eq!(listed.body["items"], json!([]));
}

/// A NUL in a body or a query is refused alike on both databases, never a server error, and
/// nothing is written.
#[actix_web::test]
async fn text_with_a_nul_character_is_refused_alike_never_a_server_error() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let created = submit_idea(&service, &cast.aarhus, &idea("Nul\u{0}tegn")).await;
    created.problem(422, "validation");
    assert_eq!(created.error_fields(), ["title"]);
    let listed = send(&service, TestRequest::get().uri("/api/v1/projects")).await;
    assert_eq!(listed.body["items"], json!([]));
    let looked_up = send(
        &service,
        TestRequest::get().uri("/api/v1/requirements?catalogue=os2%00"),
    )
    .await;
    looked_up.problem(422, "validation");
}

#[actix_web::test]
async fn the_portfolio_is_public_filtered_and_paged() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let mut ids = Vec::new();
    for title in ["Æblegrød for borgere", "Skoleintra", "Affaldsplanlægning"] {
        ids.push(new_idea(&service, &cast.aarhus, &idea(title)).await);
    }
    let mut adoption = idea("Overdraget løsning");
    adoption["kind"] = json!("adoption");
    adoption["participants"] = json!([]);
    let copenhagen_only = new_idea(&service, &cast.copenhagen, &adoption).await;
    place(&service, &cast.manager, &ids[1], "N2").await;

    let titles = |reply: &Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = send(&service, TestRequest::get().uri("/api/v1/projects")).await;
    assert_eq!(
        titles(&all),
        [
            "Overdraget løsning",
            "Affaldsplanlægning",
            "Skoleintra",
            "Æblegrød for borgere"
        ],
        "newest first"
    );
    // An empty free-text or opaque value is the parameter left out (a form sends every field,
    // filled or not); an empty enum value is not one of its values.
    let blank = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?q=&cursor=&organization="),
    )
    .await;
    assert_eq!(blank.status, 200, "{}", blank.body);
    assert_eq!(titles(&blank), titles(&all));
    let no_level = send(&service, TestRequest::get().uri("/api/v1/projects?level=")).await;
    no_level.problem(422, "validation");
    assert_eq!(no_level.error_fields(), ["level"]);
    let q = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?q=%C3%86BLEGR%C3%98D"),
    )
    .await;
    assert_eq!(titles(&q), ["Æblegrød for borgere"]);
    let concept = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?state=concept&level=N2"),
    )
    .await;
    assert_eq!(titles(&concept), ["Skoleintra"]);
    let adoptions = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?kind=adoption"),
    )
    .await;
    assert_eq!(titles(&adoptions), ["Overdraget løsning"]);
    // Owner or participant: Copenhagen participates in Aarhus' ideas and owns its own.
    let copenhagen = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?organization=101"),
    )
    .await;
    assert_eq!(titles(&copenhagen).len(), 4);
    let aarhus = send(
        &service,
        TestRequest::get().uri("/api/v1/projects?organization=751"),
    )
    .await;
    assert!(!titles(&aarhus).contains(&"Overdraget løsning".to_owned()));

    let page1 = send(&service, TestRequest::get().uri("/api/v1/projects?limit=3")).await;
    let next = page1.body["next_cursor"].as_str().unwrap();
    let page2 = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/projects?limit=3&cursor={next}")),
    )
    .await;
    assert_eq!(titles(&page2), ["Æblegrød for borgere"]);
    assert_eq!(page2.body["next_cursor"], Value::Null);

    for (query, field) in [
        ("state=done", "state"),
        ("level=N9", "level"),
        ("kind=x", "kind"),
        ("organization=999", "organization"),
    ] {
        let reply = send(
            &service,
            TestRequest::get().uri(&format!("/api/v1/projects?{query}")),
        )
        .await;
        reply.problem(422, "validation");
        assert_eq!(reply.error_fields(), [field]);
    }
    let public = get(&service, &copenhagen_only, None).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.body["_actions"], json!([]));
    get(&service, "missing", None)
        .await
        .problem(404, "not-found");
    send(
        &service,
        TestRequest::get().uri("/api/v1/projects/missing/history"),
    )
    .await
    .problem(404, "not-found");
}

#[actix_web::test]
async fn the_board_roster_has_one_seated_chair_and_checks_its_etag() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 2).await;
    let roster = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/board/members")
            .insert_header(bearer(&cast.manager)),
    )
    .await;
    assert_eq!(roster.status, 200);
    let members = roster.body["members"].as_array().unwrap();
    assert_eq!(members.len(), 3);
    let former = members.iter().find(|m| m["sub"] == "former").unwrap();
    assert_eq!(former["seated"], false);
    let etag = roster.header("etag").unwrap().to_owned();
    let put = |body: Value, etag: &str| {
        TestRequest::put()
            .uri("/api/v1/board/members")
            .insert_header(bearer(&cast.manager))
            .insert_header(("if-match", etag.to_owned()))
            .set_json(body)
    };
    let two_chairs = json!({"members": [
        {"person": "board-0", "chair": true, "seat_from": "2020-01-01"},
        {"person": "board-1", "chair": true, "seat_from": "2020-01-01"}]});
    send(&service, put(two_chairs, &etag))
        .await
        .problem(422, "validation");
    let unknown =
        json!({"members": [{"person": "nobody", "chair": true, "seat_from": "2020-01-01"}]});
    let reply = send(&service, put(unknown, &etag)).await;
    assert_eq!(reply.error_fields(), ["members[0].person"]);
    let one = json!({"members": [{"person": "board-1", "chair": true, "seat_from": "2020-01-01"}]});
    let replaced = send(&service, put(one.clone(), &etag)).await;
    assert_eq!(replaced.status, 200, "{}", replaced.body);
    assert_eq!(replaced.body["members"].as_array().unwrap().len(), 1);
    send(&service, put(one, &etag))
        .await
        .problem(412, "precondition-failed");
    let denied = TestRequest::get()
        .uri("/api/v1/board/members")
        .insert_header(bearer(&cast.aarhus));
    send(&service, denied).await.problem(403, "forbidden");
}

#[actix_web::test]
async fn people_are_managed_by_administrators() {
    let app = TestApp::new();
    let service = app.service().await;
    let admin = app.token(&[Role::Admin], None);
    let add = |token: &str, body: Value| {
        TestRequest::post()
            .uri("/api/v1/people")
            .insert_header(bearer(token))
            .set_json(body)
    };
    let person = json!({"sub": "jens@aarhus.dk", "name": "Jens", "organization": "751", "email": "jens@aarhus.dk"});
    let created = send(&service, add(&admin, person.clone())).await;
    assert_eq!(created.status, 201);
    assert_eq!(created.body["organization"], "751");
    send(&service, add(&admin, person.clone()))
        .await
        .problem(409, "conflict");
    let manager = app.token(&[Role::Forretningsleder], None);
    send(&service, add(&manager, person))
        .await
        .problem(403, "forbidden");
    let bad = json!({"sub": "", "name": "X", "organization": "999", "email": "nope"});
    let reply = send(&service, add(&admin, bad)).await;
    assert_eq!(reply.error_fields(), ["email", "sub"]);
    let unknown_org = json!({"sub": "x", "name": "X", "organization": "999"});
    assert_eq!(
        send(&service, add(&admin, unknown_org))
            .await
            .error_fields(),
        ["organization"]
    );
    let listed = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/people")
            .insert_header(bearer(&admin)),
    )
    .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}
