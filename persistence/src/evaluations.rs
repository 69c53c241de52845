//! Product evaluations and their marks.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{evaluation_marks, evaluations};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluations)]
pub struct EvaluationRow {
    pub id: String,
    pub product_id: String,
    pub period: String,
    pub level: String,
    pub recommended_level: String,
    pub conclusion: String,
    pub level_change_approval_id: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluation_marks)]
pub struct MarkRow {
    pub evaluation_id: String,
    pub requirement_key: String,
    pub mark: String,
    pub reasoning: Option<String>,
}

pub fn insert(
    conn: &mut DbConnection,
    evaluation: &EvaluationRow,
    marks: &[MarkRow],
) -> Result<(), StoreError> {
    diesel::insert_into(evaluations::table)
        .values(evaluation)
        .execute(conn)?;
    for mark in marks {
        diesel::insert_into(evaluation_marks::table)
            .values(mark)
            .execute(conn)?;
    }
    Ok(())
}

/// A product's evaluations with their marks, oldest first.
pub fn for_product(
    conn: &mut DbConnection,
    product_id: &str,
) -> Result<Vec<(EvaluationRow, Vec<MarkRow>)>, StoreError> {
    let rows: Vec<EvaluationRow> = evaluations::table
        .filter(evaluations::product_id.eq(product_id))
        .order(evaluations::id)
        .select(EvaluationRow::as_select())
        .load(conn)?;
    let mut result = Vec::with_capacity(rows.len());
    for row in rows {
        let marks = evaluation_marks::table
            .filter(evaluation_marks::evaluation_id.eq(&row.id))
            .order(evaluation_marks::requirement_key)
            .select(MarkRow::as_select())
            .load(conn)?;
        result.push((row, marks));
    }
    Ok(result)
}
