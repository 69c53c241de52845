//! Evaluations as the association writes them (governance.md §8): every requirement of the
//! checklist marked green, yellow, red or grey with its basis, the counts its reports carry, and a
//! draft from the product's latest self-assessment.

use actix_web::test::TestRequest;
use os2pm_tests::{TestApp, bearer, send};
use serde_json::{Value, json};

use crate::lifecycle::{At, TestService, cast};
use crate::products::{live_product, live_product_at};
use crate::running::crew;
use crate::self_assessments::{SAMPLES, export, import, sample};

fn draft(product: &str) -> TestRequest {
    TestRequest::get().uri(&format!("/api/v1/products/{product}/evaluations/draft"))
}

/// The sum of a tally's four colours.
fn sum(tally: &Value) -> u64 {
    ["green", "yellow", "red", "grey"]
        .iter()
        .map(|colour| tally[colour].as_u64().unwrap())
        .sum()
}

#[actix_web::test]
async fn a_draft_starts_from_the_self_assessment_and_is_recorded_with_its_counts() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product) = live_product_at(&service, &cast, &crew, 0, At::in_2025("N2")).await;
    send(&service, draft(&product))
        .await
        .problem(409, "conflict");
    let imported = import(&service, &cast.manager, &product, &sample(SAMPLES[1])).await;
    assert_eq!(imported.status, 201, "{}", imported.body);

    let drafted = send(&service, draft(&product)).await;
    assert_eq!(drafted.status, 200, "{}", drafted.body);
    let marks = drafted.body["marks"].as_array().unwrap().clone();
    let checklist = send(
        &service,
        TestRequest::get().uri("/api/v1/requirements?catalogue=os2-styringsmodel-2025&limit=200"),
    )
    .await;
    assert_eq!(
        marks.len(),
        checklist.body["items"].as_array().unwrap().len(),
        "every item of every level, the product being at N2"
    );
    let mark = |key: &str| marks.iter().find(|m| m["key"] == key).unwrap().clone();
    // Ja with documentation; Nej without; Ja without; no answer at all.
    assert_eq!(
        mark("R1"),
        json!({"key": "R1", "mark": "green", "reasoning": "Foo bar"})
    );
    let no_data = "Ingen data i selvevalueringsrapport.";
    assert_eq!(
        mark("R3"),
        json!({"key": "R3", "mark": "red", "reasoning": no_data})
    );
    assert_eq!(mark("F2")["mark"], "green");
    assert_eq!(mark("F2")["reasoning"], no_data);
    let counts = &drafted.body["counts"];
    assert_eq!(sum(&counts["total"]), marks.len() as u64);
    let per_level: u64 = counts["levels"].as_array().unwrap().iter().map(sum).sum();
    assert_eq!(per_level, marks.len() as u64);
    assert_eq!(counts["levels"][0]["level"], "sandkasse");
    assert_eq!(counts["themes"][0]["theme"], "relevance");
    assert_eq!(counts["themes"][0]["total"]["green"], 2, "R1 and R2 are Ja");

    // Adjusted: an item that does not apply is grey, which needs its basis like yellow and red.
    let mut adjusted = marks.clone();
    let f3 = adjusted.iter().position(|m| m["key"] == "F3").unwrap();
    adjusted[f3] = json!({"key": "F3", "mark": "grey"});
    let record = |marks: &[Value]| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/evaluations"))
            .insert_header(bearer(&cast.manager))
            .set_json(
                json!({"period": "2027-H1", "marks": marks, "recommended_level": "N2",
                "conclusion": "Niveau 2 forudsætter ikke, at alle krav allerede er grønne"}),
            )
    };
    let refused = send(&service, record(&adjusted)).await;
    refused.problem(422, "validation");
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`F3`")
    );
    adjusted[f3]["reasoning"] = json!("Intet udbud");
    let recorded = send(&service, record(&adjusted)).await;
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    assert_eq!(recorded.body["counts"]["total"]["grey"], 1);
    assert_eq!(
        recorded.body["suggested_level"],
        Value::Null,
        "sandbox items are red: the marks bear out no level, whatever is recommended"
    );
    assert_eq!(recorded.body["recommended_level"], "N2");
    assert_eq!(recorded.body["level_change_approval_id"], Value::Null);

    // Read back one by one, as JSON or as the report the association publishes.
    let evaluation = recorded.body["id"].as_str().unwrap();
    let uri = format!("/api/v1/products/{product}/evaluations/{evaluation}");
    let json_view = send(&service, TestRequest::get().uri(&uri)).await;
    assert_eq!(json_view.status, 200, "{}", json_view.body);
    assert_eq!(json_view.body["counts"], recorded.body["counts"]);
    assert_eq!(
        json_view.body["catalogue_version"],
        "os2-styringsmodel-2025"
    );
    let markdown_as = |token: Option<&str>| {
        let mut request = TestRequest::get()
            .uri(&uri)
            .insert_header(("accept", "text/markdown"));
        if let Some(token) = token {
            request = request.insert_header(bearer(token));
        }
        request
    };
    let report = send(&service, markdown_as(None)).await;
    assert_eq!(report.status, 200);
    assert_eq!(
        report.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    let text = report.body.as_str().unwrap();
    assert!(text.starts_with("---\ntitle: "), "{text}");
    assert_eq!(json_view.body["template_version"], "0.9.2");
    assert!(text.contains("**Version for anvendt evalueringsskabelon:** 0.9.2<br/>"));
    assert!(text.contains("**Evaluering lavet af:** Forretningslederen, OS2"));
    assert!(text.contains("| R1 | Sandkasse | Løsningen skaber lokal værdi | Standard: "));
    assert!(
        text.contains("| ⚪ | Intet udbud |"),
        "F3's grey mark with its basis"
    );
    let total = &recorded.body["counts"]["total"];
    assert!(text.contains(&format!(
        "| **Total** | {} | {} | {} | {} |",
        total["green"], total["yellow"], total["red"], total["grey"]
    )));
    assert!(text.contains("Niveau 2 forudsætter ikke, at alle krav allerede er grønne"));
    let signed_in = send(&service, markdown_as(Some(&cast.aarhus))).await;
    assert!(
        signed_in
            .body
            .as_str()
            .unwrap()
            .contains("**Evaluering lavet af:** anne")
    );
    send(
        &service,
        TestRequest::get().uri(&format!("/api/v1/products/{product}/evaluations/nope")),
    )
    .await
    .problem(404, "not-found");
}

