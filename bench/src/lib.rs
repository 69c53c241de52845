//! The load benchmark's data: a database seeded with many projects and their history, and the
//! request paths the load generator picks from, the same rows for os2pm and the baseline.
//!
//! Projects are written in batches straight through diesel: through the API a million
//! history rows would take longer than the benchmark itself.

use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use os2pm_levels::Level;
use os2pm_persistence::projects::{DescriptionRow, ProjectRow};
use os2pm_persistence::schema::{
    audit_log, organizations, project_descriptions, project_participants, projects,
};
use os2pm_persistence::{DatabaseUrl, DbConnection, StoreError, in_transaction, migrations};
use os2pm_projects::{Funding, Kind, ProjectId, State};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// The state the paged-list workload filters on: the largest group in a real portfolio.
pub const LISTED_STATE: &str = "in_progress";
/// The page size of both servers' lists.
pub const PAGE: usize = 50;

/// Projects written per transaction.
const BATCH: usize = 500;

/// States with their share of the portfolio, in per cent.
const STATES: [(State, u32); 10] = [
    (State::Idea, 20),
    (State::Concept, 15),
    (State::AwaitingApproval, 5),
    (State::Approved, 5),
    (State::InProgress, 35),
    (State::Paused, 3),
    (State::Returned, 3),
    (State::Rejected, 4),
    (State::Cancelled, 3),
    (State::Implemented, 7),
];

/// What a project's history holds, in order; reports repeat once it runs.
const ACTIONS: [&str; 8] = [
    "idea_submitted",
    "evidence_recorded",
    "placed",
    "submitted",
    "approved",
    "steering_group_formed",
    "started",
    "report_submitted",
];

#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub projects: usize,
    pub history_per_project: usize,
    /// Makes the portfolio (not the ids, which carry the time) the same on every run.
    pub random_seed: u64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = project_participants)]
struct ParticipantRow {
    project_id: String,
    organization_id: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
#[diesel(treat_none_as_null = true)]
struct HistoryRow {
    occurred_at: NaiveDateTime,
    subject_type: &'static str,
    subject_id: String,
    action: &'static str,
    actor_sub: String,
    actor_roles: &'static str,
    actor_org: Option<String>,
    before_state: Option<String>,
    after_state: Option<String>,
    reason: Option<String>,
}

/// Migrates and seeds the reference data, then adds the plan's projects; returns how long the
/// projects took.
pub fn seed(url: &DatabaseUrl, plan: Plan) -> Result<std::time::Duration, StoreError> {
    migrations::prepare(url, true)?;
    let mut conn = url.connect(false)?;
    let municipalities: Vec<String> = organizations::table
        .filter(organizations::kind.eq("municipality"))
        .order(organizations::id)
        .select(organizations::id)
        .load(&mut conn)?;
    if municipalities.is_empty() {
        return Err(StoreError::Seed("no municipalities to own projects".into()));
    }
    let mut rng = StdRng::seed_from_u64(plan.random_seed);
    let started = Instant::now();
    let first_created = os2pm_persistence::now() - Duration::days(3 * 365);
    let mut written = 0;
    while written < plan.projects {
        let batch = BATCH.min(plan.projects - written);
        let projects: Vec<Generated> = (written..written + batch)
            .map(|n| Generated::new(&mut rng, &municipalities, first_created, n, plan))
            .collect();
        in_transaction(&mut conn, |conn| write(conn, &projects))?;
        written += batch;
    }
    // Fresh statistics, as autovacuum would gather them on a live database.
    diesel::sql_query("ANALYZE").execute(&mut conn)?;
    Ok(started.elapsed())
}

/// One generated project with everything stored about it.
struct Generated {
    project: ProjectRow,
    description: DescriptionRow,
    participants: Vec<ParticipantRow>,
    history: Vec<HistoryRow>,
}

impl Generated {
    fn new(
        rng: &mut StdRng,
        municipalities: &[String],
        first_created: NaiveDateTime,
        n: usize,
        plan: Plan,
    ) -> Self {
        let id = ProjectId::from(uuid::Uuid::now_v7().to_string());
        let state = pick_state(rng);
        let level = match state {
            State::Idea | State::Returned => None,
            _ => Some(
                [Level::N1, Level::N1, Level::N2, Level::N2, Level::N3][rng.random_range(0..5)],
            ),
        };
        let owner = municipalities
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| municipalities[0].clone());
        let created_at = first_created + Duration::minutes(i64::try_from(n).unwrap_or(0) * 10);
        let title = format!("Fælles løsning nr. {n}");
        let summary = format!(
            "Projekt {n}: en fælleskommunal løsning til sagsbehandling, borgerdialog og data."
        );
        let actor = format!("bench-{}", owner);
        let mut participants = vec![owner.clone()];
        for _ in 0..rng.random_range(0..4) {
            if let Some(other) = municipalities.choose(rng)
                && !participants.contains(other)
            {
                participants.push(other.clone());
            }
        }
        let history = (0..plan.history_per_project)
            .map(|step| HistoryRow {
                occurred_at: created_at + Duration::hours(i64::try_from(step).unwrap_or(0)),
                subject_type: "project",
                subject_id: id.to_string(),
                action: ACTIONS[step.min(ACTIONS.len() - 1)],
                actor_sub: actor.clone(),
                actor_roles: "municipality_user",
                actor_org: Some(owner.clone()),
                before_state: (step > 0).then(|| snapshot(state, level, step - 1)),
                after_state: Some(snapshot(state, level, step)),
                reason: None,
            })
            .collect();
        Self {
            description: DescriptionRow {
                project_id: id.clone(),
                local_value: "Kortere svartider i Borgerservice.".into(),
                value_for_others: "Alle kommuner har samme behov.".into(),
                contact_name: "Jens Hansen".into(),
                contact_email: "jens@example.dk".into(),
                placement_rationale: level.map(|_| "Fælleskommunal værdi.".into()),
                return_reason: None,
            },
            participants: participants
                .into_iter()
                .map(|organization_id| ParticipantRow {
                    project_id: id.to_string(),
                    organization_id,
                })
                .collect(),
            history,
            project: ProjectRow {
                search_text: os2pm_persistence::search_text(&[&title, &summary]),
                id,
                title,
                summary,
                kind: Kind::Project,
                state,
                level,
                catalogue_version: level.map(|_| "os2-2016".into()),
                owner_organization_id: owner,
                intended_funding: Funding::Local,
                approval_round: 1,
                version: i64::try_from(plan.history_per_project).unwrap_or(1).max(1),
                created_by: actor,
                created_at,
                updated_at: created_at,
            },
        }
    }
}

