//! The application's use cases, between the handlers (HTTP only) and the domain crates (every
//! rule). A use case loads what it needs, asks the domain what may happen and what follows,
//! stores the result with its audit entry and event in one transaction, and returns a typed
//! outcome or a view. Views are built here, once, whoever asks.

pub mod approvals;
pub mod benefits;
pub mod board;
pub mod events;
pub mod groups;
pub mod meetings;
pub mod organizations;
pub mod people;
pub mod portfolio;
pub mod priorities;
pub mod privacy;
pub mod products;
pub mod projects;
pub mod requirements;
pub mod running;
pub mod webhooks;

use os2pm_persistence::DbConnection;
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_projects::ApprovalId;
use serde::Serialize;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::request::Outcome;
use crate::request::Tagged;

/// A new id: a UUID v7, so ids sort by the time they were given (pages go in id order).
pub fn new_id<Id: From<String>>() -> Id {
    Id::from(uuid::Uuid::now_v7().to_string())
}

/// A response body as JSON.
pub fn to_body<T: Serialize>(view: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(view).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Audits the creation of `view` (subject `subject_type`/`id`, told as `action`: its event is
/// named by it, `persistence::events::event_type`) and answers 201 with it.
pub fn created<T: Serialize>(
    conn: &mut DbConnection,
    caller: &Caller,
    (subject_type, id, action): (&str, &str, &str),
    location: String,
    view: &T,
) -> Result<Outcome, ApiError> {
    let body = to_body(view)?;
    audit::append(
        conn,
        NewEntry {
            subject_type,
            subject_id: id,
            action,
            actor: &caller.actor(),
            before: None,
            after: Some(body.to_string()),
            reason: None,
        },
    )?;
    Ok(Outcome::created(location, body))
}

/// What a change that may need the board leads to.
pub enum Proposed {
    /// In force now: the project as it stands, with its ETag.
    InForce(Tagged),
    /// Waiting for the board: the approval that was opened.
    AwaitingBoard(serde_json::Value),
}

impl Proposed {
    /// The approval `opened`, if one was, else the changed project.
    pub(crate) fn of(
        conn: &mut DbConnection,
        changed: Tagged,
        opened: Option<ApprovalId>,
    ) -> Result<Self, ApiError> {
        Ok(match opened {
            Some(approval) => {
                let row = os2pm_persistence::approvals::find(conn, &approval)?;
                Self::AwaitingBoard(to_body(&approvals::ApprovalView::load(conn, row)?)?)
            }
            None => Self::InForce(changed),
        })
    }
}
