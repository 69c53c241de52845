//! Steering and coordination groups as they stand: who sits, who chairs, and the views of both.

use os2pm_groups::coordination::{
    CoordinationGroup, CoordinationMember, MAIN_GROUP, check_coordination, each_has_a_board_member,
};
use os2pm_groups::steering::{SteeringGroup, SteeringSeat};
use os2pm_levels::Level;
use os2pm_persistence::coordination::{self, CoordinationGroupRow, GroupWithMembers, MemberRow};
use os2pm_persistence::people::{PersonRow, Representation};
use os2pm_persistence::steering::{self, SeatRow, SteeringGroupRow};
use os2pm_persistence::{DbConnection, organizations};
use os2pm_projects::ProjectId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::names::Names;
use crate::usecases::board::seated_subs;
use crate::usecases::products::coordination::CoordinationGroupRequest;

/// A person as groups show them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub sub: String,
    pub name: String,
}

impl From<&PersonRow> for PersonRef {
    fn from(p: &PersonRow) -> Self {
        Self {
            id: p.id.clone(),
            sub: p.sub.clone(),
            name: p.name.clone(),
        }
    }
}

/// What a group's view names beyond its own seats, read already.
pub(crate) struct Known {
    /// (id, label) of the organisations that chair or supply a group.
    pub(crate) labels: Vec<(String, String)>,
    /// The `sub`s of the board members seated today.
    pub(crate) board: Vec<String>,
}

