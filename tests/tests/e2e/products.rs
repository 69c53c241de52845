//! Go-live, products, coordination groups, level changes, closing and change requests.

use actix_web::test::TestRequest;
use os2pm_api::auth::Role;
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{At, Cast, TestService, cast, get, history_actions, meet_gate, token_for};
use crate::running::{
    Crew, approve_all, approved, crew, file_report, keys, post, put, report, running_project,
    start_running,
};

fn coordination(members: &[(&str, &str)], chair: &str) -> Value {
    let members: Vec<Value> = members
        .iter()
        .map(|(org, rep)| json!({"organization": org, "representative": rep}))
        .collect();
    json!({"members": members, "chair": chair})
}

/// Sets the product's yearly budget frame as the business manager: in force at once below N2,
/// else once the board approves it.
async fn set_frame(service: &impl TestService, cast: &Cast, product_id: &str, frame: i64) -> Reply {
    let proposed = send(
        service,
        TestRequest::put()
            .uri(&format!("/api/v1/products/{product_id}/budget-frame"))
            .insert_header(bearer(&cast.manager))
            .insert_header(("If-Match", product_etag(service, product_id).await))
            .set_json(json!({"yearly_budget_frame_dkk": frame})),
    )
    .await;
    if proposed.status == 202 {
        let approval = proposed.body["id"].as_str().unwrap().to_owned();
        let decided = approve_all(service, cast, &approval).await;
        assert_eq!(decided.body["outcome"], "approve", "{}", decided.body);
    }
    proposed
}

/// Eva of Odense (461), registered: an organisation outside the product, as a token.
async fn odense(app: &TestApp, service: &impl TestService, cast: &Cast) -> String {
    let registered = send(
        service,
        TestRequest::post()
            .uri("/api/v1/people")
            .insert_header(bearer(&cast.admin))
            .set_json(json!({"sub": "eva", "name": "Eva", "organization": "461"})),
    )
    .await;
    assert_eq!(registered.status, 201, "{}", registered.body);
    token_for(app, "eva", &[Role::MunicipalityUser], Some("461"))
}

pub(crate) async fn product(service: &impl TestService, id: &str) -> Reply {
    send(
        service,
        TestRequest::get().uri(&format!("/api/v1/products/{id}")),
    )
    .await
}

async fn product_etag(service: &impl TestService, id: &str) -> String {
    product(service, id)
        .await
        .header("etag")
        .unwrap()
        .to_owned()
}

/// A live N2 product whose coordination group Aarhus chairs (Jens) with `frame` DKK a year.
pub(crate) async fn live_product(
    service: &impl TestService,
    cast: &Cast,
    crew: &Crew,
    frame: i64,
) -> (String, String) {
    live_product_at(service, cast, crew, frame, "N2".into()).await
}

/// A product from a project run at `at`.
pub(crate) async fn live_product_at(
    service: &impl TestService,
    cast: &Cast,
    crew: &Crew,
    frame: i64,
    at: At<'_>,
) -> (String, String) {
    let id = running_project(service, cast, crew, at).await;
    let group = coordination(&[("751", "jens"), ("101", "kim")], "751");
    let formed = put(service, &cast.manager, &id, "coordination-group", group).await;
    assert_eq!(formed.status, 200, "{}", formed.body);
    meet_gate(service, &crew.pia, &id, "go_live").await;
    let live = post(service, &crew.jens, &id, "go-live", json!({})).await;
    assert_eq!(live.status, 200, "{}", live.body);
    let product_id = live.body["product_id"].as_str().unwrap().to_owned();
    set_frame(service, cast, &product_id, frame).await;
    (id, product_id)
}

#[actix_web::test]
async fn an_n2_project_goes_live_as_a_product_after_two_reports() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = running_project(&service, &cast, &crew, "N2").await;
    for spent in [200_000, 600_000] {
        let reply = file_report(&service, &crew.pia, &id, report("green", None, spent)).await;
        assert_eq!(reply.status, 201);
    }

    // Without a coordination group an N2 project cannot go live.
    meet_gate(&service, &crew.pia, &id, "go_live").await;
    let refused = post(&service, &crew.jens, &id, "go-live", json!({})).await;
    refused.problem(422, "unmet-requirements");
    assert_eq!(keys(&refused), ["coordination_group_formed"]);

    let group = coordination(&[("751", "jens"), ("101", "kim")], "751");
    put(
        &service,
        &crew.pia,
        &id,
        "coordination-group",
        group.clone(),
    )
    .await
    .problem(403, "forbidden");
    assert_eq!(
        put(&service, &cast.manager, &id, "coordination-group", group)
            .await
            .status,
        200
    );
    let live = post(&service, &crew.jens, &id, "go-live", json!({})).await;
    assert_eq!(live.status, 200, "{}", live.body);
    assert_eq!(live.body["state"], "implemented");
    let product_id = live.body["product_id"].as_str().unwrap();

    let view = product(&service, product_id).await;
    assert_eq!(view.status, 200);
    assert_eq!(view.body["level"], "N2");
    assert_eq!(view.body["state"], "active");
    assert_eq!(view.body["owner_organization"], "751");
    assert_eq!(view.body["participants"], json!(["101", "751"]));
    assert_eq!(view.body["project_id"], id.as_str());
    assert_eq!(view.body["coordination_group"]["chair"], "751");
    assert_eq!(view.body["yearly_budget_frame_dkk"], Value::Null);
    assert_eq!(view.body["remaining_budget_frame_dkk"], Value::Null);
    let listed = send(
        &service,
        TestRequest::get().uri("/api/v1/products?level=N2&organization=751"),
    )
    .await;
    assert_eq!(listed.body["items"][0]["id"], product_id);
    // A project that is live takes no more reports.
    file_report(&service, &crew.pia, &id, report("green", None, 1))
        .await
        .problem(409, "conflict");
    assert!(
        history_actions(&service, &id)
            .await
            .contains(&"went_live".to_owned())
    );
}

