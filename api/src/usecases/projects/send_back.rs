//! *Tilbageløb* before the board: the business manager sends a concept back to the owner.

use os2pm_persistence::DbConnection;
use os2pm_projects::Action;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::request::{Guarded, Problems, StoredReply};
use crate::usecases::projects::change_guarded_because;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Finansieringen skal være lokal på N1; ret den, så placerer jeg igen."}))]
pub struct SendBackRequest {
    /// What the owner should rework; shown on the project as `return_reason`.
    pub reason: String,
}

/// A send-back, parsed: it has a reason.
pub struct SendBack(SendBackRequest);

impl TryFrom<SendBackRequest> for SendBack {
    type Error = ApiError;

    fn try_from(request: SendBackRequest) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        if request.reason.trim().is_empty() || request.reason.len() > 10_000 {
            problems.push(FieldError::new("reason", "must be 1 to 10000 characters"));
        }
        problems.or_command(|| Some(Self(request)))
    }
}

/// Sends a concept back to the idea stage with a reason the owner sees (governance.md §2); the
/// owner edits it and the business manager places it again.
pub fn send_back(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
    SendBack(request): SendBack,
) -> Result<StoredReply, ApiError> {
    change_guarded_because(
        conn,
        caller,
        write,
        &request,
        (Action::SendBack, "sent_back", &request.reason),
        |_, _, _, description| {
            description.return_reason = Some(request.reason.clone());
            Ok(None)
        },
    )
}
