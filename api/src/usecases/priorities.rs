//! Prioritisation (governance.md §6): the board's weighted criteria (kept by the business manager on
//! its behalf), board members' scores, and the ranking with its stability.

use os2pm_projects::ProjectId;
use std::collections::BTreeMap;

use os2pm_persistence::priorities::{self as store, CriterionRow, ScoreRow};
use os2pm_persistence::{DbConnection, StoreError, in_transaction, projects};
use os2pm_projects::priorities::{Criterion, Scores, check_criteria, check_scores, rank};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::request::Problems;
use crate::usecases::approvals::Voter;
use crate::usecases::privacy::{Audience, Redacted};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionView {
    pub key: String,
    pub name: String,
    /// A positive whole number; only the ratios between weights matter.
    pub weight: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"criteria": [
    {"key": "strategic_fit", "name": "Strategisk fit", "weight": 30},
    {"key": "value", "name": "Værdi", "weight": 25},
    {"key": "cross_municipal", "name": "Tværkommunal relevans", "weight": 20},
    {"key": "complexity", "name": "Kompleksitet", "weight": 10},
    {"key": "risk", "name": "Risiko", "weight": 10},
    {"key": "cost", "name": "Omkostning", "weight": 5}
]}))]
pub struct CriteriaRequest {
    pub criteria: Vec<CriterionView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"scores": {"strategic_fit": 4, "value": 5, "risk": 2}}))]
pub struct ScoresRequest {
    /// Criterion key → score 0–5.
    pub scores: BTreeMap<String, i32>,
}

fn domain_criteria(rows: &[CriterionRow]) -> Vec<Criterion> {
    rows.iter()
        .map(|c| Criterion {
            key: c.key.clone(),
            weight: c.weight,
        })
        .collect()
}

/// The criteria in force and the ranking, as `audience` may read them: the members' own scores
/// are the association's.
pub fn read(conn: &mut DbConnection, audience: Audience) -> Result<Redacted<Priorities>, ApiError> {
    Ok(audience.redacted(priorities(conn)?))
}

fn priorities(conn: &mut DbConnection) -> Result<Priorities, ApiError> {
    let Some((version, rows)) = store::current(conn)? else {
        return Ok(Priorities {
            version: None,
            criteria: Vec::new(),
            ranking: Vec::new(),
        });
    };
    let mut by_candidate: BTreeMap<ProjectId, Scores> = BTreeMap::new();
    for score in store::scores(conn, version)? {
        by_candidate
            .entry(score.project_id)
            .or_default()
            .entry(score.member_sub)
            .or_default()
            .insert(score.criterion, score.score);
    }
    let candidates: Vec<(ProjectId, Scores)> = by_candidate.into_iter().collect();
    let criteria = domain_criteria(&rows);
    let mut ranking = Vec::new();
    for ranked in rank(&criteria, &candidates) {
        let title = projects::find(conn, &ranked.candidate)?.project.title;
        let scores = candidates
            .iter()
            .find(|(id, _)| *id == ranked.candidate)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        ranking.push(RankedCandidate {
            project_id: ranked.candidate,
            title,
            weighted_score: ranked.score,
            rank: ranked.rank,
            stable: ranked.stable,
            scores,
        });
    }
    Ok(Priorities {
        version: Some(version),
        criteria: rows
            .into_iter()
            .map(|c| CriterionView {
                key: c.key,
                name: c.name,
                weight: c.weight,
            })
            .collect(),
        ranking,
    })
}

/// A candidate's place in the ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedCandidate {
    pub project_id: ProjectId,
    pub title: String,
    /// 0–5.
    pub weighted_score: f64,
    /// 1 is first; equal scores share a rank.
    pub rank: usize,
    /// The rank stays the same whichever single weight moves by ±10 %.
    pub stable: bool,
    /// Member (`sub`) → criterion → score; `null` for anonymous readers.
    #[schema(nullable)]
    pub scores: BTreeMap<String, BTreeMap<String, i32>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Priorities {
    /// The criteria version in force; `null` before the first.
    pub version: Option<i32>,
    pub criteria: Vec<CriterionView>,
    pub ranking: Vec<RankedCandidate>,
}

/// Sets the board's prioritisation criteria as a new version (business manager).
pub fn set_criteria(
    conn: &mut DbConnection,
    caller: &Caller,
    criteria: Criteria,
) -> Result<Priorities, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let request = criteria.0;
    in_transaction(conn, |conn| {
        let version = store::current(conn)?.map_or(1, |(v, _)| v + 1);
        let now = os2pm_persistence::now();
        let rows: Vec<CriterionRow> = request
            .criteria
            .iter()
            .map(|c| CriterionRow {
                version,
                key: c.key.clone(),
                name: c.name.clone(),
                weight: c.weight,
                created_at: now,
            })
            .collect();
        store::insert_criteria(conn, &rows)?;
        os2pm_persistence::audit::append(
            conn,
            os2pm_persistence::audit::NewEntry {
                subject_type: "board",
                subject_id: "priorities",
                action: "criteria_set",
                actor: &caller.actor(),
                before: None,
                after: serde_json::to_string(&request.criteria).ok(),
                reason: None,
            },
        )?;
        priorities(conn)
    })
}

/// A seated board member's scores for one candidate, replacing their earlier ones.
pub fn score(
    conn: &mut DbConnection,
    caller: &Caller,
    project_id: &ProjectId,
    request: ScoresRequest,
) -> Result<Priorities, ApiError> {
    in_transaction(conn, |conn| {
        if !Voter::of(conn, caller)?.seated_board_member {
            return Err(ApiError::Forbidden(
                "only board members seated today score candidates".into(),
            ));
        }
        projects::find(conn, project_id).map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound(format!("no project `{project_id}`")),
            other => other.into(),
        })?;
        let (version, rows) = store::current(conn)?
            .ok_or_else(|| ApiError::Conflict("the board has set no criteria yet".into()))?;
        let errors: Vec<FieldError> = check_scores(&domain_criteria(&rows), &request.scores)
            .into_iter()
            .map(|e| FieldError::new("scores", e.to_string()))
            .collect();
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let now = os2pm_persistence::now();
        let scores: Vec<ScoreRow> = request
            .scores
            .iter()
            .map(|(criterion, score)| ScoreRow {
                version,
                project_id: project_id.to_owned(),
                member_sub: caller.sub.clone(),
                criterion: criterion.clone(),
                score: *score,
                scored_at: now,
            })
            .collect();
        store::replace_scores(conn, version, project_id, &caller.sub, &scores)?;
        priorities(conn)
    })
}

/// The board's criteria, checked: keys and names given, weights the domain accepts.
pub struct Criteria(CriteriaRequest);

impl TryFrom<CriteriaRequest> for Criteria {
    type Error = ApiError;

    /// Every problem at once.
    fn try_from(request: CriteriaRequest) -> Result<Self, ApiError> {
        let criteria: Vec<Criterion> = request
            .criteria
            .iter()
            .map(|c| Criterion {
                key: c.key.clone(),
                weight: c.weight,
            })
            .collect();
        let mut problems = Problems::default();
        for error in check_criteria(&criteria) {
            problems.push(FieldError::new("criteria", error.to_string()));
        }
        if request
            .criteria
            .iter()
            .any(|c| c.key.trim().is_empty() || c.name.trim().is_empty())
        {
            problems.push(FieldError::new(
                "criteria",
                "every criterion has a key and a name",
            ));
        }
        problems.or_command(|| Some(Self(request)))
    }
}
