//! The association's evaluation of a product (governance.md §8): a mark for every requirement of
//! the checklist, every level from the sandbox to N3, whatever the product's level; the counts
//! its reports carry; and the highest level the marks bear out, beside the evaluator's own
//! recommendation (which is a judgement, not this formula).

use os2pm_levels::{Level, Theme, names};
use serde::{Deserialize, Serialize};

/// The traffic light of a requirement; grey is *ikke relevant*, left out of the judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Green,
    Yellow,
    Red,
    Grey,
}

names!(Mark: "A requirement's traffic light: green, yellow, red, or grey (*ikke relevant*)" {
    Green => "green",
    Yellow => "yellow",
    Red => "red",
    Grey => "grey",
});

impl Mark {
    /// Whether the mark leaves the requirement met, as far as a level goes: green, or grey
    /// (not relevant to the product).
    pub fn holds(self) -> bool {
        matches!(self, Self::Green | Self::Grey)
    }
}

/// What the secretariat writes when a self-assessment says nothing about an item.
pub const NO_DATA: &str = "Ingen data i selvevalueringsrapport.";

/// A self-assessment's answer (*efterlevet*) as the mark an evaluation starts from, the way the
/// association maps them: `Ja` green, `Planlagt` yellow, `Nej` and `Ved ikke` red, `Ikke
/// relevant` grey. The basis is the answer's documentation; no answer (or an answer the
/// association does not use) is red, with [`NO_DATA`] as its basis.
pub fn mark_from_answer(answer: Option<&str>, documentation: Option<&str>) -> (Mark, String) {
    let mark = match answer.map(str::trim) {
        Some("Ja") => Mark::Green,
        Some("Planlagt") => Mark::Yellow,
        Some("Nej" | "Ved ikke") => Mark::Red,
        Some("Ikke relevant") => Mark::Grey,
        _ => return (Mark::Red, NO_DATA.to_owned()),
    };
    let basis = documentation
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(NO_DATA);
    (mark, basis.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    #[error("`{0}` is not a requirement of the product's checklist")]
    UnknownRequirement(String),
    #[error("`{0}` is not marked: every requirement of every level gets a mark")]
    Unmarked(String),
    #[error("`{0}` is marked twice")]
    MarkedTwice(String),
    #[error("the yellow, red or grey mark of `{0}` needs its basis (`reasoning`)")]
    ReasoningRequired(String),
}

/// Checks an evaluation: every requirement of the checklist marked once, a basis for every mark
/// but green.
pub fn check_evaluation(
    requirements: &[&str],
    marks: &[(String, Mark, Option<String>)],
) -> Vec<EvaluationError> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (key, mark, reasoning) in marks {
        if !requirements.contains(&key.as_str()) {
            errors.push(EvaluationError::UnknownRequirement(key.clone()));
        }
        if !seen.insert(key.as_str()) {
            errors.push(EvaluationError::MarkedTwice(key.clone()));
        }
        if *mark != Mark::Green && reasoning.as_deref().is_none_or(|r| r.trim().is_empty()) {
            errors.push(EvaluationError::ReasoningRequired(key.clone()));
        }
    }
    errors.extend(
        requirements
            .iter()
            .filter(|key| !seen.contains(**key))
            .map(|key| EvaluationError::Unmarked((*key).to_owned())),
    );
    errors
}

/// A requirement marked from the checklist items that correspond to it (a product pinned to the
/// 2016 catalogue), each already a mark and basis: the worst of the relevant ones (red before
/// yellow before green), grey only when every one is; the basis names each item. One item is
/// taken as it is; none is red with [`NO_DATA`].
pub fn mark_from_items(items: &[(&str, Mark, String)]) -> (Mark, String) {
    match items {
        [] => (Mark::Red, NO_DATA.to_owned()),
        [(_, mark, basis)] => (*mark, basis.clone()),
        several => {
            let severity = |mark: Mark| match mark {
                Mark::Red => 3,
                Mark::Yellow => 2,
                Mark::Green => 1,
                Mark::Grey => 0,
            };
            let mark = several
                .iter()
                .map(|(_, mark, _)| *mark)
                .max_by_key(|mark| severity(*mark))
                .unwrap_or(Mark::Red);
            let basis = several
                .iter()
                .map(|(id, _, basis)| format!("{id}: {basis}"))
                .collect::<Vec<_>>()
                .join("\n");
            (mark, basis)
        }
    }
}

/// How many marks of each colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
    pub grey: u32,
}

impl Tally {
    fn add(&mut self, mark: Mark) {
        match mark {
            Mark::Green => self.green += 1,
            Mark::Yellow => self.yellow += 1,
            Mark::Red => self.red += 1,
            Mark::Grey => self.grey += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.green + self.yellow + self.red + self.grey
    }
}

/// One requirement's mark, with where the requirement sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marked {
    pub level: Level,
    pub theme: Theme,
    pub mark: Mark,
}

/// The counts an evaluation report carries: per level (each on its own, lowest first), in
/// total, and per theme × level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub per_level: Vec<(Level, Tally)>,
    pub total: Tally,
    /// Per theme, in the report's order (relevance, form, strategy, governance): its tally per
    /// level and its total.
    pub per_theme: Vec<ThemeCounts>,
}

/// A theme's tally per level, and its total.
pub type ThemeCounts = (Theme, Vec<(Level, Tally)>, Tally);

/// The levels of a report, lowest first.
pub const LEVELS: [Level; 4] = [Level::Sandbox, Level::N1, Level::N2, Level::N3];

/// The themes in the order the association's reports list them.
pub const THEMES: [Theme; 4] = [
    Theme::Relevance,
    Theme::Form,
    Theme::Strategy,
    Theme::Governance,
];