impl Known {
    /// The label of organisation `id`: from the group's seats when it holds one.
    fn label(&self, seats: &[Representation], id: Option<String>) -> Option<String> {
        id.map(|id| {
            seats
                .iter()
                .find(|s| s.organization_id == id)
                .map(|s| s.organization.clone())
                .or_else(|| {
                    self.labels
                        .iter()
                        .find(|(known, _)| *known == id)
                        .map(|(_, label)| label.clone())
                })
                .unwrap_or(id)
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SteeringSeatView {
    /// The organisation that holds the seat.
    pub organization: String,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub representative: PersonRef,
    /// Whether the representative holds a board seat today (counts for the N3 majority).
    pub board_member: bool,
}

/// A steering group: seats held by organisations, a chair among them, a project leader who
/// does not vote; or, at N1, a single project owner.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SteeringGroupView {
    pub seats: Vec<SteeringSeatView>,
    /// The organisation that chairs.
    pub chair: Option<String>,
    pub project_leader: Option<PersonRef>,
    pub project_owner: Option<PersonRef>,
    /// The board approved or appointed this composition (a group put in force at N1 has not:
    /// above N1 it needs the board once, governance.md §4).
    #[serde(default)]
    pub approved_by_board: bool,
}

/// The steering group in force, with the people in it.
#[derive(Clone)]
pub(crate) struct SteeringInForce {
    group: SteeringGroupView,
}

impl SteeringInForce {
    /// The group in force from its rows: its seats, and its project leader or owner among
    /// `people`.
    pub(crate) fn of(
        row: SteeringGroupRow,
        seats: Vec<Representation>,
        people: &[PersonRow],
        known: &Known,
    ) -> Self {
        let chair = known.label(&seats, row.chair_organization_id);
        let person = |id: Option<String>| {
            id.and_then(|id| people.iter().find(|p| p.id == id).map(PersonRef::from))
        };
        Self {
            group: SteeringGroupView {
                chair,
                seats: seats
                    .into_iter()
                    .map(|seat| SteeringSeatView {
                        board_member: known.board.contains(&seat.person.sub),
                        representative: PersonRef::from(&seat.person),
                        organization: seat.organization,
                    })
                    .collect(),
                project_leader: person(row.project_leader_id),
                project_owner: person(row.project_owner_id),
                approved_by_board: row.approved_by_board,
            },
        }
    }

    pub(crate) fn view(&self) -> SteeringGroupView {
        self.group.clone()
    }

    /// The chair's representative, or the N1 project owner.
    pub(crate) fn is_chair(&self, sub: &str) -> bool {
        let g = &self.group;
        g.project_owner.as_ref().is_some_and(|o| o.sub == sub)
            || g.seats
                .iter()
                .any(|s| Some(&s.organization) == g.chair.as_ref() && s.representative.sub == sub)
    }

    pub(crate) fn is_project_leader(&self, sub: &str) -> bool {
        self.group
            .project_leader
            .as_ref()
            .is_some_and(|l| l.sub == sub)
    }

    pub(crate) fn approved_by_board(&self) -> bool {
        self.group.approved_by_board
    }

    pub(crate) fn board_majority(&self) -> bool {
        self.domain().board_majority()
    }

    pub(crate) fn domain(&self) -> SteeringGroup {
        domain_group(&self.group)
    }
}

pub(crate) fn domain_group(view: &SteeringGroupView) -> SteeringGroup {
    SteeringGroup {
        seats: view
            .seats
            .iter()
            .map(|s| SteeringSeat {
                organization: s.organization.clone(),
                representative: s.representative.sub.clone(),
                board_member: s.board_member,
            })
            .collect(),
        chair: view.chair.clone(),
        project_leader: view.project_leader.as_ref().map(|p| p.sub.clone()),
        project_owner: view.project_owner.as_ref().map(|p| p.sub.clone()),
        approved_by_board: view.approved_by_board,
    }
}

/// A steering group waiting for the board, kept in its approval until then.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SteeringProposal {
    pub(crate) group: SteeringGroupView,
}

impl SteeringProposal {
    /// Makes the proposal the group in force; `approved_by_board` when the board approved or
    /// appointed it (or it keeps the approval of the group it replaces).
    pub fn put_in_force(
        &self,
        conn: &mut DbConnection,
        project_id: &ProjectId,
        approved_by_board: bool,
    ) -> Result<(), ApiError> {
        let org_id = |conn: &mut DbConnection, code: &str| -> Result<String, ApiError> {
            Ok(organizations::find(conn, code)?.id)
        };
        let mut seats = Vec::new();
        for seat in &self.group.seats {
            seats.push(SeatRow {
                project_id: project_id.to_owned(),
                organization_id: org_id(conn, &seat.organization)?,
                representative_id: seat.representative.id.clone(),
            });
        }
        let chair_organization_id = match &self.group.chair {
            Some(chair) => Some(org_id(conn, chair)?),
            None => None,
        };
        let row = SteeringGroupRow {
            project_id: project_id.to_owned(),
            chair_organization_id,
            project_leader_id: self.group.project_leader.as_ref().map(|p| p.id.clone()),
            project_owner_id: self.group.project_owner.as_ref().map(|p| p.id.clone()),
            updated_at: os2pm_persistence::now(),
            approved_by_board,
        };
        steering::replace(conn, &row, &seats)?;
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoordinationMemberView {
    pub organization: String,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub representative: PersonRef,
    /// Whether the representative holds a board seat today (N3 needs one).
    pub board_member: bool,
}

/// A coordination group: organisations using the product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoordinationGroupView {
    /// The group's key within the product: `main` for the group formed before go-live, whose
    /// chair holds the formal responsibility for economy and development; others as they were
    /// formed (`skole`, `dagtilbud`).
    pub key: String,
    pub members: Vec<CoordinationMemberView>,
    /// The member organisation whose representative chairs the group.
    pub chair: Option<String>,
    /// A supplier facilitating the group.
    pub supplier: Option<String>,
}

/// A coordination group in force for a project (and the product it became).
pub(crate) struct CoordinationInForce {
    pub(crate) view: CoordinationGroupView,
}

impl CoordinationInForce {
    /// The group in force from its rows.
    fn of(row: CoordinationGroupRow, members: Vec<Representation>, known: &Known) -> Self {
        let chair = known.label(&members, row.chair_organization_id);
        let supplier = known.label(&members, row.supplier_organization_id);
        let mut views: Vec<CoordinationMemberView> = members
            .into_iter()
            .map(|member| CoordinationMemberView {
                board_member: known.board.contains(&member.person.sub),
                representative: PersonRef::from(&member.person),
                organization: member.organization,
            })
            .collect();
        views.sort_by(|a, b| a.organization.cmp(&b.organization));
        Self {
            view: CoordinationGroupView {
                key: row.group_key,
                members: views,
                chair,
                supplier,
            },
        }
    }

    pub(crate) fn is_chair(&self, sub: &str) -> bool {
        self.view.members.iter().any(|m| {
            Some(&m.organization) == self.view.chair.as_ref() && m.representative.sub == sub
        })
    }

    fn has_member_organization(&self, org: &str) -> bool {
        self.view.members.iter().any(|m| m.organization == org)
    }

    fn domain(&self) -> CoordinationGroup {
        CoordinationGroup {
            members: self
                .view
                .members
                .iter()
                .map(|m| CoordinationMember {
                    organization: m.organization.clone(),
                    representative: m.representative.sub.clone(),
                    board_member: m.board_member,
                })
                .collect(),
            chair: self.view.chair.clone(),
        }
    }
}

/// The coordination groups in force for a project (and the product it became): one or more per
/// product (report 4.1.5), the main group first.
#[derive(Default)]
pub(crate) struct CoordinationGroups(Vec<CoordinationInForce>);

impl CoordinationGroups {
    /// The groups of `project_id`, read on their own (a product's view).
    pub(crate) fn load(conn: &mut DbConnection, project_id: &ProjectId) -> Result<Self, ApiError> {
        let groups = coordination::find(conn, project_id)?;
        let named = groups
            .iter()
            .flat_map(|(row, members)| {
                [&row.chair_organization_id, &row.supplier_organization_id]
                    .into_iter()
                    .flatten()
                    .filter(|id| !members.iter().any(|m| &m.organization_id == *id))
            })
            .cloned()
            .collect::<Vec<_>>();
        let known = Known {
            labels: organizations::find_all(conn, &named)?
                .into_iter()
                .map(|o| (o.id.clone(), o.code.unwrap_or(o.id)))
                .collect(),
            board: seated_subs(conn)?,
        };
        Ok(Self::of(groups, &known))
    }

    /// The groups in force from their rows.
    pub(crate) fn of(groups: Vec<GroupWithMembers>, known: &Known) -> Self {
        Self(
            groups
                .into_iter()
                .map(|(row, members)| CoordinationInForce::of(row, members, known))
                .collect(),
        )
    }

    /// The main group, formed before go-live.
    pub(crate) fn main(&self) -> Option<&CoordinationInForce> {
        self.get(MAIN_GROUP)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&CoordinationInForce> {
        self.0.iter().find(|g| g.view.key == key)
    }

    pub(crate) fn views(&self) -> Vec<CoordinationGroupView> {
        self.0.iter().map(|g| g.view.clone()).collect()
    }

    /// Whether the main group is formed (go-live at N2/N3 asks for it).
    pub(crate) fn formed(&self) -> bool {
        self.main().is_some()
    }

    /// Whether every group has a board member, as N3 asks of each.
    pub(crate) fn each_has_a_board_member(&self) -> bool {
        let groups: Vec<CoordinationGroup> =
            self.0.iter().map(CoordinationInForce::domain).collect();
        each_has_a_board_member(&groups)
    }

    /// Whether `sub` chairs the main group: the one formally responsible for the product's
    /// economy and development, who decides change requests and proposes level changes.
    pub(crate) fn is_main_chair(&self, sub: &str) -> bool {
        self.main().is_some_and(|g| g.is_chair(sub))
    }

    /// Whether the caller's organisation is a member of any of the groups.
    pub(crate) fn is_member_organization(&self, caller: &Caller) -> bool {
        caller
            .org
            .as_ref()
            .is_some_and(|org| self.0.iter().any(|g| g.has_member_organization(org)))
    }

    /// The groups `org` is a member of.
    pub(crate) fn with_member<'a>(
        &'a self,
        org: &'a str,
    ) -> impl Iterator<Item = &'a CoordinationGroupView> {
        self.0
            .iter()
            .filter(move |g| g.has_member_organization(org))
            .map(|g| &g.view)
    }
}

/// Resolves, checks at `level` and puts coordination group `key` in force for `project_id`.
pub(crate) fn form_coordination_group(
    conn: &mut DbConnection,
    project_id: &ProjectId,
    key: &str,
    level: Level,
    request: &CoordinationGroupRequest,
) -> Result<(), ApiError> {
    let board = seated_subs(conn)?;
    let mut names = Names::new(conn);
    let mut rows = Vec::new();
    let mut domain = Vec::new();
    for (i, member) in request.members.iter().enumerate() {
        let org = names.organization(format!("members[{i}].organization"), &member.organization)?;
        let person = names.person(
            format!("members[{i}].representative"),
            &member.representative,
        )?;
        if let (Some(org), Some(person)) = (org, person) {
            names.representative(format!("members[{i}].representative"), &org, &person)?;
            domain.push(CoordinationMember {
                organization: org.code.clone().unwrap_or(org.id.clone()),
                representative: person.sub.clone(),
                board_member: board.contains(&person.sub),
            });
            rows.push(MemberRow {
                project_id: project_id.to_owned(),
                group_key: key.to_owned(),
                organization_id: org.id,
                representative_id: person.id,
            });
        }
    }
    let mut resolve = |field: &str, code: &Option<String>| match code {
        Some(code) => Ok(names.organization(field, code)?.map(|org| org.id)),
        None => Ok::<_, ApiError>(None),
    };
    let chair = resolve("chair", &request.chair)?;
    let supplier = resolve("supplier", &request.supplier)?;
    let foreign = names.finish()?;
    let chair_label = request.chair.as_ref().and_then(|c| {
        rows.iter()
            .zip(&domain)
            .find(|(row, _)| Some(&row.organization_id) == chair.as_ref())
            .map(|(_, d)| d.organization.clone())
            .or_else(|| Some(c.clone()))
    });
    let mut violations = foreign;
    violations.extend(
        check_coordination(
            &CoordinationGroup {
                members: domain,
                chair: chair_label,
            },
            level,
        )
        .into_iter()
        .map(|e| FieldError::new(e.field(), e.to_string())),
    );
    if !violations.is_empty() {
        return Err(ApiError::Validation(violations));
    }
    coordination::replace(
        conn,
        &CoordinationGroupRow {
            project_id: project_id.to_owned(),
            group_key: key.to_owned(),
            chair_organization_id: chair,
            supplier_organization_id: supplier,
            updated_at: os2pm_persistence::now(),
        },
        &rows,
    )?;
    Ok(())
}
