//! The portfolio overview (*porteføljeoverblik*, governance.md §6) for a board meeting: every
//! project and product by level and state, their economy, pending decisions, and what the
//! board decided since its previous meeting.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use os2pm_persistence::approvals::{self, ApprovalRow};
use os2pm_persistence::projects;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppState;
use crate::error::{ApiError, ProblemSchema};
use crate::usecases::portfolio::Overview;
use crate::usecases::portfolio::overview_for;
use crate::usecases::portfolio::parse_as_of;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// The meeting the overview is for; without it, the portfolio as of today.
    pub meeting: Option<String>,
    /// The portfolio as it stood then, from the audit history (states, levels, budgets, reports,
    /// products and decisions): a date (its end) or an RFC 3339 timestamp.
    #[param(example = "2027-03-18")]
    pub as_of: Option<String>,
}

/// The portfolio overview for a board meeting (or as of today). Public.
#[utoipa::path(
    get, path = "/api/v1/portfolio", tag = "meetings",
    params(OverviewQuery),
    responses(
        (status = 200, description = "The overview", body = Overview),
        (status = 404, description = "No such meeting", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "`as_of` is not a date or timestamp", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn overview(
    state: web::Data<AppState>,
    query: web::Query<OverviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let historic = query.as_of.as_deref().map(parse_as_of).transpose()?;
    let overview = state
        .db(move |conn| overview_for(conn, query.meeting.as_deref(), historic))
        .await?;
    Ok(HttpResponse::Ok().json(overview))
}

/// One line of the decision log (*beslutningslog*).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LogEntry {
    pub date: NaiveDate,
    /// The project or product the decision is about.
    pub item: String,
    pub project_id: String,
    /// What was decided, in Danish as the association writes it.
    pub decision: String,
    /// The reason given, or the recommendation it was based on.
    pub basis: String,
    pub decided_by: String,
    /// The approval behind the decision.
    pub reference: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionLog {
    /// Oldest first.
    pub items: Vec<LogEntry>,
}

/// The decision in the association's words.
fn decision_text(approval: &ApprovalRow) -> String {
    let approved = approval.outcome.as_deref() == Some("approve");
    let level_to = approval
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .and_then(|p| p["to"].as_str().map(str::to_owned));
    match (approval.subject.as_str(), approval.outcome.as_deref()) {
        ("project", Some("approve")) => format!("Godkendt på {}", approval.level),
        ("project", Some("return")) => "Sendt tilbage (tilbageløb)".into(),
        ("project", _) => "Afvist".into(),
        ("level_change", _) if approved => {
            format!(
                "Niveauskift fra {} til {}",
                approval.level,
                level_to.unwrap_or_default()
            )
        }
        ("level_change", _) => "Niveauskift ikke godkendt".into(),
        ("steering_group", _) if approved => "Styregruppens sammensætning godkendt".into(),
        ("budget", _) if approved => "Budget godkendt".into(),
        ("cancellation", _) if approved => "Projektet lukket".into(),
        ("closure", _) if approved => "Produktet lukket".into(),
        ("change_request", _) if approved => "Ændringsønske godkendt".into(),
        _ => "Ikke godkendt".into(),
    }
}

fn decided_by(approval: &ApprovalRow) -> String {
    match (approval.decided_by.as_deref(), approval.meeting_date) {
        (Some("board_meeting"), Some(date)) => format!("Bestyrelsen (møde {date})"),
        (Some("forretningsleder"), _) => "Forretningslederen".into(),
        _ => "Bestyrelsen".into(),
    }
}

/// The decision log as the association keeps it in Markdown: per year, a table per item.
pub fn to_markdown(log: &DecisionLog) -> String {
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from("# Beslutningslog\n");
    let mut year = None;
    let mut item = None;
    for entry in &log.items {
        let this_year = entry.date.format("%Y").to_string();
        if year.as_ref() != Some(&this_year) {
            out.push_str(&format!("\n## {this_year}\n"));
            year = Some(this_year);
            item = None;
        }
        if item.as_ref() != Some(&entry.item) {
            out.push_str(&format!(
                "\n### {}\n\n| Dato | Beslutning | Grundlag | Besluttet af | Reference |\n|---|---|---|---|---|\n",
                cell(&entry.item)
            ));
            item = Some(entry.item.clone());
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            entry.date,
            cell(&entry.decision),
            cell(&entry.basis),
            cell(&entry.decided_by),
            cell(&entry.reference)
        ));
    }
    out
}

/// The decision log: every decision, oldest first, grouped by year and item. With
/// `Accept: text/markdown`, in the association's Markdown layout, to replace the hand-kept log.
#[utoipa::path(
    get, path = "/api/v1/portfolio/decision-log", tag = "meetings",
    responses(
        (status = 200, description = "The decision log: JSON, or Markdown with `Accept: text/markdown`",
            content((DecisionLog = "application/json"), (String = "text/markdown"))),
    )
)]
pub async fn decision_log(
    state: web::Data<AppState>,
    request: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let log = state
        .db(|conn| {
            let mut items = Vec::new();
            let titles: HashMap<String, String> = projects::all(conn)?
                .into_iter()
                .map(|(p, _)| (p.id, p.title))
                .collect();
            let mut decided: Vec<ApprovalRow> = approvals::all(conn)?
                .into_iter()
                .filter(|a| a.state == "decided")
                .collect();
            decided.sort_by_key(|a| a.decided_at);
            for approval in decided {
                let Some(at) = approval.decided_at else {
                    continue;
                };
                items.push(LogEntry {
                    date: at.date(),
                    item: titles
                        .get(&approval.project_id)
                        .cloned()
                        .unwrap_or_default(),
                    project_id: approval.project_id.clone(),
                    decision: decision_text(&approval),
                    basis: approval
                        .reason
                        .clone()
                        .unwrap_or_else(|| "Indstilling fra forretningslederen".into()),
                    decided_by: decided_by(&approval),
                    reference: format!("/api/v1/approvals/{}", approval.id),
                });
            }
            Ok(DecisionLog { items })
        })
        .await?;
    let wants_markdown = request
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/markdown"));
    Ok(if wants_markdown {
        HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .body(to_markdown(&log))
    } else {
        HttpResponse::Ok().json(log)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(date: &str, item: &str, decision: &str) -> LogEntry {
        LogEntry {
            date: date.parse().unwrap_or_else(|e| panic!("{date}: {e}")),
            item: item.into(),
            project_id: "p".into(),
            decision: decision.into(),
            basis: "Indstilling | bilag".into(),
            decided_by: "Bestyrelsen".into(),
            reference: "/api/v1/approvals/a".into(),
        }
    }

    #[test]
    fn the_markdown_log_groups_by_year_and_item() {
        let log = DecisionLog {
            items: vec![
                entry("2026-11-20", "OS2MO", "Godkendt på N3"),
                entry("2026-12-01", "OS2MO", "Budget godkendt"),
                entry("2027-01-10", "KITOS", "Niveauskift fra N1 til N2"),
            ],
        };
        let expected = "# Beslutningslog\n\
            \n## 2026\n\
            \n### OS2MO\n\n| Dato | Beslutning | Grundlag | Besluttet af | Reference |\n|---|---|---|---|---|\n\
            | 2026-11-20 | Godkendt på N3 | Indstilling \\| bilag | Bestyrelsen | /api/v1/approvals/a |\n\
            | 2026-12-01 | Budget godkendt | Indstilling \\| bilag | Bestyrelsen | /api/v1/approvals/a |\n\
            \n## 2027\n\
            \n### KITOS\n\n| Dato | Beslutning | Grundlag | Besluttet af | Reference |\n|---|---|---|---|---|\n\
            | 2027-01-10 | Niveauskift fra N1 til N2 | Indstilling \\| bilag | Bestyrelsen | /api/v1/approvals/a |\n";
        assert_eq!(to_markdown(&log), expected);
    }
}
