//! Evaluations of a product: a mark per requirement and a level recommendation, which becomes a
//! proposal to the board.

use crate::usecases::approvals::Proposer;
use crate::usecases::privacy::{Audience, Redacted};
use chrono::{DateTime, Utc};
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use std::sync::Arc;

use chrono::Datelike;
use os2pm_levels::Catalogue;
use os2pm_levels::styringsmodel::{Checklist, STYRINGSMODEL_2025};
use os2pm_persistence::evaluations::{EvaluationRow, MarkRow};
use os2pm_persistence::{StoreError, people};
use os2pm_products::EvaluationId;
use os2pm_products::report;
use os2pm_products::template::{Template, TemplateError};
use os2pm_products::{Mark, ProductId, check_evaluation, evaluation, gate_for_level_change};
use os2pm_projects::ApprovalId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError};
use crate::request::{IdempotencyKey, Problems, StoredReply, holds_control_characters};
use crate::usecases::created;
use crate::usecases::products::LoadedProduct;
use crate::usecases::products::level_change::propose_level_change;
use crate::usecases::products::publiccode::repository;
use crate::usecases::projects::Loaded;

/// One requirement's mark in an evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkView {
    pub key: String,
    /// `green`, `yellow`, `red` or `grey` (*ikke relevant*).
    #[schema(value_type = os2pm_products::Mark)]
    pub mark: String,
    /// The basis of the mark (*vurderingsgrundlag*); required for all but green.
    pub reasoning: Option<String>,
    /// For a mark read from a published report: every column of its row, by header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<ReportColumn>>,
}

/// One column of a published report's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportColumn {
    pub header: String,
    pub text: String,
}

/// How many marks of each colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Tally {
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
    pub grey: u32,
}

impl From<evaluation::Tally> for Tally {
    fn from(t: evaluation::Tally) -> Self {
        Self {
            green: t.green,
            yellow: t.yellow,
            red: t.red,
            grey: t.grey,
        }
    }
}

/// The marks of one level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LevelTally {
    pub level: Level,
    #[serde(flatten)]
    pub marks: Tally,
}

/// The marks of one theme, per level and in total.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeTally {
    pub theme: os2pm_levels::Theme,
    pub levels: Vec<LevelTally>,
    pub total: Tally,
}

/// The counts the association's reports carry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Counts {
    /// Each level on its own, lowest first (the sandbox, N1, N2, N3).
    pub levels: Vec<LevelTally>,
    pub total: Tally,
    /// Relevance, form, strategy, governance: each per level and in total.
    pub themes: Vec<ThemeTally>,
}

impl From<evaluation::Counts> for Counts {
    fn from(counts: evaluation::Counts) -> Self {
        let levels = |tallies: Vec<(Level, evaluation::Tally)>| {
            tallies
                .into_iter()
                .map(|(level, tally)| LevelTally {
                    level,
                    marks: tally.into(),
                })
                .collect()
        };
        Self {
            levels: levels(counts.per_level),
            total: counts.total.into(),
            themes: counts
                .per_theme
                .into_iter()
                .map(|(theme, tallies, total)| ThemeTally {
                    theme,
                    levels: levels(tallies),
                    total: total.into(),
                })
                .collect(),
        }
    }
}

/// An evaluation of a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationView {
    pub id: EvaluationId,
    pub product_id: ProductId,
    pub period: String,
    /// The product's level when evaluated.
    pub level: os2pm_levels::Level,
    pub recommended_level: os2pm_levels::Level,
    /// The resumé.
    pub conclusion: String,
    /// The overall assessment (*overordnet vurdering*).
    pub assessment: Option<String>,
    /// The recommendation (*anbefaling*) in the evaluator's words.
    pub recommendation: Option<String>,
    /// The checklist version the marks are against.
    pub catalogue_version: Option<String>,
    /// The evaluation template (*evalueringsskabelon*) the marks are laid out by, versioned apart
    /// from the checklist: `0.9.2` (the 2025 checklist's 43 requirements, F8 and F9 merged into
    /// F7) for a product pinned to `os2-styringsmodel-2025`; none for `os2-2016`, which no
    /// template covers. The generated report states it.
    pub template_version: Option<String>,
    /// A mark for every requirement of the product's checklist, every level.
    pub marks: Vec<MarkView>,
    pub counts: Counts,
    /// The highest level whose requirements, with every level's below, are all green or grey:
    /// what the marks alone bear out, beside the evaluator's recommendation; `null` when not
    /// even the lowest level's are.
    pub suggested_level: Option<Level>,
    /// The board approval the recommended level change became.
    pub level_change_approval_id: Option<ApprovalId>,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