#[actix_web::test]
async fn an_n3_product_needs_a_board_member_in_its_coordination_group_always() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = running_project(&service, &cast, &crew, "N3").await;

    let without = coordination(&[("751", "jens")], "751");
    let refused = put(&service, &cast.manager, &id, "coordination-group", without).await;
    refused.problem(422, "validation");
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("board member")
    );
    meet_gate(&service, &crew.pia, &id, "go_live").await;
    let not_live = post(&service, &crew.jens, &id, "go-live", json!({})).await;
    assert_eq!(
        keys(&not_live),
        [
            "coordination_group_formed",
            "board_member_in_coordination_group"
        ]
    );

    // A member organisation is represented by one of its own people (governance.md §4).
    let foreign = coordination(&[("751", "jens"), ("101", "board-1")], "751");
    let refused = put(&service, &cast.manager, &id, "coordination-group", foreign).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields()[0], "members[1].representative");
    let with = coordination(&[("751", "jens"), ("kl", "board-1")], "751");
    assert_eq!(
        put(&service, &cast.manager, &id, "coordination-group", with)
            .await
            .status,
        200
    );
    let live = post(&service, &crew.jens, &id, "go-live", json!({})).await;
    assert_eq!(live.status, 200, "{}", live.body);
    let product_id = live.body["product_id"].as_str().unwrap().to_owned();

    // On every later change too.
    let etag = product_etag(&service, &product_id).await;
    let drop_board = TestRequest::put()
        .uri(&format!("/api/v1/products/{product_id}/coordination-group"))
        .insert_header(bearer(&crew.jens))
        .insert_header(("if-match", etag))
        .set_json(coordination(&[("751", "jens"), ("101", "kim")], "751"));
    send(&service, drop_board).await.problem(422, "validation");
    assert_eq!(
        product(&service, &product_id).await.body["coordination_group"]["members"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // And in each of its groups (report 4.1.5).
    let further = |members: &[(&str, &str)]| {
        TestRequest::put()
            .uri(&format!(
                "/api/v1/products/{product_id}/coordination-groups/skole"
            ))
            .insert_header(bearer(&cast.manager))
            .set_json(coordination(members, "101"))
    };
    let etag = product_etag(&service, &product_id).await;
    let refused = send(
        &service,
        further(&[("101", "kim")]).insert_header(("if-match", etag.clone())),
    )
    .await;
    assert_eq!(refused.error_fields(), ["members"]);
    let formed = send(
        &service,
        further(&[("101", "kim"), ("kl", "board-1")]).insert_header(("if-match", etag)),
    )
    .await;
    assert_eq!(formed.status, 200, "{}", formed.body);
}

/// Governance.md §4 (report 4.1.5, 5.5): a product has its steering group; an N2 product
/// climbs to N3 once the board has appointed one in which it holds the majority (and the rest
/// of N3 is met), and comes down again, each move decided by the board.
#[actix_web::test]
async fn an_n2_product_climbs_to_n3_with_a_board_appointed_steering_group_and_back() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (id, product_id) = live_product(&service, &cast, &crew, 100_000).await;
    let propose = |level: &str| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/level-changes"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"level": level, "reason": "Strategisk for alle kommuner"}))
    };
    let steering = |token: &str, group: Value| {
        TestRequest::put()
            .uri(&format!("/api/v1/products/{product_id}/steering-group"))
            .insert_header(bearer(token))
            .set_json(group)
    };
    let with_etag = async |request: TestRequest| {
        let etag = product_etag(&service, &product_id).await;
        send(&service, request.insert_header(("if-match", etag))).await
    };
    // N3's communication requirement reads as report 5.5 writes it.
    let n3 = send(
        &service,
        TestRequest::get().uri("/api/v1/requirements?level=N3"),
    )
    .await;
    let communication = n3.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "political_communication")
        .unwrap()
        .clone();
    assert!(
        communication["title_da"]
            .as_str()
            .unwrap()
            .contains("strategisk kommunikation, der koordineres med bestyrelsen")
    );
    record_level(&service, &cast, &crew.pia, &id, "N3", "go_live").await;
    let board_in_group = coordination(&[("751", "jens"), ("kl", "board-1")], "751");
    let coordination_put = TestRequest::put()
        .uri(&format!("/api/v1/products/{product_id}/coordination-group"))
        .insert_header(bearer(&cast.manager))
        .set_json(board_in_group);
    assert_eq!(with_etag(coordination_put).await.status, 200);
    // The project's group has no board majority: N3 is refused with exactly that.
    let refused = send(&service, propose("N3")).await;
    refused.problem(422, "unmet-requirements");
    assert_eq!(keys(&refused), ["board_appointed_steering_group"]);

    let majority = json!({"seats": [{"organization": "kl", "representative": "board-1"},
        {"organization": "os2", "representative": "board-2"}, {"organization": "751", "representative": "jens"}],
        "chair": "751", "project_leader": "pia"});
    with_etag(steering(&cast.aarhus, majority.clone()))
        .await
        .problem(403, "forbidden");
    let proposed = with_etag(steering(&cast.manager, majority)).await;
    assert_eq!(proposed.status, 202, "{}", proposed.body);
    assert_eq!(proposed.body["subject"], "steering_group");
    approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    let seats = product(&service, &product_id).await.body["steering_group"]["seats"].clone();
    assert_eq!(seats.as_array().unwrap().len(), 3, "{seats}");

    let up = send(&service, propose("N3")).await;
    assert_eq!(up.status, 201, "{}", up.body);
    // The board sees what it decides (governance.md §6): the product, both levels, who proposed
    // it and why, in the API and on its page.
    let portfolio = send(&service, TestRequest::get().uri("/api/v1/portfolio")).await;
    let pending = portfolio.body["pending_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["approval_id"] == up.body["id"])
        .unwrap()
        .clone();
    assert_eq!(pending["product_id"], product_id.as_str());
    assert_eq!(pending["title"], "Idé på N2");
    assert_eq!(
        (&pending["level"], &pending["target_level"]),
        (&json!("N2"), &json!("N3"))
    );
    assert_eq!(pending["proposed_by"], "business_manager");
    assert_eq!(pending["proposal_reason"], "Strategisk for alle kommuner");
    let page = send(&service, TestRequest::get().uri("/portfolio")).await;
    let html = page.body.as_str().unwrap();
    assert!(html.contains(&format!("/api/v1/products/{product_id}")));
    assert!(html.contains("Forretningslederen: Strategisk for alle kommuner"));
    assert!(html.contains("N2 → N3"));
    assert!(
        html.contains(r#"<text class="count""#),
        "the chart shows its counts"
    );
    approve_all(&service, &cast, up.body["id"].as_str().unwrap()).await;
    assert_eq!(product(&service, &product_id).await.body["level"], "N3");
    // Down again, proposed by the coordination group through its chair.
    let down = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/level-changes"))
            .insert_header(bearer(&crew.jens))
            .set_json(json!({"level": "N2", "reason": "Færre brugere"})),
    )
    .await;
    assert_eq!(down.status, 201, "{}", down.body);
    let portfolio = send(&service, TestRequest::get().uri("/api/v1/portfolio")).await;
    let pending = &portfolio.body["pending_decisions"];
    assert!(
        pending.as_array().unwrap().iter().any(
            |d| d["approval_id"] == down.body["id"] && d["proposed_by"] == "coordination_group"
        ),
        "{pending}"
    );
    approve_all(&service, &cast, down.body["id"].as_str().unwrap()).await;
    assert_eq!(product(&service, &product_id).await.body["level"], "N2");
}

