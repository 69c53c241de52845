//! Reference data, seeded on every start and idempotent: only what is missing is added.

use diesel::Connection;
use os2pm_groups::organizations::{OrganizationKind, check_kommunekode};
use os2pm_levels::Catalogue;
use serde::Deserialize;

use crate::organizations::{self, NewOrganization};
use crate::{DbConnection, StoreError, catalogue};

/// The 98 municipalities with their regions (copied from the association's data).
const MUNICIPALITIES_CSV: &str = include_str!("../seed/municipalities.csv");

/// The associations every installation knows; their code is their short name.
const ASSOCIATIONS: [(&str, &str); 3] = [
    ("kl", "KL (Kommunernes Landsforening)"),
    ("kombit", "KOMBIT"),
    ("os2", "OS2 – Offentligt digitaliseringsfællesskab"),
];

#[derive(Debug, Deserialize)]
struct MunicipalityRecord {
    kommunekode: String,
    name: String,
    region_code: String,
    region_name: String,
}

/// What seeding added.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Seeded {
    pub organizations: usize,
    pub catalogue_versions: usize,
}

/// The reference organisations: regions, municipalities and associations.
fn reference_organizations() -> Result<Vec<NewOrganization>, StoreError> {
    let mut reader = csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes());
    let mut regions: Vec<NewOrganization> = Vec::new();
    let mut municipalities = Vec::new();
    for record in reader.deserialize::<MunicipalityRecord>() {
        let record = record.map_err(|e| StoreError::Seed(format!("municipalities.csv: {e}")))?;
        check_kommunekode(&record.kommunekode)
            .map_err(|e| StoreError::Seed(format!("{}: {e}", record.kommunekode)))?;
        if !regions
            .iter()
            .any(|r| r.code.as_deref() == Some(&record.region_code))
        {
            regions.push(new_organization(
                &record.region_code,
                &record.region_name,
                OrganizationKind::Region,
                None,
            ));
        }
        municipalities.push(new_organization(
            &record.kommunekode,
            &record.name,
            OrganizationKind::Municipality,
            Some(record.region_code),
        ));
    }
    let associations = ASSOCIATIONS
        .iter()
        .map(|(code, name)| new_organization(code, name, OrganizationKind::Association, None));
    Ok(regions
        .into_iter()
        .chain(municipalities)
        .chain(associations)
        .collect())
}

fn new_organization(
    code: &str,
    name: &str,
    kind: OrganizationKind,
    region_code: Option<String>,
) -> NewOrganization {
    NewOrganization {
        id: uuid::Uuid::new_v4().to_string(),
        code: Some(code.to_owned()),
        name: name.to_owned(),
        kind,
        cvr: None,
        region_code,
    }
}

/// Adds the missing reference data in one transaction.
pub fn run(conn: &mut DbConnection) -> Result<Seeded, StoreError> {
    let organizations = reference_organizations()?;
    let catalogues = Catalogue::bundled().map_err(|e| StoreError::Seed(e.to_string()))?;
    conn.transaction(|conn| {
        let mut seeded = Seeded::default();
        let existing = organizations::existing_codes(conn)?;
        for organization in &organizations {
            if !existing
                .iter()
                .any(|code| Some(code) == organization.code.as_ref())
            {
                organizations::insert(conn, organization)?;
                seeded.organizations += 1;
            }
        }
        for catalogue in &catalogues {
            if catalogue::insert_if_missing(conn, catalogue)? {
                seeded.catalogue_versions += 1;
            }
        }
        if seeded != Seeded::default() {
            tracing::info!(?seeded, "seeded reference data");
        }
        Ok(seeded)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_data_has_98_municipalities_in_5_regions() {
        let organizations = reference_organizations().unwrap_or_else(|e| panic!("{e}"));
        let count =
            |kind: OrganizationKind| organizations.iter().filter(|o| o.kind == kind).count();
        assert_eq!(count(OrganizationKind::Municipality), 98);
        assert_eq!(count(OrganizationKind::Region), 5);
        assert_eq!(count(OrganizationKind::Association), 3);
    }
}