fn evaluation_view(
    row: os2pm_persistence::evaluations::EvaluationRow,
    marks: Vec<os2pm_persistence::evaluations::MarkRow>,
    catalogue: &Catalogue,
) -> EvaluationView {
    let placed: Vec<evaluation::Marked> = marks
        .iter()
        .filter_map(|m| {
            let requirement = catalogue.requirement(&m.requirement_key)?;
            Some(evaluation::Marked {
                level: requirement.level,
                theme: requirement.theme,
                mark: m.mark,
            })
        })
        .collect();
    EvaluationView {
        counts: evaluation::count(&placed).into(),
        suggested_level: evaluation::suggested_level(&placed),
        id: row.id,
        product_id: row.product_id,
        period: row.period,
        level: row.level,
        recommended_level: row.recommended_level,
        conclusion: row.conclusion,
        assessment: row.assessment,
        recommendation: row.recommendation,
        catalogue_version: row.catalogue_version,
        template_version: row.template_version,
        marks: marks
            .into_iter()
            .map(|m| MarkView {
                key: m.requirement_key,
                mark: m.mark.to_string(),
                reasoning: m.reasoning,
                columns: m
                    .report_columns
                    .and_then(|json| serde_json::from_str(&json).ok()),
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
    /// One mark per requirement of the product's checklist, every level (`GET
    /// /api/v1/requirements?catalogue=…` lists them).
    pub marks: Vec<MarkView>,
    #[schema(value_type = os2pm_levels::Level)]
    pub recommended_level: String,
    /// The resumé: the evaluation in brief.
    pub conclusion: String,
    /// The overall assessment (*overordnet vurdering*), as the report carries it.
    #[serde(default)]
    pub assessment: Option<String>,
    /// The recommendation (*anbefaling*) in the evaluator's words, beside `recommended_level`.
    #[serde(default)]
    pub recommendation: Option<String>,
    /// The evaluation template the marks follow (`0.9.2`, the default for a product pinned to
    /// the 2025 checklist); a report read back is checked against the one it names. Refused
    /// when os2pm does not know it or it evaluates against another catalogue than the product's.
    #[serde(default)]
    pub template_version: Option<String>,
}

/// Records a product's evaluation; a recommended level change becomes a proposal to the board.
pub fn evaluate(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
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
        let recommended = recommended.unwrap_or(loaded.level());
        let catalogue =
            os2pm_persistence::catalogue::load(conn, &loaded.product.catalogue_version)?;
        let keys: Vec<&str> = catalogue
            .requirements
            .iter()
            .map(|r| r.key.as_str())
            .collect();
        let template =
            Template::for_evaluation(request.template_version.as_deref(), &catalogue.version)
                .map_err(template_refusal("template_version"))?;
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
            id: crate::usecases::new_id(),
            product_id: id.to_owned(),
            period: request.period.clone(),
            level: loaded.level(),
            recommended_level: recommended,
            conclusion: request.conclusion.clone(),
            level_change_approval_id: approval.map(|a| a.id),
            created_by: caller.sub.clone(),
            created_at: os2pm_persistence::now(),
            assessment: request.assessment.clone(),
            recommendation: request.recommendation.clone(),
            catalogue_version: Some(catalogue.version.clone()),
            template_version: template.map(|t| t.version),
        };
        let mark_rows: Vec<MarkRow> = marks
            .iter()
            .zip(&request.marks)
            .map(|((key, mark, reasoning), sent)| MarkRow {
                evaluation_id: row.id.clone(),
                requirement_key: key.clone(),
                mark: *mark,
                reasoning: reasoning.clone(),
                report_columns: sent
                    .columns
                    .as_ref()
                    .and_then(|columns| serde_json::to_string(columns).ok()),
            })
            .collect();
        os2pm_persistence::evaluations::insert(conn, &row, &mark_rows)?;
        let location = format!("/api/v1/products/{id}/evaluations/{}", row.id);
        let view = evaluation_view(row, mark_rows, &catalogue);
        created(
            conn,
            caller,
            (
                "project",
                loaded.product.project_id.as_str(),
                "evaluation_recorded",
            ),
            location,
            &view,
        )
    })
}