#[actix_web::test]
async fn a_level_change_n1_to_n2_is_refused_for_unmet_requirements_then_approved_by_the_board() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let id = running_project(&service, &cast, &crew, "N1").await;
    let group = coordination(&[("751", "jens")], "751");
    put(&service, &cast.manager, &id, "coordination-group", group).await;
    meet_gate(&service, &crew.pia, &id, "go_live").await;
    let live = post(&service, &crew.jens, &id, "go-live", json!({})).await;
    let product_id = live.body["product_id"].as_str().unwrap().to_owned();
    // Below N2 the frame is in force when it is set: no board approval.
    let framed = set_frame(&service, &cast, &product_id, 100_000).await;
    assert_eq!(framed.status, 200, "{}", framed.body);
    assert_eq!(framed.body["yearly_budget_frame_dkk"], 100_000);
    assert_eq!(framed.body["open_approvals"], json!([]));
    let propose = |token: &str, level: &str| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/level-changes"))
            .insert_header(bearer(token))
            .set_json(json!({"level": level, "reason": "Bruges af mange kommuner"}))
    };

    send(&service, propose(&cast.copenhagen, "N2"))
        .await
        .problem(403, "forbidden");
    send(&service, propose(&cast.manager, "N1"))
        .await
        .problem(422, "validation");
    let refused = send(&service, propose(&cast.manager, "N2")).await;
    refused.problem(422, "unmet-requirements");
    let unmet = keys(&refused);
    assert!(
        unmet.contains(&"common_municipal_value".to_owned()),
        "{unmet:?}"
    );
    assert!(
        unmet.iter().all(|k| k != "idea_described"),
        "N1's are met: {unmet:?}"
    );
    assert!(
        product(&service, &product_id).await.body["open_approvals"]
            .as_array()
            .unwrap()
            .is_empty(),
        "no vote asked for"
    );

    // The N2 requirements, recorded on the project the product came from.
    record_n2(&service, &cast, &crew.pia, &id, "go_live").await;
    let proposed = send(&service, propose(&cast.manager, "N2")).await;
    assert_eq!(proposed.status, 201, "{}", proposed.body);
    assert_eq!(proposed.body["subject"], "level_change");
    assert_eq!(proposed.body["approver"], "board");
    send(&service, propose(&crew.jens, "N2"))
        .await
        .problem(409, "conflict");
    assert_eq!(
        product(&service, &product_id).await.body["level"],
        "N1",
        "until the board decides"
    );
    approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    let moved = product(&service, &product_id).await.body;
    assert_eq!(moved["level"], "N2");
    assert_eq!(moved["catalogue_version"], "os2-2016");
    let project = get(&service, &id, None).await.body;
    assert_eq!(project["level"], "N2");
    let board = project["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "board_approval")
        .unwrap()
        .clone();
    assert_eq!(
        board["status"], "met",
        "the board's level change is its approval"
    );
    assert!(
        history_actions(&service, &id)
            .await
            .contains(&"level_changed".to_owned())
    );
}

/// Records evidence for every non-derived N2 requirement due by `gate`: `token` the project's
/// own, each participant its own acceptance.
pub(crate) async fn record_n2(
    service: &impl TestService,
    cast: &Cast,
    token: &str,
    id: &str,
    gate: &str,
) {
    record_level(service, cast, token, id, "N2", gate).await;
}

