//! The board's portfolio page: Danish HTML from the server, the same numbers as the JSON
//! overview, checked in the markup and in a real headless Chromium.

use actix_web::test::TestRequest;
use os2pm_tests::browser::Browser;
use os2pm_tests::{TestApp, send};
use serde_json::{Value, json};

use crate::lifecycle::{TestService, awaiting_approval, cast, idea, submit_idea};
use crate::meetings::{in_days, plan};
use crate::running::{crew, file_report, report, running_project};

const NASTY_TITLE: &str = "<script>alert('x')</script> & Co";

/// A portfolio for the next meeting: two running N2 projects (one has reported, one owes its
/// report), a running N1 project, an N3 project awaiting the board, and a fresh idea. Returns
/// the meeting's id and its JSON overview.
async fn portfolio(app: &TestApp, service: &impl TestService) -> (String, Value) {
    let cast = cast(app, service, 3).await;
    let crew = crew(app, service, &cast).await;
    let reported = running_project(service, &cast, &crew, "N2").await;
    running_project(service, &cast, &crew, "N2").await;
    running_project(service, &cast, &crew, "N1").await;
    awaiting_approval(service, &cast, "N3").await;
    submit_idea(service, &cast.aarhus, &idea(NASTY_TITLE)).await;
    let mut figures = report("amber", Some("Forsinket"), 350_000);
    figures["forecast_dkk"] = json!(1_300_000);
    assert_eq!(
        file_report(service, &crew.pia, &reported, figures)
            .await
            .status,
        201
    );
    let meeting = plan(service, &cast, in_days(40)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let overview = send(
        service,
        TestRequest::get().uri(&format!("/api/v1/portfolio?meeting={meeting}")),
    )
    .await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    (meeting, overview.body)
}

/// `{"N2": {"in_progress": 2}, …}` of the overview, as (level, state, count) triples.
fn counts(by_level: &Value) -> Vec<(String, String, u64)> {
    let mut triples = Vec::new();
    for (level, states) in by_level.as_object().unwrap() {
        for (state, count) in states.as_object().unwrap() {
            triples.push((level.clone(), state.clone(), count.as_u64().unwrap()));
        }
    }
    triples.sort();
    triples
}

#[actix_web::test]
async fn the_portfolio_page_is_public_danish_html_with_the_overviews_numbers() {
    let app = TestApp::new();
    let service = app.service().await;
    let (meeting, overview) = portfolio(&app, &service).await;

    // No token: the page is public, like the overview it shows.
    let page = send(&service, TestRequest::get().uri("/portfolio")).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = page.body.as_str().unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"da\">"),
        "{html}"
    );
    assert!(html.contains(&format!("data-meeting=\"{meeting}\"")));
    assert!(html.contains("Dagsordensfrist") && html.contains("materialefrist"));
    assert!(
        !html.contains("<script"),
        "no JavaScript, and titles are escaped"
    );
    assert!(
        html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; Co"),
        "{html}"
    );
    for (level, state, count) in counts(&overview["projects_by_level"]) {
        let segment =
            format!("data-level=\"{level}\" data-state=\"{state}\" data-count=\"{count}\"");
        assert!(html.contains(&segment), "{segment} missing");
    }
    let total = &overview["economy"];
    assert_eq!(total["budget_dkk"], 3_600_000);
    assert!(html.contains(&format!(
        "id=\"economy-total\" data-budget=\"{}\" data-spent=\"{}\" data-forecast=\"{}\" data-variance=\"{}\"",
        total["budget_dkk"], total["spent_dkk"], total["forecast_dkk"], total["variance_dkk"]
    )));
    assert!(
        html.contains("3.600.000 kr."),
        "Danish thousands separators"
    );
    assert!(html.contains("Afventer godkendelse") && html.contains("I gang"));
    assert!(html.contains("<td>Aarhus Kommune</td>"), "owners by name");

    // Without a planned meeting the page shows today's portfolio and says so.
    let app = TestApp::new();
    let service = app.service().await;
    let page = send(&service, TestRequest::get().uri("/portfolio")).await;
    let html = page.body.as_str().unwrap();
    assert!(html.contains("Intet bestyrelsesmøde er planlagt"), "{html}");
    assert!(html.contains("Ingen endnu."));
}

