//! `GET /api/v1/products/{id}/publiccode.yml`: a product's metadata in the publiccode.yml
//! format (version 0.4) that public-sector software catalogues read.

use os2pm_persistence::projects::ProjectRecord;
use os2pm_persistence::{DbConnection, StoreError, organizations, products, projects};
use os2pm_products::{ProductId, ProductState};
use serde::Serialize;

use crate::error::ApiError;
use crate::usecases::privacy::Audience;

/// The requirement whose link is the repository (governance.md §3: source shared on a public site).
const REPOSITORY_REQUIREMENT: &str = "source_shared";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicCode {
    publiccode_yml_version: &'static str,
    name: String,
    url: String,
    release_date: String,
    platforms: Vec<&'static str>,
    categories: Vec<&'static str>,
    development_status: &'static str,
    software_type: &'static str,
    description: Descriptions,
    legal: Legal,
    maintenance: Maintenance,
    localisation: Localisation,
}

#[derive(Debug, Serialize)]
struct Descriptions {
    da: Description,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Description {
    short_description: String,
    long_description: String,
    features: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Legal {
    /// Not held by os2pm; the repository's licence file is authoritative.
    license: &'static str,
    main_copyright_owner: String,
    repo_owner: &'static str,
}

#[derive(Debug, Serialize)]
struct Maintenance {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contacts: Vec<Contact>,
}

#[derive(Debug, Serialize)]
struct Contact {
    name: String,
    email: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Localisation {
    localisation_ready: bool,
    available_languages: Vec<&'static str>,
}

/// The product's repository: the link recorded as `source_shared` evidence.
pub(crate) fn repository(record: &ProjectRecord) -> Option<String> {
    record
        .evidence
        .iter()
        .filter(|e| e.requirement_key == REPOSITORY_REQUIREMENT)
        .find_map(|e| e.link.clone())
}

/// The product's publiccode.yml (standard 0.4), from its project's description and evidence; it
/// needs a repository link. Its contact is named to the association only (a community-maintained
/// product needs none).
pub fn publiccode(
    conn: &mut DbConnection,
    id: &ProductId,
    audience: Audience,
) -> Result<PublicCode, ApiError> {
    let product = products::find(conn, id).map_err(|e| match e {
        StoreError::NotFound => ApiError::NotFound(format!("no product `{id}`")),
        other => other.into(),
    })?;
    let record = projects::find(conn, &product.project_id)?;
    let url = repository(&record).ok_or_else(|| {
        ApiError::Conflict(format!(
            "no repository link is recorded for `{REPOSITORY_REQUIREMENT}`: \
                 publiccode.yml needs one"
        ))
    })?;
    let owner = organizations::find(conn, &product.owner_organization_id)?;
    Ok(PublicCode {
        publiccode_yml_version: "0.4",
        name: product.name.clone(),
        url,
        release_date: product.created_at.date().to_string(),
        platforms: vec!["web"],
        categories: vec!["it-development"],
        development_status: if product.state == ProductState::Closed {
            "obsolete"
        } else {
            "stable"
        },
        software_type: "standalone/web",
        description: Descriptions {
            da: Description {
                short_description: record.project.summary.chars().take(150).collect(),
                long_description: format!(
                    "{}\n\n{}\n\n{}",
                    record.project.summary,
                    record.description.local_value,
                    record.description.value_for_others
                ),
                features: vec![format!("OS2-produkt på niveau {}", product.level)],
            },
        },
        legal: Legal {
            license: "NOASSERTION",
            main_copyright_owner: owner.name,
            repo_owner: "OS2 – Offentligt digitaliseringsfællesskab",
        },
        maintenance: Maintenance {
            kind: "community",
            contacts: audience
                .sees_people()
                .then(|| Contact {
                    name: record.description.contact_name.clone(),
                    email: record.description.contact_email.clone(),
                })
                .into_iter()
                .collect(),
        },
        localisation: Localisation {
            localisation_ready: false,
            available_languages: vec!["da"],
        },
    })
}