/// The evaluation at `location` as the report the association publishes.
async fn report_at(service: &impl TestService, location: &str) -> String {
    let request = TestRequest::get()
        .uri(location)
        .insert_header(("accept", "text/markdown"));
    let report = send(service, request).await;
    assert_eq!(report.status, 200);
    report.body.as_str().unwrap().to_owned()
}

/// The theme and count tables of a report: what importing and generating again must keep.
fn tables(report: &str) -> String {
    let start = report.find("## RELEVANS").unwrap();
    let end = report.find("```mermaid").unwrap();
    report[start..end].to_owned()
}

#[actix_web::test]
async fn a_published_report_is_read_back_and_generated_again_the_same() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product) = live_product_at(&service, &cast, &crew, 0, At::in_2025("N2")).await;
    let imported = import(&service, &cast.manager, &product, &sample(SAMPLES[0])).await;
    assert_eq!(imported.status, 201, "{}", imported.body);
    let drafted = send(&service, draft(&product)).await;
    let first = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/evaluations"))
            .insert_header(bearer(&cast.manager))
            .set_json(json!({"period": "2027-H1", "marks": drafted.body["marks"], "recommended_level": "N2",
                "conclusion": "Et solidt produkt.", "assessment": "Governance er en styrke.",
                "recommendation": "Sekretariatet anbefaler niveau 2."})),
    )
    .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let markdown = |location: &str| {
        TestRequest::get()
            .uri(location)
            .insert_header(("accept", "text/markdown"))
    };
    let location = first.header("location").unwrap().to_owned();
    let published = send(&service, markdown(&location)).await;
    let published = published.body.as_str().unwrap().to_owned();

    let read_back = |text: String| {
        TestRequest::post()
            .uri(&format!(
                "/api/v1/products/{product}/evaluations?period=2027-H2"
            ))
            .insert_header(bearer(&cast.manager))
            .insert_header(("content-type", "text/markdown; charset=utf-8"))
            .set_payload(text)
    };
    // As the association's reports state their template.
    assert_eq!(first.body["template_version"], "0.9.2");
    let again = send(&service, read_back(published.clone())).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body["counts"], first.body["counts"]);
    assert_eq!(again.body["period"], "2027-H2");
    assert_eq!(
        again.body["recommended_level"], "N2",
        "the product's own by default"
    );
    assert_eq!(again.body["conclusion"], "Et solidt produkt.");
    assert_eq!(again.body["assessment"], "Governance er en styrke.");
    assert_eq!(again.body["template_version"], "0.9.2");
    assert_eq!(again.body["catalogue_version"], "os2-styringsmodel-2025");
    let r1 = &again.body["marks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "R1")
        .unwrap();
    assert_eq!(
        r1["columns"][5],
        json!({"header": "Vurderingsgrundlag", "text": r1["reasoning"]})
    );
    let regenerated = send(&service, markdown(again.header("location").unwrap())).await;
    let regenerated = regenerated.body.as_str().unwrap();
    assert_eq!(
        tables(regenerated),
        tables(&published),
        "the same tables and counts"
    );
    assert!(regenerated.contains("**Version for anvendt evalueringsskabelon:** 0.9.2<br/>"));

    // A report whose count tables do not add up is refused with the difference.
    let total = &first.body["counts"]["total"];
    let stated = format!(
        "| **Total** | {} | {} | {} | {} |",
        total["green"], total["yellow"], total["red"], total["grey"]
    );
    let wrong = format!(
        "| **Total** | {} | {} | {} | {} |",
        total["green"].as_u64().unwrap() + 1,
        total["yellow"],
        total["red"],
        total["grey"]
    );
    let refused = send(&service, read_back(published.replace(&stated, &wrong))).await;
    refused.problem(422, "validation");
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Total 🟢 Grøn: the report's table says"),
        "{}",
        refused.body
    );
    // A template os2pm does not know; a line the template marks under another, a line at
    // another level: each named.
    let unknown = published.replace(
        "evalueringsskabelon:** 0.9.2",
        "evalueringsskabelon:** 0.9.7",
    );
    let refused = send(&service, read_back(unknown)).await;
    refused.problem(422, "validation");
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`0.9.7` is not an evaluation template os2pm knows (known: 0.9.2)"),
        "{}",
        refused.body
    );
    let f7 = published.find("| F7 |").unwrap();
    let moved = format!(
        "{}| F8 |{}",
        &published[..f7],
        &published[f7 + "| F7 |".len()..]
    );
    let moved = moved.replacen("| R2 | 2 |", "| R2 | 1 |", 1);
    let refused = send(&service, read_back(moved)).await;
    refused.problem(422, "validation");
    let messages: Vec<&str> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"`F8` is marked under `F7` in template 0.9.2"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"`R2` is at Niveau 1 in the report, at Niveau 2 in template 0.9.2"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"`F7` is missing: template 0.9.2 marks every requirement"),
        "{messages:?}"
    );
    // Not a report at all.
    send(&service, read_back("# Hej\n".into()))
        .await
        .problem(422, "validation");
    // A control character is refused on both databases (PostgreSQL cannot store a NUL).
    let nul_period = TestRequest::post()
        .uri(&format!(
            "/api/v1/products/{product}/evaluations?period=2027%00"
        ))
        .insert_header(bearer(&cast.manager))
        .insert_header(("content-type", "text/markdown"))
        .set_payload(published.clone());
    let refused = send(&service, nul_period).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["period"]);
    // Only the business manager records evaluations.
    let by_aarhus = read_back(published).insert_header(bearer(&cast.aarhus));
    send(&service, by_aarhus).await.problem(403, "forbidden");
}