/// Records evidence for every non-derived requirement `level` adds, due by `gate`.
async fn record_level(
    service: &impl TestService,
    cast: &Cast,
    token: &str,
    id: &str,
    level: &str,
    gate: &str,
) {
    let added = send(
        service,
        TestRequest::get().uri(&format!("/api/v1/requirements?level={level}&gate={gate}")),
    )
    .await;
    for requirement in added.body["items"].as_array().unwrap() {
        if requirement["level"] != level || requirement["kind"] == "derived" {
            continue;
        }
        let key = requirement["key"].as_str().unwrap();
        let bodies: Vec<(&str, Value)> = if requirement["per_organization"] == true {
            [("101", &cast.copenhagen), ("751", &cast.aarhus)]
                .into_iter()
                .map(|(org, token)| {
                    (
                        token.as_str(),
                        json!({"status": "met", "organization": org}),
                    )
                })
                .collect()
        } else if requirement["kind"] == "follow_or_explain" {
            vec![(
                token,
                json!({"status": "explained", "explanation": "Egen model"}),
            )]
        } else {
            vec![(token, json!({"status": "met", "link": "https://os2.eu/n2"}))]
        };
        for (token, body) in bodies {
            let reply = crate::lifecycle::evidence(service, token, id, key, body).await;
            assert_eq!(reply.status, 200, "{key}: {}", reply.body);
        }
    }
}

#[actix_web::test]
async fn a_running_project_moves_up_a_level_once_the_board_approves() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = approved(&service, &cast, "N1").await;
    let propose = |level: &str| {
        TestRequest::post()
            .uri(&format!("/api/v1/projects/{id}/level-changes"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"level": level, "reason": "Fælleskommunal værdi"}))
    };
    let refused = send(&service, propose("N2")).await;
    refused.problem(422, "unmet-requirements");
    assert!(keys(&refused).contains(&"strategic_alignment".to_owned()));
    assert!(
        keys(&refused).iter().all(|k| k != "board_approval"),
        "approval-gate only for an approved project"
    );

    // Record the N2 approval-gate evidence, then the board decides.
    record_n2(&service, &cast, &cast.aarhus, &id, "approval").await;
    let proposed = send(&service, propose("N2")).await;
    assert_eq!(proposed.status, 201, "{}", proposed.body);
    assert_eq!(proposed.body["subject"], "level_change");
    assert_eq!(proposed.body["approver"], "board");
    send(&service, propose("N2")).await.problem(409, "conflict");
    assert_eq!(
        get(&service, &id, None).await.body["level"],
        "N1",
        "until the board decides"
    );
    approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    let moved = get(&service, &id, None).await.body;
    assert_eq!(moved["level"], "N2");
    assert_eq!(moved["catalogue_version"], "os2-2016");
    assert!(
        history_actions(&service, &id)
            .await
            .contains(&"level_changed".to_owned())
    );
}

/// Report 4.1.5 (governance.md §4, coordination group): the product's economy "skal godkendes …
/// for N2 og N3 produkter af bestyrelsen". A yearly budget frame set on an N2 product waits
/// for the board and routes nothing until it is approved.
#[actix_web::test]
async fn the_budget_frame_of_an_n2_product_is_in_force_only_once_the_board_approves_it() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (id, product_id) = live_product(&service, &cast, &crew, 500_000).await;
    let view = product(&service, &product_id).await.body;
    assert_eq!(view["yearly_budget_frame_dkk"], 500_000);
    assert_eq!(view["proposed_budget_frame_dkk"], Value::Null);
    let frame = |token: &str, etag: &str, body: Value| {
        TestRequest::put()
            .uri(&format!("/api/v1/products/{product_id}/budget-frame"))
            .insert_header(bearer(token))
            .insert_header(("If-Match", etag.to_owned()))
            .set_json(body)
    };
    let etag = product_etag(&service, &product_id).await;
    let raise = json!({"yearly_budget_frame_dkk": 800_000, "reason": "Ny integration 2027"});
    // A member that does not chair the group may not set it; nor may a stale ETag.
    send(&service, frame(&cast.copenhagen, &etag, raise.clone()))
        .await
        .problem(403, "forbidden");
    send(&service, frame(&crew.jens, "\"1\"", raise.clone()))
        .await
        .problem(412, "precondition-failed");
    let bad = send(
        &service,
        frame(&crew.jens, &etag, json!({"yearly_budget_frame_dkk": -1})),
    )
    .await;
    assert_eq!(bad.error_fields(), ["yearly_budget_frame_dkk"]);
    // The frame is no longer the coordination group's to set.
    let mut group = coordination(&[("751", "jens"), ("101", "kim")], "751");
    group["yearly_budget_frame_dkk"] = json!(900_000);
    let by_group = TestRequest::put()
        .uri(&format!("/api/v1/products/{product_id}/coordination-group"))
        .insert_header(bearer(&crew.jens))
        .insert_header(("If-Match", etag.clone()))
        .set_json(group);
    assert_eq!(
        send(&service, by_group).await.error_fields(),
        ["yearly_budget_frame_dkk"]
    );

    // The chair proposes 800.000: the board decides; 500.000 stays in force meanwhile.
    let proposed = send(&service, frame(&crew.jens, &etag, raise.clone())).await;
    assert_eq!(proposed.status, 202, "{}", proposed.body);
    assert_eq!(
        (&proposed.body["subject"], &proposed.body["approver"]),
        (&json!("budget_frame"), &json!("board"))
    );
    let view = product(&service, &product_id).await.body;
    assert_eq!(
        (
            &view["yearly_budget_frame_dkk"],
            &view["proposed_budget_frame_dkk"],
            &view["remaining_budget_frame_dkk"]
        ),
        (&json!(500_000), &json!(800_000), &json!(500_000))
    );
    let etag = product_etag(&service, &product_id).await;
    send(&service, frame(&cast.manager, &etag, raise))
        .await
        .problem(409, "conflict");
    // Not in force yet: 600.000 is beyond the frame and goes to the board.
    let request = |cost: i64| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/change-requests"))
            .insert_header(bearer(&cast.aarhus))
            .set_json(
                json!({"category": "further_development", "description": "Ny integration",
                "estimated_cost_dkk": cost}),
            )
    };
    assert_eq!(
        send(&service, request(600_000)).await.body["route"],
        "board"
    );

    let approval = proposed.body["id"].as_str().unwrap();
    let decided = approve_all(&service, &cast, approval).await;
    assert_eq!(decided.body["outcome"], "approve", "{}", decided.body);
    let view = product(&service, &product_id).await.body;
    assert_eq!(
        (
            &view["yearly_budget_frame_dkk"],
            &view["proposed_budget_frame_dkk"]
        ),
        (&json!(800_000), &Value::Null)
    );
    assert_eq!(
        send(&service, request(600_000)).await.body["route"],
        "coordination_group"
    );
    let actions = history_actions(&service, &id).await;
    assert!(actions.contains(&"budget_frame_proposed".to_owned()));
    assert!(actions.contains(&"budget_frame_approved".to_owned()));
}