/// A product's evaluations, oldest first.
pub fn list(
    conn: &mut DbConnection,
    id: &ProductId,
    audience: Audience,
) -> Result<Vec<Redacted<EvaluationView>>, ApiError> {
    let loaded = LoadedProduct::load(conn, id)?;
    os2pm_persistence::evaluations::for_product(conn, id)?
        .into_iter()
        .map(|(row, marks)| {
            let catalogue = catalogue_of(conn, &loaded, &row)?;
            Ok(audience.redacted(evaluation_view(row, marks, &catalogue)))
        })
        .collect()
}

/// One evaluation of a product, as `audience` may read it.
pub fn view(
    conn: &mut DbConnection,
    id: &ProductId,
    evaluation_id: &EvaluationId,
    audience: Audience,
) -> Result<Redacted<EvaluationView>, ApiError> {
    let (loaded, row, marks) = find(conn, id, evaluation_id)?;
    let catalogue = catalogue_of(conn, &loaded, &row)?;
    Ok(audience.redacted(evaluation_view(row, marks, &catalogue)))
}

fn find(
    conn: &mut DbConnection,
    id: &ProductId,
    evaluation_id: &EvaluationId,
) -> Result<(LoadedProduct, EvaluationRow, Vec<MarkRow>), ApiError> {
    let loaded = LoadedProduct::load(conn, id)?;
    let (row, marks) =
        os2pm_persistence::evaluations::find(conn, id, evaluation_id).map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound(format!(
                "product `{id}` has no evaluation `{evaluation_id}`"
            )),
            other => other.into(),
        })?;
    Ok((loaded, row, marks))
}

/// The checklist an evaluation was marked against.
fn catalogue_of(
    conn: &mut DbConnection,
    loaded: &LoadedProduct,
    row: &EvaluationRow,
) -> Result<Arc<Catalogue>, ApiError> {
    let version = row
        .catalogue_version
        .as_deref()
        .unwrap_or(&loaded.product.catalogue_version);
    Ok(os2pm_persistence::catalogue::load(conn, version)?)
}

/// One evaluation as the association's report (*evalueringsrapport*) in Markdown. The public
/// reads the evaluator as the business manager's office, the association by name.
pub fn report(
    conn: &mut DbConnection,
    id: &ProductId,
    evaluation_id: &EvaluationId,
    audience: Audience,
) -> Result<String, ApiError> {
    let (loaded, row, marks) = find(conn, id, evaluation_id)?;
    let catalogue = catalogue_of(conn, &loaded, &row)?;
    let checklist = (catalogue.version == STYRINGSMODEL_2025)
        .then(Checklist::styringsmodel_2025)
        .transpose()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let lines: Vec<report::Line> = catalogue
        .requirements
        .iter()
        .filter_map(|requirement| {
            let mark = marks
                .iter()
                .find(|m| m.requirement_key == requirement.key)?;
            // A mark read from a published report is written as that report wrote it.
            let columns: Vec<ReportColumn> = mark
                .report_columns
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            let column = |header: &str| {
                columns
                    .iter()
                    .find(|c| c.header == header)
                    .map(|c| c.text.clone())
            };
            let criterion = column("Vurderingskriterie").unwrap_or_else(|| {
                checklist
                    .as_ref()
                    .and_then(|c| c.item(&requirement.key))
                    .map(|item| format!("Standard: {}", item.guideline))
                    .unwrap_or_default()
            });
            Some(report::Line {
                id: requirement.key.clone(),
                level: requirement.level,
                theme: requirement.theme,
                requirement: column("Krav").unwrap_or_else(|| requirement.title_da.clone()),
                criterion,
                mark: mark.mark,
                basis: mark.reasoning.clone().unwrap_or_default(),
                columns: columns.into_iter().map(|c| (c.header, c.text)).collect(),
            })
        })
        .collect();
    let view = evaluation_view(row.clone(), marks, &catalogue);
    let total = view.counts.total;
    let evaluator = if audience.sees_people() {
        match people::find(conn, &row.created_by) {
            Ok(person) => person.name,
            Err(StoreError::NotFound) => row.created_by.clone(),
            Err(other) => return Err(other.into()),
        }
    } else {
        "Forretningslederen, OS2".to_owned()
    };
    let record = os2pm_persistence::projects::find(conn, &loaded.product.project_id)?;
    Ok(report::to_markdown(&report::Report {
        product: loaded.product.name.clone(),
        // Evaluations recorded before templates were versioned state the catalogue's.
        template_version: row
            .template_version
            .clone()
            .unwrap_or_else(|| catalogue.version.clone()),
        date: row.created_at.format("%d-%m-%Y").to_string(),
        evaluator,
        repository: repository(&record),
        summary: row.conclusion.clone(),
        assessment: row.assessment.clone().unwrap_or_else(|| {
            format!(
                "Samlet er {} af {} krav vurderet grønne, {} gule, {} røde og {} grå.",
                total.green,
                total.green + total.yellow + total.red + total.grey,
                total.yellow,
                total.red,
                total.grey
            )
        }),
        recommendation: row.recommendation.clone().unwrap_or_else(|| {
            format!(
                "Anbefalet niveau: {}. Vurderingerne alene bærer {}.",
                row.recommended_level,
                view.suggested_level
                    .map_or("intet niveau".to_owned(), |level| format!("niveau {level}"))
            )
        }),
        lines,
    }))
}

