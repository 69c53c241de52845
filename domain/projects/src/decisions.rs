//! Who approves, and when a board vote is decided (governance.md §7).

use std::collections::HashMap;

use os2pm_levels::{Level, names};
use serde::{Deserialize, Serialize};

/// Where an approval goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approver {
    /// N1: the business manager decides alone; the board is informed.
    Forretningsleder,
    /// N2 and N3: the seated board members vote.
    Board,
}

names!(Approver { Forretningsleder => "forretningsleder", Board => "board" });

impl Approver {
    /// Whether a caller may vote on an approval that goes to this approver: the business
    /// manager alone at N1; at N2/N3 only board members who hold a seat today.
    pub fn accepts_vote_from(self, business_manager: bool, seated_board_member: bool) -> bool {
        match self {
            Self::Forretningsleder => business_manager,
            Self::Board => seated_board_member,
        }
    }
}

/// What an approval decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// The project itself: approve, return or reject the concept.
    Project,
    /// A steering group's composition: approved (N2) or appointed (N3) by the board.
    SteeringGroup,
    /// An N2/N3 budget, after the steering group's chair approved it.
    Budget,
    /// Cancelling an N2/N3 project, as the steering group's chair asked.
    Cancellation,
    /// Moving a project or product to another level: the board always decides.
    LevelChange,
    /// Closing a product whose requirements turn out not to be met.
    Closure,
    /// A change request beyond the product's budget frame.
    ChangeRequest,
    /// A product's yearly budget frame at N2/N3 (report 4.1.5).
    BudgetFrame,
}

names!(Subject {
    Project => "project",
    SteeringGroup => "steering_group",
    Budget => "budget",
    Cancellation => "cancellation",
    LevelChange => "level_change",
    Closure => "closure",
    ChangeRequest => "change_request",
    BudgetFrame => "budget_frame",
});

/// Whether cancelling a project at `level` needs the board's confirmation (N2/N3).
pub fn cancellation_needs_board(level: Level) -> bool {
    !level.is_local()
}

/// Which approvals a caller's inbox holds: `Some` one approver's, `None` all. The business
/// manager decides N1; the board decides N2/N3 and reads the decided N1 approvals too.
pub fn inbox(business_manager: bool, board_member: bool, pending: bool) -> Option<Approver> {
    match (business_manager, board_member) {
        (true, true) => None,
        (true, false) => Some(Approver::Forretningsleder),
        (false, _) if pending => Some(Approver::Board),
        (false, _) => None,
    }
}

/// The sandbox and N1 to the business manager; N2 and N3 to the board.
pub fn approver_for(level: Level) -> Approver {
    if level.is_local() {
        Approver::Forretningsleder
    } else {
        Approver::Board
    }
}

/// Where an approval stands: waiting for its decision, or decided (the outcome says how).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    Pending,
    Decided,
}

names!(ApprovalState { Pending => "pending", Decided => "decided" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Return,
    Reject,
}

names!(Decision { Approve => "approve", Return => "return", Reject => "reject" });

impl Decision {
    /// Returning and rejecting must say why.
    pub fn needs_reason(self) -> bool {
        self != Self::Approve
    }
}

/// One seated member's vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub member: String,
    pub decision: Decision,
}

/// The state of a board vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    Open,
    /// Final: a majority of the seated members agree, or the chair broke a tie.
    Decided(Decision),
}

