//! A running project's coordination group, formed before go-live.

use crate::request::IfMatch;
use crate::usecases::ApiError;
use crate::usecases::Caller;
use crate::usecases::groups::form_coordination_group;
use crate::usecases::products::coordination::CoordinationGroupRequest;
use crate::usecases::projects::ProjectChange;
use crate::usecases::projects::change_project;
use actix_web::http::header::EntityTag;
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_projects::Action;

/// Forms or changes a running project's coordination group (required before go-live at N2/N3).
pub fn set_coordination_group(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: IfMatch,
    request: CoordinationGroupRequest,
) -> Result<(EntityTag, serde_json::Value), ApiError> {
    change_project(
        conn,
        caller,
        ProjectChange {
            id,
            if_match,
            action: Action::SetCoordinationGroup,
            audit_action: "coordination_group_formed",
            reason: None,
        },
        |conn, loaded, project, _| {
            form_coordination_group(
                conn,
                &project.id,
                loaded.level().unwrap_or(Level::N1),
                &request,
            )?;
            Ok(None)
        },
    )
}