#[actix_web::test]
async fn a_product_on_the_2016_catalogue_is_evaluated_on_all_of_it_its_draft_by_correspondence() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product) = live_product(&service, &cast, &crew, 0).await;
    let refused = send(&service, draft(&product)).await;
    refused.problem(409, "conflict");
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("no self-assessment")
    );
    let imported = import(&service, &cast.manager, &product, &sample(SAMPLES[1])).await;
    assert_eq!(imported.status, 201, "{}", imported.body);

    let all = send(
        &service,
        TestRequest::get().uri("/api/v1/requirements?limit=200"),
    )
    .await;
    let drafted = send(&service, draft(&product)).await;
    assert_eq!(drafted.status, 200, "{}", drafted.body);
    let drafted_marks = drafted.body["marks"].as_array().unwrap();
    assert_eq!(
        drafted_marks.len(),
        all.body["items"].as_array().unwrap().len()
    );
    // local_value corresponds to R1, answered Ja with documentation.
    let local_value = drafted_marks
        .iter()
        .find(|m| m["key"] == "local_value")
        .unwrap();
    assert_eq!(local_value["mark"], "green");
    assert_eq!(local_value["reasoning"], "Foo bar");
    let marks: Vec<Value> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!({"key": r["key"], "mark": "green"}))
        .collect();
    let recorded = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/evaluations"))
            .insert_header(bearer(&cast.manager))
            .set_json(
                json!({"period": "2027-H1", "marks": marks, "recommended_level": "N2",
                "conclusion": "Fint"}),
            ),
    )
    .await;
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    assert_eq!(
        recorded.body["template_version"],
        Value::Null,
        "no template covers 2016"
    );
    assert_eq!(recorded.body["counts"]["total"]["green"], marks.len());
    // Its report names the catalogue, and reads back as it was.
    let report = report_at(&service, recorded.header("location").unwrap()).await;
    assert!(report.contains("evalueringsskabelon:** os2-2016<br/>"));
    let read_back = send(
        &service,
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/evaluations"))
            .insert_header(bearer(&cast.manager))
            .insert_header(("content-type", "text/markdown"))
            .set_payload(report),
    )
    .await;
    assert_eq!(read_back.status, 201, "{}", read_back.body);
    assert_eq!(read_back.body["counts"], recorded.body["counts"]);
    assert_eq!(read_back.body["template_version"], Value::Null);
    assert_eq!(
        recorded.body["suggested_level"], "N3",
        "all green bears out the top level"
    );
}

