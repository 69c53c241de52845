//! Product levels (the sandbox, N1, N2, N3) and the versioned requirement catalogue (*formkrav*).
//!
//! The catalogue is data: each version is a JSON file under `catalogues/`, parsed here and
//! seeded into the database by `persistence`. Levels are cumulative: a level carries every
//! requirement of the levels below it, except those that stop applying above a level
//! (`max_level`, e.g. `local_funding` once OS2 funding becomes possible at N2).

pub mod evidence;

use serde::{Deserialize, Serialize};

/// The catalogue version in force for new placements unless the business manager picks another.
pub const DEFAULT_CATALOGUE_VERSION: &str = "os2-2016";

const OS2_2016_JSON: &str = include_str!("../catalogues/os2-2016.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// *Sandkasse*, below N1: exists only in catalogues that offer it (the 2025 checklist).
    // `Sandbox` is how level-change payloads stored before named it.
    #[serde(rename = "sandkasse", alias = "Sandbox")]
    Sandbox,
    N1,
    N2,
    N3,
}

names!(Level { Sandbox => "sandkasse", N1 => "N1", N2 => "N2", N3 => "N3" });

impl Level {
    /// Whether the level is governed locally: decided by the business manager, funded by the
    /// municipalities themselves, run by a project owner (the sandbox and N1). Above it the
    /// board decides.
    pub fn is_local(self) -> bool {
        self <= Level::N1
    }
}

/// The transition at which a requirement must hold. Ordered: a later gate also demands
/// everything due at the earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Submitting a concept for approval.
    Approval,
    /// approved → in_progress.
    Start,
    /// in_progress → implemented.
    GoLive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Relevance,
    Form,
    Governance,
    Strategy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Attestation,
    Document,
    FollowOrExplain,
    Count,
    /// Computed by the server from its own data (a decision, a group); never set by a client.
    Derived,
}

/// Declares `ALL`, `as_str`, `Display`, `FromStr` and the OpenAPI schema (a string enum, with
/// the optional description after the type's name) for an enum from one list of its names, so
/// the database, the API, its document and the catalogue files spell each value the same way.
#[macro_export]
macro_rules! names {
    ($ty:ident $(: $doc:literal)? { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// In the OpenAPI document: a string, one of the names.
        impl ::utoipa::PartialSchema for $ty {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                let description: Option<&str> = None $(.or(Some($doc)))?;
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .description(description)
                    .enum_values(Some([$($name),+]))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $ty {}

        impl ::std::str::FromStr for $ty {
            type Err = $crate::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == s)
                    .ok_or_else(|| $crate::UnknownValue::new(s, &[$($name),+]))
            }
        }
    };
}