/// An evaluation as the product's latest self-assessment suggests it: the start an evaluator
/// adjusts mark by mark before recording it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationDraft {
    /// The self-assessment it starts from.
    pub self_assessment_id: String,
    pub filled_date: String,
    /// A mark for every requirement of the checklist, as the association maps answers: `Ja`
    /// green, `Planlagt` yellow, `Nej` and `Ved ikke` red, `Ikke relevant` grey; no answer red,
    /// "Ingen data i selvevalueringsrapport.". The basis is the answer's documentation.
    pub marks: Vec<MarkView>,
    pub counts: Counts,
    pub suggested_level: Option<Level>,
}

/// The draft of an evaluation from the product's latest self-assessment, which answers the 2025
/// checklist's items: a product pinned to the checklist takes each item's answer; one pinned to
/// 2016 takes, per requirement, the worst answer of the items that correspond to it.
pub fn draft(conn: &mut DbConnection, id: &ProductId) -> Result<EvaluationDraft, ApiError> {
    let loaded = LoadedProduct::load(conn, id)?;
    let checklist =
        Checklist::styringsmodel_2025().map_err(|e| ApiError::Internal(e.to_string()))?;
    let pinned_to_checklist = loaded.product.catalogue_version == STYRINGSMODEL_2025;
    let Some((assessment, answers)) = os2pm_persistence::self_assessments::latest(conn, id)? else {
        return Err(ApiError::Conflict(
            "no self-assessment has been imported for this product".into(),
        ));
    };
    let catalogue = os2pm_persistence::catalogue::load(conn, &loaded.product.catalogue_version)?;
    let mut placed = Vec::new();
    let marks = catalogue
        .requirements
        .iter()
        .map(|requirement| {
            // The requirement's own item, or (pinned to 2016) the items that correspond to it.
            let items: Vec<(&str, Mark, String)> = checklist
                .items
                .iter()
                .filter(|item| {
                    if pinned_to_checklist {
                        item.id == requirement.key
                    } else {
                        item.os2_2016.contains(&requirement.key)
                    }
                })
                .map(|item| {
                    let answer = answers.iter().find(|a| a.item_id == item.id);
                    let (mark, basis) = evaluation::mark_from_answer(
                        answer.and_then(|a| a.answer.as_deref()),
                        answer.and_then(|a| a.documentation.as_deref()),
                    );
                    (item.id.as_str(), mark, basis)
                })
                .collect();
            let (mark, basis) = evaluation::mark_from_items(&items);
            placed.push(evaluation::Marked {
                level: requirement.level,
                theme: requirement.theme,
                mark,
            });
            MarkView {
                key: requirement.key.clone(),
                mark: mark.to_string(),
                reasoning: Some(basis),
                columns: None,
            }
        })
        .collect();
    Ok(EvaluationDraft {
        self_assessment_id: assessment.id,
        filled_date: assessment.filled_date,
        marks,
        counts: evaluation::count(&placed).into(),
        suggested_level: evaluation::suggested_level(&placed),
    })
}

/// An evaluation, parsed: the recommended level (`None`: the product's own) and each mark as
/// the domain's values, in the request's order.
pub struct ParsedEvaluation {
    request: NewEvaluation,
    recommended: Option<Level>,
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
        if marks.len() != request.marks.len() {
            return problems.or_command(|| None);
        }
        problems.or_command(|| {
            Some(Self {
                recommended: Some(recommended?),
                marks,
                request,
            })
        })
    }
}

/// How a published report is recorded: the level recommended (default: the product's own, no
/// change proposed) and the period (default: the half-year of the report's date).
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    #[param(value_type = Option<os2pm_levels::Level>)]
    pub recommended_level: Option<String>,
    /// E.g. `2026-H2`.
    pub period: Option<String>,
}