/// A report in the hand-edited layout the association publishes today (nine columns, its own
/// document block, count tables with a total row, totals in prose): the layout and marks of its
/// OS2rollekatalog report of 2026-09-25, with texts of our own (tests/fixtures/README.md).
const HAND_EDITED: &str = include_str!("../../fixtures/evaluations/hand-edited-nine-columns.md");

#[actix_web::test]
async fn a_hand_edited_report_is_recorded_and_generated_again_in_its_own_layout() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product) = live_product_at(&service, &cast, &crew, 0, At::in_2025("N2")).await;
    let post = |product: &str, text: String| {
        TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/evaluations"))
            .insert_header(bearer(&cast.manager))
            .insert_header(("content-type", "text/markdown"))
            .set_payload(text)
    };
    let recorded = send(&service, post(&product, HAND_EDITED.into())).await;
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    assert_eq!(
        recorded.body["counts"]["total"],
        json!({"green": 20, "yellow": 16, "red": 6, "grey": 1}),
        "as the report states in its tables and its resumé"
    );
    assert_eq!(recorded.body["period"], "2026-H2", "from the report's date");
    assert_eq!(
        recorded.body["template_version"], "0.9.2",
        "checked against the current template"
    );
    assert!(
        recorded.body["recommendation"]
            .as_str()
            .unwrap()
            .contains("produktniveau 2")
    );
    let f21 = recorded.body["marks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == "F21")
        .unwrap()
        .clone();
    assert_eq!(f21["mark"], "grey");
    assert_eq!(
        f21["columns"][4],
        json!({"header": "Efterlevet?", "text": "Ikke relevant"})
    );

    let generated = report_at(&service, recorded.header("location").unwrap()).await;
    assert!(generated.contains("| # | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation | Vurdering | Vurderingsgrundlag | Anbefaling |"), "{generated}");
    let again = send(&service, post(&product, generated)).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body["counts"], recorded.body["counts"]);
    assert_eq!(
        again.body["marks"], recorded.body["marks"],
        "every mark and column kept"
    );

    // The resumé's sentence is checked like the tables.
    let wrong = HAND_EDITED.replace(
        "20 af 43 krav vurderet grønne, 16 gule",
        "20 af 43 krav vurderet grønne, 15 gule",
    );
    let refused = send(&service, post(&product, wrong)).await;
    refused.problem(422, "validation");
    assert_eq!(
        refused.body["errors"][0]["message"],
        "\"Samlet er 20 af 43 krav vurderet grønne, 15 gule, 6 røde og 1 gråt\": the text says 15 gule, its marks make 16"
    );
    // A product pinned to the 2016 catalogue is not evaluated on the 2025 template.
    let (_, on_2016) = live_product(&service, &cast, &crew, 1).await;
    let refused = send(&service, post(&on_2016, HAND_EDITED.into())).await;
    refused.problem(422, "validation");
    assert_eq!(refused.error_fields(), ["template_version"]);
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("this product is pinned to os2-2016")
    );
}

