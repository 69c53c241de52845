//! The association's current checklist, the 2025 *styringsmodel* (governance.md §8), and its
//! self-assessment files (*selvevaluering*).
//!
//! Its items (R1–R4, F1–F22, S1–S5, G1–G14) sit on the levels `sandkasse`, 1, 2 and 3;
//! *(anbefaling)* items are recommended, never blocking. Each item names the `os2-2016`
//! requirements it corresponds to, so a self-assessment can become evidence for a product
//! pinned to the 2016 catalogue.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Catalogue, CatalogueError, EvidenceKind, Gate, Level, Requirement, Theme};

pub const STYRINGSMODEL_2025: &str = "os2-styringsmodel-2025";

const STYRINGSMODEL_2025_JSON: &str = include_str!("../catalogues/os2-styringsmodel-2025.json");

/// The checklist's levels, lowest first: the sandbox below level 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ChecklistLevel {
    #[serde(rename = "sandkasse")]
    Sandkasse,
    #[serde(rename = "1")]
    One,
    #[serde(rename = "2")]
    Two,
    #[serde(rename = "3")]
    Three,
}

names!(ChecklistLevel { Sandkasse => "sandkasse", One => "1", Two => "2", Three => "3" });

impl ChecklistLevel {
    /// Reads `sandkasse`, `1`–`3`, or the 2016 names `N1`–`N3`.
    pub fn read(text: &str) -> Result<Self, crate::UnknownValue> {
        match text.parse::<Level>() {
            Ok(level) => Ok(Self::of(level)),
            Err(_) => text.parse::<Self>().map_err(|_| {
                crate::UnknownValue::new(text, &["sandkasse", "1", "2", "3", "N1", "N2", "N3"])
            }),
        }
    }

    /// The checklist's name of a level.
    pub fn of(level: Level) -> Self {
        match level {
            Level::Sandbox => Self::Sandkasse,
            Level::N1 => Self::One,
            Level::N2 => Self::Two,
            Level::N3 => Self::Three,
        }
    }

    /// The level this checklist name stands for.
    pub fn level(self) -> Level {
        match self {
            Self::Sandkasse => Level::Sandbox,
            Self::One => Level::N1,
            Self::Two => Level::N2,
            Self::Three => Level::N3,
        }
    }
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: String,
    /// `relevans`, `formkrav`, `strategisk` or `governance`.
    pub category: String,
    pub level: ChecklistLevel,
    pub text: String,
    /// The association's guidance on what to document (*retningslinjer*).
    pub guideline: String,
    /// *(anbefaling)*: recommended, never blocking.
    pub recommended: bool,
    /// The `os2-2016` requirements the item corresponds to; empty when none does.
    pub os2_2016: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub version: String,
    pub title: String,
    pub items: Vec<ChecklistItem>,
}

