//! The portfolio page for a board meeting, rendered on the server in Danish (no JavaScript),
//! from the same overview the API serves.
//!
//! Every number on the page also sits in a `data-*` attribute, so the browser test can compare
//! the page with `GET /api/v1/portfolio` without parsing Danish number formats.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use os2pm_products::ProductState;
use os2pm_projects::{Approver, Decision, Rag, State, Subject};

use crate::usecases::approvals::Proposer;
use crate::usecases::meetings::ReportingDuty;
use crate::usecases::portfolio::{DecisionLine, Deviation, Overview, PageData, dkk};

const STYLE: &str = r#"
:root { font-family: system-ui, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; }
body { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { margin-bottom: 0.2rem; }
.meeting { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #1b1b1b; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin: 0 0 1.5rem; padding: 0; list-style: none; }
.legend span { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; }
.rag-green { color: #1a7f37; } .rag-amber { color: #9a6700; } .rag-red { color: #cf222e; }
.empty { color: #666; font-style: italic; }
footer { margin-top: 2rem; font-size: 0.85rem; color: #555; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section { break-inside: avoid; }
  footer a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 15mm; }
}
"#;

/// The colour of each state in the chart, in the life cycle's order.
const STATE_COLOURS: [(&str, &str); 12] = [
    ("idea", "#c9d1d9"),
    ("concept", "#a5b4c4"),
    ("awaiting_approval", "#f2cc60"),
    ("returned", "#e3a06f"),
    ("approved", "#8ac4f0"),
    ("in_progress", "#3b82c4"),
    ("paused", "#9a6700"),
    ("implemented", "#2f9e58"),
    ("rejected", "#cf222e"),
    ("cancelled", "#8c1d18"),
    ("active", "#1a7f37"),
    ("closed", "#57606a"),
];

pub(crate) fn render(data: &PageData) -> Markup {
    let overview = &data.overview;
    html! {
        (DOCTYPE)
        html lang="da" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Porteføljeoverblik – OS2" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "Porteføljeoverblik" }
                    @match &data.meeting {
                        Some(m) => p.meeting #meeting data-meeting=(m.id) {
                            "Til bestyrelsesmødet " (danish_date(m.meeting_date))
                            @if !m.place.is_empty() { ", " (m.place) }
                            ". Dagsordensfrist "
                            (danish_date(os2pm_projects::meetings::agenda_deadline(m.meeting_date)))
                            ", materialefrist "
                            (danish_date(os2pm_projects::meetings::material_date(m.meeting_date)))
                            "."
                        },
                        None => p.meeting #meeting {
                            "Intet bestyrelsesmøde er planlagt; overblikket er pr. "
                            (danish_date(overview.as_of)) "."
                        },
                    }
                }
                main {
                    (levels_section("projects", "Projekter efter niveau og tilstand", &overview.projects_by_level))
                    (levels_section("products", "Produkter efter niveau og tilstand", &overview.products_by_level))
                    (items_section(overview, &data.names))
                    (economy_section(overview))
                    (overdue_section(data.duty.as_ref()))
                    (deviations_section(overview.deviations.as_deref().unwrap_or_default()))
                    (decisions_section("pending", "Afventende beslutninger", &overview.pending_decisions))
                    (decisions_section("decided", "Besluttet siden sidste møde", &overview.since_previous_meeting.decisions))
                    (decisions_section("information", "N1-beslutninger til orientering", &overview.since_previous_meeting.for_information))
                }
                footer {
                    "Tallene kommer fra "
                    @let api = match &data.meeting {
                        Some(m) => format!("/api/v1/portfolio?meeting={}", m.id),
                        None => "/api/v1/portfolio".to_owned(),
                    };
                    a href=(api) { (api) }
                    " pr. " (danish_date(overview.as_of)) "."
                }
            }
        }
    }
}

/// One level's bar in the chart.
struct Bar<'a> {
    level: &'a str,
    segments: Vec<Segment>,
    total: usize,
    /// Where the bar ends, for the total beside it.
    end: usize,
}

