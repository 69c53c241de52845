//! Evaluations of a product: a mark per requirement and a level recommendation, which becomes a
//! proposal to the board.

use crate::usecases::approvals::Proposer;
use crate::usecases::privacy::{Audience, Redacted};
use chrono::{DateTime, Utc};
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_products::{Mark, check_evaluation, gate_for_level_change};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::request::{IdempotencyKey, Problems, StoredReply};
use crate::usecases::created;
use crate::usecases::products::LoadedProduct;
use crate::usecases::products::level_change::propose_level_change;
use crate::usecases::projects::Loaded;

/// One requirement's mark in an evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkView {
    pub key: String,
    /// `green`, `yellow` or `red`.
    #[schema(value_type = os2pm_products::Mark)]
    pub mark: String,
    /// Required for yellow and red.
    pub reasoning: Option<String>,
}

/// An evaluation of a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationView {
    pub id: String,
    pub product_id: String,
    pub period: String,
    /// The product's level when evaluated.
    pub level: os2pm_levels::Level,
    pub recommended_level: os2pm_levels::Level,
    pub conclusion: String,
    pub marks: Vec<MarkView>,
    /// The board approval the recommended level change became.
    pub level_change_approval_id: Option<String>,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

fn evaluation_view(
    row: os2pm_persistence::evaluations::EvaluationRow,
    marks: Vec<os2pm_persistence::evaluations::MarkRow>,
) -> EvaluationView {
    EvaluationView {
        id: row.id,
        product_id: row.product_id,
        period: row.period,
        level: row.level,
        recommended_level: row.recommended_level,
        conclusion: row.conclusion,
        marks: marks
            .into_iter()
            .map(|m| MarkView {
                key: m.requirement_key,
                mark: m.mark.to_string(),
                reasoning: m.reasoning,
            })
            .collect(),
        level_change_approval_id: row.level_change_approval_id,
        created_by: row.created_by,
        created_at: row.created_at.and_utc(),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"period": "2027-H1", "marks": [{"key": "idea_described", "mark": "green"},
    {"key": "legally_compliant", "mark": "yellow", "reasoning": "Databehandleraftale mangler for én kommune"}],
    "recommended_level": "N1", "conclusion": "Produktet lever op til N1."}))]
pub struct NewEvaluation {
    /// E.g. `2027-H1`.
    pub period: String,
    /// One mark per requirement of the product's level (cumulative).
    pub marks: Vec<MarkView>,
    #[schema(value_type = os2pm_levels::Level)]
    pub recommended_level: String,
    pub conclusion: String,
}

/// Records a product's evaluation; a recommended level change becomes a proposal to the board.
pub fn evaluate(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    idempotency_key: IdempotencyKey,
    evaluation: ParsedEvaluation,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let ParsedEvaluation {
        request,
        recommended,
        marks,
    } = evaluation;
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        let loaded = LoadedProduct::load(conn, id)?;
        loaded.check_open()?;
        let catalogue =
            os2pm_persistence::catalogue::load(conn, &loaded.product.catalogue_version)?;
        let keys: Vec<&str> = catalogue
            .for_level(loaded.level())
            .map(|r| r.key.as_str())
            .collect();
        let problems: Vec<FieldError> = check_evaluation(&keys, &marks)
            .into_iter()
            .map(|e| FieldError::new("marks", e.to_string()))
            .collect();
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        let approval = if recommended == loaded.level() {
            None
        } else {
            let project = Loaded::load(conn, &loaded.product.project_id)?;
            let reason = format!("Evaluering {}: {}", request.period, request.conclusion);
            Some(propose_level_change(
                conn,
                &project,
                loaded.level(),
                recommended,
                gate_for_level_change(true, true),
                (&reason, Proposer::BusinessManager),
            )?)
        };
        let row = os2pm_persistence::evaluations::EvaluationRow {
            id: uuid::Uuid::now_v7().to_string(),
            product_id: id.to_owned(),
            period: request.period.clone(),
            level: loaded.level(),
            recommended_level: recommended,
            conclusion: request.conclusion.clone(),
            level_change_approval_id: approval.map(|a| a.id),
            created_by: caller.sub.clone(),
            created_at: os2pm_persistence::now(),
        };
        let mark_rows: Vec<os2pm_persistence::evaluations::MarkRow> = marks
            .iter()
            .map(
                |(key, mark, reasoning)| os2pm_persistence::evaluations::MarkRow {
                    evaluation_id: row.id.clone(),
                    requirement_key: key.clone(),
                    mark: *mark,
                    reasoning: reasoning.clone(),
                },
            )
            .collect();
        os2pm_persistence::evaluations::insert(conn, &row, &mark_rows)?;
        let view = evaluation_view(row, mark_rows);
        created(
            conn,
            caller,
            ("project", &loaded.product.project_id, "evaluation_recorded"),
            format!("/api/v1/products/{id}/evaluations"),
            &view,
        )
    })
}

/// A product's evaluations, oldest first.
pub fn list(
    conn: &mut DbConnection,
    id: &str,
    audience: Audience,
) -> Result<Vec<Redacted<EvaluationView>>, ApiError> {
    LoadedProduct::load(conn, id)?;
    Ok(os2pm_persistence::evaluations::for_product(conn, id)?
        .into_iter()
        .map(|(row, marks)| audience.redacted(evaluation_view(row, marks)))
        .collect())
}

/// An evaluation, parsed: the recommended level and each mark as the domain's values.
pub struct ParsedEvaluation {
    request: NewEvaluation,
    recommended: Level,
    marks: Vec<(String, Mark, Option<String>)>,
}

impl TryFrom<NewEvaluation> for ParsedEvaluation {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(request: NewEvaluation) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        let recommended = problems.parse("recommended_level", &request.recommended_level);
        let marks: Vec<(String, Mark, Option<String>)> = request
            .marks
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let mark = problems.parse(&format!("marks[{i}].mark"), &m.mark)?;
                Some((m.key.clone(), mark, m.reasoning.clone()))
            })
            .collect();
        if request.period.trim().is_empty() {
            problems.push(FieldError::new("period", "name the period, e.g. 2027-H1"));
        }
        problems.or_command(|| {
            Some(Self {
                recommended: recommended?,
                marks,
                request,
            })
        })
    }
}