impl ParsedEvaluation {
    /// A published report (*evalueringsrapport*) in Markdown, read by its tables: refused with
    /// every problem listed when a table cannot be read or its own count tables do not add up to
    /// the marks it holds.
    pub fn from_report(markdown: &str, query: ReportQuery) -> Result<Self, ApiError> {
        refuse_control_characters(markdown, query.period.as_deref())?;
        let read = report::read(markdown).map_err(|errors| {
            ApiError::Validation(
                errors
                    .iter()
                    .map(|e| FieldError::new("report", e.to_string()))
                    .collect(),
            )
        })?;
        let template = check_report(&read)?;
        let mut problems = Problems::default();
        let recommended = query
            .recommended_level
            .as_deref()
            .map(|level| problems.parse::<Level>("recommended_level", level));
        let period = query
            .period
            .filter(|p| !p.trim().is_empty())
            .or_else(|| read.date.as_deref().and_then(half_year))
            .unwrap_or_else(|| half_year_of(crate::usecases::board::today()));
        let marks: Vec<MarkView> = read
            .lines
            .iter()
            .map(|line| MarkView {
                key: line.id.clone(),
                mark: line.mark.to_string(),
                reasoning: Some(line.basis.clone()).filter(|b| !b.trim().is_empty()),
                columns: Some(
                    line.columns
                        .iter()
                        .map(|(header, text)| ReportColumn {
                            header: header.clone(),
                            text: text.clone(),
                        })
                        .collect(),
                ),
            })
            .collect();
        let request = NewEvaluation {
            period,
            recommended_level: String::new(),
            conclusion: Some(read.summary.clone())
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "Evalueringsrapport".into()),
            assessment: Some(read.assessment.clone()).filter(|s| !s.trim().is_empty()),
            recommendation: Some(read.recommendation.clone()).filter(|s| !s.trim().is_empty()),
            template_version: template.map(|t| t.version),
            marks,
        };
        let parsed_marks = read
            .lines
            .iter()
            .zip(&request.marks)
            .map(|(line, sent)| (line.id.clone(), line.mark, sent.reasoning.clone()))
            .collect();
        problems.or_command(|| {
            Some(Self {
                recommended: match recommended {
                    Some(level) => Some(level?),
                    None => None,
                },
                marks: parsed_marks,
                request,
            })
        })
    }
}

/// The input policy of the JSON bodies (`request::refuse_control_characters`), for a report and
/// its query.
fn refuse_control_characters(markdown: &str, period: Option<&str>) -> Result<(), ApiError> {
    if holds_control_characters(markdown) {
        return Err(ApiError::validation(
            "report",
            "the report holds a control character (only newline and tab are text)",
        ));
    }
    if period.is_some_and(holds_control_characters) {
        return Err(ApiError::validation(
            "period",
            "name the period without control characters, e.g. 2026-H2",
        ));
    }
    Ok(())
}

/// A template the request names that os2pm cannot use is a 422 on `field`; a bundled template
/// that cannot be read is the service's fault.
fn template_refusal(field: &'static str) -> impl Fn(TemplateError) -> ApiError {
    move |error| match error {
        TemplateError::Malformed(..) => ApiError::Internal(error.to_string()),
        refused => ApiError::validation(field, refused.to_string()),
    }
}

/// A report read back adds up and follows its template: its count tables and the counts its
/// text states match its marks, and its lines are the template's (the one it names, or the
/// current one), so that the evaluation, generated again, has the report's own tables.
fn check_report(read: &report::ReadReport) -> Result<Option<Template>, ApiError> {
    let template = Template::for_report(read.template_version.as_deref())
        .map_err(template_refusal("report"))?;
    let lines: Vec<_> = read
        .lines
        .iter()
        .map(|line| (line.id.as_str(), line.level, line.theme))
        .collect();
    let departures = template
        .as_ref()
        .map(|t| t.check(&lines))
        .unwrap_or_default();
    let differences: Vec<FieldError> = report::check_counts(read)
        .iter()
        .map(ToString::to_string)
        .chain(departures.iter().map(ToString::to_string))
        .map(|e| FieldError::new("report", e))
        .collect();
    if differences.is_empty() {
        Ok(template)
    } else {
        Err(ApiError::Validation(differences))
    }
}

/// `2026-H2` for a report dated `01-07-2026` or `2026-09-29`.
fn half_year(date: &str) -> Option<String> {
    ["%d-%m-%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|format| chrono::NaiveDate::parse_from_str(date.trim(), format).ok())
        .map(half_year_of)
}

fn half_year_of(date: chrono::NaiveDate) -> String {
    format!("{}-H{}", date.year(), if date.month() <= 6 { 1 } else { 2 })
}
