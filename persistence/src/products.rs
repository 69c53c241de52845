//! Products: live solutions followed by a coordination group.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use os2pm_levels::Level;
use os2pm_products::{ProductId, ProductState};

use os2pm_projects::ProjectId;

use crate::schema::{budget_frames, organizations, products};
use crate::stored::Stored;
use crate::{DbConnection, StoreError, like_pattern};

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, serde::Deserialize,
)]
#[diesel(table_name = products)]
#[diesel(treat_none_as_null = true)]
pub struct ProductRow {
    #[diesel(serialize_as = Stored<ProductId>)]
    pub id: ProductId,
    /// The project (or adoption) it came from: its evidence and history.
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub name: String,
    #[diesel(serialize_as = Stored<Level>)]
    pub level: Level,
    pub catalogue_version: String,
    #[diesel(serialize_as = Stored<ProductState>)]
    pub state: ProductState,
    pub owner_organization_id: String,
    pub closed_reason: Option<String>,
    pub search_text: String,
    pub version: i64,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub created_at: NaiveDateTime,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub updated_at: NaiveDateTime,
}

impl ProductRow {
    /// Stores the state the domain decided the product is in now.
    pub fn move_to(&mut self, state: ProductState) {
        self.state = state;
    }
}

pub fn insert(conn: &mut DbConnection, product: &ProductRow) -> Result<(), StoreError> {
    diesel::insert_into(products::table)
        .values(product.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &ProductId) -> Result<ProductRow, StoreError> {
    Ok(products::table
        .find(id.as_str())
        .select(ProductRow::as_select())
        .first(conn)?)
}

pub fn for_project(
    conn: &mut DbConnection,
    project_id: &ProjectId,
) -> Result<Option<ProductRow>, StoreError> {
    Ok(products::table
        .filter(products::project_id.eq(project_id.as_str()))
        .select(ProductRow::as_select())
        .first(conn)
        .optional()?)
}

/// Writes a changed product when its version is still `expected`; `Stale` otherwise.
pub fn update(
    conn: &mut DbConnection,
    expected: i64,
    product: &ProductRow,
) -> Result<i64, StoreError> {
    let mut changed = product.clone();
    changed.version = expected + 1;
    changed.updated_at = crate::now();
    let rows = diesel::update(
        products::table
            .find(product.id.as_str())
            .filter(products::version.eq(expected)),
    )
    .set(changed)
    .execute(conn)?;
    if rows == 0 {
        return Err(StoreError::Stale);
    }
    Ok(expected + 1)
}

#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub state: Option<ProductState>,
    pub level: Option<Level>,
    pub owner_organization_id: Option<String>,
    pub text: Option<String>,
}

/// One page, newest first, each product with its owner's code.
pub fn list(
    conn: &mut DbConnection,
    filter: &ProductFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(ProductRow, Option<String>)>, StoreError> {
    let mut query = products::table
        .inner_join(organizations::table)
        .select((ProductRow::as_select(), organizations::code))
        .order(products::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(products::state.eq(Stored(state)));
    }
    if let Some(level) = filter.level {
        query = query.filter(products::level.eq(Stored(level)));
    }
    if let Some(owner) = &filter.owner_organization_id {
        query = query.filter(products::owner_organization_id.eq(owner.clone()));
    }
    if let Some(text) = &filter.text {
        let pattern = like_pattern(&text.to_lowercase());
        query = query.filter(products::search_text.like(pattern).escape('\\'));
    }
    if let Some(after) = after {
        query = query.filter(products::id.lt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// Every product with its owner's code, oldest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<(ProductRow, Option<String>)>, StoreError> {
    Ok(products::table
        .inner_join(organizations::table)
        .order(products::id)
        .select((ProductRow::as_select(), organizations::code))
        .load(conn)?)
}

/// The yearly budget frame in force for the product of `project_id` (keyed by the project, as
/// its groups are), if one was set.
pub fn budget_frame(
    conn: &mut DbConnection,
    project_id: &ProjectId,
) -> Result<Option<i64>, StoreError> {
    Ok(budget_frames::table
        .find(project_id.as_str())
        .select(budget_frames::yearly_budget_frame_dkk)
        .first(conn)
        .optional()?)
}

/// Puts `frame_dkk` in force as the yearly budget frame of the product of `project_id`.
pub fn set_budget_frame(
    conn: &mut DbConnection,
    project_id: &ProjectId,
    frame_dkk: i64,
) -> Result<(), StoreError> {
    let now = crate::now();
    diesel::delete(budget_frames::table.find(project_id.as_str())).execute(conn)?;
    diesel::insert_into(budget_frames::table)
        .values((
            budget_frames::project_id.eq(project_id.as_str()),
            budget_frames::yearly_budget_frame_dkk.eq(frame_dkk),
            budget_frames::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