fn pick_state(rng: &mut StdRng) -> State {
    let mut roll = rng.random_range(0..100);
    for (state, share) in STATES {
        if roll < share {
            return state;
        }
        roll -= share;
    }
    State::Idea
}

fn snapshot(state: State, level: Option<Level>, step: usize) -> String {
    serde_json::json!({ "state": state, "level": level, "version": step + 1 }).to_string()
}

/// A multi-row insert on the backend's own connection: diesel's `MultiConnection` sends
/// inserts one row at a time.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConnection::Postgresql(pg) => diesel::insert_into($table).values($rows).execute(pg),
            DbConnection::Sqlite(sqlite) => {
                diesel::insert_into($table).values($rows).execute(sqlite)
            }
        }
    };
}

fn write(conn: &mut DbConnection, batch: &[Generated]) -> Result<(), StoreError> {
    // Owned: a row's enums are written through a conversion that takes them.
    let projects: Vec<ProjectRow> = batch.iter().map(|g| g.project.clone()).collect();
    insert_rows!(conn, projects::table, projects)?;
    let descriptions: Vec<DescriptionRow> = batch.iter().map(|g| g.description.clone()).collect();
    insert_rows!(conn, project_descriptions::table, descriptions)?;
    let participants: Vec<&ParticipantRow> = batch.iter().flat_map(|g| &g.participants).collect();
    insert_rows!(conn, project_participants::table, participants)?;
    let history: Vec<&HistoryRow> = batch.iter().flat_map(|g| &g.history).collect();
    // Ten columns a row: 2,000 rows stay under both backends' limit on bound parameters.
    for chunk in history.chunks(2000) {
        insert_rows!(conn, audit_log::table, chunk.to_vec())?;
    }
    Ok(())
}

/// The paths one workload picks from, for each server.
#[derive(Debug, Default)]
pub struct Paths {
    pub os2pm: Vec<String>,
    pub baseline: Vec<String>,
}

/// `count` single-project paths to random projects, in random order (every project when
/// `count` is at least their number).
pub fn single_paths(
    conn: &mut DbConnection,
    count: usize,
    rng: &mut StdRng,
) -> Result<Paths, StoreError> {
    let ids: Vec<String> = projects::table.select(projects::id).load(conn)?;
    let mut paths = Paths::default();
    for id in ids.choose_multiple(rng, count) {
        paths.os2pm.push(format!("/api/v1/projects/{id}"));
        paths.baseline.push(format!("/rows/{id}"));
    }
    Ok(paths)
}

/// `count` pages of [`LISTED_STATE`] projects at random positions: os2pm continues after a
/// cursor, the baseline skips the same number of rows with `OFFSET`; both answer the same rows.
pub fn page_paths(
    conn: &mut DbConnection,
    count: usize,
    rng: &mut StdRng,
) -> Result<Paths, StoreError> {
    let ids: Vec<String> = projects::table
        .filter(projects::state.eq(LISTED_STATE))
        .order(projects::id.desc())
        .select(projects::id)
        .load(conn)?;
    let mut paths = Paths::default();
    if ids.len() <= PAGE + 1 {
        return Ok(paths);
    }
    for _ in 0..count {
        let offset = rng.random_range(1..ids.len() - PAGE);
        let cursor =
            URL_SAFE_NO_PAD.encode(serde_json::Value::from(ids[offset - 1].as_str()).to_string());
        paths.os2pm.push(format!(
            "/api/v1/projects?state={LISTED_STATE}&cursor={cursor}"
        ));
        paths
            .baseline
            .push(format!("/rows?state={LISTED_STATE}&offset={offset}"));
    }
    Ok(paths)
}
