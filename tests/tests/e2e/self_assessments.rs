//! The association's self-assessment files: both real samples import onto a product's
//! evidence and export back with the same answers; malformed files change nothing.

use actix_web::test::TestRequest;
use os2pm_tests::{Reply, TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{Cast, TestService, cast, get, history_actions};
use crate::products::live_product;
use crate::running::crew;

pub(crate) const SAMPLES: [&str; 2] = [
    "os2-test-selvevaluering-20260501T202615Z.json",
    "os2test-20260501T122728Z.json",
];

pub(crate) fn sample(name: &str) -> String {
    let path = format!(
        "{}/fixtures/self-assessments/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(crate) async fn import(
    service: &impl TestService,
    token: &str,
    product: &str,
    file: &str,
) -> Reply {
    send(
        service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/self-assessments"))
            .insert_header(bearer(token))
            .insert_header(("content-type", "application/json"))
            .set_payload(file.to_owned()),
    )
    .await
}

pub(crate) async fn export(service: &impl TestService, product: &str) -> Value {
    export_as(service, product, None).await
}

/// The export as the holder of `token` (or, without one, the public) reads it.
async fn export_as(service: &impl TestService, product: &str, token: Option<&str>) -> Value {
    let mut request =
        TestRequest::get().uri(&format!("/api/v1/products/{product}/self-assessments"));
    if let Some(token) = token {
        request = request.insert_header(bearer(token));
    }
    let reply = send(service, request).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

async fn product(app: &TestApp, service: &impl TestService) -> (Cast, String, String) {
    let cast = cast(app, service, 3).await;
    let crew = crew(app, service, &cast).await;
    let (project, product) = live_product(service, &cast, &crew, 100_000).await;
    (cast, project, product)
}

#[actix_web::test]
async fn both_sample_files_import_and_export_with_the_same_answers() {
    for name in SAMPLES {
        let app = TestApp::new();
        let service = app.service().await;
        let (cast, project, product) = product(&app, &service).await;
        let text = sample(name);
        let file: Value = serde_json::from_str(&text).unwrap();

        let report = import(&service, &cast.manager, &product, &text).await;
        assert_eq!(report.status, 201, "{name}: {}", report.body);
        assert_eq!(report.body["answers"], 43);
        assert_eq!(report.body["checklist"], "os2-styringsmodel-2025");
        let recorded: Vec<(&str, &str)> = report.body["recorded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["item"].as_str().unwrap(),
                    r["requirement"].as_str().unwrap(),
                )
            })
            .collect();
        assert!(
            recorded.contains(&("R1", "local_value")),
            "{name}: {recorded:?}"
        );
        // F1 (`Ja`) is the repository link when its documentation is a URL, and is reported
        // as not mapped when it is prose.
        let f1 = file["krav"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == "F1")
            .unwrap();
        if f1["dokumentation"]
            .as_str()
            .unwrap()
            .starts_with("https://")
        {
            assert!(
                recorded.contains(&("F1", "source_shared")),
                "{name}: {recorded:?}"
            );
        } else {
            let not_mapped = report.body["not_mapped"].as_array().unwrap();
            let reported = not_mapped.iter().find(|n| n["item"] == "F1").unwrap();
            assert!(
                reported["reason"]
                    .as_str()
                    .unwrap()
                    .contains("needs a link"),
                "{reported}"
            );
        }

        // The evidence holds the answer's documentation.
        let r1 = file["krav"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == "R1")
            .unwrap();
        let requirements = get(&service, &project, None).await.body["requirements"].clone();
        let local_value = requirements
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == "local_value")
            .unwrap();
        assert_eq!(local_value["status"], "met", "{local_value}");
        assert_eq!(local_value["note"], r1["dokumentation"], "{local_value}");

        assert_eq!(
            export(&service, &product).await["filledBy"],
            Value::Null,
            "who filled it in is the association's to know"
        );
        let back = export_as(&service, &product, Some(&cast.aarhus)).await;
        for field in ["productName", "filledBy", "filledDate"] {
            assert_eq!(back[field], file[field], "{name}: {field}");
        }
        assert_eq!(
            back["krav"], file["krav"],
            "{name}: every item, answer and text"
        );
        assert!(
            history_actions(&service, &project)
                .await
                .contains(&"self_assessment_imported".to_owned())
        );
    }
}

