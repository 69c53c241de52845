//! Organisations: rows, inserts and the paged, filtered listing.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use parking_lot::RwLock;

use os2pm_groups::organizations::OrganizationKind;

use crate::schema::organizations;
use crate::stored::Stored;
use crate::{DbConnection, StoreError, like_pattern};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Deserialize)]
#[diesel(table_name = organizations)]
pub struct OrganizationRow {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub kind: OrganizationKind,
    pub cvr: Option<String>,
    pub region_code: Option<String>,
    pub version: i64,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub created_at: NaiveDateTime,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub updated_at: NaiveDateTime,
}

/// A new organisation; `search_text` and the timestamps are filled in by [`insert`].
#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub kind: OrganizationKind,
    pub cvr: Option<String>,
    pub region_code: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct OrganizationFilter {
    pub kind: Option<OrganizationKind>,
    /// Free text over name and code, case-insensitive on both backends.
    pub text: Option<String>,
}

/// The position after which a page starts: the sort key of the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationCursor {
    pub name: String,
    pub id: String,
}

/// Adds an organisation. There is no update or delete: [`Directory`] relies on that.
pub fn insert(
    conn: &mut DbConnection,
    new: &NewOrganization,
) -> Result<OrganizationRow, StoreError> {
    let now = crate::now();
    let search = crate::search_text(&[&new.name, new.code.as_deref().unwrap_or_default()]);
    diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(&new.id),
            organizations::code.eq(&new.code),
            organizations::name.eq(&new.name),
            organizations::kind.eq(Stored(new.kind)),
            organizations::cvr.eq(&new.cvr),
            organizations::region_code.eq(&new.region_code),
            organizations::search_text.eq(search),
            organizations::version.eq(1),
            organizations::created_at.eq(now),
            organizations::updated_at.eq(now),
        ))
        .execute(conn)?;
    find(conn, &new.id)
}

/// Finds an organisation by its id or by its code (kommunekode, region code, short name).
pub fn find(conn: &mut DbConnection, id_or_code: &str) -> Result<OrganizationRow, StoreError> {
    Ok(organizations::table
        .filter(
            organizations::id
                .eq(id_or_code)
                .or(organizations::code.eq(id_or_code)),
        )
        .select(OrganizationRow::as_select())
        .first(conn)?)
}

/// The organisations any of `ids_or_codes` names, in one query; those named by none are left out.
pub fn find_all(
    conn: &mut DbConnection,
    ids_or_codes: &[String],
) -> Result<Vec<OrganizationRow>, StoreError> {
    Ok(organizations::table
        .filter(
            organizations::id
                .eq_any(ids_or_codes)
                .or(organizations::code.eq_any(ids_or_codes)),
        )
        .select(OrganizationRow::as_select())
        .load(conn)?)
}

/// Organisations as read, by id and by code, for one database. An organisation is written once
/// and never changed or removed (nothing updates or deletes one), so a row read once stays
/// true; a name not found is looked up again each time, since it may be added later.
#[derive(Debug, Default)]
pub struct Directory {
    known: RwLock<HashMap<String, OrganizationRow>>,
}

impl Directory {
    /// [`find_all`], without a query when every name has been read before.
    pub fn find_all(
        &self,
        conn: &mut DbConnection,
        ids_or_codes: &[String],
    ) -> Result<Vec<OrganizationRow>, StoreError> {
        let remembered: Option<Vec<OrganizationRow>> = {
            let known = self.known.read();
            ids_or_codes
                .iter()
                .map(|name| known.get(name).cloned())
                .collect()
        };
        if let Some(mut rows) = remembered {
            rows.sort_by(|a, b| a.id.cmp(&b.id));
            rows.dedup_by(|a, b| a.id == b.id);
            return Ok(rows);
        }
        let rows = find_all(conn, ids_or_codes)?;
        let mut known = self.known.write();
        for row in &rows {
            known.insert(row.id.clone(), row.clone());
            if let Some(code) = &row.code {
                known.insert(code.clone(), row.clone());
            }
        }
        Ok(rows)
    }
}

/// One page in (name, id) order, at most `limit` rows, starting after `after`.
pub fn list(
    conn: &mut DbConnection,
    filter: &OrganizationFilter,
    after: Option<&OrganizationCursor>,
    limit: i64,
) -> Result<Vec<OrganizationRow>, StoreError> {
    let mut query = organizations::table
        .select(OrganizationRow::as_select())
        .order((organizations::name, organizations::id))
        .limit(limit)
        .into_boxed();
    if let Some(kind) = filter.kind {
        query = query.filter(organizations::kind.eq(Stored(kind)));
    }
    if let Some(text) = &filter.text {
        let pattern = like_pattern(&text.to_lowercase());
        query = query.filter(organizations::search_text.like(pattern).escape('\\'));
    }
    if let Some(cursor) = after {
        query = query.filter(
            organizations::name
                .gt(cursor.name.clone())
                .or(organizations::name
                    .eq(cursor.name.clone())
                    .and(organizations::id.gt(cursor.id.clone()))),
        );
    }
    Ok(query.load(conn)?)
}

/// How many organisations of `kind` exist.
pub fn count_of_kind(conn: &mut DbConnection, kind: OrganizationKind) -> Result<i64, StoreError> {
    Ok(organizations::table
        .filter(organizations::kind.eq(Stored(kind)))
        .count()
        .get_result(conn)?)
}

/// The codes already taken, to seed only what is missing.
pub fn existing_codes(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    Ok(organizations::table
        .filter(organizations::code.is_not_null())
        .select(organizations::code.assume_not_null())
        .load(conn)?)
}

/// Every organisation's name by the key the API shows for it: its code, or its id when it has
/// none.
pub fn names(
    conn: &mut DbConnection,
) -> Result<std::collections::HashMap<String, String>, StoreError> {
    let rows: Vec<(String, Option<String>, String)> = organizations::table
        .select((organizations::id, organizations::code, organizations::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| (code.unwrap_or(id), name))
        .collect())
}