/// Counts the votes of the seated members (others' votes do not count). A side wins with a
/// majority of the seated members; when every seated member has voted and no side has one, the
/// chair's side wins.
pub fn tally(seated: &[String], chair: Option<&str>, votes: &[Vote]) -> Tally {
    let counted: Vec<&Vote> = votes
        .iter()
        .filter(|vote| seated.contains(&vote.member))
        .collect();
    let mut sides: HashMap<Decision, usize> = HashMap::new();
    for vote in &counted {
        *sides.entry(vote.decision).or_default() += 1;
    }
    let majority = seated.len() / 2 + 1;
    if let Some(decision) = Decision::ALL
        .iter()
        .copied()
        .find(|d| sides.get(d).copied().unwrap_or(0) >= majority)
    {
        return Tally::Decided(decision);
    }
    let everyone_voted = seated
        .iter()
        .all(|m| counted.iter().any(|v| &v.member == m));
    let chairs_side = chair.and_then(|chair| counted.iter().find(|v| v.member == chair));
    match (everyone_voted, chairs_side) {
        (true, Some(vote)) => Tally::Decided(vote.decision),
        _ => Tally::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("m{i}")).collect()
    }

    fn votes(list: &[(&str, Decision)]) -> Vec<Vote> {
        list.iter()
            .map(|(m, d)| Vote {
                member: (*m).to_owned(),
                decision: *d,
            })
            .collect()
    }

    use Decision::*;

    #[test]
    fn routing_follows_the_level() {
        assert_eq!(approver_for(Level::N1), Approver::Forretningsleder);
        assert_eq!(approver_for(Level::N2), Approver::Board);
        assert_eq!(approver_for(Level::N3), Approver::Board);
    }

    #[test]
    fn a_majority_of_the_seated_members_decides() {
        let seated = board(5);
        assert_eq!(
            tally(
                &seated,
                Some("m1"),
                &votes(&[("m1", Approve), ("m2", Approve)])
            ),
            Tally::Open
        );
        assert_eq!(
            tally(
                &seated,
                Some("m1"),
                &votes(&[("m1", Approve), ("m2", Approve), ("m3", Approve)])
            ),
            Tally::Decided(Approve)
        );
        assert_eq!(
            tally(
                &seated,
                None,
                &votes(&[("m2", Reject), ("m3", Reject), ("m4", Reject)])
            ),
            Tally::Decided(Reject)
        );
    }

    #[test]
    fn votes_of_members_without_a_seat_do_not_count() {
        let seated = board(3);
        let cast = votes(&[("m1", Approve), ("x", Approve), ("y", Approve)]);
        assert_eq!(tally(&seated, Some("m1"), &cast), Tally::Open);
    }

    #[test]
    fn the_chair_breaks_a_tie_once_everyone_has_voted() {
        let seated = board(4);
        let tie = votes(&[("m1", Return), ("m2", Return), ("m3", Approve)]);
        assert_eq!(
            tally(&seated, Some("m1"), &tie),
            Tally::Open,
            "m4 has not voted"
        );
        let mut all = tie.clone();
        all.extend(votes(&[("m4", Approve)]));
        assert_eq!(tally(&seated, Some("m1"), &all), Tally::Decided(Return));
        assert_eq!(tally(&seated, Some("m3"), &all), Tally::Decided(Approve));
        // A three-way split on an odd board: the chair's side.
        let split = votes(&[("m1", Approve), ("m2", Return), ("m3", Reject)]);
        assert_eq!(tally(&board(3), Some("m2"), &split), Tally::Decided(Return));
        assert_eq!(
            tally(&board(3), None, &split),
            Tally::Open,
            "no chair, no tie-break"
        );
    }

    #[test]
    fn inboxes_follow_the_routing() {
        assert_eq!(inbox(true, false, true), Some(Approver::Forretningsleder));
        assert_eq!(inbox(false, true, true), Some(Approver::Board));
        assert_eq!(
            inbox(false, true, false),
            None,
            "the board reads decided N1 approvals"
        );
        assert_eq!(inbox(true, true, true), None);
    }

    #[test]
    fn cancelling_needs_the_board_above_n1() {
        assert!(!cancellation_needs_board(Level::N1));
        assert!(cancellation_needs_board(Level::N2) && cancellation_needs_board(Level::N3));
    }

    #[test]
    fn only_the_routed_approver_may_vote() {
        assert!(Approver::Forretningsleder.accepts_vote_from(true, false));
        assert!(!Approver::Forretningsleder.accepts_vote_from(false, true));
        assert!(Approver::Board.accepts_vote_from(false, true));
        assert!(!Approver::Board.accepts_vote_from(true, false));
    }

    #[test]
    fn reasons_are_needed_to_return_or_reject() {
        assert!(!Approve.needs_reason());
        assert!(Return.needs_reason() && Reject.needs_reason());
    }
}