pub fn count(marks: &[Marked]) -> Counts {
    let tally = |keep: &dyn Fn(&Marked) -> bool| {
        let mut tally = Tally::default();
        marks
            .iter()
            .filter(|m| keep(m))
            .for_each(|m| tally.add(m.mark));
        tally
    };
    Counts {
        per_level: LEVELS
            .iter()
            .map(|level| (*level, tally(&|m| m.level == *level)))
            .collect(),
        total: tally(&|_| true),
        per_theme: THEMES
            .iter()
            .map(|theme| {
                let levels = LEVELS
                    .iter()
                    .map(|level| (*level, tally(&|m| m.theme == *theme && m.level == *level)))
                    .collect();
                (*theme, levels, tally(&|m| m.theme == *theme))
            })
            .collect(),
    }
}

/// The highest level whose requirements, and those of every level below it, are all green or
/// grey; `None` when not even the lowest level's are. A level without requirements asks
/// nothing.
pub fn suggested_level(marks: &[Marked]) -> Option<Level> {
    LEVELS
        .iter()
        .take_while(|level| {
            marks
                .iter()
                .filter(|m| m.level == **level)
                .all(|m| m.mark.holds())
        })
        .last()
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(level: Level, theme: Theme, mark: Mark) -> Marked {
        Marked { level, theme, mark }
    }

    #[test]
    fn answers_map_to_marks_as_the_association_maps_them() {
        assert_eq!(
            mark_from_answer(Some("Ja"), Some("https://github.com/OS2faktor")),
            (Mark::Green, "https://github.com/OS2faktor".into())
        );
        assert_eq!(
            mark_from_answer(Some("Planlagt"), Some("Q3")).0,
            Mark::Yellow
        );
        assert_eq!(
            mark_from_answer(Some("Nej"), None),
            (Mark::Red, NO_DATA.into())
        );
        assert_eq!(mark_from_answer(Some("Ved ikke"), Some(" ")).0, Mark::Red);
        assert_eq!(
            mark_from_answer(Some("Nej"), Some("Ikke endnu")),
            (Mark::Red, "Ikke endnu".into())
        );
        assert_eq!(mark_from_answer(Some("Ikke relevant"), None).0, Mark::Grey);
        assert_eq!(
            mark_from_answer(None, Some("noget")),
            (Mark::Red, NO_DATA.into())
        );
    }

    #[test]
    fn a_2016_requirement_takes_the_worst_of_its_items() {
        let item = |id, mark, basis: &str| (id, mark, basis.to_owned());
        assert_eq!(mark_from_items(&[]), (Mark::Red, NO_DATA.into()));
        assert_eq!(
            mark_from_items(&[item("R1", Mark::Green, "Foo")]),
            (Mark::Green, "Foo".into())
        );
        assert_eq!(
            mark_from_items(&[item("F2", Mark::Yellow, "a"), item("F3", Mark::Green, "b")]),
            (Mark::Yellow, "F2: a\nF3: b".into())
        );
        assert_eq!(
            mark_from_items(&[item("F2", Mark::Red, "a"), item("F3", Mark::Yellow, "b")]).0,
            Mark::Red
        );
        assert_eq!(
            mark_from_items(&[item("F2", Mark::Green, "a"), item("F3", Mark::Grey, "b")]).0,
            Mark::Green,
            "an item that does not apply does not make the requirement grey"
        );
        assert_eq!(
            mark_from_items(&[item("F2", Mark::Grey, "a"), item("F3", Mark::Grey, "b")]).0,
            Mark::Grey
        );
    }

    #[test]
    fn counts_are_per_level_in_total_and_per_theme_and_level() {
        let marks = [
            marked(Level::Sandbox, Theme::Relevance, Mark::Green),
            marked(Level::Sandbox, Theme::Form, Mark::Yellow),
            marked(Level::N1, Theme::Form, Mark::Red),
            marked(Level::N1, Theme::Governance, Mark::Green),
            marked(Level::N3, Theme::Governance, Mark::Grey),
        ];
        let counts = count(&marks);
        let level = |level: Level| {
            counts
                .per_level
                .iter()
                .find(|(l, _)| *l == level)
                .unwrap_or_else(|| panic!("no count for the level"))
                .1
        };
        assert_eq!(
            level(Level::Sandbox),
            Tally {
                green: 1,
                yellow: 1,
                red: 0,
                grey: 0
            }
        );
        assert_eq!(level(Level::N2), Tally::default());
        assert_eq!(
            counts.total,
            Tally {
                green: 2,
                yellow: 1,
                red: 1,
                grey: 1
            }
        );
        let (theme, levels, total) = &counts.per_theme[1];
        assert_eq!(*theme, Theme::Form);
        assert_eq!(
            levels[1],
            (
                Level::N1,
                Tally {
                    red: 1,
                    ..Tally::default()
                }
            )
        );
        assert_eq!(total.total(), 2);
        assert_eq!(
            counts.per_theme[3].2,
            Tally {
                green: 1,
                grey: 1,
                ..Tally::default()
            }
        );
    }

    #[test]
    fn the_suggested_level_is_the_highest_met_with_every_level_below_it() {
        let mut marks = vec![
            marked(Level::Sandbox, Theme::Form, Mark::Green),
            marked(Level::N1, Theme::Form, Mark::Grey),
            marked(Level::N2, Theme::Form, Mark::Yellow),
            marked(Level::N3, Theme::Form, Mark::Green),
        ];
        assert_eq!(
            suggested_level(&marks),
            Some(Level::N1),
            "N3 is green, N2 is not"
        );
        marks[2].mark = Mark::Green;
        assert_eq!(suggested_level(&marks), Some(Level::N3));
        marks[0].mark = Mark::Red;
        assert_eq!(suggested_level(&marks), None);
    }
}
