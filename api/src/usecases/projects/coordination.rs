//! A running project's (main) coordination group, formed before go-live.

use os2pm_groups::coordination::MAIN_GROUP;
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_projects::{Action, ProjectId};

use crate::request::IfMatch;
use crate::request::Tagged;
use crate::usecases::groups::form_coordination_group;
use crate::usecases::products::coordination::CoordinationGroupRequest;
use crate::usecases::projects::{ProjectChange, change_project};
use crate::usecases::{ApiError, Caller};

/// Forms or changes a running project's coordination group (required before go-live at N2/N3).
pub fn set_coordination_group(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    if_match: IfMatch,
    request: CoordinationGroupRequest,
) -> Result<Tagged, ApiError> {
    change_project(
        conn,
        caller,
        ProjectChange::new(
            id,
            if_match,
            Action::SetCoordinationGroup,
            "coordination_group_formed",
        ),
        |conn, loaded, project, _| {
            form_coordination_group(
                conn,
                &project.id,
                MAIN_GROUP,
                loaded.level().unwrap_or(Level::N1),
                &request,
            )?;
            Ok(None)
        },
    )
}
