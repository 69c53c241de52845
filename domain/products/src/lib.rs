//! Products, level changes and change-request routing (DOMAIN.md §2, §5).

use os2pm_levels::{Gate, Level, names};
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

/// Requirements the board's approval of a level change itself satisfies, so they cannot block
/// proposing it.
pub const SATISFIED_BY_THE_BOARDS_DECISION: &[&str] = &["board_approval"];

/// A level change is a real change; moving up must meet the target level's requirements.
pub fn check_level_change(from: Level, to: Level) -> Result<bool, ProductError> {
    if from == to {
        return Err(ProductError::SameLevel(to));
    }
    Ok(to > from)
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

#[cfg(test)]
mod tests {
    use super::*;

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