impl Checklist {
    /// The 2025 checklist, from `catalogues/os2-styringsmodel-2025.json`.
    pub fn styringsmodel_2025() -> Result<Self, CatalogueError> {
        let checklist: Self = serde_json::from_str(STYRINGSMODEL_2025_JSON)
            .map_err(|e| CatalogueError::Malformed(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for item in &checklist.items {
            if !seen.insert(item.id.as_str()) {
                return Err(CatalogueError::DuplicateKey(item.id.clone()));
            }
        }
        Ok(checklist)
    }

    /// The items of `level` and every level below it, in checklist order.
    pub fn for_level(&self, level: ChecklistLevel) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().filter(move |item| item.level <= level)
    }

    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|item| item.id == id)
    }

    /// The checklist as a catalogue a project can be pinned to. The checklist names no gates
    /// and no kinds of evidence, so each item takes them from the `os2-2016` requirements it
    /// corresponds to: the earliest of their gates (go-live when it has none); derived when
    /// its one counterpart is computed by the server (G5 is `board_approval`); otherwise
    /// follow-or-explain, as the association answers *Ja*, or *Nej* with documentation. An
    /// item whose counterparts all spare adoptions spares them too.
    pub fn to_catalogue(&self, os2_2016: &Catalogue) -> Result<Catalogue, CatalogueError> {
        let requirements = self
            .items
            .iter()
            .map(|item| {
                let counterparts = item
                    .os2_2016
                    .iter()
                    .map(|key| {
                        os2_2016
                            .requirements
                            .iter()
                            .find(|r| &r.key == key)
                            .ok_or_else(|| CatalogueError::UnknownCounterpart {
                                item: item.id.clone(),
                                key: key.clone(),
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let derived = match counterparts.as_slice() {
                    [only] if only.kind == EvidenceKind::Derived => Some(*only),
                    _ => None,
                };
                Ok(Requirement {
                    key: item.id.clone(),
                    level: item.level.level(),
                    max_level: None,
                    theme: theme(&item.category)?,
                    kind: derived.map_or(EvidenceKind::FollowOrExplain, |r| r.kind),
                    gate: counterparts
                        .iter()
                        .map(|r| r.gate)
                        .min()
                        .unwrap_or(Gate::GoLive),
                    title_da: item.text.clone(),
                    title_en: match counterparts.as_slice() {
                        [] => item.text.clone(),
                        some => some
                            .iter()
                            .map(|r| r.title_en.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    },
                    not_applicable_allowed: counterparts.iter().any(|r| r.not_applicable_allowed),
                    per_organization: counterparts.iter().any(|r| r.per_organization),
                    minimum: derived.and_then(|r| r.minimum),
                    recommended: item.recommended,
                    computed_as: derived.map(|r| r.key.clone()),
                    not_for_adoptions: counterparts
                        .iter()
                        .map(|r| r.not_for_adoptions.clone())
                        .collect::<Option<Vec<_>>>()
                        .and_then(|reasons| reasons.into_iter().next()),
                })
            })
            .collect::<Result<_, CatalogueError>>()?;
        Ok(Catalogue {
            version: self.version.clone(),
            title: self.title.clone(),
            levels: ChecklistLevel::ALL.iter().map(|l| l.level()).collect(),
            requirements,
        })
    }
}

/// The theme of a checklist category (`relevans`, `formkrav`, `strategisk`, `governance`).
pub fn theme(category: &str) -> Result<Theme, CatalogueError> {
    match category {
        "relevans" => Ok(Theme::Relevance),
        "formkrav" => Ok(Theme::Form),
        "strategisk" => Ok(Theme::Strategy),
        "governance" => Ok(Theme::Governance),
        other => Err(CatalogueError::Malformed(format!(
            "unknown checklist category `{other}`"
        ))),
    }
}

/// An answer in a self-assessment (*efterlevet*), as the association's form offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    Ja,
    Nej,
    /// The item does not apply to the product, in the product's own view.
    IkkeRelevant,
    VedIkke,
    /// Not met yet; work to meet it is planned.
    Planlagt,
}

names!(Answer {
    Ja => "Ja",
    Nej => "Nej",
    IkkeRelevant => "Ikke relevant",
    VedIkke => "Ved ikke",
    Planlagt => "Planlagt",
});

/// One answered (or unanswered) item of a self-assessment file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerLine {
    pub id: String,
    pub answer: Option<Answer>,
    pub documentation: Option<String>,
}

/// A self-assessment file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfAssessment {
    pub product_name: String,
    pub filled_by: String,
    /// `YYYY-MM-DD`, as written.
    pub filled_date: String,
    pub generated_at: Option<String>,
    pub answers: Vec<AnswerLine>,
}

/// What is wrong with a self-assessment file, and where (`krav[3].efterlevet`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub field: String,
    pub message: String,
}

/// The most items a file may hold: the checklist has 43.
pub const MAX_ITEMS: usize = 500;

/// Reads a self-assessment exactly in the association's format: `productName`, `filledBy`,
/// `filledDate`, optional `generatedAt`, and `krav[{id, kategori, krav, produktniveau,
/// retningslinjer, efterlevet, dokumentation}]`. Every problem is reported, none is skipped.
pub fn read_self_assessment(file: &Value) -> Result<SelfAssessment, Vec<FormatError>> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: &str| {
        errors.push(FormatError {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    };
    let Some(object) = file.as_object() else {
        fail("", "is not a JSON object");
        return Err(errors);
    };
    const TOP: [&str; 5] = [
        "productName",
        "filledBy",
        "filledDate",
        "generatedAt",
        "krav",
    ];
    for key in object.keys().filter(|k| !TOP.contains(&k.as_str())) {
        fail(key, "is not a field of a self-assessment file");
    }
    let mut text = |field: &str, required: bool| -> Option<String> {
        match object.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            None | Some(Value::Null) if !required => None,
            _ => {
                fail(field, "must be a non-empty string");
                None
            }
        }
    };
    let product_name = text("productName", true);
    let filled_by = text("filledBy", true);
    let filled_date = text("filledDate", true);
    let generated_at = text("generatedAt", false);
    if let Some(date) = &filled_date
        && !is_date(date)
    {
        fail("filledDate", "must be a date, YYYY-MM-DD");
    }
    let mut answers = Vec::new();
    match object.get("krav").and_then(Value::as_array) {
        None => fail("krav", "must be an array of requirements"),
        Some(items) if items.len() > MAX_ITEMS => {
            fail("krav", &format!("holds more than {MAX_ITEMS} items"));
        }
        Some(items) => {
            let mut ids = std::collections::HashSet::new();
            for (i, item) in items.iter().enumerate() {
                answers.extend(read_item(i, item, &mut ids, &mut errors));
            }
        }
    }
    match (product_name, filled_by, filled_date) {
        (Some(product_name), Some(filled_by), Some(filled_date)) if errors.is_empty() => {
            Ok(SelfAssessment {
                product_name,
                filled_by,
                filled_date,
                generated_at,
                answers,
            })
        }
        _ => Err(errors),
    }
}

