//! The steering group: in force at once at N1, approved or appointed by the board at N2/N3.

use os2pm_groups::steering::{check_composition, keeps_approval, needs_board};
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_persistence::projects::ProjectRow;
use os2pm_projects::{Action, ApprovalId, Approver, ProjectId, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::names::Names;
use crate::request::IfMatch;
use crate::usecases::Proposed;
use crate::usecases::approvals::{Payload, open_approval};
use crate::usecases::board::seated_subs;
use crate::usecases::groups::{
    PersonRef, SteeringGroupView, SteeringInForce, SteeringProposal, SteeringSeatView, domain_group,
};
use crate::usecases::projects::{Loaded, ProjectChange, change_project};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SteeringSeatRequest {
    /// The organisation (kommunekode or id) that holds the seat.
    pub organization: String,
    /// The person (id or sub) who represents it.
    pub representative: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "seats": [{"organization": "751", "representative": "jens"}, {"organization": "kl", "representative": "mette"}],
    "chair": "751", "project_leader": "pia"
}))]
pub struct SteeringGroupRequest {
    #[serde(default)]
    pub seats: Vec<SteeringSeatRequest>,
    /// The chairing organisation, one of the seats'.
    pub chair: Option<String>,
    /// The project leader (person id or sub): the group's secretary, never a member.
    pub project_leader: Option<String>,
    /// N1 only: a single project owner (person id or sub) instead of seats.
    pub project_owner: Option<String>,
}

impl SteeringGroupRequest {
    /// Resolves organisations and people; unknown ones are listed by field. Answers the group
    /// with the seats filled by another organisation's people.
    fn resolve(
        &self,
        conn: &mut DbConnection,
    ) -> Result<(SteeringGroupView, Vec<FieldError>), ApiError> {
        let board = seated_subs(conn)?;
        let mut names = Names::new(conn);
        let mut seats = Vec::new();
        for (i, seat) in self.seats.iter().enumerate() {
            let organization =
                names.organization(format!("seats[{i}].organization"), &seat.organization)?;
            let person =
                names.person(format!("seats[{i}].representative"), &seat.representative)?;
            if let (Some(organization), Some(person)) = (organization, person) {
                names.representative(
                    format!("seats[{i}].representative"),
                    &organization,
                    &person,
                )?;
                seats.push(SteeringSeatView {
                    organization: organization.code.unwrap_or(organization.id),
                    board_member: board.contains(&person.sub),
                    representative: PersonRef::from(&person),
                });
            }
        }
        let chair = match &self.chair {
            Some(chair) => names
                .organization("chair", chair)?
                .map(|o| o.code.unwrap_or(o.id)),
            None => None,
        };
        let mut person = |field: &str, id: &Option<String>| match id {
            Some(id) => Ok(names.person(field, id)?.map(|p| PersonRef::from(&p))),
            None => Ok::<_, ApiError>(None),
        };
        let project_leader = person("project_leader", &self.project_leader)?;
        let project_owner = person("project_owner", &self.project_owner)?;
        let foreign = names.finish()?;
        let group = SteeringGroupView {
            seats,
            chair,
            project_leader,
            project_owner,
            // A proposal: the board has not seen it.
            approved_by_board: false,
        };
        Ok((group, foreign))
    }
}

/// Sets the steering group (business manager): in force at once where the domain allows it,
/// else proposed to the board.
pub fn set_steering_group(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    if_match: IfMatch,
    request: SteeringGroupRequest,
) -> Result<Proposed, ApiError> {
    let mut proposal = None;
    let changed = change_project(
        conn,
        caller,
        ProjectChange::new(
            id,
            if_match,
            Action::SetSteeringGroup,
            "steering_group_proposed",
        ),
        |conn, loaded, project, _| {
            let level = loaded.level().unwrap_or(Level::N1);
            proposal = appoint(conn, loaded, project, level, &request)?;
            Ok(None)
        },
    )?;
    Proposed::of(conn, changed, proposal)
}

/// Checks the group `request` names at `level` for the project `loaded` and puts it in force
/// for `project` (its row as the change leaves it), or, where the board must approve or appoint
/// it, opens that approval and answers its id. A product's steering group is its project's, set
/// the same way.
pub(crate) fn appoint(
    conn: &mut DbConnection,
    loaded: &Loaded,
    project: &ProjectRow,
    level: Level,
    request: &SteeringGroupRequest,
) -> Result<Option<ApprovalId>, ApiError> {
    let current = loaded.steering.as_ref();
    let (group, mut errors) = request.resolve(conn)?;
    errors.extend(
        check_composition(&domain_group(&group), level, &loaded.record.participants)
            .into_iter()
            .map(|e| FieldError::new(e.field(), e.to_string())),
    );
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let current = current.map(SteeringInForce::domain);
    let proposed = SteeringProposal { group };
    if needs_board(level, current.as_ref(), &domain_group(&proposed.group)) {
        let payload = Payload::SteeringGroup(proposed);
        let approval = open_approval(
            conn,
            project,
            level,
            Subject::SteeringGroup,
            Approver::Board,
            Some(payload),
        )?;
        Ok(Some(approval.id))
    } else {
        let keeps = keeps_approval(current.as_ref(), &domain_group(&proposed.group));
        proposed.put_in_force(conn, &project.id, keeps)?;
        Ok(None)
    }
}
