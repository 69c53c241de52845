//! Imported self-assessments: the original file and each item's answer.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use os2pm_products::ProductId;

use crate::schema::{self_assessment_answers, self_assessments};
use crate::stored::Stored;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = self_assessments)]
pub struct SelfAssessmentRow {
    pub id: String,
    #[diesel(serialize_as = Stored<ProductId>)]
    pub product_id: ProductId,
    pub checklist_version: String,
    pub product_name: String,
    pub filled_by: String,
    pub filled_date: String,
    pub generated_at: Option<String>,
    /// The file exactly as it was sent.
    pub original: String,
    pub imported_by: String,
    pub imported_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = self_assessment_answers)]
pub struct AnswerRow {
    pub self_assessment_id: String,
    pub item_id: String,
    pub answer: Option<String>,
    pub documentation: Option<String>,
}

pub fn insert(
    conn: &mut DbConnection,
    assessment: &SelfAssessmentRow,
    answers: &[AnswerRow],
) -> Result<(), StoreError> {
    diesel::insert_into(self_assessments::table)
        .values(assessment.clone())
        .execute(conn)?;
    for answer in answers {
        diesel::insert_into(self_assessment_answers::table)
            .values(answer)
            .execute(conn)?;
    }
    Ok(())
}

/// The product's latest self-assessment and its answers.
pub fn latest(
    conn: &mut DbConnection,
    product_id: &ProductId,
) -> Result<Option<(SelfAssessmentRow, Vec<AnswerRow>)>, StoreError> {
    let Some(assessment) = self_assessments::table
        .filter(self_assessments::product_id.eq(product_id.as_str()))
        .order((
            self_assessments::imported_at.desc(),
            self_assessments::id.desc(),
        ))
        .select(SelfAssessmentRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let answers = self_assessment_answers::table
        .filter(self_assessment_answers::self_assessment_id.eq(&assessment.id))
        .select(AnswerRow::as_select())
        .load(conn)?;
    Ok(Some((assessment, answers)))
}
