//! People: the `sub` of their tokens, a name and an organisation.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::people;
use crate::{DbConnection, StoreError};

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = people)]
pub struct PersonRow {
    pub id: String,
    pub sub: String,
    pub name: String,
    pub organization_id: String,
    pub email: Option<String>,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub created_at: NaiveDateTime,
}

/// A group seat or membership as a view shows it: the organisation holding it, by id and by
/// label (its kommunekode, or its id), and the person representing it. Read in one query with
/// the seats, not one query per seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representation {
    pub organization_id: String,
    pub organization: String,
    pub person: PersonRow,
}

impl Representation {
    pub(crate) fn of((organization_id, code, person): (String, Option<String>, PersonRow)) -> Self {
        Self {
            organization: code.unwrap_or_else(|| organization_id.clone()),
            organization_id,
            person,
        }
    }
}

pub fn insert(conn: &mut DbConnection, person: &PersonRow) -> Result<(), StoreError> {
    diesel::insert_into(people::table)
        .values(person)
        .execute(conn)?;
    Ok(())
}

/// A person by id or by token subject.
pub fn find(conn: &mut DbConnection, id_or_sub: &str) -> Result<PersonRow, StoreError> {
    Ok(people::table
        .filter(people::id.eq(id_or_sub).or(people::sub.eq(id_or_sub)))
        .select(PersonRow::as_select())
        .first(conn)?)
}

/// One page in id order, after `after`.
pub fn list(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<PersonRow>, StoreError> {
    let mut query = people::table
        .select(PersonRow::as_select())
        .order(people::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(people::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}
