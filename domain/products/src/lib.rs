//! Products, level changes and change-request routing (governance.md §2, §5).

use os2pm_levels::{Gate, Level, names};

pub mod evaluation;
pub mod report;
pub mod template;

os2pm_levels::id!(ProductId: "A product's id (a UUID), given when its project went live or the board approved its adoption.");
os2pm_levels::id!(ChangeRequestId: "A change request's id (a UUID).");
os2pm_levels::id!(EvaluationId: "An evaluation's id (a UUID).");

pub use evaluation::{EvaluationError, Mark, check_evaluation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductState {
    Active,
    /// Closed by the board (e.g. requirements not met): read-only from then on.
    Closed,
}

names!(ProductState { Active => "active", Closed => "closed" });

impl ProductState {
    /// A closed product takes no changes.
    pub fn check_open(self) -> Result<(), ProductError> {
        match self {
            Self::Active => Ok(()),
            Self::Closed => Err(ProductError::Closed),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProductError {
    #[error("the product is closed: it takes no changes")]
    Closed,
    #[error("the item is at {0} already")]
    SameLevel(Level),
}

/// Which gates a level change must pass at the target level: everything due by the phase the
/// item has reached (a live product has passed all of them).
pub fn gate_for_level_change(live: bool, started: bool) -> Gate {
    match (live, started) {
        (true, _) => Gate::GoLive,
        (false, true) => Gate::Start,
        (false, false) => Gate::Approval,
    }
}

/// Requirements that cannot block proposing a level change: the board's approval of the change
/// itself satisfies `board_approval`; and a group put in force at N1 goes to the board only once
/// the item is at N2, so `steering_group_approved` is owed after the change, not before it.
pub const NOT_BLOCKING_A_LEVEL_CHANGE: &[&str] = &["board_approval", "steering_group_approved"];

/// A level change is a real change; moving up must meet the target level's requirements.
pub fn check_level_change(from: Level, to: Level) -> Result<bool, ProductError> {
    match to.cmp(&from) {
        std::cmp::Ordering::Equal => Err(ProductError::SameLevel(to)),
        direction => Ok(direction == std::cmp::Ordering::Greater),
    }
}

/// KOMBIT's change-request categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeCategory {
    /// *Lovvedligehold*.
    LegalMaintenance,
    TechnicalMaintenance,
    /// *Behovsændring*: agreed between supplier and project leader; the group is informed.
    MinorChange,
    /// *Videreudvikling*: the coordination group decides.
    FurtherDevelopment,
    /// *Genudbud*: the coordination group holds the contract.
    ReTender,
}

names!(ChangeCategory {
    LegalMaintenance => "legal_maintenance",
    TechnicalMaintenance => "technical_maintenance",
    MinorChange => "minor_change",
    FurtherDevelopment => "further_development",
    ReTender => "re_tender",
});

/// Who decides a change request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Recorded; the coordination group is informed.
    Recorded,
    /// The coordination group's chair decides.
    CoordinationGroup,
    /// Outside the product's budget frame: the board decides.
    Board,
}

names!(Route {
    Recorded => "recorded",
    CoordinationGroup => "coordination_group",
    Board => "board",
});

/// Whether a product's yearly budget frame at `level` is in force only once the board approves
/// it (report 4.1.5: the product's economy "skal godkendes … for N2 og N3 produkter af
/// bestyrelsen"); below N2 it is in force when its group sets it.
pub fn frame_needs_board(level: Level) -> bool {
    !level.is_local()
}

/// Who files a change request, as far as the rules ask.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filer {
    /// The caller's organisation is a member of the product's coordination group.
    pub member_organization: bool,
    /// The caller leads the product's development (the project leader of its steering group).
    pub project_leader: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilingError {
    #[error(
        "a minor change is agreed between the supplier and the project leader: only the project leader files it"
    )]
    NotTheProjectLeader,
    #[error("only member organisations of the coordination group file change requests")]
    NotAMember,
    #[error("a minor change records where the supplier agreed to it")]
    NoSupplierAgreement,
    #[error("only a minor change records a supplier agreement")]
    AgreementWithoutMinorChange,
}