#[actix_web::test]
async fn change_requests_are_routed_by_category_and_budget_frame() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product_id) = live_product(&service, &cast, &crew, 500_000).await;
    let request = |token: &str, category: &str, cost: i64| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/change-requests"))
            .insert_header(bearer(token))
            .set_json(
                json!({"category": category, "description": "Ønske", "estimated_cost_dkk": cost}),
            )
    };
    let outsider = token_for(&app, "eva", &[Role::MunicipalityUser], Some("461"));
    send(&service, request(&outsider, "legal_maintenance", 1))
        .await
        .problem(403, "forbidden");
    let bad = send(&service, request(&cast.copenhagen, "wish", 1)).await;
    assert_eq!(bad.error_fields(), ["category"]);

    // A minor change is agreed between the supplier and the project leader (governance.md §5):
    // a member does not file one, and the project leader files it with the agreement.
    send(&service, request(&cast.copenhagen, "minor_change", 9_000))
        .await
        .problem(403, "forbidden");
    let unagreed = send(&service, request(&crew.pia, "minor_change", 9_000)).await;
    assert_eq!(unagreed.error_fields(), ["supplier_agreement"]);
    let agreed = |token: &str, category: &str| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/change-requests"))
            .insert_header(bearer(token))
            .set_json(
                json!({"category": category, "description": "Nyt felt i formularen",
                "estimated_cost_dkk": 9_000, "supplier_agreement": "Aftalt med leverandøren 3/11"}),
            )
    };
    let minor = send(&service, agreed(&crew.pia, "minor_change")).await;
    assert_eq!(minor.status, 201, "{}", minor.body);
    assert_eq!(
        (minor.body["route"].as_str(), minor.body["state"].as_str()),
        (Some("recorded"), Some("recorded"))
    );
    assert_eq!(
        minor.body["supplier_agreement"],
        "Aftalt med leverandøren 3/11"
    );
    let misplaced = send(&service, agreed(&cast.copenhagen, "further_development")).await;
    assert_eq!(misplaced.error_fields(), ["supplier_agreement"]);
    // The coordination group is informed by an event of its own.
    let informed = send(
        &service,
        TestRequest::get()
            .uri("/api/v1/events?types=change_request.*&limit=100")
            .insert_header(bearer(&cast.admin)),
    )
    .await;
    let types: Vec<&str> = informed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(
        types,
        ["change_request.minor_change_agreed"],
        "{}",
        informed.body
    );

    let within = send(
        &service,
        request(&cast.aarhus, "further_development", 400_000),
    )
    .await;
    assert_eq!(within.body["route"], "coordination_group");
    let decide = |token: &str, cr: &str, decision: &str| {
        TestRequest::post()
            .uri(&format!(
                "/api/v1/products/{product_id}/change-requests/{cr}/decision"
            ))
            .insert_header(bearer(token))
            .set_json(json!({"decision": decision, "reason": "ok"}))
    };
    let cr = within.body["id"].as_str().unwrap();
    send(&service, decide(&cast.manager, cr, "approve"))
        .await
        .problem(403, "forbidden");
    let approved = send(&service, decide(&crew.jens, cr, "approve")).await;
    assert_eq!(approved.body["state"], "approved", "{}", approved.body);
    send(&service, decide(&crew.jens, cr, "approve"))
        .await
        .problem(409, "conflict");
    assert_eq!(
        product(&service, &product_id).await.body["remaining_budget_frame_dkk"],
        100_000
    );

    // 150.000 is more than the 100.000 left of the frame: the board decides.
    let over = send(
        &service,
        request(&cast.aarhus, "further_development", 150_000),
    )
    .await;
    assert_eq!(over.body["route"], "board");
    assert_eq!(over.body["state"], "pending");
    send(
        &service,
        decide(&crew.jens, over.body["id"].as_str().unwrap(), "approve"),
    )
    .await
    .problem(403, "forbidden");
    let view = product(&service, &product_id).await.body;
    let board = view["open_approvals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["subject"] == "change_request")
        .unwrap()
        .clone();
    approve_all(&service, &cast, board["id"].as_str().unwrap()).await;
    let listed = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/products/{product_id}/change-requests")),
    )
    .await;
    let states: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["recorded", "approved", "approved"]);
}

