//! A project's audit trail as clients read it.

use chrono::{DateTime, Utc};
use os2pm_persistence::DbConnection;
use os2pm_persistence::audit;
use os2pm_persistence::projects as store;
use os2pm_projects::ProjectId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::usecases::privacy::{Audience, Redacted};
use crate::usecases::projects::not_found;

/// One entry of a project's audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// What happened: `idea_submitted`, `idea_edited`, `evidence_recorded:<key>`, `placed`,
    /// `submitted`, `vote_cast`, `approved`, `returned`, `rejected`.
    pub action: String,
    pub actor: HistoryActor,
    /// The state before the change; `null` when the action created the item.
    pub before: Option<serde_json::Value>,
    /// The state after the change; `null` when the action removed it.
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryActor {
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub sub: String,
    pub roles: Vec<String>,
    pub organization: Option<String>,
}

/// The project's audit trail, oldest first.
pub fn history(
    conn: &mut DbConnection,
    id: &ProjectId,
    audience: Audience,
) -> Result<Vec<Redacted<HistoryEntry>>, ApiError> {
    store::find(conn, id).map_err(|e| not_found(id, e))?;
    let parse = |json: Option<String>| json.and_then(|j| serde_json::from_str(&j).ok());
    Ok(audit::for_subject(conn, "project", id.as_str())?
        .into_iter()
        .map(|e| {
            audience.redacted(HistoryEntry {
                at: e.occurred_at.and_utc(),
                action: e.action,
                actor: HistoryActor {
                    sub: e.actor_sub,
                    roles: e
                        .actor_roles
                        .split(',')
                        .filter(|r| !r.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    organization: e.actor_org,
                },
                before: parse(e.before_state),
                after: parse(e.after_state),
                reason: e.reason,
            })
        })
        .collect())
}
