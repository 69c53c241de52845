//! The 2025 checklist as a catalogue a placement can pin to: the sandbox level below N1,
//! recommended items that never block, and self-assessments recorded item by item.

use actix_web::test::TestRequest;
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{
    At, TestService, cast, evidence, get, history_actions, idea, meet_approval_gate, place, submit,
    submit_idea, vote,
};
use crate::products::live_product_at;
use crate::running::{crew, post, running_project};
use crate::self_assessments::{SAMPLES, export, import, sample};

const CHECKLIST: &str = "os2-styringsmodel-2025";

fn requirement_keys(project: &Value) -> Vec<&str> {
    project["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect()
}

fn requirement<'a>(project: &'a Value, key: &str) -> &'a Value {
    project["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {project}"))
}

async fn check_submission(service: &impl TestService, manager: &str, id: &str) -> Reply {
    send(
        service,
        TestRequest::get()
            .uri(&format!("/api/v1/projects/{id}/submission"))
            .insert_header(bearer(manager)),
    )
    .await
}

fn unmet_keys(check: &Reply) -> Vec<String> {
    check.body["unmet_requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect()
}

async fn new_idea(service: &impl TestService, token: &str) -> String {
    let created = submit_idea(service, token, &idea("Sandkasseprojekt")).await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_sandbox_project_pinned_to_the_2025_checklist_is_approved_by_the_business_manager() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = new_idea(&service, &cast.aarhus).await;

    let placed = place(&service, &cast.manager, &id, At::in_2025("sandkasse")).await;
    assert_eq!(placed.status, 200, "{}", placed.body);
    assert_eq!(placed.body["level"], "sandkasse");
    assert_eq!(placed.body["catalogue_version"], CHECKLIST);
    // Only the sandbox items of the checklist apply.
    assert_eq!(
        requirement_keys(&placed.body),
        ["R1", "F1", "F2", "F3", "F4", "F5"]
    );

    // The approval gate is the checklist's items whose counterparts are due at approval.
    let check = check_submission(&service, &cast.manager, &id).await;
    assert_eq!(check.body["ready"], false, "{}", check.body);
    assert_eq!(check.body["approver"], "forretningsleder");
    assert_eq!(unmet_keys(&check), ["R1", "F2", "F3", "F4", "F5"]);

    meet_approval_gate(&service, &cast, &id).await;
    let submitted = submit(&service, &cast.manager, &id).await;
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    let approval = &submitted.body["current_approval"];
    assert_eq!(approval["approver"], "forretningsleder");
    assert_eq!(approval["level"], "sandkasse");
    let approval = approval["id"].as_str().unwrap().to_owned();
    vote(&service, cast.member(1), &approval, "approve", None)
        .await
        .problem(403, "forbidden");
    let decided = vote(&service, &cast.manager, &approval, "approve", None).await;
    assert_eq!(decided.status, 201, "{}", decided.body);
    assert_eq!(get(&service, &id, None).await.body["state"], "approved");
}

#[actix_web::test]
async fn the_sandbox_exists_only_in_a_catalogue_that_has_it_and_refusals_change_nothing() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = new_idea(&service, &cast.aarhus).await;

    let refused = place(&service, &cast.manager, &id, "sandkasse").await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["level"]);
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("os2-2016 has no level sandkasse"),
        "{}",
        refused.body
    );
    let unknown = At {
        level: "N2",
        catalogue: Some("os2-1999"),
        adoption: false,
    };
    let refused = place(&service, &cast.manager, &id, unknown).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["catalogue"]);
    let project = get(&service, &id, None).await.body;
    assert_eq!(project["state"], "idea");
    assert_eq!(project["level"], Value::Null);
    assert_eq!(history_actions(&service, &id).await, ["idea_submitted"]);

    // Nor can a project pinned to os2-2016 move down into it.
    let crew = crew(&app, &service, &cast).await;
    let running = running_project(&service, &cast, &crew, "N1").await;
    let change = json!({"level": "sandkasse", "reason": "Tilbage til afprøvning"});
    let refused = post(&service, &cast.manager, &running, "level-changes", change).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["level"]);
    assert_eq!(get(&service, &running, None).await.body["level"], "N1");
}

#[actix_web::test]
async fn recommended_items_are_shown_and_never_block_a_gate() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let id = new_idea(&service, &cast.aarhus).await;
    let placed = place(&service, &cast.manager, &id, At::in_2025("N2")).await;
    assert_eq!(placed.status, 200, "{}", placed.body);
    let g8 = requirement(&placed.body, "G8");
    assert_eq!(g8["recommended"], true, "{g8}");
    assert_eq!(g8["gate"], "approval");
    assert_eq!(requirement(&placed.body, "G5")["kind"], "derived");

    // Meet every approval item except the recommended ones.
    for r in placed.body["requirements"].as_array().unwrap() {
        if r["gate"] != "approval" || r["kind"] == "derived" || r["recommended"] == true {
            continue;
        }
        let orgs = match r["organizations"].as_array() {
            Some(orgs) => orgs.iter().map(|o| o["organization"].clone()).collect(),
            None => vec![Value::Null],
        };
        for org in orgs {
            let body =
                json!({"status": "met", "link": "https://github.com/OS2/x", "organization": org});
            let key = r["key"].as_str().unwrap();
            let token = match org.as_str() {
                Some("101") => &cast.copenhagen,
                _ => &cast.aarhus,
            };
            let reply = evidence(&service, token, &id, key, body).await;
            assert_eq!(reply.status, 200, "{key}: {}", reply.body);
        }
    }
    let check = check_submission(&service, &cast.manager, &id).await;
    assert_eq!(unmet_keys(&check), Vec::<String>::new(), "{}", check.body);
    assert_eq!(check.body["ready"], true);
    let project = get(&service, &id, None).await.body;
    assert_eq!(requirement(&project, "G8")["status"], "missing");
    let submitted = submit(&service, &cast.manager, &id).await;
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    assert_eq!(submitted.body["current_approval"]["approver"], "board");
}

#[actix_web::test]
async fn a_self_assessment_of_a_product_pinned_to_the_checklist_is_recorded_item_by_item() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (project, product) =
        live_product_at(&service, &cast, &crew, 100_000, At::in_2025("N2")).await;
    let text = sample(SAMPLES[0]);
    let file: Value = serde_json::from_str(&text).unwrap();

    let report = import(&service, &cast.manager, &product, &text).await;
    assert_eq!(report.status, 201, "{}", report.body);
    let yes: Vec<&str> = file["krav"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["efterlevet"] == "Ja")
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    let recorded = report.body["recorded"].as_array().unwrap();
    assert!(!recorded.is_empty());
    for r in recorded {
        assert_eq!(r["item"], r["requirement"], "{r}");
        assert!(yes.contains(&r["item"].as_str().unwrap()), "{r}");
    }
    // F6 has no 2016 counterpart, and is still recorded: the product is pinned to the checklist.
    if yes.contains(&"F6") {
        assert!(
            recorded.iter().any(|r| r["item"] == "F6"),
            "{}",
            report.body
        );
    }
    let project = get(&service, &project, None).await.body;
    let first = recorded[0]["item"].as_str().unwrap();
    assert_eq!(requirement(&project, first)["status"], "met");

    let back = export(&service, &product).await;
    assert_eq!(back["krav"], file["krav"], "every item, answer and text");
}