#[actix_web::test]
async fn the_board_closes_a_product_and_a_closed_product_refuses_changes() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product_id) = live_product(&service, &cast, &crew, 0).await;
    let close = |token: &str| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/closure"))
            .insert_header(bearer(token))
            .set_json(json!({"reason": "Lovligheden kan ikke dokumenteres"}))
    };
    send(&service, close(&crew.jens))
        .await
        .problem(403, "forbidden");
    let proposed = send(&service, close(&cast.manager)).await;
    assert_eq!(proposed.status, 201, "{}", proposed.body);
    assert_eq!(proposed.body["subject"], "closure");
    approve_all(&service, &cast, proposed.body["id"].as_str().unwrap()).await;
    let closed = product(&service, &product_id).await;
    assert_eq!(closed.body["state"], "closed");
    assert_eq!(
        closed.body["closed_reason"],
        "Lovligheden kan ikke dokumenteres"
    );
    assert_eq!(closed.body["_actions"], json!([]));

    send(&service, close(&cast.manager))
        .await
        .problem(409, "conflict");
    let wish = TestRequest::post()
        .uri(&format!("/api/v1/products/{product_id}/change-requests"))
        .insert_header(bearer(&cast.aarhus))
        .set_json(json!({"category": "minor_change", "description": "x", "estimated_cost_dkk": 1}));
    send(&service, wish).await.problem(409, "conflict");
    let etag = closed.header("etag").unwrap().to_owned();
    let regroup = TestRequest::put()
        .uri(&format!("/api/v1/products/{product_id}/coordination-group"))
        .insert_header(bearer(&cast.manager))
        .insert_header(("if-match", etag))
        .set_json(coordination(&[("751", "jens")], "751"));
    send(&service, regroup).await.problem(409, "conflict");
    let level = TestRequest::post()
        .uri(&format!("/api/v1/products/{product_id}/level-changes"))
        .insert_header(bearer(&cast.manager))
        .set_json(json!({"level": "N1", "reason": "x"}));
    send(&service, level).await.problem(409, "conflict");
}

/// Governance.md §2 (report 5.2: solutions built elsewhere come in "på samme vilkår"): an
/// approved adoption is `approved`, not a product; it starts and goes live through the gates of
/// its level, spared only what the catalogue marks `not_for_adoptions`.
#[actix_web::test]
async fn an_approved_adoption_goes_live_through_the_gates_of_its_level() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let at = At::from("N2").adopted();
    let id = approved(&service, &cast, at).await;
    let project = get(&service, &id, None).await.body;
    assert_eq!(project["kind"], "adoption");
    assert_eq!(project["product_id"], Value::Null);
    let spared = crate::scenario::requirement(&project, "project_model_follow_or_explain");
    assert_eq!(spared["status"], "not_applicable");
    assert!(
        spared["explanation"]
            .as_str()
            .unwrap()
            .contains("built already")
    );
    // Not started, it cannot go live; without a steering group and budget, it cannot start.
    post(&service, &cast.manager, &id, "go-live", json!({}))
        .await
        .problem(409, "conflict");
    let early = post(&service, &cast.manager, &id, "start", json!({})).await;
    early.problem(422, "unmet-requirements");
    assert!(keys(&early).contains(&"steering_group_approved".to_owned()));

    start_running(&service, &cast, &crew, &id, at).await;
    // The go-live gate is owed in full: the source shared, operations, training material.
    let group = coordination(&[("751", "jens"), ("101", "kim")], "751");
    put(&service, &cast.manager, &id, "coordination-group", group).await;
    let refused = post(&service, &crew.jens, &id, "go-live", json!({})).await;
    refused.problem(422, "unmet-requirements");
    for owed in [
        "source_shared",
        "operations_requirements",
        "training_material",
    ] {
        assert!(keys(&refused).contains(&owed.to_owned()), "{owed}");
    }
    meet_gate(&service, &crew.pia, &id, "go_live").await;
    let live = post(&service, &crew.jens, &id, "go-live", json!({})).await;
    assert_eq!(live.status, 200, "{}", live.body);
    assert_eq!(live.body["state"], "implemented");
    let product_id = live.body["product_id"].as_str().unwrap();
    assert_eq!(
        product(&service, product_id).await.body["name"],
        "Idé på N2"
    );
}

#[actix_web::test]
async fn a_product_is_described_in_publiccode_yml() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crate::running::crew(&app, &service, &cast).await;
    let (_, product_id) = live_product(&service, &cast, &crew, 100_000).await;
    let reply = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/products/{product_id}/publiccode.yml")),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/yaml; charset=utf-8")
    );
    let yml: serde_json::Value = serde_yaml_ng::from_str(reply.body.as_str().unwrap()).unwrap();
    assert_eq!(yml["publiccodeYmlVersion"], "0.4");
    assert_eq!(
        yml["name"],
        product(&service, &product_id).await.body["name"]
    );
    assert_eq!(
        yml["url"], "https://github.com/OS2/idea",
        "the source_shared link"
    );
    assert_eq!(yml["developmentStatus"], "stable");
    assert_eq!(yml["legal"]["mainCopyrightOwner"], "Aarhus Kommune");
    assert_eq!(
        yml["maintenance"]["contacts"],
        serde_json::Value::Null,
        "the public is not told who the contact is"
    );
    let signed_in = send(
        &service,
        TestRequest::get()
            .uri(&format!("/api/v1/products/{product_id}/publiccode.yml"))
            .insert_header(bearer(&cast.aarhus)),
    )
    .await;
    let yml: serde_json::Value = serde_yaml_ng::from_str(signed_in.body.as_str().unwrap()).unwrap();
    assert_eq!(yml["maintenance"]["contacts"][0]["email"], "jens@aarhus.dk");
    assert_eq!(
        yml["description"]["da"]["shortDescription"],
        "Én løsning til dialog med borgerne."
    );
    send(
        &service,
        TestRequest::get().uri("/api/v1/products/nope/publiccode.yml"),
    )
    .await
    .problem(404, "not-found");
}