/// Who may file a change request of `category` (KOMBIT, governance.md §5): a minor change
/// (*behovsændring*) is agreed between the supplier and the project leader, who files it with
/// the supplier's agreement; every other category is filed by a member organisation.
pub fn check_filing(
    category: ChangeCategory,
    filer: Filer,
    supplier_agreement: Option<&str>,
) -> Result<(), FilingError> {
    let agreed = supplier_agreement.is_some_and(|a| !a.trim().is_empty());
    match category {
        ChangeCategory::MinorChange if !filer.project_leader => {
            Err(FilingError::NotTheProjectLeader)
        }
        ChangeCategory::MinorChange if !agreed => Err(FilingError::NoSupplierAgreement),
        ChangeCategory::MinorChange => Ok(()),
        _ if supplier_agreement.is_some() => Err(FilingError::AgreementWithoutMinorChange),
        _ if !filer.member_organization => Err(FilingError::NotAMember),
        _ => Ok(()),
    }
}

/// What remains in `year` of a yearly budget frame: the frame less the further development
/// approved that year, given as (year decided, cost); each budget year starts afresh
/// (governance.md §5). No frame: nothing remains.
pub fn remaining_frame(
    frame_dkk: Option<i64>,
    year: i32,
    approved: impl IntoIterator<Item = (i32, i64)>,
) -> Option<i64> {
    let spent: i64 = approved
        .into_iter()
        .filter(|(decided, _)| *decided == year)
        .map(|(_, cost)| cost)
        .sum();
    frame_dkk.map(|frame| frame.saturating_sub(spent))
}

/// Routes a change request: maintenance and minor changes are recorded; further development
/// and re-tendering go to the coordination group, and to the board when the estimate exceeds
/// what is left of the product's yearly budget frame (no frame leaves nothing).
pub fn route(
    category: ChangeCategory,
    estimate_dkk: i64,
    remaining_frame_dkk: Option<i64>,
) -> Route {
    match category {
        ChangeCategory::LegalMaintenance
        | ChangeCategory::TechnicalMaintenance
        | ChangeCategory::MinorChange => Route::Recorded,
        ChangeCategory::FurtherDevelopment | ChangeCategory::ReTender => {
            if estimate_dkk > remaining_frame_dkk.unwrap_or(0) {
                Route::Board
            } else {
                Route::CoordinationGroup
            }
        }
    }
}

/// Where a change request stands: `recorded` needs no decision; the others wait for or have
/// one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeRequestState {
    Recorded,
    Pending,
    Approved,
    Rejected,
}

names!(ChangeRequestState: "Where a change request stands" {
    Recorded => "recorded",
    Pending => "pending",
    Approved => "approved",
    Rejected => "rejected",
});

impl ChangeRequestState {
    /// A new request: recorded when its route needs no decision, pending otherwise.
    pub fn routed(route: Route) -> Self {
        match route {
            Route::Recorded => Self::Recorded,
            Route::CoordinationGroup | Route::Board => Self::Pending,
        }
    }