/// One item of `krav`: its id (once in the file), its answer and its documentation; each
/// problem goes to `errors`.
fn read_item(
    i: usize,
    item: &Value,
    ids: &mut std::collections::HashSet<String>,
    errors: &mut Vec<FormatError>,
) -> Option<AnswerLine> {
    const FIELDS: [&str; 7] = [
        "id",
        "kategori",
        "krav",
        "produktniveau",
        "retningslinjer",
        "efterlevet",
        "dokumentation",
    ];
    let mut fail = |field: String, message: &str| {
        errors.push(FormatError {
            field,
            message: message.to_owned(),
        });
    };
    let at = |field: &str| format!("krav[{i}].{field}");
    let Some(item) = item.as_object() else {
        fail(format!("krav[{i}]"), "is not an object");
        return None;
    };
    for key in item.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        fail(at(key), "is not a field of a requirement");
    }
    let id = match item.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => id.to_owned(),
        _ => {
            fail(at("id"), "must be a non-empty string");
            return None;
        }
    };
    if !ids.insert(id.clone()) {
        fail(at("id"), &format!("`{id}` appears twice"));
    }
    let answer = match item.get("efterlevet") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_str().map(str::parse::<Answer>) {
            Some(Ok(answer)) => Some(answer),
            _ => {
                fail(
                    at("efterlevet"),
                    "must be \"Ja\", \"Nej\", \"Ikke relevant\", \"Ved ikke\", \"Planlagt\" or null",
                );
                None
            }
        },
    };
    let documentation = match item.get("dokumentation") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            fail(at("dokumentation"), "must be a string or null");
            None
        }
    };
    for field in ["kategori", "krav", "produktniveau", "retningslinjer"] {
        if !matches!(item.get(field), None | Some(Value::Null | Value::String(_))) {
            fail(at(field), "must be a string");
        }
    }
    Some(AnswerLine {
        id,
        answer,
        documentation,
    })
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
        s.len() == len && s.parse::<u32>().is_ok_and(|n| range.contains(&n))
    };
    matches!(parts.as_slice(), [y, m, d] if number(y, 4, 1900..=9999) && number(m, 2, 1..=12) && number(d, 2, 1..=31))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn checklist() -> Checklist {
        Checklist::styringsmodel_2025().unwrap_or_else(|e| panic!("{e}"))
    }

    fn as_catalogue() -> Catalogue {
        Catalogue::styringsmodel_2025().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_checklist_as_a_catalogue_offers_the_sandbox_and_takes_gates_from_2016() {
        let catalogue = as_catalogue();
        assert_eq!(catalogue.version, STYRINGSMODEL_2025);
        assert_eq!(
            catalogue.levels,
            [Level::Sandbox, Level::N1, Level::N2, Level::N3]
        );
        let sandbox: Vec<&str> = catalogue
            .for_level(Level::Sandbox)
            .map(|r| r.key.as_str())
            .collect();
        assert_eq!(sandbox, ["R1", "F1", "F2", "F3", "F4", "F5"]);
        assert_eq!(catalogue.for_level(Level::N3).count(), 43);
        // G8, the project model, spares adoptions as its 2016 counterpart does; F7 does not.
        let get = |id: &str| catalogue.requirements.iter().find(|r| r.key == id);
        assert!(get("G8").is_some_and(|r| r.not_for_adoptions.is_some()));
        assert!(get("F7").is_some_and(|r| r.not_for_adoptions.is_none()));
        let get = |key: &str| {
            catalogue
                .requirements
                .iter()
                .find(|r| r.key == key)
                .unwrap_or_else(|| panic!("no {key}"))
        };
        // Gates and kinds come from the 2016 counterparts; without one, go-live and
        // follow-or-explain.
        assert_eq!(get("F5").gate, Gate::Approval);
        assert_eq!(get("F1").gate, Gate::GoLive);
        assert_eq!(
            (get("F6").gate, get("F6").kind),
            (Gate::GoLive, EvidenceKind::FollowOrExplain)
        );
        assert_eq!(get("G5").kind, EvidenceKind::Derived);
        assert_eq!(get("G5").computation_key(), "board_approval");
        assert_eq!(get("G5").gate, Gate::Start);
        assert!(get("R2").per_organization);
        assert_eq!(
            get("F3").title_da,
            "Udbudsregler og alm. lovformlighed er overholdt"
        );
        let recommended: Vec<&str> = catalogue
            .requirements
            .iter()
            .filter(|r| r.recommended)
            .map(|r| r.key.as_str())
            .collect();
        assert_eq!(recommended, ["F19", "F20", "G7", "G8", "G9", "G10"]);
    }

    #[test]
    fn recommended_items_never_block_a_gate() {
        let catalogue = as_catalogue();
        let facts = crate::evidence::Facts::default();
        for gate in Gate::ALL {
            let due = catalogue.due_at(Level::N3, *gate).filter(|r| r.recommended);
            let unmet = crate::evidence::unmet(&catalogue, Level::N3, *gate, &[], &[], &facts);
            assert!(due.count() > 0 || *gate == Gate::Start);
            assert!(unmet.iter().all(|r| !r.recommended), "{gate}: {unmet:?}");
            assert!(!unmet.is_empty());
        }
    }

    #[test]
    fn a_catalogue_refuses_a_requirement_at_a_level_it_does_not_offer() {
        let mut catalogue = Catalogue::os2_2016().unwrap_or_else(|e| panic!("{e}"));
        catalogue.requirements[0].level = Level::Sandbox;
        let json = serde_json::to_string(&catalogue).unwrap_or_default();
        assert!(matches!(
            Catalogue::from_json(&json),
            Err(CatalogueError::LevelNotOffered { .. })
        ));
    }

    #[test]
    fn the_2025_checklist_has_its_43_items_on_four_levels() {
        let c = checklist();
        assert_eq!(c.version, STYRINGSMODEL_2025);
        assert_eq!(c.items.len(), 43);
        let count = |prefix: char| c.items.iter().filter(|i| i.id.starts_with(prefix)).count();
        assert_eq!(
            (count('R'), count('F'), count('S'), count('G')),
            (4, 20, 5, 14)
        );
        assert_eq!(c.for_level(ChecklistLevel::Sandkasse).count(), 6);
        assert!(c.for_level(ChecklistLevel::Three).count() == 43);
        let recommended: Vec<&str> = c
            .items
            .iter()
            .filter(|i| i.recommended)
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(recommended, ["F19", "F20", "G7", "G8", "G9", "G10"]);
        assert_eq!(
            c.item("F1").map(|i| i.os2_2016.clone()),
            Some(vec!["source_shared".into()])
        );
    }

    #[test]
    fn every_correspondence_names_a_2016_requirement() {
        let old = crate::Catalogue::os2_2016().unwrap_or_else(|e| panic!("{e}"));
        for item in checklist().items {
            for key in &item.os2_2016 {
                assert!(
                    old.requirements.iter().any(|r| &r.key == key),
                    "{}: {key}",
                    item.id
                );
            }
        }
    }

    #[test]
    fn levels_read_both_namings() {
        assert_eq!(
            ChecklistLevel::read("sandkasse"),
            Ok(ChecklistLevel::Sandkasse)
        );
        assert_eq!(ChecklistLevel::read("2"), Ok(ChecklistLevel::Two));
        assert_eq!(ChecklistLevel::read("N3"), Ok(ChecklistLevel::Three));
        assert!(ChecklistLevel::read("N4").is_err());
        assert!(ChecklistLevel::Sandkasse < ChecklistLevel::One);
    }

    fn file() -> Value {
        json!({"productName": "OS2test", "filledBy": "Rasmus", "filledDate": "2026-05-01",
            "generatedAt": "2026-05-01T12:27:13.655Z", "krav": [
            {"id": "R1", "kategori": "relevans", "krav": "…", "produktniveau": "sandkasse",
             "retningslinjer": "…", "efterlevet": "Ja", "dokumentation": "https://os2.eu"},
            {"id": "R4", "kategori": "relevans", "krav": "…", "produktniveau": "3",
             "retningslinjer": "…", "efterlevet": null, "dokumentation": ""}]})
    }

    #[test]
    fn a_file_in_the_associations_format_is_read() {
        let read = read_self_assessment(&file()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(read.product_name, "OS2test");
        assert_eq!(read.answers[0].answer, Some(Answer::Ja));
        assert_eq!(
            read.answers[0].documentation.as_deref(),
            Some("https://os2.eu")
        );
        assert_eq!(read.answers[1].answer, None);
        assert_eq!(read.answers[1].documentation, None);
    }

    /// Every answer the association's form offers (its `statusChoices`).
    #[test]
    fn every_answer_of_the_form_is_read() {
        let choices = ["Ja", "Nej", "Ikke relevant", "Ved ikke", "Planlagt"];
        for (choice, answer) in choices.into_iter().zip(Answer::ALL) {
            let mut one = file();
            one["krav"][1]["efterlevet"] = json!(choice);
            let read = read_self_assessment(&one).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(read.answers[1].answer, Some(*answer), "{choice}");
        }
        assert_eq!(Answer::ALL.len(), choices.len());
    }

    #[test]
    fn every_format_error_is_reported_with_its_place() {
        let mut bad = file();
        bad["filledDate"] = json!("1. maj");
        bad["extra"] = json!(1);
        bad["krav"][0]["efterlevet"] = json!("Måske");
        bad["krav"][1]["id"] = json!("R1");
        bad["krav"][1]["note"] = json!("x");
        let errors = read_self_assessment(&bad).err().unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "extra",
                "filledDate",
                "krav[0].efterlevet",
                "krav[1].note",
                "krav[1].id"
            ]
        );
        assert_eq!(
            read_self_assessment(&json!([1]))
                .err()
                .map(|e| e[0].message.clone()),
            Some("is not a JSON object".into())
        );
        let no_items = read_self_assessment(
            &json!({"productName": "x", "filledBy": "y", "filledDate": "2026-01-01"}),
        );
        assert_eq!(
            no_items.err().map(|e| e[0].field.clone()),
            Some("krav".into())
        );
    }

    /// Only an item whose one counterpart os2pm computes is computed itself.
    #[test]
    fn an_item_is_derived_only_when_its_one_counterpart_is() {
        let catalogue = as_catalogue();
        let item = |key: &str| {
            catalogue
                .requirements
                .iter()
                .find(|r| r.key == key)
                .map(|r| (r.kind, r.computed_as.clone()))
                .unwrap_or_else(|| panic!("no {key}"))
        };
        assert_eq!(
            item("G5"),
            (EvidenceKind::Derived, Some("board_approval".into())),
            "G5 is the board's approval"
        );
        // R1 corresponds to one attested requirement (the local value): answered, not computed.
        assert_eq!(item("R1"), (EvidenceKind::FollowOrExplain, None));
    }

    fn fields(file: &Value) -> Vec<String> {
        match read_self_assessment(file) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn required_text_is_present_and_not_blank() {
        let mut blank = file();
        blank["productName"] = json!("   ");
        blank["generatedAt"] = json!(" ");
        blank["krav"][0]["id"] = json!(" ");
        assert_eq!(fields(&blank), ["productName", "generatedAt", "krav[0].id"]);
        let mut missing = file();
        let object = missing
            .as_object_mut()
            .unwrap_or_else(|| panic!("an object"));
        object.remove("filledBy");
        object.remove("generatedAt");
        assert_eq!(
            fields(&missing),
            ["filledBy"],
            "generatedAt may be left out"
        );
    }

    #[test]
    fn the_fill_date_is_a_calendar_date() {
        for (date, valid) in [
            ("2026-12-31", true),
            ("2026-13-01", false),
            ("2026-12-32", false),
            ("0999-12-01", false),
            ("2026-1-01", false),
        ] {
            let mut dated = file();
            dated["filledDate"] = json!(date);
            let expected: &[&str] = if valid { &[] } else { &["filledDate"] };
            assert_eq!(fields(&dated), expected, "{date}");
        }
    }

    #[test]
    fn a_file_holds_at_most_max_items() {
        let item = |i: usize| {
            json!({"id": format!("X{i}"), "kategori": "relevans", "krav": "…",
                "produktniveau": "1", "retningslinjer": "…", "efterlevet": null, "dokumentation": ""})
        };
        let mut full = file();
        full["krav"] = Value::Array((0..MAX_ITEMS).map(item).collect());
        assert_eq!(fields(&full), Vec::<String>::new());
        full["krav"] = Value::Array((0..=MAX_ITEMS).map(item).collect());
        assert_eq!(fields(&full), ["krav"]);
    }
}
