//! The portfolio overview (*porteføljeoverblik*, governance.md §6) for a board meeting: every
//! project and product by level and state, their economy, pending decisions, and what the
//! board decided since its previous meeting.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use os2pm_groups::board::MeetingId;
use os2pm_levels::{Gate, Level};
use os2pm_persistence::approvals::{self, ApprovalRow};
use os2pm_persistence::meetings::{self as store, MeetingRow};
use os2pm_persistence::{budgets, meetings, organizations, products, projects, reports};
use os2pm_products::{ProductId, ProductState};
use os2pm_projects::economy::Economy;
use os2pm_projects::{ApprovalId, Approver, Decision, ProjectId, Rag, State, Subject};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, UnmetRequirement};
use crate::usecases::approvals::{Payload, Proposer};
use crate::usecases::benefits::{BenefitView, benefit_view};
use crate::usecases::board::today;
use crate::usecases::meetings::{ReportingDuty, next_meeting, reporting_duty};
use crate::usecases::projects::Loaded;

/// Reads `as_of`: an RFC 3339 timestamp, or a date meaning the end of that day (UTC).
pub(crate) fn parse_as_of(text: &str) -> Result<chrono::NaiveDateTime, ApiError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc).naive_utc());
    }
    text.parse::<NaiveDate>()
        .ok()
        .and_then(|day| day.and_hms_micro_opt(23, 59, 59, 999_999))
        .ok_or_else(|| {
            ApiError::validation(
                "as_of",
                "is neither a date (YYYY-MM-DD) nor an RFC 3339 timestamp",
            )
        })
}

/// What the audit history says of the projects at a moment: each one's state and level, its
/// budget, and which products were closed by then.
struct Past {
    projects: HashMap<String, (State, Option<Level>)>,
    /// The budget proposed last by then; `None` when that entry predates budgets in snapshots.
    budgets: HashMap<String, Option<i64>>,
    closed: std::collections::HashSet<String>,
}

impl Past {
    fn at(
        conn: &mut os2pm_persistence::DbConnection,
        until: chrono::NaiveDateTime,
    ) -> Result<Self, ApiError> {
        let mut projects = HashMap::new();
        let mut budgets = HashMap::new();
        let mut closed = std::collections::HashSet::new();
        for entry in os2pm_persistence::audit::projects_until(conn, until)? {
            if entry.action == "product_closed" {
                closed.insert(entry.subject_id.clone());
            }
            let Some(after) = entry
                .after_state
                .as_deref()
                .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok())
            else {
                continue;
            };
            // A project snapshot, as opposed to the detail of a vote or a report.
            let state = after["state"].as_str().and_then(|state| state.parse().ok());
            if let (Some(state), Some(_round)) = (state, after.get("round")) {
                let level = after["level"].as_str().and_then(|level| level.parse().ok());
                if entry.action == "budget_proposed" {
                    budgets.insert(entry.subject_id.clone(), after["budget_dkk"].as_i64());
                }
                projects.insert(entry.subject_id, (state, level));
            }
        }
        Ok(Self {
            projects,
            budgets,
            closed,
        })
    }

    /// The budget `project` had then; an entry from before snapshots held the amount falls back
    /// to the `current` one.
    fn budget(&self, project: &str, current: Option<i64>) -> Option<i64> {
        self.budgets.get(project).map(|then| then.or(current))?
    }
}

/// Budget, spent, forecast and variance (forecast − budget), in DKK.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct EconomyView {
    pub budget_dkk: i64,
    pub spent_dkk: i64,
    pub forecast_dkk: i64,
    pub variance_dkk: i64,
}

