//! Product evaluations and their marks.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use os2pm_levels::Level;
use os2pm_products::{EvaluationId, Mark, ProductId};
use os2pm_projects::ApprovalId;

use crate::schema::{evaluation_marks, evaluations};
use crate::stored::{MaybeStored, Stored};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = evaluations)]
pub struct EvaluationRow {
    #[diesel(serialize_as = Stored<EvaluationId>)]
    pub id: EvaluationId,
    #[diesel(serialize_as = Stored<ProductId>)]
    pub product_id: ProductId,
    pub period: String,
    #[diesel(serialize_as = Stored<Level>)]
    pub level: Level,
    #[diesel(serialize_as = Stored<Level>)]
    pub recommended_level: Level,
    pub conclusion: String,
    #[diesel(serialize_as = MaybeStored<ApprovalId>)]
    pub level_change_approval_id: Option<ApprovalId>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// The overall assessment (*overordnet vurdering*).
    pub assessment: Option<String>,
    /// The recommendation (*anbefaling*) in the evaluator's words.
    pub recommendation: Option<String>,
    /// The checklist version (template) the marks are against; `None` before it was recorded.
    pub catalogue_version: Option<String>,
    /// The template version a report read back states (`0.9.2`), as it wrote it.
    pub template_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluation_marks)]
pub struct MarkRow {
    #[diesel(serialize_as = Stored<EvaluationId>)]
    pub evaluation_id: EvaluationId,
    pub requirement_key: String,
    #[diesel(serialize_as = Stored<Mark>)]
    pub mark: Mark,
    pub reasoning: Option<String>,
    /// For a mark read from a published report: its row's columns, as JSON.
    pub report_columns: Option<String>,
}

pub fn insert(
    conn: &mut DbConnection,
    evaluation: &EvaluationRow,
    marks: &[MarkRow],
) -> Result<(), StoreError> {
    diesel::insert_into(evaluations::table)
        .values(evaluation.clone())
        .execute(conn)?;
    for mark in marks {
        diesel::insert_into(evaluation_marks::table)
            .values(mark.clone())
            .execute(conn)?;
    }
    Ok(())
}

/// One of a product's evaluations with its marks.
pub fn find(
    conn: &mut DbConnection,
    product_id: &ProductId,
    id: &EvaluationId,
) -> Result<(EvaluationRow, Vec<MarkRow>), StoreError> {
    let row: EvaluationRow = evaluations::table
        .filter(evaluations::product_id.eq(product_id.as_str()))
        .filter(evaluations::id.eq(id.as_str()))
        .select(EvaluationRow::as_select())
        .first(conn)?;
    let marks = marks_of(conn, &row.id)?;
    Ok((row, marks))
}

fn marks_of(
    conn: &mut DbConnection,
    evaluation_id: &EvaluationId,
) -> Result<Vec<MarkRow>, StoreError> {
    Ok(evaluation_marks::table
        .filter(evaluation_marks::evaluation_id.eq(evaluation_id.as_str()))
        .order(evaluation_marks::requirement_key)
        .select(MarkRow::as_select())
        .load(conn)?)
}

/// A product's evaluations with their marks, oldest first.
pub fn for_product(
    conn: &mut DbConnection,
    product_id: &ProductId,
) -> Result<Vec<(EvaluationRow, Vec<MarkRow>)>, StoreError> {
    let rows: Vec<EvaluationRow> = evaluations::table
        .filter(evaluations::product_id.eq(product_id.as_str()))
        .order(evaluations::id)
        .select(EvaluationRow::as_select())
        .load(conn)?;
    let mut result = Vec::with_capacity(rows.len());
    for row in rows {
        let marks = marks_of(conn, &row.id)?;
        result.push((row, marks));
    }
    Ok(result)
}