/// Declares an id newtype: the text a row is keyed by, typed so that one thing's id cannot be
/// passed where another's is wanted. It travels as the bare string (serde, the OpenAPI
/// document); any text is an id, and one that nobody holds is a 404 where it is looked up.
#[macro_export]
macro_rules! id {
    ($ty:ident: $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Debug,
            Clone,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $ty(String);

        impl $ty {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $ty {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $ty {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$ty> for String {
            fn from(id: $ty) -> Self {
                id.0
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = ::std::convert::Infallible;

            fn from_str(id: &str) -> Result<Self, Self::Err> {
                Ok(Self(id.to_owned()))
            }
        }

        impl PartialEq<str> for $ty {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        /// In the OpenAPI document: a string.
        impl ::utoipa::PartialSchema for $ty {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .description(Some($doc))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $ty {}
    };
}

names!(Gate { Approval => "approval", Start => "start", GoLive => "go_live" });
names!(Theme { Relevance => "relevance", Form => "form", Governance => "governance", Strategy => "strategy" });
names!(EvidenceKind {
    Attestation => "attestation",
    Document => "document",
    FollowOrExplain => "follow_or_explain",
    Count => "count",
    Derived => "derived",
});

// After the macro: the checklist module uses `names!`.
pub mod styringsmodel;

/// A value that is not one of an enum's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not one of: {}", .allowed.join(", "))]
pub struct UnknownValue {
    pub value: String,
    pub allowed: &'static [&'static str],
}

impl UnknownValue {
    pub fn new(value: &str, allowed: &'static [&'static str]) -> Self {
        Self {
            value: value.to_owned(),
            allowed,
        }
    }
}

/// One requirement of a catalogue version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub key: String,
    /// The lowest level that demands it.
    pub level: Level,
    /// The highest level that still demands it; `None` means every level from `level` up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_level: Option<Level>,
    pub theme: Theme,
    pub kind: EvidenceKind,
    pub gate: Gate,
    pub title_da: String,
    pub title_en: String,
    /// Whether `not_applicable` (with an explanation) is accepted as evidence.
    pub not_applicable_allowed: bool,
    /// Whether each participating organisation attests separately.
    pub per_organization: bool,
    /// For counted and derived-count requirements: the least acceptable count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    /// *(anbefaling)*: shown and recorded, never blocking a gate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recommended: bool,
    /// For a derived requirement of a later catalogue: the `os2-2016` requirement whose
    /// computation it shares (the 2025 checklist's G5 is the 2016 `board_approval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed_as: Option<String>,
    /// Why it does not apply to an adoption, a solution built elsewhere that comes in on the
    /// same terms as a project (report 5.2) except what a finished solution cannot do; `None`:
    /// it applies to adoptions as well.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_for_adoptions: Option<String>,
}

impl Requirement {
    /// Whether a project at `level` must meet this requirement.
    pub fn applies_at(&self, level: Level) -> bool {
        self.level <= level && self.max_level.is_none_or(|max| level <= max)
    }

    /// Whether this requirement must hold when passing `gate` (gates are cumulative).
    pub fn due_by(&self, gate: Gate) -> bool {
        self.gate <= gate
    }

    /// The key the server computes a derived requirement by.
    pub fn computation_key(&self) -> &str {
        self.computed_as.as_deref().unwrap_or(&self.key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("catalogue file is not valid: {0}")]
    Malformed(String),
    #[error("requirement `{0}` appears twice")]
    DuplicateKey(String),
    #[error("checklist item `{item}` corresponds to `{key}`, which os2-2016 does not have")]
    UnknownCounterpart { item: String, key: String },
    #[error("requirement `{key}` is at {level}, a level the catalogue does not offer")]
    LevelNotOffered { key: String, level: Level },
    #[error("requirement `{key}` has max_level {max_level} below its level {level}")]
    EmptyLevelRange {
        key: String,
        level: Level,
        max_level: Level,
    },
}

/// One version of the requirement catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub version: String,
    pub title: String,
    /// The levels a project pinned to this version can be placed at, lowest first.
    #[serde(default = "Catalogue::default_levels")]
    pub levels: Vec<Level>,
    pub requirements: Vec<Requirement>,
}

impl Catalogue {
    /// Parses and checks a catalogue file.
    pub fn from_json(json: &str) -> Result<Self, CatalogueError> {
        let catalogue: Catalogue =
            serde_json::from_str(json).map_err(|e| CatalogueError::Malformed(e.to_string()))?;
        catalogue.check()?;
        Ok(catalogue)
    }

    /// The catalogue of the 2016 report, `os2-2016` (governance.md §3).
    pub fn os2_2016() -> Result<Self, CatalogueError> {
        Self::from_json(OS2_2016_JSON)
    }

    /// The 2025 checklist as a catalogue (`os2-styringsmodel-2025`), with the sandbox level.
    pub fn styringsmodel_2025() -> Result<Self, CatalogueError> {
        let checklist = styringsmodel::Checklist::styringsmodel_2025()?;
        let catalogue = checklist.to_catalogue(&Self::os2_2016()?)?;
        catalogue.check()?;
        Ok(catalogue)
    }

    /// Every catalogue version shipped with os2pm, oldest first.
    pub fn bundled() -> Result<Vec<Self>, CatalogueError> {
        Ok(vec![Self::os2_2016()?, Self::styringsmodel_2025()?])
    }

    /// The levels of the 2016 report.
    pub fn default_levels() -> Vec<Level> {
        vec![Level::N1, Level::N2, Level::N3]
    }

    /// Whether a project pinned to this version can be placed at `level`.
    pub fn offers(&self, level: Level) -> bool {
        self.levels.contains(&level)
    }

    fn check(&self) -> Result<(), CatalogueError> {
        let mut seen = std::collections::HashSet::new();
        for requirement in &self.requirements {
            if !seen.insert(requirement.key.as_str()) {
                return Err(CatalogueError::DuplicateKey(requirement.key.clone()));
            }
            if !self.offers(requirement.level) {
                return Err(CatalogueError::LevelNotOffered {
                    key: requirement.key.clone(),
                    level: requirement.level,
                });
            }
            if let Some(max_level) = requirement.max_level
                && max_level < requirement.level
            {
                return Err(CatalogueError::EmptyLevelRange {
                    key: requirement.key.clone(),
                    level: requirement.level,
                    max_level,
                });
            }
        }
        Ok(())
    }

    /// The cumulative requirements of `level`, in catalogue order.
    /// The requirement `key`.
    pub fn requirement(&self, key: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.key == key)
    }

    pub fn for_level(&self, level: Level) -> impl Iterator<Item = &Requirement> {
        self.requirements
            .iter()
            .filter(move |requirement| requirement.applies_at(level))
    }

    /// The requirements that must hold at `level` when passing `gate`; recommended ones are
    /// among them but never block (see `evidence::unmet`).
    pub fn due_at(&self, level: Level, gate: Gate) -> impl Iterator<Item = &Requirement> {
        self.for_level(level)
            .filter(move |requirement| requirement.due_by(gate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::os2_2016().unwrap_or_else(|e| panic!("{e}"))
    }

    fn keys<'a>(requirements: impl Iterator<Item = &'a Requirement>) -> Vec<&'a str> {
        requirements.map(|r| r.key.as_str()).collect()
    }

    id!(ThingId: "A thing's id.");

    #[test]
    fn an_id_travels_as_its_bare_text() {
        let id = ThingId::from("0193a0f4-7b1e");
        assert_eq!(
            serde_json::to_string(&id).ok().as_deref(),
            Some(r#""0193a0f4-7b1e""#)
        );
        assert_eq!(
            serde_json::from_str::<ThingId>(r#""x""#).ok(),
            Some(ThingId::from("x"))
        );
        assert_eq!(id.to_string(), "0193a0f4-7b1e");
        assert_eq!(id.as_ref(), "0193a0f4-7b1e");
        assert_eq!(id.as_str().parse::<ThingId>(), Ok(id.clone()));
        assert_eq!(String::from(id.clone()), "0193a0f4-7b1e");
        assert!(id == *"0193a0f4-7b1e");
        let schema = serde_json::to_value(<ThingId as utoipa::PartialSchema>::schema());
        assert_eq!(
            schema.ok(),
            Some(serde_json::json!({"type": "string", "description": "A thing's id."}))
        );
    }

    #[test]
    fn the_2016_catalogue_has_every_requirement_of_domain_md() {
        let catalogue = catalogue();
        assert_eq!(catalogue.version, DEFAULT_CATALOGUE_VERSION);
        let count = |level| {
            catalogue
                .requirements
                .iter()
                .filter(|r| r.level == level)
                .count()
        };
        assert_eq!(
            (count(Level::N1), count(Level::N2), count(Level::N3)),
            (16, 13, 5)
        );
    }

    #[test]
    fn levels_are_cumulative() {
        let catalogue = catalogue();
        let n1 = keys(catalogue.for_level(Level::N1));
        let n2 = keys(catalogue.for_level(Level::N2));
        let n3 = keys(catalogue.for_level(Level::N3));
        assert_eq!(n1.len(), 16);
        // N2 keeps every N1 requirement except local funding, and adds its own 13.
        assert_eq!(n2.len(), 16 - 1 + 13);
        assert_eq!(n3.len(), 16 - 1 + 13 + 5);
        for key in n1.iter().filter(|k| **k != "local_funding") {
            assert!(
                n2.contains(key) && n3.contains(key),
                "{key} missing above N1"
            );
        }
        for key in &n2 {
            assert!(n3.contains(key), "{key} missing at N3");
        }
        assert!(!n1.contains(&"common_municipal_value"));
        assert!(!n2.contains(&"national_strategy_link"));
    }

    #[test]
    fn local_funding_applies_only_at_n1() {
        let catalogue = catalogue();
        let at = |level| keys(catalogue.for_level(level)).contains(&"local_funding");
        assert!(at(Level::N1));
        assert!(!at(Level::N2));
        assert!(!at(Level::N3));
    }

    #[test]
    fn gates_are_cumulative_and_ordered() {
        let catalogue = catalogue();
        let approval = keys(catalogue.due_at(Level::N2, Gate::Approval));
        let start = keys(catalogue.due_at(Level::N2, Gate::Start));
        let go_live = keys(catalogue.due_at(Level::N2, Gate::GoLive));
        assert!(approval.contains(&"strategic_alignment"));
        assert!(!approval.contains(&"board_approval"));
        assert!(start.contains(&"board_approval") && start.contains(&"strategic_alignment"));
        assert!(!start.contains(&"coordination_group_formed"));
        assert!(go_live.contains(&"coordination_group_formed"));
        assert_eq!(go_live.len(), catalogue.for_level(Level::N2).count());
        assert!(approval.len() < start.len() && start.len() < go_live.len());
    }

    #[test]
    fn gates_of_named_requirements_match_domain_md() {
        let catalogue = catalogue();
        let gate = |key: &str| {
            catalogue
                .requirements
                .iter()
                .find(|r| r.key == key)
                .map(|r| r.gate)
        };
        assert_eq!(gate("source_shared"), Some(Gate::GoLive));
        assert_eq!(gate("data_processing_agreements"), Some(Gate::Start));
        assert_eq!(gate("transition_process_plan"), Some(Gate::Start));
        assert_eq!(
            gate("board_member_in_coordination_group"),
            Some(Gate::GoLive)
        );
        assert_eq!(gate("idea_described"), Some(Gate::Approval));
    }

    #[test]
    fn only_marked_requirements_allow_not_applicable_and_per_organisation() {
        let catalogue = catalogue();
        let marked =
            |f: fn(&Requirement) -> bool| keys(catalogue.requirements.iter().filter(|r| f(r)));
        assert_eq!(
            marked(|r| r.not_applicable_allowed),
            ["data_processing_agreements"]
        );
        assert_eq!(
            marked(|r| r.per_organization),
            ["line_management_acceptance"]
        );
        assert_eq!(marked(|r| r.minimum.is_some()), ["municipality_count"]);
    }

    #[test]
    fn a_requirement_is_found_by_its_key() {
        let catalogue = catalogue();
        let found = catalogue
            .requirement("board_approval")
            .unwrap_or_else(|| panic!("no requirement board_approval"));
        assert_eq!(
            (found.key.as_str(), found.level),
            ("board_approval", Level::N2)
        );
        assert!(catalogue.requirement("nope").is_none());
    }

    #[test]
    fn malformed_catalogues_are_refused() {
        assert!(matches!(
            Catalogue::from_json("{"),
            Err(CatalogueError::Malformed(_))
        ));
        let mut twice = catalogue();
        twice.requirements.push(twice.requirements[0].clone());
        let json = serde_json::to_string(&twice).unwrap_or_default();
        assert_eq!(
            Catalogue::from_json(&json),
            Err(CatalogueError::DuplicateKey("idea_described".into()))
        );
        let mut inverted = catalogue();
        inverted.requirements[0].level = Level::N2;
        inverted.requirements[0].max_level = Some(Level::N1);
        let json = serde_json::to_string(&inverted).unwrap_or_default();
        assert!(matches!(
            Catalogue::from_json(&json),
            Err(CatalogueError::EmptyLevelRange { .. })
        ));
    }

    #[test]
    fn names_round_trip() {
        for &level in Level::ALL {
            assert_eq!(level.as_str().parse::<Level>(), Ok(level));
        }
        for gate in Gate::ALL {
            assert_eq!(gate.as_str().parse::<Gate>(), Ok(*gate));
            let json = serde_json::to_string(gate).unwrap_or_default();
            assert_eq!(json, format!("\"{gate}\""));
        }
        for kind in EvidenceKind::ALL {
            assert_eq!(kind.as_str().parse::<EvidenceKind>(), Ok(*kind));
        }
        for theme in Theme::ALL {
            assert_eq!(theme.as_str().parse::<Theme>(), Ok(*theme));
        }
        assert!("N4".parse::<Level>().is_err());
        assert!("golive".parse::<Gate>().is_err());
    }

    #[test]
    fn the_sandbox_and_n1_are_local_and_the_board_decides_above() {
        let local: Vec<Level> = Level::ALL
            .iter()
            .copied()
            .filter(|l| l.is_local())
            .collect();
        assert_eq!(local, [Level::Sandbox, Level::N1]);
    }

    #[test]
    fn both_catalogues_are_bundled_and_a_catalogue_without_levels_has_the_reports() {
        let versions: Vec<String> = Catalogue::bundled()
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|c| c.version)
            .collect();
        assert_eq!(
            versions,
            [DEFAULT_CATALOGUE_VERSION, "os2-styringsmodel-2025"]
        );
        assert_eq!(
            Catalogue::default_levels(),
            [Level::N1, Level::N2, Level::N3]
        );
    }
}