#[actix_web::test]
#[ignore = "needs Debian's chromium and chromium-driver; .ci/run installs them and runs it"]
async fn the_portfolio_page_renders_in_a_real_browser_with_the_overviews_numbers() {
    let app = TestApp::new();
    let service = app.service().await;
    let (meeting, overview) = portfolio(&app, &service).await;
    let base = app.listen();

    let browser = Browser::start().await;
    browser.visit(&format!("{base}/portfolio")).await;
    let seen = browser
        .run(
            r#"
            const box = (element) => { const r = element.getBoundingClientRect(); return [r.width, r.height]; };
            const chart = document.querySelector('#chart-projects');
            const total = document.querySelector('#economy-total');
            return {
              title: document.title,
              lang: document.documentElement.lang,
              scripts: document.scripts.length,
              meeting: document.querySelector('#meeting').dataset.meeting,
              chart: chart ? box(chart) : null,
              segments: [...document.querySelectorAll('#chart-projects rect.segment')].map((r) => ({
                level: r.dataset.level, state: r.dataset.state, count: Number(r.dataset.count), size: box(r),
              })),
              economy: [...document.querySelectorAll('#economy tr.project')].map((row) => ({
                id: row.dataset.project, budget: Number(row.dataset.budget), spent: Number(row.dataset.spent),
                bars: [...row.querySelectorAll('svg rect')].map(box),
              })),
              total: total && { budget: Number(total.dataset.budget), spent: Number(total.dataset.spent),
                forecast: Number(total.dataset.forecast), variance: Number(total.dataset.variance),
                text: total.innerText },
              missing: [...document.querySelectorAll('#overdue tr.missing')].map((row) => row.dataset.project),
              pending: [...document.querySelectorAll('#pending tr.decision')].map((row) => row.dataset.approval),
              items: document.querySelectorAll('#items tr[data-project]').length,
              legend: getComputedStyle(document.querySelector('.legend')).display,
              visibleText: document.body.innerText,
            };
            "#,
        )
        .await;
    let pdf = browser.print_to_pdf().await;
    browser.quit().await;

    assert_eq!(seen["title"], "Porteføljeoverblik – OS2");
    assert_eq!(seen["lang"], "da");
    assert_eq!(seen["scripts"], 0);
    // The stylesheet is the page's own, inline: its content security policy lets it apply.
    assert_eq!(seen["legend"], "flex");
    assert_eq!(seen["meeting"], meeting.as_str());

    // The chart is drawn, and its segments are the overview's counts, each with a size.
    let chart = seen["chart"].as_array().expect("the chart is on the page");
    assert!(
        chart[0].as_f64().unwrap() > 300.0 && chart[1].as_f64().unwrap() > 50.0,
        "{chart:?}"
    );
    let mut drawn: Vec<(String, String, u64)> = seen["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert!(
                s["size"][0].as_f64().unwrap() > 0.0,
                "an empty segment: {s}"
            );
            (
                s["level"].as_str().unwrap().to_owned(),
                s["state"].as_str().unwrap().to_owned(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect();
    drawn.sort();
    assert_eq!(drawn, counts(&overview["projects_by_level"]));

    // Economy per item and in total, as in the JSON overview.
    for row in seen["economy"].as_array().unwrap() {
        let line = overview["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == row["id"])
            .unwrap();
        assert_eq!(row["budget"], line["economy"]["budget_dkk"]);
        assert_eq!(row["spent"], line["economy"]["spent_dkk"]);
        assert_eq!(
            row["bars"].as_array().unwrap().len(),
            2,
            "budget and spent bars"
        );
    }
    assert_eq!(
        seen["economy"].as_array().unwrap().len(),
        3,
        "the three budgeted projects"
    );
    let total = &overview["economy"];
    assert_eq!(seen["total"]["budget"], total["budget_dkk"]);
    assert_eq!(seen["total"]["spent"], total["spent_dkk"]);
    assert_eq!(seen["total"]["forecast"], total["forecast_dkk"]);
    assert_eq!(seen["total"]["variance"], total["variance_dkk"]);
    assert!(
        seen["total"]["text"]
            .as_str()
            .unwrap()
            .contains("3.600.000 kr.")
    );

    // One N2 project owes its report; the N3 recommendation awaits the board.
    let duty = send(
        &service,
        TestRequest::get().uri(&format!(
            "/api/v1/portfolio/overdue-reports?meeting={meeting}"
        )),
    )
    .await;
    let owing: Vec<&str> = duty.body["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["project_id"].as_str().unwrap())
        .collect();
    assert_eq!(owing.len(), 1);
    assert_eq!(seen["missing"], json!(owing));
    let pending: Vec<&str> = overview["pending_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["approval_id"].as_str().unwrap())
        .collect();
    assert_eq!(seen["pending"], json!(pending));
    assert!(
        seen["visibleText"].as_str().unwrap().contains(NASTY_TITLE),
        "the title is shown as text, not run"
    );
    let items = seen["items"].as_u64().unwrap();
    assert_eq!(items, overview["projects"].as_array().unwrap().len() as u64);

    // It prints: a real PDF comes out.
    assert!(
        pdf.starts_with(b"%PDF-") && pdf.len() > 5_000,
        "{} bytes",
        pdf.len()
    );
}

/// Swagger UI works under its content security policy: its scripts and styles come from the
/// service, and it draws the document it reads.
#[actix_web::test]
#[ignore = "needs Debian's chromium and chromium-driver; .ci/run installs them and runs it"]
async fn swagger_ui_renders_under_its_content_security_policy() {
    let app = TestApp::new();
    let base = app.listen();
    let browser = Browser::start().await;
    browser.visit(&format!("{base}/swagger-ui/")).await;
    let mut seen = Value::Null;
    for _ in 0..100 {
        seen = browser
            .run(
                r#"
                const title = document.querySelector('.swagger-ui .info .title');
                return title && { title: title.innerText,
                  operations: document.querySelectorAll('.opblock').length };
                "#,
            )
            .await;
        if !seen.is_null() && seen["operations"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.quit().await;
    assert!(
        seen["title"]
            .as_str()
            .unwrap_or_default()
            .starts_with("os2pm"),
        "{seen}"
    );
    assert!(seen["operations"].as_u64().unwrap_or(0) > 60, "{seen}");
}
