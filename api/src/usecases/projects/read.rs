//! Reading projects: the portfolio list, and one project's view (from the view cache when current).

use std::sync::Arc;

use actix_web::http::header::{EntityTag, IfNoneMatch};
use actix_web::web::Bytes;
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_persistence::projects::{self as store, ProjectFilter};
use os2pm_projects::{Kind, ProjectId, State};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::request::{Problems, already_has};
use crate::usecases::board::today;
use crate::usecases::privacy::Audience;
use crate::usecases::projects::ActionInputs;
use crate::usecases::projects::view::ProjectSummary;
use crate::usecases::projects::{Loaded, not_found, resolve_organization, with_actions};
use crate::view_cache::{CachedProject, ProjectViews, ViewKey};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Only projects in this state.
    #[param(value_type = Option<os2pm_projects::State>)]
    pub state: Option<String>,
    /// `N1`, `N2` or `N3`.
    #[param(value_type = Option<os2pm_levels::Level>)]
    pub level: Option<String>,
    /// `project` or `adoption`.
    #[param(value_type = Option<os2pm_projects::Kind>)]
    pub kind: Option<String>,
    /// An organisation (kommunekode or id): the projects it owns or participates in.
    #[param(example = "751")]
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub organization: Option<String>,
    /// Free text over title and summary, case-insensitive.
    #[serde(default, deserialize_with = "crate::request::empty_as_none")]
    pub q: Option<String>,
}

/// A search of the portfolio, parsed.
pub struct ProjectSearch {
    state: Option<State>,
    level: Option<Level>,
    kind: Option<Kind>,
    organization: Option<String>,
    q: Option<String>,
}

impl TryFrom<ProjectQuery> for ProjectSearch {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(query: ProjectQuery) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        let state = problems.parse_optional("state", query.state.as_deref());
        let kind = problems.parse_optional("kind", query.kind.as_deref());
        let level = problems.parse_optional("level", query.level.as_deref());
        problems.or_command(|| {
            Some(Self {
                state,
                level,
                kind,
                organization: query.organization,
                q: query.q,
            })
        })
    }
}

/// Up to `limit` projects of the portfolio after the cursor `after`, newest first.
pub fn list(
    conn: &mut DbConnection,
    search: ProjectSearch,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ProjectSummary>, ApiError> {
    let query = search;
    let organization_id = match &query.organization {
        Some(org) => Some(resolve_organization(conn, "organization", org)?.id),
        None => None,
    };
    let filter = ProjectFilter {
        state: query.state,
        level: query.level,
        kind: query.kind,
        organization_id,
        text: query.q.filter(|q| !q.trim().is_empty()),
    };
    Ok(store::list(conn, &filter, after, limit)?
        .into_iter()
        .map(|(p, owner)| ProjectSummary {
            owner_organization: owner.unwrap_or_else(|| p.owner_organization_id.clone()),
            id: p.id,
            title: p.title,
            summary: p.summary,
            kind: p.kind,
            state: p.state,
            level: p.level,
            intended_funding: p.intended_funding,
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
        })
        .collect())
}

/// A project as a reader asked for it: `None` when `known` is still current.
pub struct Read {
    pub tag: EntityTag,
    pub body: Option<Bytes>,
}

/// One project's view for `caller` (anyone's view without one), from the view cache when it
/// is current; nothing but the tag when the reader's `known` ETag is current.
pub fn read(
    conn: &mut DbConnection,
    views: &ProjectViews,
    caller: Option<&Caller>,
    id: &ProjectId,
    known: Option<&IfNoneMatch>,
) -> Result<Read, ApiError> {
    let day = today();
    // With an ETag to compare or a view kept, the stamp alone may answer (one indexed read);
    // otherwise the view is built at once, its stamp read in the same statement as its rows.
    if known.is_some() || views.holds(id) {
        let key = ViewKey {
            stamp: store::view_stamp(conn, id).map_err(|e| not_found(id, e))?,
            day,
        };
        let tag = key.etag();
        if already_has(known, &tag) {
            return Ok(Read { tag, body: None });
        }
        if let Some(entry) = views.get(id, &key) {
            return answer(kept_body(&entry, caller)?, &entry.actions, caller, tag);
        }
    }
    let (loaded, stamp) = Loaded::load_stamped(conn, id)?;
    let key = ViewKey { stamp, day };
    let (entry, body) = CachedProject::new(
        key,
        loaded.view_without_actions(),
        loaded.action_inputs(),
        Audience::of(caller),
    )
    .map_err(internal)?;
    let entry = Arc::new(entry);
    views.insert(id, entry.clone());
    answer(body, &entry.actions, caller, key.etag())
}

fn internal(error: serde_json::Error) -> ApiError {
    ApiError::Internal(format!("project view: {error}"))
}

/// A kept view's JSON as `caller` may read it.
fn kept_body(entry: &CachedProject, caller: Option<&Caller>) -> Result<Bytes, ApiError> {
    entry.body(Audience::of(caller)).map_err(internal)
}

/// A view's JSON as `caller` reads it, with their `_actions`.
fn answer(
    body: Bytes,
    actions: &ActionInputs,
    caller: Option<&Caller>,
    tag: EntityTag,
) -> Result<Read, ApiError> {
    let body = match caller {
        None => body,
        Some(caller) => with_actions(&body, &actions.actions(caller))?,
    };
    Ok(Read {
        tag,
        body: Some(body),
    })
}