/// One state's part of a bar.
struct Segment {
    state: &'static str,
    count: usize,
    x: usize,
    width: usize,
}

/// A horizontal stacked bar per level, a segment per state, with a table of the same numbers
/// for print and screen readers.
fn levels_section(
    id: &str,
    heading: &str,
    counts: &BTreeMap<String, BTreeMap<String, usize>>,
) -> Markup {
    const LABEL_WIDTH: usize = 110;
    const BAR_WIDTH: usize = 500;
    const ROW: usize = 30;
    let widest = counts
        .values()
        .map(|states| states.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let states: Vec<&str> = STATE_COLOURS
        .iter()
        .map(|(state, _)| *state)
        .filter(|state| counts.values().any(|s| s.contains_key(*state)))
        .collect();
    let height = counts.len().max(1) * ROW;
    let bars: Vec<Bar<'_>> = counts
        .iter()
        .map(|(level, by_state)| {
            let mut x = LABEL_WIDTH;
            let segments = STATE_COLOURS
                .iter()
                .filter_map(|(state, _)| {
                    let count = *by_state.get(*state)?;
                    let segment = Segment {
                        state,
                        count,
                        x,
                        width: count * BAR_WIDTH / widest,
                    };
                    x += segment.width;
                    Some(segment)
                })
                .collect();
            Bar {
                level,
                segments,
                total: by_state.values().sum(),
                end: x,
            }
        })
        .collect();
    html! {
        section id=(id) {
            h2 { (heading) }
            @if counts.is_empty() {
                p.empty { "Ingen endnu." }
            } @else {
                svg.chart id={"chart-" (id)} role="img" aria-label=(heading)
                    width=(LABEL_WIDTH + BAR_WIDTH + 40) height=(height)
                    viewBox={"0 0 " (LABEL_WIDTH + BAR_WIDTH + 40) " " (height)}
                    xmlns="http://www.w3.org/2000/svg" {
                    @for (row, bar) in bars.iter().enumerate() {
                        @let y = row * ROW;
                        text x="0" y=(y + 19) font-size="14" { (level_label(bar.level)) }
                        @for segment in &bar.segments {
                            rect.segment x=(segment.x) y=(y + 4) width=(segment.width) height=(ROW - 8)
                                fill=(colour_of(segment.state))
                                data-level=(bar.level) data-state=(segment.state) data-count=(segment.count) {
                                title { (level_label(bar.level)) ", " (state_label(segment.state)) ": " (segment.count) }
                            }
                            // Each segment shows its count, dark on a white halo so it reads on
                            // every state's colour.
                            text.count x=(segment.x + segment.width / 2) y=(y + 19) text-anchor="middle"
                                font-size="12" fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke" {
                                (segment.count)
                            }
                        }
                        text x=(bar.end + 6) y=(y + 19) font-size="14" { (bar.total) }
                    }
                }
                ul.legend {
                    @for state in &states {
                        li { span style={"background:" (colour_of(state))} {} (state_label(state)) }
                    }
                }
                table.counts {
                    thead { tr { th { "Niveau" } @for state in &states { th.num { (state_label(state)) } } th.num { "I alt" } } }
                    tbody {
                        @for (level, by_state) in counts {
                            tr {
                                th { (level_label(level)) }
                                @for state in &states { td.num { (by_state.get(*state).copied().unwrap_or(0)) } }
                                td.num { (by_state.values().sum::<usize>()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Every project and product, by level.
fn items_section(overview: &Overview, names: &HashMap<String, String>) -> Markup {
    let owner = |key: &str| names.get(key).cloned().unwrap_or_else(|| key.to_owned());
    let mut projects: Vec<_> = overview.projects.iter().collect();
    projects.sort_by_key(|p| (p.level, p.title.clone()));
    html! {
        section #items {
            h2 { "Projekter" }
            @if projects.is_empty() {
                p.empty { "Ingen endnu." }
            } @else {
                table {
                    thead { tr { th { "Projekt" } th { "Ejer" } th { "Niveau" } th { "Tilstand" } th { "Seneste status" } } }
                    tbody {
                        @for p in &projects {
                            tr.item data-project=(p.id) {
                                td { (p.title) }
                                td { (owner(&p.owner_organization)) }
                                td { (p.level.map_or("Ikke placeret", |level| level_label(level.as_str()))) }
                                td { (state_label(p.state.as_str())) }
                                td {
                                    @match (&p.rag, p.last_report_at) {
                                        (Some(rag), Some(at)) => {
                                            span class={"rag-" (rag)} { (rag_label(*rag)) } " (" (danish_date(at.date_naive())) ")"
                                        },
                                        _ => "–",
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Produkter" }
            @if overview.products.is_empty() {
                p.empty { "Ingen endnu." }
            } @else {
                table {
                    thead { tr { th { "Produkt" } th { "Ejer" } th { "Niveau" } th { "Tilstand" } } }
                    tbody {
                        @for p in &overview.products {
                            tr.item data-product=(p.id) {
                                td { (p.name) } td { (owner(&p.owner_organization)) } td { (p.level) } td { (state_label(p.state.as_str())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Budget against spent per project, with a bar pair each, and the totals.
fn economy_section(overview: &Overview) -> Markup {
    const BAR_WIDTH: i64 = 160;
    let with_money: Vec<_> = overview
        .projects
        .iter()
        .filter(|p| p.economy.budget_dkk != 0 || p.economy.spent_dkk != 0)
        .collect();
    let largest = with_money
        .iter()
        .map(|p| p.economy.budget_dkk.max(p.economy.spent_dkk))
        .max()
        .unwrap_or(0)
        .max(1);
    let bar = |amount: i64| (amount.max(0) * BAR_WIDTH / largest).max(1);
    let total = overview.economy;
    html! {
        section #economy {
            h2 { "Økonomi" }
            @if with_money.is_empty() {
                p.empty { "Ingen projekter har budget eller forbrug endnu." }
            } @else {
                table {
                    thead {
                        tr {
                            th { "Projekt" } th { "Niveau" } th { "Status" }
                            th.num { "Budget" } th.num { "Forbrugt" } th.num { "Forventet" } th.num { "Afvigelse" }
                            th { "Budget mod forbrug" }
                        }
                    }
                    tbody {
                        @for p in &with_money {
                            tr.project data-project=(p.id) data-budget=(p.economy.budget_dkk) data-spent=(p.economy.spent_dkk)
                                data-forecast=(p.economy.forecast_dkk) data-variance=(p.economy.variance_dkk) {
                                td { (p.title) }
                                td { (p.level.map_or("–", |level| level_label(level.as_str()))) }
                                td {
                                    @if let Some(rag) = p.rag { span class={"rag-" (rag)} { (rag_label(rag)) } } @else { "–" }
                                }
                                td.num { (dkk(p.economy.budget_dkk)) }
                                td.num { (dkk(p.economy.spent_dkk)) }
                                td.num { (dkk(p.economy.forecast_dkk)) }
                                td.num { (variance(p.economy.variance_dkk)) }
                                td {
                                    svg.budget-bars width=(BAR_WIDTH) height="18" role="img"
                                        aria-label={"Budget " (dkk(p.economy.budget_dkk)) ", forbrugt " (dkk(p.economy.spent_dkk))}
                                        xmlns="http://www.w3.org/2000/svg" {
                                        rect.budget x="0" y="1" width=(bar(p.economy.budget_dkk)) height="7" fill="#a5b4c4" {}
                                        rect.spent x="0" y="10" width=(bar(p.economy.spent_dkk)) height="7"
                                            fill=(if p.economy.spent_dkk > p.economy.budget_dkk { "#cf222e" } else { "#3b82c4" }) {}
                                    }
                                }
                            }
                        }
                        tr.total #economy-total data-budget=(total.budget_dkk) data-spent=(total.spent_dkk)
                            data-forecast=(total.forecast_dkk) data-variance=(total.variance_dkk) {
                            td colspan="3" { "I alt" }
                            td.num { (dkk(total.budget_dkk)) }
                            td.num { (dkk(total.spent_dkk)) }
                            td.num { (dkk(total.forecast_dkk)) }
                            td.num { (variance(total.variance_dkk)) }
                            td {}
                        }
                    }
                }
            }
        }
    }
}

fn overdue_section(duty: Option<&ReportingDuty>) -> Markup {
    html! {
        section #overdue {
            h2 { "Manglende statusrapporter" }
            @match duty {
                None => p.empty { "Intet møde planlagt, så ingen rapporteringspligt endnu." },
                Some(duty) if duty.missing.is_empty() => p.empty {
                    "Alle N2- og N3-projekter i gang har rapporteret til mødet."
                },
                Some(duty) => {
                    p { "Frist for statusrapporter: " (danish_date(duty.material_date)) "." }
                    table {
                        thead { tr { th { "Projekt" } th { "Niveau" } th { "Seneste rapport" } th { "Status" } } }
                        tbody {
                            @for missing in &duty.missing {
                                tr.missing data-project=(missing.project_id) {
                                    td { (missing.title) }
                                    td { (level_label(missing.level.as_str())) }
                                    td {
                                        @match missing.last_report_at {
                                            Some(at) => (danish_date(at.date_naive())),
                                            None => "Ingen",
                                        }
                                    }
                                    td { @if missing.overdue { "Overskredet" } @else { "Mangler" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Running projects and active products short of their level's requirements (governance.md §4).
fn deviations_section(deviations: &[Deviation]) -> Markup {
    html! {
        section #deviations {
            h2 { "Afvigelser fra formkrav" }
            @if deviations.is_empty() {
                p.empty { "Alle projekter i gang og alle produkter opfylder formkravene for deres niveau." }
            } @else {
                table {
                    thead { tr { th { "Projekt eller produkt" } th { "Niveau" } th { "Formkrav, der ikke længere er opfyldt" } } }
                    tbody {
                        @for d in deviations {
                            tr.deviation data-item=(d.item) data-id=(d.id) data-requirement=(d.requirement.key) {
                                td {
                                    a href=(format!("/api/v1/{}s/{}", d.item, d.id)) { (d.title) }
                                    @if d.item == "product" { " (produkt)" } @else { " (projekt)" }
                                }
                                td { (level_label(d.level.as_str())) }
                                td { (d.requirement.title_da) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn decisions_section(id: &str, heading: &str, decisions: &[DecisionLine]) -> Markup {
    html! {
        section id=(id) {
            h2 { (heading) }
            @if decisions.is_empty() {
                p.empty { "Ingen." }
            } @else {
                table {
                    thead { tr { th { "Sag" } th { "Projekt eller produkt" } th { "Niveau" } th { "Foreslået af" } th { "Besluttes af" } th { "Udfald" } } }
                    tbody {
                        @for d in decisions {
                            tr.decision data-approval=(d.approval_id) {
                                td { (subject_label(d.subject)) }
                                td {
                                    @match &d.product_id {
                                        Some(id) => { a href=(format!("/api/v1/products/{id}")) { (d.title) } " (produkt)" },
                                        None => a href=(format!("/api/v1/projects/{}", d.project_id)) { (d.title) },
                                    }
                                }
                                td {
                                    (level_label(d.level.as_str()))
                                    @if let Some(to) = d.target_level { " → " (level_label(to.as_str())) }
                                }
                                td {
                                    @match d.proposed_by {
                                        Some(Proposer::CoordinationGroup) => "Koordinationsgruppen",
                                        Some(Proposer::BusinessManager) => "Forretningslederen",
                                        None => "",
                                    }
                                    @if let Some(reason) = &d.proposal_reason { @if d.proposed_by.is_some() { ": " } (reason) }
                                }
                                td { (approver_label(d.approver)) }
                                td {
                                    @match (&d.outcome, d.decided_at) {
                                        (Some(outcome), Some(at)) => { (outcome_label(*outcome)) " " (danish_date(at.date_naive())) },
                                        _ => "Afventer",
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn colour_of(state: &str) -> &'static str {
    STATE_COLOURS
        .iter()
        .find(|(s, _)| *s == state)
        .map_or("#999", |(_, colour)| colour)
}

fn level_label(level: &str) -> &str {
    if level == "unplaced" {
        "Ikke placeret"
    } else {
        level
    }
}

fn state_label(state: &str) -> &str {
    if let Ok(product) = state.parse::<ProductState>() {
        return match product {
            ProductState::Active => "Aktiv",
            ProductState::Closed => "Lukket",
        };
    }
    match state.parse::<State>() {
        Ok(State::Idea) => "Idé",
        Ok(State::Concept) => "Koncept",
        Ok(State::AwaitingApproval) => "Afventer godkendelse",
        Ok(State::Approved) => "Godkendt",
        Ok(State::Returned) => "Sendt tilbage",
        Ok(State::Rejected) => "Afvist",
        Ok(State::InProgress) => "I gang",
        Ok(State::Paused) => "På pause",
        Ok(State::Cancelled) => "Lukket",
        Ok(State::Implemented) => "Implementeret",
        Err(_) => state,
    }
}

fn subject_label(subject: Subject) -> &'static str {
    match subject {
        Subject::Project => "Godkendelse af projekt",
        Subject::SteeringGroup => "Styregruppens sammensætning",
        Subject::Budget => "Budget og business case",
        Subject::Cancellation => "Lukning af projekt",
        Subject::LevelChange => "Niveauskift",
        Subject::Closure => "Lukning af produkt",
        Subject::ChangeRequest => "Ændringsønske",
        Subject::BudgetFrame => "Produktets årlige budgetramme",
    }
}

fn approver_label(approver: Approver) -> &'static str {
    match approver {
        Approver::Board => "Bestyrelsen",
        Approver::Forretningsleder => "Forretningslederen",
    }
}

fn outcome_label(outcome: Decision) -> &'static str {
    match outcome {
        Decision::Approve => "Godkendt",
        Decision::Return => "Sendt tilbage",
        Decision::Reject => "Afvist",
    }
}

fn rag_label(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "Grøn",
        Rag::Amber => "Gul",
        Rag::Red => "Rød",
    }
}

/// `18. marts 2027`.
fn danish_date(day: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let month = MONTHS
        .get(day.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{}. {month} {}", day.day(), day.year())
}

/// A forecast's deviation from the budget, signed and in words: "+50.000 kr. over",
/// "−20.000 kr. under", "0 kr.".
fn variance(amount: i64) -> String {
    match amount.signum() {
        1 => format!("+{} over", dkk(amount)),
        -1 => format!("{} under", dkk(amount)),
        _ => dkk(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deviations_carry_a_sign_and_say_over_or_under() {
        assert_eq!(variance(50_000), "+50.000 kr. over");
        assert_eq!(variance(-20_000), "−20.000 kr. under");
        assert_eq!(variance(0), "0 kr.");
    }

    #[test]
    fn amounts_use_danish_thousands_separators() {
        assert_eq!(dkk(0), "0 kr.");
        assert_eq!(dkk(999), "999 kr.");
        assert_eq!(dkk(1_000), "1.000 kr.");
        assert_eq!(dkk(1_234_567), "1.234.567 kr.");
        assert_eq!(dkk(-250_000), "−250.000 kr.");
    }

    #[test]
    fn dates_are_written_the_danish_way() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 18).unwrap_or_default();
        assert_eq!(danish_date(day), "18. marts 2027");
    }

    #[test]
    fn every_state_has_a_colour_and_a_danish_name() {
        for state in State::ALL {
            assert_ne!(colour_of(state.as_str()), "#999", "{state}");
            assert_ne!(state_label(state.as_str()), state.as_str(), "{state}");
        }
        for state in ProductState::ALL {
            assert_ne!(colour_of(state.as_str()), "#999", "{state}");
        }
    }
}