/// Report 4.1.5 (governance.md §4): "en eller flere koordinationsgrupper for hvert produkt",
/// each with its own members and chair; the main group, formed before go-live, stays.
#[actix_web::test]
async fn a_product_has_further_coordination_groups_each_with_its_own_members_and_chair() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product_id) = live_product(&service, &cast, &crew, 0).await;
    let kim = token_for(&app, "kim", &[Role::MunicipalityUser], Some("101"));
    let group = |token: &str, key: &str, body: Value| {
        TestRequest::put()
            .uri(&format!(
                "/api/v1/products/{product_id}/coordination-groups/{key}"
            ))
            .insert_header(bearer(token))
            .set_json(body)
    };
    let disband = |token: &str, key: &str| {
        TestRequest::delete()
            .uri(&format!(
                "/api/v1/products/{product_id}/coordination-groups/{key}"
            ))
            .insert_header(bearer(token))
    };
    let with_etag = async |request: TestRequest| {
        let etag = product_etag(&service, &product_id).await;
        send(&service, request.insert_header(("if-match", etag))).await
    };
    let keys_of = |reply: &Reply| -> Vec<String> {
        reply.body["coordination_groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap().to_owned())
            .collect()
    };
    let school = coordination(&[("101", "kim")], "101");
    // A member that chairs no group does not form one; a key is a slug.
    with_etag(group(&kim, "skole", school.clone()))
        .await
        .problem(403, "forbidden");
    let malformed = with_etag(group(&cast.manager, "Skole%20Omr%C3%A5de", school.clone())).await;
    assert_eq!(malformed.error_fields(), ["key"]);

    let formed = with_etag(group(&cast.manager, "skole", school)).await;
    assert_eq!(formed.status, 200, "{}", formed.body);
    assert_eq!(keys_of(&formed), ["main", "skole"]);
    assert_eq!(formed.body["coordination_group"]["key"], "main");
    assert_eq!(formed.body["coordination_group"]["chair"], "751");
    assert_eq!(formed.body["coordination_groups"][1]["chair"], "101");

    // Its own chair changes it; not the main group, which is Aarhus's.
    let both = coordination(&[("101", "kim"), ("751", "jens")], "101");
    let changed = with_etag(group(&kim, "skole", both)).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    with_etag(group(&kim, "main", coordination(&[("101", "kim")], "101")))
        .await
        .problem(403, "forbidden");

    // Odense joins the school group only.
    let odense = odense(&app, &service, &cast).await;
    let join = |group_key: &str| {
        TestRequest::post()
            .uri(&format!(
                "/api/v1/products/{product_id}/coordination-group/members"
            ))
            .insert_header(bearer(&odense))
            .set_json(json!({"representative": "eva", "group": group_key}))
    };
    let unknown = with_etag(join("dagtilbud")).await;
    assert_eq!(unknown.error_fields(), ["group"]);
    let joined = with_etag(join("skole")).await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    let school_members: Vec<&str> = joined.body["coordination_groups"][1]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["organization"].as_str().unwrap())
        .collect();
    assert_eq!(school_members, ["101", "461", "751"]);
    assert_eq!(
        joined.body["coordination_group"]["members"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "the main group is unchanged"
    );
    // A member of any group files change requests.
    let filed = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/change-requests"))
            .insert_header(bearer(&odense))
            .set_json(
                json!({"category": "legal_maintenance", "description": "Ny vejledning",
                "estimated_cost_dkk": 0}),
            ),
    )
    .await;
    assert_eq!(filed.status, 201, "{}", filed.body);

    // The main group stays; a further one is disbanded by the business manager.
    with_etag(disband(&cast.manager, "main"))
        .await
        .problem(409, "conflict");
    with_etag(disband(&kim, "skole"))
        .await
        .problem(403, "forbidden");
    with_etag(disband(&cast.manager, "dagtilbud"))
        .await
        .problem(404, "not-found");
    with_etag(disband(&cast.manager, "Dagtilbud%20X"))
        .await
        .problem(404, "not-found");
    let disbanded = with_etag(disband(&cast.manager, "skole")).await;
    assert_eq!(disbanded.status, 200, "{}", disbanded.body);
    assert_eq!(keys_of(&disbanded), ["main"]);
}

#[actix_web::test]
async fn organisations_join_and_leave_the_coordination_group_by_themselves() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product_id) = live_product(&service, &cast, &crew, 0).await;
    let odense = odense(&app, &service, &cast).await;
    let members = |reply: &Reply| -> Vec<String> {
        reply.body["coordination_group"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["organization"].as_str().unwrap().to_owned())
            .collect()
    };
    let before = product(&service, &product_id).await;
    assert!(
        before.body["_actions"].as_array().unwrap().is_empty(),
        "no token, no actions"
    );
    let seen_by_odense = send(
        &service,
        TestRequest::get()
            .uri(&format!("/api/v1/products/{product_id}"))
            .insert_header(bearer(&odense)),
    )
    .await;
    assert_eq!(seen_by_odense.body["_actions"], json!(["join"]));

    let join = |token: &str, etag: String| {
        TestRequest::post()
            .uri(&format!(
                "/api/v1/products/{product_id}/coordination-group/members"
            ))
            .insert_header(bearer(token))
            .insert_header(("if-match", etag))
            .set_json(json!({"representative": "eva"}))
    };
    let joined = send(
        &service,
        join(&odense, product_etag(&service, &product_id).await),
    )
    .await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    assert_eq!(members(&joined), ["101", "461", "751"]);
    send(
        &service,
        join(&odense, product_etag(&service, &product_id).await),
    )
    .await
    .problem(409, "conflict");
    send(
        &service,
        join(&cast.manager, product_etag(&service, &product_id).await),
    )
    .await
    .problem(403, "forbidden");

    let leave = |token: &str, org: &str, etag: String| {
        TestRequest::delete()
            .uri(&format!(
                "/api/v1/products/{product_id}/coordination-group/members/{org}"
            ))
            .insert_header(bearer(token))
            .insert_header(("if-match", etag))
    };
    send(
        &service,
        leave(&odense, "101", product_etag(&service, &product_id).await),
    )
    .await
    .problem(403, "forbidden");
    let chair_leaves = send(
        &service,
        leave(
            &cast.aarhus,
            "751",
            product_etag(&service, &product_id).await,
        ),
    )
    .await;
    chair_leaves.problem(422, "validation");
    assert_eq!(chair_leaves.error_fields(), ["chair"]);
    let left = send(
        &service,
        leave(&odense, "461", product_etag(&service, &product_id).await),
    )
    .await;
    assert_eq!(left.status, 200, "{}", left.body);
    assert_eq!(members(&left), ["101", "751"]);
    send(
        &service,
        leave(&odense, "461", product_etag(&service, &product_id).await),
    )
    .await
    .problem(404, "not-found");
    send(&service, leave(&odense, "461", "\"1\"".into()))
        .await
        .problem(412, "precondition-failed");
}

