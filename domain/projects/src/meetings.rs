//! Board meetings and their deadlines (governance.md §6): proposals for the agenda close four weeks
//! before a meeting, the agenda and material go out two weeks before; a recommendation
//! submitted after a deadline goes to the following meeting.

use chrono::{Days, NaiveDate};
use os2pm_levels::Level;

use crate::lifecycle::State;

/// Proposals for the agenda close this many days before the meeting.
pub const AGENDA_CLOSES_DAYS_BEFORE: u64 = 28;
/// The agenda and material go out this many days before the meeting.
pub const MATERIAL_DAYS_BEFORE: u64 = 14;

/// The last day a recommendation reaches this meeting's agenda.
pub fn agenda_deadline(meeting: NaiveDate) -> NaiveDate {
    meeting - Days::new(AGENDA_CLOSES_DAYS_BEFORE)
}

/// The day the agenda and material go out.
pub fn material_date(meeting: NaiveDate) -> NaiveDate {
    meeting - Days::new(MATERIAL_DAYS_BEFORE)
}

/// The meeting whose agenda takes a recommendation submitted on `submitted`: the earliest one
/// whose agenda deadline has not passed that day. `meetings` are (id, date) in any order.
pub fn meeting_for<I: AsRef<str>>(
    submitted: NaiveDate,
    meetings: &[(I, NaiveDate)],
) -> Option<&str> {
    meetings
        .iter()
        .filter(|(_, date)| submitted <= agenda_deadline(*date))
        .min_by_key(|(_, date)| *date)
        .map(|(id, _)| id.as_ref())
}

/// Whether a project must report progress and economy before a meeting: N2 and N3 projects
/// that run; N1 (and sandbox) projects only inform (status).
pub fn must_report(level: Level, state: State) -> bool {
    !level.is_local() && matches!(state, State::InProgress | State::Paused)
}

/// Whether the project's last report satisfies the duty for a meeting: it must be newer than
/// the previous meeting and in before the meeting's material date.
pub fn report_in_time(
    last_report: Option<NaiveDate>,
    previous_meeting: Option<NaiveDate>,
    meeting: NaiveDate,
) -> bool {
    last_report.is_some_and(|reported| {
        previous_meeting.is_none_or(|previous| reported > previous)
            && reported <= material_date(meeting)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> NaiveDate {
        iso.parse().unwrap_or_else(|e| panic!("{iso}: {e}"))
    }

    #[test]
    fn deadlines_are_four_and_two_weeks_before() {
        assert_eq!(agenda_deadline(day("2027-03-18")), day("2027-02-18"));
        assert_eq!(material_date(day("2027-03-18")), day("2027-03-04"));
    }

    #[test]
    fn a_day_before_and_a_day_after_the_deadline_land_on_different_meetings() {
        let meetings = [("march", day("2027-03-18")), ("june", day("2027-06-17"))];
        assert_eq!(meeting_for(day("2027-02-17"), &meetings), Some("march"));
        assert_eq!(
            meeting_for(day("2027-02-18"), &meetings),
            Some("march"),
            "on the deadline"
        );
        assert_eq!(meeting_for(day("2027-02-19"), &meetings), Some("june"));
        assert_eq!(
            meeting_for(day("2027-05-21"), &meetings),
            None,
            "no meeting planned yet"
        );
    }

    #[test]
    fn meetings_close_together_take_items_by_their_own_deadlines() {
        // Two meetings a week apart: their deadlines are a week apart too.
        let meetings = [("b", day("2027-03-25")), ("a", day("2027-03-18"))];
        assert_eq!(meeting_for(day("2027-02-18"), &meetings), Some("a"));
        assert_eq!(meeting_for(day("2027-02-19"), &meetings), Some("b"));
        assert_eq!(meeting_for(day("2027-02-26"), &meetings), None);
    }

    #[test]
    fn n2_and_n3_running_projects_report_n1_informs() {
        assert!(must_report(Level::N2, State::InProgress));
        assert!(must_report(Level::N3, State::Paused));
        assert!(!must_report(Level::N1, State::InProgress));
        assert!(!must_report(Level::N2, State::Approved));
    }

    #[test]
    fn a_report_counts_when_newer_than_the_previous_meeting_and_before_the_material() {
        let meeting = day("2027-06-17");
        let previous = Some(day("2027-03-18"));
        assert!(report_in_time(Some(day("2027-05-01")), previous, meeting));
        assert!(
            !report_in_time(Some(day("2027-03-18")), previous, meeting),
            "not newer"
        );
        assert!(
            !report_in_time(Some(day("2027-06-10")), previous, meeting),
            "after the material"
        );
        assert!(
            report_in_time(Some(day("2027-06-03")), previous, meeting),
            "on the material date"
        );
        assert!(!report_in_time(None, previous, meeting));
        assert!(
            report_in_time(Some(day("2020-01-01")), None, meeting),
            "first meeting: any report"
        );
    }
}
