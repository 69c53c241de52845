//! The requirement catalogue versions, stored as rows.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use diesel::prelude::*;
use os2pm_levels::{Catalogue, Requirement};

use crate::schema::{catalogue_versions, requirements};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = requirements)]
struct RequirementRow {
    catalogue_version: String,
    key: String,
    position: i32,
    level: String,
    max_level: Option<String>,
    theme: String,
    kind: String,
    gate: String,
    title_da: String,
    title_en: String,
    not_applicable_allowed: bool,
    per_organization: bool,
    minimum: Option<i64>,
    recommended: bool,
    computed_as: Option<String>,
    not_for_adoptions: Option<String>,
}

impl RequirementRow {
    fn new(version: &str, position: usize, r: &Requirement) -> Result<Self, StoreError> {
        Ok(Self {
            catalogue_version: version.to_owned(),
            key: r.key.clone(),
            position: i32::try_from(position).map_err(|e| StoreError::Seed(e.to_string()))?,
            level: r.level.to_string(),
            max_level: r.max_level.map(|l| l.to_string()),
            theme: r.theme.to_string(),
            kind: r.kind.to_string(),
            gate: r.gate.to_string(),
            title_da: r.title_da.clone(),
            title_en: r.title_en.clone(),
            not_applicable_allowed: r.not_applicable_allowed,
            per_organization: r.per_organization,
            minimum: r.minimum,
            recommended: r.recommended,
            computed_as: r.computed_as.clone(),
            not_for_adoptions: r.not_for_adoptions.clone(),
        })
    }

    fn into_requirement(self) -> Result<Requirement, StoreError> {
        let corrupt = |e: os2pm_levels::UnknownValue| {
            StoreError::Seed(format!("requirement {}: {e}", self.key))
        };
        Ok(Requirement {
            level: self.level.parse().map_err(corrupt)?,
            max_level: self
                .max_level
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(corrupt)?,
            theme: self.theme.parse().map_err(corrupt)?,
            kind: self.kind.parse().map_err(corrupt)?,
            gate: self.gate.parse().map_err(corrupt)?,
            key: self.key,
            title_da: self.title_da,
            title_en: self.title_en,
            not_applicable_allowed: self.not_applicable_allowed,
            per_organization: self.per_organization,
            minimum: self.minimum,
            recommended: self.recommended,
            computed_as: self.computed_as,
            not_for_adoptions: self.not_for_adoptions,
        })
    }
}

/// Stores a catalogue version unless it is there already. Versions are immutable: a stored
/// version is never rewritten, a changed catalogue is a new version.
pub fn insert_if_missing(
    conn: &mut DbConnection,
    catalogue: &Catalogue,
) -> Result<bool, StoreError> {
    let exists = catalogue_versions::table
        .find(&catalogue.version)
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(catalogue_versions::table)
        .values((
            catalogue_versions::version.eq(&catalogue.version),
            catalogue_versions::title.eq(&catalogue.title),
            catalogue_versions::levels.eq(catalogue
                .levels
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(",")),
            catalogue_versions::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    for (position, requirement) in catalogue.requirements.iter().enumerate() {
        diesel::insert_into(requirements::table)
            .values(RequirementRow::new(
                &catalogue.version,
                position,
                requirement,
            )?)
            .execute(conn)?;
    }
    Ok(true)
}

/// Loads one stored catalogue version.
///
/// A version never changes once stored (seeding only adds missing versions; a changed checklist
/// is a new version), and every database the process serves is seeded with the same bundled
/// versions when it starts. So a version is read from the database once per process and kept;
/// a version that is not stored is looked for every time, and not found.
pub fn load(conn: &mut DbConnection, version: &str) -> Result<Arc<Catalogue>, StoreError> {
    static KNOWN: RwLock<BTreeMap<String, Arc<Catalogue>>> = RwLock::new(BTreeMap::new());
    if let Some(catalogue) = KNOWN
        .read()
        .ok()
        .and_then(|known| known.get(version).cloned())
    {
        return Ok(catalogue);
    }
    let (title, levels) = catalogue_versions::table
        .find(version)
        .select((catalogue_versions::title, catalogue_versions::levels))
        .first::<(String, String)>(conn)?;
    let levels = levels
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|e| StoreError::Seed(format!("catalogue {version}: {e}")))?;
    let requirements = requirements::table
        .filter(requirements::catalogue_version.eq(version))
        .order(requirements::position)
        .select(RequirementRow::as_select())
        .load::<RequirementRow>(conn)?
        .into_iter()
        .map(RequirementRow::into_requirement)
        .collect::<Result<_, _>>()?;
    let catalogue = Arc::new(Catalogue {
        version: version.to_owned(),
        title,
        levels,
        requirements,
    });
    if let Ok(mut known) = KNOWN.write() {
        known.insert(version.to_owned(), catalogue.clone());
    }
    Ok(catalogue)
}

/// The stored versions, oldest first.
pub fn versions(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    Ok(catalogue_versions::table
        .order((catalogue_versions::created_at, catalogue_versions::version))
        .select(catalogue_versions::version)
        .load(conn)?)
}
