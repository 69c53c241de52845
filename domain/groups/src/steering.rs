//! Steering groups (*styregrupper*, governance.md §4): seats held by organisations, each with a
//! named representative; a chair among the members; a project leader who never votes. A small
//! N1 project may name a single project owner instead.

use std::collections::HashSet;

use os2pm_levels::Level;

/// One voting seat: the organisation holds it, the representative fills it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SteeringSeat {
    pub organization: String,
    pub representative: String,
    /// Whether the representative is a board member seated today.
    pub board_member: bool,
}

/// A proposed or current composition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SteeringGroup {
    pub seats: Vec<SteeringSeat>,
    /// The organisation whose representative chairs.
    pub chair: Option<String>,
    pub project_leader: Option<String>,
    /// N1 only: a single project owner standing in for the group.
    pub project_owner: Option<String>,
    /// The board approved or appointed this composition (an N1 group never went to it).
    pub approved_by_board: bool,
}

impl SteeringGroup {
    /// Board members hold more than half of the seats (report 5.5: at N3 the board holds the
    /// voting majority of the steering group).
    pub fn board_majority(&self) -> bool {
        self.board_seats() * 2 > self.seats.len()
    }

    fn board_seats(&self) -> usize {
        self.seats.iter().filter(|s| s.board_member).count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SteeringError {
    #[error("a steering group needs at least one seat (or, at N1, a project owner)")]
    NoSeats,
    #[error("only an N1 project may name a single project owner instead of a steering group")]
    OwnerAboveN1,
    #[error("name either a project owner or seats, not both")]
    OwnerAndSeats,
    #[error("`{0}` holds more than one seat: a seat belongs to an organisation")]
    DuplicateOrganization(String),
    #[error("`{0}` fills more than one seat")]
    DuplicateRepresentative(String),
    #[error("the chair must be one of the member organisations")]
    ChairNotAMember,
    #[error("a steering group elects a chair")]
    NoChair,
    #[error("the project leader is the group's secretary, never a voting member")]
    ProjectLeaderVotes,
    #[error("at N3 board members must hold a majority of the votes: {board} of {seats} seats")]
    NoBoardMajority { board: usize, seats: usize },
    #[error(
        "`{0}` does not participate in the project: a steering group's seats are held by the participating organisations (and the board's members)"
    )]
    NotAParticipant(String),
}

impl SteeringError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::NoSeats
            | Self::DuplicateOrganization(_)
            | Self::DuplicateRepresentative(_)
            | Self::NotAParticipant(_) => "seats",
            Self::NoBoardMajority { .. } => "seats",
            Self::OwnerAboveN1 | Self::OwnerAndSeats => "project_owner",
            Self::ChairNotAMember | Self::NoChair => "chair",
            Self::ProjectLeaderVotes => "project_leader",
        }
    }
}

/// Every rule a composition breaks at `level`, for a project whose participating organisations
/// are `participants`: report 4.1.4, the members come from the participating municipalities,
/// who choose a chair among them; a seat filled by a board member is the board's (report 5.5).
pub fn check_composition(
    group: &SteeringGroup,
    level: Level,
    participants: &[String],
) -> Vec<SteeringError> {
    let mut errors = Vec::new();
    if group.project_owner.is_some() {
        if !level.is_local() {
            errors.push(SteeringError::OwnerAboveN1);
        }
        if !group.seats.is_empty() {
            errors.push(SteeringError::OwnerAndSeats);
        }
        return errors;
    }
    if group.seats.is_empty() {
        errors.push(SteeringError::NoSeats);
        return errors;
    }
    let mut organizations = HashSet::new();
    let mut representatives = HashSet::new();
    for seat in &group.seats {
        if !seat.board_member && !participants.contains(&seat.organization) {
            errors.push(SteeringError::NotAParticipant(seat.organization.clone()));
        }
        if !organizations.insert(seat.organization.as_str()) {
            errors.push(SteeringError::DuplicateOrganization(
                seat.organization.clone(),
            ));
        }
        if !representatives.insert(seat.representative.as_str()) {
            errors.push(SteeringError::DuplicateRepresentative(
                seat.representative.clone(),
            ));
        }
    }
    match &group.chair {
        None => errors.push(SteeringError::NoChair),
        Some(chair) if !organizations.contains(chair.as_str()) => {
            errors.push(SteeringError::ChairNotAMember);
        }
        Some(_) => {}
    }
    if let Some(leader) = &group.project_leader
        && representatives.contains(leader.as_str())
    {
        errors.push(SteeringError::ProjectLeaderVotes);
    }
    if level == Level::N3 && !group.board_majority() {
        errors.push(SteeringError::NoBoardMajority {
            board: group.board_seats(),
            seats: group.seats.len(),
        });
    }
    errors
}