    /// A pending request once decided.
    pub fn decided(approved: bool) -> Self {
        if approved {
            Self::Approved
        } else {
            Self::Rejected
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_board_approves_the_frame_of_n2_and_n3_products() {
        assert!(!frame_needs_board(Level::Sandbox));
        assert!(!frame_needs_board(Level::N1));
        assert!(frame_needs_board(Level::N2));
        assert!(frame_needs_board(Level::N3));
    }

    #[test]
    fn a_minor_change_is_filed_by_the_project_leader_with_the_suppliers_agreement() {
        let leader = Filer {
            member_organization: false,
            project_leader: true,
        };
        let member = Filer {
            member_organization: true,
            project_leader: false,
        };
        let agreed = Some("Aftalt med leverandøren 3. november");
        let minor = ChangeCategory::MinorChange;
        assert_eq!(check_filing(minor, leader, agreed), Ok(()));
        assert_eq!(
            check_filing(minor, member, agreed),
            Err(FilingError::NotTheProjectLeader)
        );
        assert_eq!(
            check_filing(minor, leader, None),
            Err(FilingError::NoSupplierAgreement)
        );
        assert_eq!(
            check_filing(minor, leader, Some("  ")),
            Err(FilingError::NoSupplierAgreement)
        );
        let development = ChangeCategory::FurtherDevelopment;
        assert_eq!(check_filing(development, member, None), Ok(()));
        assert_eq!(
            check_filing(development, leader, None),
            Err(FilingError::NotAMember)
        );
        assert_eq!(
            check_filing(development, member, agreed),
            Err(FilingError::AgreementWithoutMinorChange)
        );
    }

    #[test]
    fn the_frame_holds_per_budget_year() {
        let approved = [(2026, 300_000), (2026, 100_000), (2025, 450_000)];
        assert_eq!(
            remaining_frame(Some(500_000), 2026, approved),
            Some(100_000)
        );
        assert_eq!(
            remaining_frame(Some(500_000), 2027, approved),
            Some(500_000)
        );
        assert_eq!(remaining_frame(None, 2026, approved), None);
    }

    #[test]
    fn a_request_waits_only_for_a_route_that_decides_and_ends_as_decided() {
        assert_eq!(
            ChangeRequestState::routed(Route::Recorded),
            ChangeRequestState::Recorded
        );
        for route in [Route::CoordinationGroup, Route::Board] {
            assert_eq!(
                ChangeRequestState::routed(route),
                ChangeRequestState::Pending
            );
        }
        assert_eq!(
            ChangeRequestState::decided(true),
            ChangeRequestState::Approved
        );
        assert_eq!(
            ChangeRequestState::decided(false),
            ChangeRequestState::Rejected
        );
        assert_eq!(ChangeRequestState::Rejected.as_str(), "rejected");
    }

    #[test]
    fn maintenance_and_minor_changes_are_recorded_whatever_they_cost() {
        for category in [
            ChangeCategory::LegalMaintenance,
            ChangeCategory::TechnicalMaintenance,
            ChangeCategory::MinorChange,
        ] {
            assert_eq!(route(category, 10_000_000, Some(0)), Route::Recorded);
        }
    }

    #[test]
    fn further_development_goes_to_the_board_beyond_the_frame() {
        let further = ChangeCategory::FurtherDevelopment;
        assert_eq!(
            route(further, 100_000, Some(100_000)),
            Route::CoordinationGroup
        );
        assert_eq!(route(further, 100_001, Some(100_000)), Route::Board);
        assert_eq!(
            route(further, 1, None),
            Route::Board,
            "no frame leaves nothing"
        );
        assert_eq!(
            route(ChangeCategory::ReTender, 50, Some(100)),
            Route::CoordinationGroup
        );
    }

    #[test]
    fn an_evaluation_marks_every_requirement_once_with_a_basis_for_all_but_green() {
        let requirements = ["a", "b", "c"];
        let marks = vec![
            ("a".to_owned(), Mark::Green, None),
            ("b".to_owned(), Mark::Yellow, None),
            ("b".to_owned(), Mark::Red, Some("nej".to_owned())),
            ("z".to_owned(), Mark::Green, None),
        ];
        assert_eq!(
            check_evaluation(&requirements, &marks),
            [
                EvaluationError::ReasoningRequired("b".into()),
                EvaluationError::MarkedTwice("b".into()),
                EvaluationError::UnknownRequirement("z".into()),
                EvaluationError::Unmarked("c".into()),
            ]
        );
        let complete = vec![
            ("a".to_owned(), Mark::Green, None),
            ("b".to_owned(), Mark::Red, Some("mangler".to_owned())),
            ("c".to_owned(), Mark::Yellow, Some("delvist".to_owned())),
        ];
        assert_eq!(check_evaluation(&requirements, &complete), []);
        let not_relevant = vec![
            ("a".to_owned(), Mark::Green, None),
            ("b".to_owned(), Mark::Grey, None),
            ("c".to_owned(), Mark::Grey, Some("Ingen drift".to_owned())),
        ];
        assert_eq!(
            check_evaluation(&requirements, &not_relevant),
            [EvaluationError::ReasoningRequired("b".into())]
        );
    }

    #[test]
    fn closed_products_take_no_changes() {
        assert_eq!(ProductState::Active.check_open(), Ok(()));
        assert_eq!(ProductState::Closed.check_open(), Err(ProductError::Closed));
    }

    #[test]
    fn level_changes_know_their_direction_and_gate() {
        assert_eq!(check_level_change(Level::N1, Level::N2), Ok(true));
        assert_eq!(check_level_change(Level::N3, Level::N2), Ok(false));
        assert_eq!(
            check_level_change(Level::N2, Level::N2),
            Err(ProductError::SameLevel(Level::N2))
        );
        assert_eq!(gate_for_level_change(true, true), Gate::GoLive);
        assert_eq!(gate_for_level_change(false, true), Gate::Start);
        assert_eq!(gate_for_level_change(false, false), Gate::Approval);
    }
}