impl From<Economy> for EconomyView {
    fn from(e: Economy) -> Self {
        Self {
            budget_dkk: e.budget_dkk,
            spent_dkk: e.spent_dkk,
            forecast_dkk: e.forecast_dkk,
            variance_dkk: e.variance_dkk,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectLine {
    pub id: ProjectId,
    pub title: String,
    pub level: Option<Level>,
    pub state: State,
    pub owner_organization: String,
    pub economy: EconomyView,
    /// The latest report's red/amber/green status.
    pub rag: Option<Rag>,
    pub last_report_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductLine {
    pub id: ProductId,
    pub name: String,
    pub level: Level,
    pub state: ProductState,
    pub owner_organization: String,
}

/// A decision, or a decision still to be taken, with what the board needs to see of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionLine {
    pub approval_id: ApprovalId,
    pub subject: os2pm_projects::Subject,
    pub project_id: ProjectId,
    /// The product the project became, when the decision is about a product.
    pub product_id: Option<ProductId>,
    /// The project's title, or the product's name.
    pub title: String,
    /// The level when it was proposed.
    pub level: os2pm_levels::Level,
    /// For a level change: the level proposed.
    pub target_level: Option<os2pm_levels::Level>,
    /// For a level change: who proposed it, as the history also records it.
    pub proposed_by: Option<Proposer>,
    /// The proposer's reason (a level change's, a closure's).
    pub proposal_reason: Option<String>,
    pub approver: os2pm_projects::Approver,
    pub outcome: Option<os2pm_projects::Decision>,
    /// The decision's reason.
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// What decision lines name: each project's title and the product it became.
#[derive(Default)]
struct Items(HashMap<ProjectId, (String, Option<(ProductId, String)>)>);

impl Items {
    fn of(projects: &[ProjectLine], products: &[(products::ProductRow, Option<String>)]) -> Self {
        let mut items: HashMap<ProjectId, (String, Option<(ProductId, String)>)> = projects
            .iter()
            .map(|p| (p.id.clone(), (p.title.clone(), None)))
            .collect();
        for (product, _) in products {
            let entry = items
                .entry(product.project_id.clone())
                .or_insert_with(|| (product.name.clone(), None));
            entry.1 = Some((product.id.clone(), product.name.clone()));
        }
        Self(items)
    }

    /// The line of approval `a`.
    fn line(&self, a: &ApprovalRow) -> Result<DecisionLine, ApiError> {
        let (title, product) = self.0.get(&a.project_id).cloned().unwrap_or_default();
        let (product_id, title) = match product {
            Some((id, name)) => (Some(id), name),
            None => (None, title),
        };
        let (target_level, proposed_by, proposal_reason) = match Payload::of(a)? {
            Some(Payload::LevelChange(change)) => {
                (Some(change.to), change.proposed_by, Some(change.reason))
            }
            Some(Payload::Closure(closure)) => (None, None, Some(closure.reason)),
            _ => (None, None, None),
        };
        Ok(DecisionLine {
            approval_id: a.id.clone(),
            subject: a.subject,
            project_id: a.project_id.clone(),
            product_id,
            title,
            level: a.level,
            target_level,
            proposed_by,
            proposal_reason,
            approver: a.approver,
            outcome: a.outcome,
            reason: a.reason.clone(),
            decided_at: a.decided_at.map(|at| at.and_utc()),
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SincePrevious {
    /// The board's decisions (N2/N3, and level changes, closures …).
    pub decisions: Vec<DecisionLine>,
    pub level_changes: Vec<DecisionLine>,
    pub new_products: Vec<ProductLine>,
    /// N1 decisions of the business manager, for the board's information.
    pub for_information: Vec<DecisionLine>,
}

/// Expected benefits against what was realised.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BenefitsRollup {
    pub expected: usize,
    /// Benefits measured at least once.
    pub measured: usize,
    /// The mean share of the way from baseline to target, over the measured benefits.
    pub mean_realised: Option<f64>,
    pub past_due_without_measurement: Vec<BenefitView>,
}

/// The overview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    pub meeting_id: Option<MeetingId>,
    /// The day the overview is for: the meeting's date, or today.
    pub as_of: NaiveDate,
    /// The previous meeting's date: "since" starts the day after.
    pub since: Option<NaiveDate>,
    /// Count per level and state, e.g. `{"N2": {"in_progress": 3}}`; `unplaced` for ideas.
    pub projects_by_level: BTreeMap<String, BTreeMap<String, usize>>,
    pub products_by_level: BTreeMap<String, BTreeMap<String, usize>>,
    pub projects: Vec<ProjectLine>,
    pub products: Vec<ProductLine>,
    /// The totals of every project's economy.
    pub economy: EconomyView,
    pub pending_decisions: Vec<DecisionLine>,
    pub since_previous_meeting: SincePrevious,
    pub benefits: BenefitsRollup,
    /// *Afvigelser fra formkrav*: running projects and active products that no longer meet a
    /// requirement of their level (a roster change left an N3 group without its board member,
    /// say); a later change is not refused, it is shown here (governance.md §4). As things
    /// stand now: `null` for an overview `as_of` a past moment.
    pub deviations: Option<Vec<Deviation>>,
}

/// A running project or an active product that no longer meets a requirement of its level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Deviation {
    /// `project` or `product`.
    #[schema(example = "product")]
    pub item: &'static str,
    /// The project's or product's id (`/api/v1/projects/{id}`, `/api/v1/products/{id}`).
    pub id: String,
    pub title: String,
    pub level: Level,
    /// The requirement it no longer meets.
    pub requirement: UnmetRequirement,
}

/// What running projects and active products no longer meet of their level: the requirements
/// of the gate each has passed (start, or go-live for a product).
fn deviations(
    conn: &mut os2pm_persistence::DbConnection,
    project_lines: &[ProjectLine],
    product_rows: &[(products::ProductRow, Option<String>)],
) -> Result<Vec<Deviation>, ApiError> {
    let mut found = Vec::new();
    let running = project_lines
        .iter()
        .filter(|p| matches!(p.state, State::InProgress | State::Paused));
    for line in running {
        let Some(level) = line.level else { continue };
        let project = Loaded::load(conn, &line.id)?;
        found.extend(
            project
                .unmet(level, Gate::Start)
                .into_iter()
                .map(|requirement| Deviation {
                    item: "project",
                    id: line.id.to_string(),
                    title: line.title.clone(),
                    level,
                    requirement,
                }),
        );
    }
    let active = product_rows
        .iter()
        .filter(|(p, _)| p.state == ProductState::Active);
    for (product, _) in active {
        let project = Loaded::load(conn, &product.project_id)?;
        found.extend(
            project
                .unmet(product.level, Gate::GoLive)
                .into_iter()
                .map(|requirement| Deviation {
                    item: "product",
                    id: product.id.to_string(),
                    title: product.name.clone(),
                    level: product.level,
                    requirement,
                }),
        );
    }
    Ok(found)
}

fn count<'a>(
    lines: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (level, state) in lines {
        *counts
            .entry(level.to_owned())
            .or_default()
            .entry(state.to_owned())
            .or_default() += 1;
    }
    counts
}

/// The overview for the meeting `wanted` (or today), as the portfolio stood at `historic` when
/// given.
pub(crate) fn overview_for(
    conn: &mut os2pm_persistence::DbConnection,
    wanted: Option<&str>,
    historic: Option<chrono::NaiveDateTime>,
) -> Result<Overview, ApiError> {
    let all_meetings = meetings::all(conn)?;
    let meeting = match wanted {
        Some(id) => Some(
            all_meetings
                .iter()
                .find(|m| m.id == *id)
                .ok_or_else(|| ApiError::NotFound(format!("no meeting `{id}`")))?,
        ),
        None => None,
    };
    let as_of = historic.map_or_else(
        || meeting.map_or_else(today, |m| m.meeting_date),
        |at| at.date(),
    );
    let until = historic.unwrap_or_else(|| {
        as_of
            .and_hms_micro_opt(23, 59, 59, 999_999)
            .unwrap_or_default()
    });
    let past = historic.map(|at| Past::at(conn, at)).transpose()?;
    let since = all_meetings
        .iter()
        .filter(|m| !m.is_cancelled() && m.meeting_date < as_of)
        .map(|m| m.meeting_date)
        .max();
    let in_window = |at: Option<chrono::NaiveDateTime>| {
        at.is_some_and(|at| since.is_none_or(|s| at.date() > s) && at.date() <= as_of)
    };

    let (project_lines, economies) = project_lines(conn, past.as_ref(), until)?;
    let all_products = product_rows(conn, past.as_ref(), until)?;
    let product_lines: Vec<ProductLine> = all_products
        .iter()
        .map(|(p, o)| product_line(p, o))
        .collect();
    let new_products = all_products
        .iter()
        .filter(|(p, _)| in_window(Some(p.created_at)))
        .map(|(p, o)| product_line(p, o))
        .collect();
    let benefits = benefits_rollup(conn, as_of, until)?;
    let deviations = match historic {
        None => Some(deviations(conn, &project_lines, &all_products)?),
        Some(_) => None,
    };
    let all_approvals: Vec<ApprovalRow> = approvals::all(conn)?
        .into_iter()
        .filter(|a| a.created_at <= until)
        .collect();
    let decided: Vec<&ApprovalRow> = all_approvals
        .iter()
        .filter(|a| a.decided_at.is_some_and(|at| at <= until) && in_window(a.decided_at))
        .collect();
    let items = Items::of(&project_lines, &all_products);
    let lines = |filter: &dyn Fn(&ApprovalRow) -> bool| -> Result<Vec<DecisionLine>, ApiError> {
        decided
            .iter()
            .filter(|a| filter(a))
            .map(|a| items.line(a))
            .collect()
    };
    let pending_decisions = all_approvals
        .iter()
        .filter(|a| a.decided_at.is_none_or(|at| at > until))
        .map(|a| items.line(a))
        .collect::<Result<_, _>>()?;
    let since_previous_meeting = SincePrevious {
        decisions: lines(&|a| a.approver == Approver::Board)?,
        level_changes: lines(&|a| a.subject == Subject::LevelChange && a.is_approved())?,
        new_products,
        for_information: lines(&|a| a.approver == Approver::Forretningsleder)?,
    };
    Ok(Overview {
        meeting_id: meeting.map(|m| m.id.clone()),
        as_of,
        since,
        projects_by_level: count(project_lines.iter().map(|p| {
            let level = p.level.map_or("unplaced", Level::as_str);
            (level, p.state.as_str())
        })),
        products_by_level: count(
            product_lines
                .iter()
                .map(|p| (p.level.as_str(), p.state.as_str())),
        ),
        economy: Economy::total(&economies).into(),
        pending_decisions,
        since_previous_meeting,
        projects: project_lines,
        products: product_lines,
        benefits,
        deviations,
    })
}

/// A line per project (as it stood at `past`, if given) and its economy, with the latest report
/// filed by `until`.
fn project_lines(
    conn: &mut os2pm_persistence::DbConnection,
    past: Option<&Past>,
    until: chrono::NaiveDateTime,
) -> Result<(Vec<ProjectLine>, Vec<Economy>), ApiError> {
    let budget_of: HashMap<ProjectId, i64> = budgets::all(conn)?
        .into_iter()
        .map(|b| (b.project_id, b.amount_dkk))
        .collect();
    let mut latest_report = HashMap::new();
    for report in reports::all(conn)?
        .into_iter()
        .filter(|r| r.reported_at <= until)
    {
        latest_report.insert(report.project_id.clone(), report);
    }
    let mut economies = Vec::new();
    let lines = projects::all(conn)?
        .into_iter()
        .filter_map(|(p, owner)| {
            // As it stood then, for an overview of the past.
            let (state, level) = match past {
                Some(past) => *past.projects.get(p.id.as_str())?,
                None => (p.state, p.level),
            };
            Some((p, owner, state, level))
        })
        .map(|(p, owner, state, level)| {
            let report = latest_report.get(&p.id);
            let budget = budget_of.get(&p.id).copied();
            let economy = Economy::of(
                past.map_or(budget, |past| past.budget(p.id.as_str(), budget)),
                report.map(|r| (r.budget_dkk, r.spent_dkk, r.forecast_dkk)),
            );
            economies.push(economy);
            ProjectLine {
                owner_organization: owner.unwrap_or_else(|| p.owner_organization_id.clone()),
                economy: economy.into(),
                rag: report.map(|r| r.status),
                last_report_at: report.map(|r| r.reported_at.and_utc()),
                id: p.id,
                title: p.title,
                level,
                state,
            }
        })
        .collect();
    Ok((lines, economies))
}

/// The products that existed by `until`, at their level and state then (at `past`, if given).
fn product_rows(
    conn: &mut os2pm_persistence::DbConnection,
    past: Option<&Past>,
    until: chrono::NaiveDateTime,
) -> Result<Vec<(products::ProductRow, Option<String>)>, ApiError> {
    Ok(products::all(conn)?
        .into_iter()
        .filter(|(p, _)| p.created_at <= until)
        .map(|(mut p, owner)| {
            if let Some(past) = past {
                if let Some((_, Some(level))) = past.projects.get(p.project_id.as_str()) {
                    p.level = *level;
                }
                p.move_to(if past.closed.contains(p.project_id.as_str()) {
                    ProductState::Closed
                } else {
                    ProductState::Active
                });
            }
            (p, owner)
        })
        .collect())
}

fn product_line(p: &products::ProductRow, owner: &Option<String>) -> ProductLine {
    ProductLine {
        id: p.id.clone(),
        name: p.name.clone(),
        level: p.level,
        state: p.state,
        owner_organization: owner
            .clone()
            .unwrap_or_else(|| p.owner_organization_id.clone()),
    }
}

/// Expected benefits, how many are measured, their mean realisation, and those past due
/// without a measurement, as of `as_of`, as they were known at `until`.
fn benefits_rollup(
    conn: &mut os2pm_persistence::DbConnection,
    as_of: chrono::NaiveDate,
    until: chrono::NaiveDateTime,
) -> Result<BenefitsRollup, ApiError> {
    let views: Vec<BenefitView> = os2pm_persistence::benefits::known_at(conn, None, until)?
        .into_iter()
        .map(|(b, m)| benefit_view(b, m, as_of))
        .collect();
    let realised: Vec<f64> = views.iter().filter_map(|b| b.realised).collect();
    Ok(BenefitsRollup {
        expected: views.len(),
        measured: realised.len(),
        mean_realised: (!realised.is_empty())
            .then(|| realised.iter().sum::<f64>() / realised.len() as f64),
        past_due_without_measurement: views
            .into_iter()
            .filter(|b| b.past_due_without_measurement)
            .collect(),
    })
}

/// What the page shows: the next meeting (if one is planned), its overview and reporting duty.
pub struct PageData {
    pub meeting: Option<MeetingRow>,
    pub overview: Overview,
    pub duty: Option<ReportingDuty>,
    /// Organisation names by code (or id), for the owners.
    pub names: HashMap<String, String>,
}

/// What the portfolio page shows: the next meeting, its overview and reporting duty, and the
/// organisations' names.
pub fn page_data(conn: &mut os2pm_persistence::DbConnection) -> Result<PageData, ApiError> {
    let all = store::all(conn)?;
    let meeting = next_meeting(&all).cloned();
    let overview = overview_for(conn, meeting.as_ref().map(|m| m.id.as_str()), None)?;
    let duty = meeting
        .as_ref()
        .map(|m| reporting_duty(conn, &all, m))
        .transpose()?;
    Ok(PageData {
        names: organizations::names(conn)?,
        meeting,
        overview,
        duty,
    })
}

/// One line of the decision log (*beslutningslog*).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LogEntry {
    pub date: NaiveDate,
    /// The project or product the decision is about.
    pub item: String,
    pub project_id: ProjectId,
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
    let approved = approval.is_approved();
    let payload = Payload::of(approval).ok().flatten();
    let level_to = match &payload {
        Some(Payload::LevelChange(change)) => Some(change.to.to_string()),
        _ => None,
    };
    match (approval.subject, approval.outcome) {
        (Subject::Project, Some(Decision::Approve)) => {
            format!("Godkendt på {}", approval.level)
        }
        (Subject::Project, Some(Decision::Return)) => "Sendt tilbage (tilbageløb)".into(),
        (Subject::Project, _) => "Afvist".into(),
        (Subject::LevelChange, _) if approved => {
            format!(
                "Niveauskift fra {} til {}",
                approval.level,
                level_to.unwrap_or_default()
            )
        }
        (Subject::LevelChange, _) => "Niveauskift ikke godkendt".into(),
        (Subject::SteeringGroup, _) if approved => "Styregruppens sammensætning godkendt".into(),
        (Subject::Budget, _) if approved => "Budget godkendt".into(),
        (Subject::Cancellation, _) if approved => "Projektet lukket".into(),
        (Subject::Closure, _) if approved => "Produktet lukket".into(),
        (Subject::ChangeRequest, _) if approved => "Ændringsønske godkendt".into(),
        (Subject::BudgetFrame, _) => match (&payload, approved) {
            (Some(Payload::BudgetFrame(frame)), true) => format!(
                "Budgetramme på {} kr. om året godkendt",
                dkk(frame.yearly_budget_frame_dkk)
            ),
            _ if approved => "Budgetramme godkendt".into(),
            _ => "Budgetramme ikke godkendt".into(),
        },
        _ => "Ikke godkendt".into(),
    }
}

fn decided_by(approval: &ApprovalRow) -> String {
    match (approval.decided_by.as_deref(), approval.meeting_date) {
        (Some("board_meeting"), Some(date)) => format!("Bestyrelsen (møde {date})"),
        (Some(by), _) if by == Approver::Forretningsleder.as_str() => "Forretningslederen".into(),
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

/// The board's decisions, oldest first, as the decision log reads them.
pub fn decision_log(conn: &mut os2pm_persistence::DbConnection) -> Result<DecisionLog, ApiError> {
    let mut items = Vec::new();
    let titles: HashMap<ProjectId, String> = projects::all(conn)?
        .into_iter()
        .map(|(p, _)| (p.id, p.title))
        .collect();
    let mut decided: Vec<ApprovalRow> = approvals::all(conn)?
        .into_iter()
        .filter(|a| a.is_decided())
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
}

/// `1.234.567 kr.`: Danish thousands separators.
pub(crate) fn dkk(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    let sign = if amount < 0 { "−" } else { "" };
    format!("{sign}{grouped} kr.")
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
