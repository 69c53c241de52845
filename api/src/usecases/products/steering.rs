//! A product's steering group: its project's, set on by the business manager after go-live
//! (report 4.1.5: a steering group for every coordination group), approved by the board at N2
//! and appointed by it at N3, where board members hold the majority.

use os2pm_persistence::DbConnection;
use os2pm_products::ProductId;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::request::IfMatch;
use crate::usecases::Proposed;
use crate::usecases::products::change_product;
use crate::usecases::projects::steering::{SteeringGroupRequest, appoint};

/// Sets the product's steering group (business manager): in force at once where the domain
/// allows it, else proposed to the board.
pub fn set_steering_group(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    if_match: IfMatch,
    request: SteeringGroupRequest,
) -> Result<Proposed, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let mut proposal = None;
    let changed = change_product(
        conn,
        caller,
        id,
        if_match,
        "steering_group_proposed",
        None,
        |conn, loaded| {
            let project = &loaded.project;
            proposal = appoint(
                conn,
                project,
                &project.record.project,
                loaded.level(),
                &request,
            )?;
            Ok(())
        },
    )?;
    Proposed::of(conn, changed, proposal)
}