#[actix_web::test]
async fn malformed_or_refused_imports_change_nothing() {
    let app = TestApp::new();
    let service = app.service().await;
    let (cast, project, product) = product(&app, &service).await;
    let text = sample(SAMPLES[1]);
    let file: Value = serde_json::from_str(&text).unwrap();
    let before = (
        export(&service, &product).await["krav"].clone(),
        history_actions(&service, &project).await,
    );

    let mut bad_answer = file.clone();
    bad_answer["krav"][2]["efterlevet"] = json!("Måske");
    bad_answer["krav"][0]["efterlevet"] = json!("Ja");
    let mut missing = file.clone();
    missing.as_object_mut().unwrap().remove("filledBy");
    let mut not_items = file.clone();
    not_items["krav"] = json!({"R1": "Ja"});
    for (body, field) in [
        ("{not json".to_owned(), ""),
        ("[1, 2]".to_owned(), ""),
        (bad_answer.to_string(), "krav[2].efterlevet"),
        (missing.to_string(), "filledBy"),
        (not_items.to_string(), "krav"),
    ] {
        let refused = import(&service, &cast.manager, &product, &body).await;
        refused.problem(422, "validation");
        assert_eq!(refused.error_fields(), [field], "{body:.60}");
    }
    let huge = format!("{{\"productName\": \"{}\"}}", "x".repeat(70 * 1024));
    assert_eq!(
        import(&service, &cast.manager, &product, &huge)
            .await
            .status,
        413
    );
    import(&service, &cast.copenhagen, &product, &text)
        .await
        .problem(403, "forbidden");
    import(&service, &cast.manager, "nope", &text)
        .await
        .problem(404, "not-found");
    let after = (
        export(&service, &product).await["krav"].clone(),
        history_actions(&service, &project).await,
    );
    assert_eq!(before, after, "nothing half-imported");
    assert!(
        before
            .0
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["efterlevet"].is_null() || k["efterlevet"] == "Ja")
    );

    // The owner organisation may import; an item the checklist does not know is reported.
    let mut unknown = file.clone();
    unknown["krav"].as_array_mut().unwrap().push(json!({"id": "X9", "kategori": "formkrav",
        "krav": "Ukendt", "produktniveau": "1", "retningslinjer": "", "efterlevet": "Ja", "dokumentation": ""}));
    let report = import(&service, &cast.aarhus, &product, &unknown.to_string()).await;
    assert_eq!(report.status, 201, "{}", report.body);
    // Evidence recorded after the import is the newer word: R3 (`Nej` in the file) becomes `Ja`.
    let r3 = |krav: &Value| {
        krav.as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == "R3")
            .unwrap()
            .clone()
    };
    assert_eq!(
        r3(&export(&service, &product).await["krav"])["efterlevet"],
        "Nej"
    );
    let recorded = crate::lifecycle::evidence(
        &service,
        &cast.manager,
        &project,
        "common_municipal_value",
        json!({"status": "met", "note": "Brugt i 12 kommuner"}),
    )
    .await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    let now = r3(&export(&service, &product).await["krav"]);
    assert_eq!(now["efterlevet"], "Ja");
    assert_eq!(now["dokumentation"], "Brugt i 12 kommuner");
    let x9 = report.body["not_mapped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["item"] == "X9")
        .unwrap()
        .clone();
    assert!(
        x9["reason"].as_str().unwrap().contains("not an item"),
        "{x9}"
    );
}

#[actix_web::test]
async fn the_2025_checklist_is_listed_by_level_with_its_sandbox() {
    let app = TestApp::new();
    let service = app.service().await;
    let list = |query: &str| {
        TestRequest::get().uri(&format!(
            "/api/v1/requirements?catalogue=os2-styringsmodel-2025{query}"
        ))
    };
    let sandbox = send(&service, list("&level=sandkasse")).await;
    assert_eq!(sandbox.status, 200, "{}", sandbox.body);
    let ids: Vec<&str> = sandbox.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["R1", "F1", "F2", "F3", "F4", "F5"]);
    assert_eq!(sandbox.body["level"], "sandkasse");
    let two = send(&service, list("&level=N2")).await;
    let items = two.body["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|i| ["sandkasse", "1", "2"].contains(&i["level"].as_str().unwrap()))
    );
    let g7 = items.iter().find(|i| i["key"] == "G7").unwrap();
    assert_eq!(g7["recommended"], true);
    assert_eq!(g7["os2_2016"], json!(["coordination_group_formed"]));
    // Each item's theme is its checklist category's (relevans, formkrav, strategisk, governance).
    let themes: Vec<(&str, &str)> = sandbox.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["key"].as_str().unwrap(), i["theme"].as_str().unwrap()))
        .take(2)
        .collect();
    assert_eq!(themes, [("R1", "relevance"), ("F1", "form")]);
    assert_eq!(g7["theme"], "governance");
    let s1 = items.iter().find(|i| i["key"] == "S1").unwrap();
    assert_eq!(s1["theme"], "strategy");
    assert_eq!(
        send(&service, list("")).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        43
    );
    let bad = send(&service, list("&level=N4")).await;
    bad.problem(422, "validation");
    assert_eq!(bad.error_fields(), ["level"]);
}
