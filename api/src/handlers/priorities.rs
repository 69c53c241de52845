//! Prioritisation (governance.md §6): the board's weighted criteria (kept by the business manager on
//! its behalf), board members' scores, and the ranking with its stability.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use os2pm_persistence::priorities::{self as store, CriterionRow, ScoreRow};
use os2pm_persistence::{DbConnection, StoreError, in_transaction, projects};
use os2pm_projects::priorities::{Criterion, Scores, check_criteria, check_scores, rank};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError, ProblemSchema};
use crate::usecases::approvals::Voter;

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

/// A candidate's place in the ranking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedCandidate {
    pub project_id: String,
    pub title: String,
    /// 0–5.
    pub weighted_score: f64,
    /// 1 is first; equal scores share a rank.
    pub rank: usize,
    /// The rank stays the same whichever single weight moves by ±10 %.
    pub stable: bool,
    /// Member → criterion → score.
    pub scores: BTreeMap<String, BTreeMap<String, i32>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Priorities {
    /// The criteria version in force; `null` before the first.
    pub version: Option<i32>,
    pub criteria: Vec<CriterionView>,
    pub ranking: Vec<RankedCandidate>,
}

fn domain_criteria(rows: &[CriterionRow]) -> Vec<Criterion> {
    rows.iter()
        .map(|c| Criterion {
            key: c.key.clone(),
            weight: c.weight,
        })
        .collect()
}

fn priorities(conn: &mut DbConnection) -> Result<Priorities, ApiError> {
    let Some((version, rows)) = store::current(conn)? else {
        return Ok(Priorities {
            version: None,
            criteria: Vec::new(),
            ranking: Vec::new(),
        });
    };
    let mut by_candidate: BTreeMap<String, Scores> = BTreeMap::new();
    for score in store::scores(conn, version)? {
        by_candidate
            .entry(score.project_id)
            .or_default()
            .entry(score.member_sub)
            .or_default()
            .insert(score.criterion, score.score);
    }
    let candidates: Vec<(String, Scores)> = by_candidate.into_iter().collect();
    let criteria = domain_criteria(&rows);
    let mut ranking = Vec::new();
    for ranked in rank(&criteria, &candidates) {
        let title = projects::find(conn, &ranked.candidate)?.project.title;
        let scores = candidates
            .iter()
            .find(|(id, _)| id == &ranked.candidate)
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

/// The ranking of candidates by weighted score, each member's scores, and how stable each rank
/// is. Public.
#[utoipa::path(
    get, path = "/api/v1/portfolio/priorities", tag = "meetings",
    responses((status = 200, description = "The criteria in force and the ranking", body = Priorities))
)]
pub async fn get(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let view = state.db(priorities).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Sets a new version of the criteria and weights (the business manager, on the board's
/// behalf). Scores are kept per version.
#[utoipa::path(
    put, path = "/api/v1/portfolio/priorities/criteria", tag = "meetings",
    security(("bearer" = [])),
    request_body = CriteriaRequest,
    responses(
        (status = 200, description = "The new version and the (empty) ranking", body = Priorities),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No criteria, a weight that is not positive, a key twice", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn put_criteria(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CriteriaRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let request = body.into_inner();
    let criteria: Vec<Criterion> = request
        .criteria
        .iter()
        .map(|c| Criterion {
            key: c.key.clone(),
            weight: c.weight,
        })
        .collect();
    let mut errors: Vec<FieldError> = check_criteria(&criteria)
        .into_iter()
        .map(|e| FieldError::new("criteria", e.to_string()))
        .collect();
    if request
        .criteria
        .iter()
        .any(|c| c.key.trim().is_empty() || c.name.trim().is_empty())
    {
        errors.push(FieldError::new(
            "criteria",
            "every criterion has a key and a name",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let view = state
        .db(move |conn| {
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
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// A seated board member scores a candidate (a project) on the criteria in force, 0–5 each;
/// scoring again replaces the member's earlier scores for it.
#[utoipa::path(
    put, path = "/api/v1/portfolio/priorities/scores/{project_id}", tag = "meetings",
    security(("bearer" = [])),
    params(("project_id" = String, Path)),
    request_body = ScoresRequest,
    responses(
        (status = 200, description = "The ranking now", body = Priorities),
        (status = 403, description = "Not a board member seated today", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "No criteria are set yet", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown criteria or scores outside 0–5", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn put_scores(
    state: web::Data<AppState>,
    caller: Caller,
    project_id: web::Path<String>,
    body: web::Json<ScoresRequest>,
) -> Result<HttpResponse, ApiError> {
    let project_id = project_id.into_inner();
    let request = body.into_inner();
    let view = state
        .db(move |conn| {
            in_transaction(conn, |conn| {
                if !Voter::of(conn, &caller)?.seated_board_member {
                    return Err(ApiError::Forbidden(
                        "only board members seated today score candidates".into(),
                    ));
                }
                projects::find(conn, &project_id).map_err(|e| match e {
                    StoreError::NotFound => {
                        ApiError::NotFound(format!("no project `{project_id}`"))
                    }
                    other => other.into(),
                })?;
                let (version, rows) = store::current(conn)?.ok_or_else(|| {
                    ApiError::Conflict("the board has set no criteria yet".into())
                })?;
                let errors: Vec<FieldError> =
                    check_scores(&domain_criteria(&rows), &request.scores)
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
                        project_id: project_id.clone(),
                        member_sub: caller.sub.clone(),
                        criterion: criterion.clone(),
                        score: *score,
                        scored_at: now,
                    })
                    .collect();
                store::replace_scores(conn, version, &project_id, &caller.sub, &scores)?;
                priorities(conn)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