#[actix_web::test]
async fn evaluations_mark_every_requirement_and_a_level_recommendation_goes_to_the_board() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product_id) = live_product(&service, &cast, &crew, 0).await;
    // Every requirement of the catalogue, whatever the product's level (here N2).
    let n2 = send(
        &service,
        TestRequest::get().uri("/api/v1/requirements?limit=200"),
    )
    .await;
    let keys: Vec<String> = n2.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect();
    let all_green: Vec<Value> = keys
        .iter()
        .map(|k| json!({"key": k, "mark": "green"}))
        .collect();
    let evaluate = |token: &str, marks: &[Value], level: &str| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product_id}/evaluations"))
            .insert_header(bearer(token))
            .set_json(json!({"period": "2027-H1", "marks": marks, "recommended_level": level, "conclusion": "Fint"}))
    };
    send(&service, evaluate(&crew.jens, &all_green, "N2"))
        .await
        .problem(403, "forbidden");
    let missing = send(&service, evaluate(&cast.manager, &all_green[1..], "N2")).await;
    missing.problem(422, "validation");
    assert!(
        missing.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&keys[0])
    );
    let mut yellow = all_green.clone();
    yellow[0] = json!({"key": keys[0], "mark": "yellow"});
    send(&service, evaluate(&cast.manager, &yellow, "N2"))
        .await
        .problem(422, "validation");

    let kept = send(&service, evaluate(&cast.manager, &all_green, "N2")).await;
    assert_eq!(kept.status, 201, "{}", kept.body);
    assert_eq!(kept.body["level_change_approval_id"], Value::Null);
    yellow[0]["reasoning"] = json!("Materialet er forældet");
    let down = send(&service, evaluate(&cast.manager, &yellow, "N1")).await;
    assert_eq!(down.status, 201, "{}", down.body);
    let approval = down.body["level_change_approval_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let view = product(&service, &product_id).await;
    assert_eq!(view.body["open_approvals"][0]["id"], approval.as_str());
    assert_eq!(view.body["open_approvals"][0]["subject"], "level_change");
    let history = send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/products/{product_id}/evaluations")),
    )
    .await;
    let evaluations = history.body["items"].as_array().unwrap();
    assert_eq!(evaluations.len(), 2);
    let second = evaluations[1]["marks"].as_array().unwrap();
    let first_key = second
        .iter()
        .find(|m| m["key"] == keys[0].as_str())
        .unwrap();
    assert_eq!(first_key["mark"], "yellow");
    assert_eq!(first_key["reasoning"], "Materialet er forældet");
    assert_eq!(evaluations[1]["recommended_level"], "N1");
}

/// Governance.md §5 (DOMAIN §5, the budget frame holds): two requests filed while the frame was
/// free cannot both be approved by the group; the one that no longer fits goes to the board.
#[actix_web::test]
async fn a_request_that_no_longer_fits_the_frame_goes_to_the_board_at_its_decision() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product_id) = live_product(&service, &cast, &crew, 500_000).await;
    let file = async || {
        let filed = send(
            &service,
            TestRequest::post()
                .uri(&format!("/api/v1/products/{product_id}/change-requests"))
                .insert_header(bearer(&cast.aarhus))
                .set_json(
                    json!({"category": "further_development", "description": "Ønske",
                    "estimated_cost_dkk": 300_000}),
                ),
        )
        .await;
        assert_eq!(filed.body["route"], "coordination_group", "{}", filed.body);
        filed.body["id"].as_str().unwrap().to_owned()
    };
    let (first, second) = (file().await, file().await);
    let approve = |cr: &str| {
        TestRequest::post()
            .uri(&format!(
                "/api/v1/products/{product_id}/change-requests/{cr}/decision"
            ))
            .insert_header(bearer(&crew.jens))
            .set_json(json!({"decision": "approve"}))
    };
    let approved = send(&service, approve(&first)).await;
    assert_eq!(approved.body["state"], "approved", "{}", approved.body);
    let referred = send(&service, approve(&second)).await;
    assert_eq!(referred.status, 200, "{}", referred.body);
    assert_eq!(
        (&referred.body["route"], &referred.body["state"]),
        (&json!("board"), &json!("pending"))
    );
    let view = product(&service, &product_id).await.body;
    assert_eq!(
        view["remaining_budget_frame_dkk"], 200_000,
        "never below zero"
    );
    assert!(
        view["open_approvals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["subject"] == "change_request"),
        "{view}"
    );
    // The frame is yearly: what was approved in an earlier budget year does not count now.
    use diesel::connection::SimpleConnection;
    let last_year = chrono::Utc::now().date_naive() - chrono::Duration::days(366);
    app.db
        .connect()
        .batch_execute(&format!(
            "UPDATE change_requests SET decided_at = '{last_year} 10:00:00' WHERE id = '{first}'"
        ))
        .unwrap();
    let next_year = product(&service, &product_id).await.body;
    assert_eq!(next_year["remaining_budget_frame_dkk"], 500_000);
}
