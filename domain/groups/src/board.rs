//! The board (*bestyrelsen*): seats held for a period, one chair among those seated.

use std::collections::HashSet;

use chrono::NaiveDate;

/// What a board meeting's agenda holds besides the recommendations it decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaItemKind {
    Orientation,
    Strategy,
    Other,
}

os2pm_levels::names!(AgendaItemKind: "An agenda item besides the recommendations" {
    Orientation => "orientation",
    Strategy => "strategy",
    Other => "other",
});

/// Where a board meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    Planned,
    Held,
    Cancelled,
}

os2pm_levels::id!(MeetingId: "A board meeting's id (a UUID).");

os2pm_levels::names!(MeetingStatus: "Where a board meeting stands" {
    Planned => "planned",
    Held => "held",
    Cancelled => "cancelled",
});

/// One seat on the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub person: String,
    pub chair: bool,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Seat {
    /// Whether the seat is held on `day`; `until` is inclusive.
    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|until| day <= until)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("`{0}` holds more than one seat")]
    DuplicatePerson(String),
    #[error("the seat of `{0}` ends before it starts")]
    EndsBeforeStart(String),
    #[error("the seated board must have exactly one chair; it has {0}")]
    ChairCount(usize),
}

/// Checks a roster: one seat per person, each seat a valid period, and exactly one chair among
/// the members seated on `today` (when anyone is).
pub fn check_roster(seats: &[Seat], today: NaiveDate) -> Vec<RosterError> {
    let mut errors = Vec::new();
    let mut people = HashSet::new();
    for seat in seats {
        if !people.insert(seat.person.as_str()) {
            errors.push(RosterError::DuplicatePerson(seat.person.clone()));
        }
        if seat.until.is_some_and(|until| until < seat.from) {
            errors.push(RosterError::EndsBeforeStart(seat.person.clone()));
        }
    }
    let seated: Vec<&Seat> = seats.iter().filter(|s| s.held_on(today)).collect();
    let chairs = seated.iter().filter(|s| s.chair).count();
    if !seated.is_empty() && chairs != 1 {
        errors.push(RosterError::ChairCount(chairs));
    }
    errors
}

/// Why minutes of a board meeting cannot carry a decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MinutesError {
    #[error("`{0}` held no seat on the meeting date")]
    NotSeated(String),
    #[error("`{0}` is named twice")]
    NamedTwice(String),
    #[error(
        "the board was not quorate: {present} of the {seated} members seated on the meeting date were present, and a decision needs more than half ({needed})"
    )]
    NoQuorum {
        present: usize,
        seated: usize,
        needed: usize,
    },
}

/// Checks the members present at a meeting against those `seated` on its date: each named once
/// and seated, and more than half of the seated present, without which the board is not
/// *beslutningsdygtig* and decides nothing (governance.md §7).
pub fn check_quorum(seated: &[String], present: &[String]) -> Vec<MinutesError> {
    let mut errors = Vec::new();
    let mut named = HashSet::new();
    for member in present {
        if !named.insert(member.as_str()) {
            errors.push(MinutesError::NamedTwice(member.clone()));
        } else if !seated.contains(member) {
            errors.push(MinutesError::NotSeated(member.clone()));
        }
    }
    let attending = named
        .iter()
        .filter(|m| seated.iter().any(|s| s == *m))
        .count();
    if attending * 2 <= seated.len() {
        errors.push(MinutesError::NoQuorum {
            present: attending,
            seated: seated.len(),
            needed: seated.len() / 2 + 1,
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    fn members(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn more_than_half_of_the_seated_members_make_a_quorum() {
        let seated = members(&["a", "b", "c", "d"]);
        assert_eq!(check_quorum(&seated, &members(&["a", "b", "c"])), vec![]);
        assert_eq!(
            check_quorum(&seated, &members(&["a", "b"])),
            vec![MinutesError::NoQuorum {
                present: 2,
                seated: 4,
                needed: 3
            }],
            "exactly half is not a quorum"
        );
        let five = members(&["a", "b", "c", "d", "e"]);
        assert_eq!(check_quorum(&five, &members(&["a", "b", "c"])), vec![]);
        assert_eq!(check_quorum(&five, &members(&["a", "b"])).len(), 1);
    }

    #[test]
    fn only_seated_members_named_once_count_towards_the_quorum() {
        let seated = members(&["a", "b", "c"]);
        assert_eq!(
            check_quorum(&seated, &members(&["a", "a", "x"])),
            vec![
                MinutesError::NamedTwice("a".into()),
                MinutesError::NotSeated("x".into()),
                MinutesError::NoQuorum {
                    present: 1,
                    seated: 3,
                    needed: 2
                },
            ]
        );
        assert_eq!(
            check_quorum(&seated, &members(&["a", "b", "x"])),
            vec![MinutesError::NotSeated("x".into())]
        );
    }

    #[test]
    fn a_board_without_seats_is_never_quorate() {
        assert_eq!(check_quorum(&[], &[]).len(), 1);
    }

    use super::*;

    fn day(iso: &str) -> NaiveDate {
        iso.parse().unwrap_or_else(|e| panic!("{iso}: {e}"))
    }

    fn seat(person: &str, chair: bool, from: &str, until: Option<&str>) -> Seat {
        Seat {
            person: person.into(),
            chair,
            from: day(from),
            until: until.map(day),
        }
    }

    const TODAY: &str = "2026-11-22";

    #[test]
    fn a_roster_with_one_seated_chair_is_valid() {
        let roster = [
            seat("a", true, "2026-01-01", None),
            seat("b", false, "2026-01-01", Some("2027-12-31")),
            // A former chair whose seat ended does not count.
            seat("c", true, "2020-01-01", Some("2025-12-31")),
        ];
        assert_eq!(check_roster(&roster, day(TODAY)), []);
    }

    #[test]
    fn the_seated_board_has_exactly_one_chair() {
        let none = [seat("a", false, "2026-01-01", None)];
        assert_eq!(
            check_roster(&none, day(TODAY)),
            [RosterError::ChairCount(0)]
        );
        let two = [
            seat("a", true, "2026-01-01", None),
            seat("b", true, "2026-01-01", None),
        ];
        assert_eq!(check_roster(&two, day(TODAY)), [RosterError::ChairCount(2)]);
        assert_eq!(check_roster(&[], day(TODAY)), []);
    }

    #[test]
    fn seats_are_periods_held_once_per_person() {
        let roster = [
            seat("a", true, "2026-01-01", None),
            seat("a", false, "2026-01-01", None),
            seat("b", false, "2026-06-01", Some("2026-05-01")),
        ];
        assert_eq!(
            check_roster(&roster, day(TODAY)),
            [
                RosterError::DuplicatePerson("a".into()),
                RosterError::EndsBeforeStart("b".into())
            ]
        );
    }

    #[test]
    fn seats_are_held_inclusively() {
        let s = seat("a", false, "2026-01-01", Some("2026-11-22"));
        assert!(s.held_on(day("2026-01-01")) && s.held_on(day(TODAY)));
        assert!(!s.held_on(day("2025-12-31")) && !s.held_on(day("2026-11-23")));
    }

    #[test]
    fn a_one_day_seat_is_a_period() {
        // A seat may begin and end on the same day; only an end before the start is refused.
        let roster = [
            seat("a", true, "2026-01-01", None),
            seat("b", false, TODAY, Some(TODAY)),
        ];
        assert_eq!(check_roster(&roster, day(TODAY)), []);
    }
}
