//! Reading products: the list, and one product's view.

use os2pm_levels::Level;
use os2pm_persistence::products::{self as store, ProductFilter};
use os2pm_persistence::{DbConnection, organizations};
use os2pm_products::{ProductId, ProductState};
use os2pm_projects::ProjectId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::request::Problems;
use crate::usecases::privacy::{Audience, Redacted};
use crate::usecases::products::{LoadedProduct, ProductView};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// `active` or `closed`.
    #[param(value_type = Option<os2pm_products::ProductState>)]
    pub state: Option<String>,
    /// `N1`, `N2` or `N3`.
    #[param(value_type = Option<os2pm_levels::Level>)]
    pub level: Option<String>,
    /// The owner organisation (kommunekode or id).
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub organization: Option<String>,
    /// Free text over the name.
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub q: Option<String>,
}

/// A product in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: ProductId,
    pub project_id: ProjectId,
    pub name: String,
    pub level: Level,
    pub state: ProductState,
    pub owner_organization: String,
}

/// Up to `limit` products after the cursor `after`, newest first.
pub fn list(
    conn: &mut DbConnection,
    search: ProductSearch,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ProductSummary>, ApiError> {
    let query = search;
    let owner_organization_id = match &query.organization {
        Some(org) => Some(
            organizations::find(conn, org)
                .map_err(|_| {
                    ApiError::validation(
                        "organization",
                        format!("`{org}` is not a known organisation"),
                    )
                })?
                .id,
        ),
        None => None,
    };
    let filter = ProductFilter {
        state: query.state,
        level: query.level,
        owner_organization_id,
        text: query.q.filter(|q| !q.trim().is_empty()),
    };
    Ok(store::list(conn, &filter, after, limit)?
        .into_iter()
        .map(|(p, owner)| ProductSummary {
            owner_organization: owner.unwrap_or_else(|| p.owner_organization_id.clone()),
            id: p.id,
            project_id: p.project_id,
            name: p.name,
            level: p.level,
            state: p.state,
        })
        .collect())
}

/// A product's view and version, with the caller's actions, as the caller may read it.
pub fn view(
    conn: &mut DbConnection,
    caller: Option<&Caller>,
    id: &ProductId,
) -> Result<(i64, Redacted<ProductView>), ApiError> {
    let loaded = LoadedProduct::load(conn, id)?;
    let view = loaded.view(conn, caller)?;
    Ok((loaded.product.version, Audience::of(caller).redacted(view)))
}

/// A search of the products, parsed.
pub struct ProductSearch {
    state: Option<ProductState>,
    level: Option<Level>,
    organization: Option<String>,
    q: Option<String>,
}

impl TryFrom<ProductQuery> for ProductSearch {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(query: ProductQuery) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        let state = problems.parse_optional("state", query.state.as_deref());
        let level = problems.parse_optional("level", query.level.as_deref());
        problems.or_command(|| {
            Some(Self {
                state,
                level,
                organization: query.organization,
                q: query.q,
            })
        })
    }
}