/// Whether `proposed` keeps the board's approval of `current`: the board approved it, and only
/// representatives change (representation follows the organisation).
pub fn keeps_approval(current: Option<&SteeringGroup>, proposed: &SteeringGroup) -> bool {
    let Some(current) = current.filter(|c| c.approved_by_board) else {
        return false;
    };
    let organizations = |g: &SteeringGroup| {
        let mut orgs: Vec<String> = g.seats.iter().map(|s| s.organization.clone()).collect();
        orgs.sort();
        orgs
    };
    organizations(current) == organizations(proposed) && current.chair == proposed.chair
}

/// Whether a change from `current` to `proposed` needs the board: at N2 and N3 it does unless it
/// keeps the board's approval of the current group; a group put in force at N1, never seen by
/// the board, needs it once the project is at N2.
pub fn needs_board(
    level: Level,
    current: Option<&SteeringGroup>,
    proposed: &SteeringGroup,
) -> bool {
    !level.is_local() && !keeps_approval(current, proposed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(org: &str, rep: &str, board: bool) -> SteeringSeat {
        SteeringSeat {
            organization: org.into(),
            representative: rep.into(),
            board_member: board,
        }
    }

    /// The participating organisations of the projects in these tests.
    fn participants() -> Vec<String> {
        vec!["751".into(), "101".into()]
    }

    fn group(seats: Vec<SteeringSeat>, chair: &str) -> SteeringGroup {
        SteeringGroup {
            seats,
            chair: Some(chair.into()),
            project_leader: Some("leader".into()),
            project_owner: None,
            approved_by_board: true,
        }
    }

    #[test]
    fn a_group_of_organisations_with_a_chair_among_them_is_valid() {
        let g = group(
            vec![seat("751", "jens", false), seat("101", "kim", false)],
            "751",
        );
        assert_eq!(check_composition(&g, Level::N2, &participants()), []);
    }

    #[test]
    fn seats_belong_to_organisations_once() {
        let g = group(
            vec![seat("751", "jens", false), seat("751", "ole", false)],
            "751",
        );
        assert_eq!(
            check_composition(&g, Level::N2, &participants()),
            [SteeringError::DuplicateOrganization("751".into())]
        );
    }

    #[test]
    fn the_chair_is_a_member_and_the_project_leader_is_not() {
        let mut g = group(vec![seat("751", "jens", false)], "101");
        g.project_leader = Some("jens".into());
        assert_eq!(
            check_composition(&g, Level::N2, &participants()),
            [
                SteeringError::ChairNotAMember,
                SteeringError::ProjectLeaderVotes
            ]
        );
        g.chair = None;
        assert!(
            check_composition(&g, Level::N2, &participants()).contains(&SteeringError::NoChair)
        );
    }

    #[test]
    fn only_n1_may_name_a_single_project_owner() {
        let owner = SteeringGroup {
            seats: vec![],
            chair: None,
            project_leader: None,
            project_owner: Some("jens".into()),
            approved_by_board: false,
        };
        assert_eq!(check_composition(&owner, Level::N1, &participants()), []);
        assert_eq!(
            check_composition(&owner, Level::N2, &participants()),
            [SteeringError::OwnerAboveN1]
        );
        let empty = SteeringGroup {
            project_owner: None,
            ..owner
        };
        assert_eq!(
            check_composition(&empty, Level::N1, &participants()),
            [SteeringError::NoSeats]
        );
    }

    /// Governance.md §4 (report 4.1.4): the seats are the participating organisations';
    /// a board member's seat is the board's.
    #[test]
    fn seats_are_held_by_participating_organisations_or_the_board() {
        let g = group(
            vec![
                seat("751", "jens", false),
                seat("461", "ole", false),
                seat("kl", "mette", true),
            ],
            "751",
        );
        assert_eq!(
            check_composition(&g, Level::N2, &participants()),
            [SteeringError::NotAParticipant("461".into())]
        );
    }

    #[test]
    fn at_n3_board_members_hold_a_majority_of_the_seats() {
        let two_of_three = group(
            vec![
                seat("kl", "mette", true),
                seat("os2", "ole", true),
                seat("751", "jens", false),
            ],
            "kl",
        );
        assert_eq!(
            check_composition(&two_of_three, Level::N3, &participants()),
            []
        );
        let half = group(
            vec![seat("kl", "mette", true), seat("751", "jens", false)],
            "kl",
        );
        assert_eq!(
            check_composition(&half, Level::N3, &participants()),
            [SteeringError::NoBoardMajority { board: 1, seats: 2 }]
        );
        assert_eq!(
            check_composition(&half, Level::N2, &participants()),
            [],
            "no such rule at N2"
        );
        // The same rule tells a view whether a group in force still has its majority.
        assert!(two_of_three.board_majority());
        assert!(!half.board_majority());
    }

    #[test]
    fn replacing_a_representative_keeps_the_seat_and_needs_no_new_approval() {
        let current = group(
            vec![seat("751", "jens", false), seat("101", "kim", false)],
            "751",
        );
        let replaced = group(
            vec![seat("751", "ane", false), seat("101", "kim", false)],
            "751",
        );
        assert!(!needs_board(Level::N2, Some(&current), &replaced));
        let other_chair = group(current.seats.clone(), "101");
        assert!(needs_board(Level::N2, Some(&current), &other_chair));
        let new_member = group(
            vec![seat("751", "jens", false), seat("461", "eva", false)],
            "751",
        );
        assert!(needs_board(Level::N3, Some(&current), &new_member));
        assert!(needs_board(Level::N2, None, &current));
        assert!(!needs_board(Level::N1, None, &current));
    }

    /// Governance.md §4: a group put in force at N1 never went to the board; once the project
    /// is at N2 the same group needs the board's approval, and keeps it only while its
    /// organisations and chair stay.
    #[test]
    fn a_group_the_board_never_saw_needs_it_above_n1() {
        let from_n1 = SteeringGroup {
            approved_by_board: false,
            ..group(vec![seat("751", "jens", false)], "751")
        };
        assert!(!keeps_approval(Some(&from_n1), &from_n1));
        assert!(needs_board(Level::N2, Some(&from_n1), &from_n1));
        assert!(!needs_board(Level::N1, Some(&from_n1), &from_n1));
        let approved = SteeringGroup {
            approved_by_board: true,
            ..from_n1
        };
        assert!(keeps_approval(Some(&approved), &approved));
        assert!(!keeps_approval(None, &approved));
    }

    /// Each error names the request field it is about, so a 422 points at it.
    #[test]
    fn each_error_names_its_request_field() {
        let cases = [
            (SteeringError::NoSeats, "seats"),
            (SteeringError::DuplicateOrganization("751".into()), "seats"),
            (
                SteeringError::DuplicateRepresentative("jens".into()),
                "seats",
            ),
            (
                SteeringError::NoBoardMajority { board: 1, seats: 2 },
                "seats",
            ),
            (SteeringError::OwnerAboveN1, "project_owner"),
            (SteeringError::OwnerAndSeats, "project_owner"),
            (SteeringError::ChairNotAMember, "chair"),
            (SteeringError::NoChair, "chair"),
            (SteeringError::ProjectLeaderVotes, "project_leader"),
        ];
        for (error, field) in cases {
            assert_eq!(error.field(), field, "{error}");
        }
    }
}