/// The association's form answers `Ja`, `Nej`, `Ikke relevant`, `Ved ikke` or `Planlagt`: each is
/// imported, exported as it was, and drafted as the association maps it.
#[actix_web::test]
async fn every_answer_of_the_form_is_imported_and_drafted_as_the_association_maps_it() {
    let app = TestApp::new();
    let service = app.service().await;
    let cast = cast(&app, &service, 3).await;
    let crew = crew(&app, &service, &cast).await;
    let (_, product) = live_product_at(&service, &cast, &crew, 0, At::in_2025("N2")).await;
    let answers = [
        ("R1", "Ja", "green"),
        ("R2", "Nej", "red"),
        ("R3", "Ikke relevant", "grey"),
        ("R4", "Ved ikke", "red"),
        ("F1", "Planlagt", "yellow"),
    ];
    let mut file: Value = serde_json::from_str(&sample(SAMPLES[1])).unwrap();
    for line in file["krav"].as_array_mut().unwrap() {
        if let Some((id, answer, _)) = answers.iter().find(|(id, _, _)| line["id"] == *id) {
            line["efterlevet"] = json!(answer);
            line["dokumentation"] = json!(format!("Om {id}"));
        }
    }
    let imported = import(&service, &cast.manager, &product, &file.to_string()).await;
    assert_eq!(imported.status, 201, "{}", imported.body);

    let exported = export(&service, &product).await;
    let drafted = send(&service, draft(&product)).await;
    for (id, answer, mark) in answers {
        let line = exported["krav"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id)
            .unwrap();
        assert_eq!(line["efterlevet"], answer, "{id}");
        let drafted_mark = drafted.body["marks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == id)
            .unwrap();
        assert_eq!(drafted_mark["mark"], mark, "{id}");
        assert_eq!(drafted_mark["reasoning"], format!("Om {id}"), "{id}");
    }
}
