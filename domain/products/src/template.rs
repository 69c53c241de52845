//! The evaluation template (*evalueringsskabelon*), versioned apart from the checklist: which
//! checklist a report evaluates against, and the id, theme and level of every line it marks.
//! Template 0.9.2, the one the association's published reports state, marks the 2025
//! checklist's 43 requirements with F8 and F9 merged into F7 (governance.md §8).

use os2pm_levels::styringsmodel::{ChecklistLevel, STYRINGSMODEL_2025, theme};
use os2pm_levels::{DEFAULT_CATALOGUE_VERSION, Level, Theme};
use serde::Deserialize;

use crate::report::{level_name, theme_name};

/// The template a report is checked against when it names none, and a new evaluation states.
pub const CURRENT: &str = "0.9.2";

const BUNDLED: [(&str, &str); 1] = [(
    "0.9.2",
    include_str!("../templates/os2-evalueringsskabelon-0.9.2.json"),
)];

#[derive(Deserialize)]
struct TemplateFile {
    version: String,
    title: String,
    checklist: String,
    /// A checklist item the template marks under another's line: `F7` holds `F8` and `F9`.
    merged: std::collections::BTreeMap<String, Vec<String>>,
    items: Vec<ItemFile>,
}

#[derive(Deserialize)]
struct ItemFile {
    id: String,
    category: String,
    level: ChecklistLevel,
}

/// One line the template marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateItem {
    pub id: String,
    pub theme: Theme,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub version: String,
    pub title: String,
    /// The catalogue version its lines are requirements of.
    pub checklist: String,
    pub merged: Vec<(String, Vec<String>)>,
    pub items: Vec<TemplateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the bundled template {0} cannot be read: {1}")]
    Malformed(String, String),
    #[error("`{version}` is not an evaluation template os2pm knows (known: {known})")]
    Unknown { version: String, known: String },
    #[error(
        "template {version} evaluates against {checklist}; this product is pinned to {catalogue}"
    )]
    OtherCatalogue {
        version: String,
        checklist: String,
        catalogue: String,
    },
    #[error("`{id}` is not a requirement of template {version}")]
    NotInTemplate { id: String, version: String },
    #[error("`{id}` is marked under `{into}` in template {version}")]
    Merged {
        id: String,
        into: String,
        version: String,
    },
    #[error("`{id}` is missing: template {version} marks every requirement")]
    Missing { id: String, version: String },
    #[error("`{id}` is at {stated} in the report, at {level} in template {version}")]
    LevelDiffers {
        id: String,
        stated: &'static str,
        level: &'static str,
        version: String,
    },
    #[error("`{id}` is under {stated} in the report, under {theme} in template {version}")]
    ThemeDiffers {
        id: String,
        stated: &'static str,
        theme: &'static str,
        version: String,
    },
}

impl Template {
    /// The versions os2pm holds, oldest first.
    pub fn known() -> Vec<&'static str> {
        BUNDLED.iter().map(|(version, _)| *version).collect()
    }

    /// The template of a version a report states (`0.9.2`, or `v0.9.2`).
    pub fn find(version: &str) -> Result<Self, TemplateError> {
        let wanted = version.trim().trim_start_matches('v');
        let (name, json) = BUNDLED
            .iter()
            .find(|(name, _)| *name == wanted)
            .ok_or_else(|| TemplateError::Unknown {
                version: version.trim().to_owned(),
                known: Self::known().join(", "),
            })?;
        let malformed = |e: String| TemplateError::Malformed((*name).to_owned(), e);
        let file: TemplateFile =
            serde_json::from_str(json).map_err(|e| malformed(e.to_string()))?;
        let items = file
            .items
            .into_iter()
            .map(|item| {
                Ok(TemplateItem {
                    theme: theme(&item.category).map_err(|e| malformed(e.to_string()))?,
                    level: item.level.level(),
                    id: item.id,
                })
            })
            .collect::<Result<_, TemplateError>>()?;
        Ok(Self {
            version: file.version,
            title: file.title,
            checklist: file.checklist,
            merged: file.merged.into_iter().collect(),
            items,
        })
    }

    /// The template a report read back is checked against: the one it names, the current one
    /// when it names none or names the checklist the current one evaluates against (as os2pm's
    /// reports did before templates were versioned), none when it names the 2016 catalogue,
    /// which no template covers.
    pub fn for_report(stated: Option<&str>) -> Result<Option<Self>, TemplateError> {
        match stated.map(str::trim) {
            Some(DEFAULT_CATALOGUE_VERSION) => Ok(None),
            Some(STYRINGSMODEL_2025) | None => Self::find(CURRENT).map(Some),
            Some(version) => Self::find(version).map(Some),
        }
    }

    /// The template an evaluation of a product pinned to `catalogue` states: the one it names,
    /// which must evaluate against that catalogue, or else the current one when it does; none
    /// for a catalogue no template covers (the 2016 catalogue's reports have no template).
    pub fn for_evaluation(
        stated: Option<&str>,
        catalogue: &str,
    ) -> Result<Option<Self>, TemplateError> {
        let template = Self::find(stated.unwrap_or(CURRENT))?;
        if template.checklist == catalogue {
            Ok(Some(template))
        } else if stated.is_none() {
            Ok(None)
        } else {
            Err(TemplateError::OtherCatalogue {
                version: template.version,
                checklist: template.checklist,
                catalogue: catalogue.to_owned(),
            })
        }
    }

    /// Where a report's lines (id, level, theme) depart from the template: a line it does not
    /// have or marks under another, one at another level or theme, one left out. Every
    /// departure is listed.
    pub fn check(&self, lines: &[(&str, Level, Theme)]) -> Vec<TemplateError> {
        let version = || self.version.clone();
        let mut errors = Vec::new();
        for (id, level, theme) in lines {
            let Some(item) = self.items.iter().find(|item| item.id == *id) else {
                errors.push(
                    match self
                        .merged
                        .iter()
                        .find(|(_, ids)| ids.iter().any(|m| m == id))
                    {
                        Some((into, _)) => TemplateError::Merged {
                            id: (*id).to_owned(),
                            into: into.clone(),
                            version: version(),
                        },
                        None => TemplateError::NotInTemplate {
                            id: (*id).to_owned(),
                            version: version(),
                        },
                    },
                );
                continue;
            };
            if item.level != *level {
                errors.push(TemplateError::LevelDiffers {
                    id: item.id.clone(),
                    stated: level_name(*level),
                    level: level_name(item.level),
                    version: version(),
                });
            }
            if item.theme != *theme {
                errors.push(TemplateError::ThemeDiffers {
                    id: item.id.clone(),
                    stated: theme_name(*theme),
                    theme: theme_name(item.theme),
                    version: version(),
                });
            }
        }
        for item in &self.items {
            if !lines.iter().any(|(id, _, _)| *id == item.id) {
                errors.push(TemplateError::Missing {
                    id: item.id.clone(),
                    version: version(),
                });
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use os2pm_levels::styringsmodel::Checklist;

    use super::*;
    use crate::evaluation::{LEVELS, THEMES};

    fn lines(template: &Template) -> Vec<(&str, Level, Theme)> {
        template
            .items
            .iter()
            .map(|item| (item.id.as_str(), item.level, item.theme))
            .collect()
    }

    /// As the published reports count it: 43 requirements, 6 + 10 + 19 + 8 per level,
    /// 4 + 20 + 5 + 14 per theme, F8 and F9 merged into F7.
    #[test]
    fn template_0_9_2_has_the_requirements_the_reports_count() {
        let template = Template::find("0.9.2").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(template.items.len(), 43);
        let per_level: Vec<usize> = LEVELS
            .iter()
            .map(|level| template.items.iter().filter(|i| i.level == *level).count())
            .collect();
        assert_eq!(per_level, [6, 10, 19, 8]);
        let per_theme: Vec<usize> = THEMES
            .iter()
            .map(|theme| template.items.iter().filter(|i| i.theme == *theme).count())
            .collect();
        assert_eq!(per_theme, [4, 20, 5, 14]);
        assert_eq!(
            template.merged,
            [("F7".to_owned(), vec!["F8".to_owned(), "F9".to_owned()])]
        );
        assert_eq!(template.checklist, STYRINGSMODEL_2025);
        // Every line is a requirement of the checklist it names, at the same level.
        let checklist = Checklist::styringsmodel_2025().unwrap_or_else(|e| panic!("{e}"));
        for item in &template.items {
            let on_checklist = checklist
                .item(&item.id)
                .unwrap_or_else(|| panic!("an item not on the checklist"));
            assert_eq!(on_checklist.level.level(), item.level, "{}", item.id);
        }
        assert_eq!(Template::known(), [CURRENT]);
        assert_eq!(
            Template::find(" v0.9.2").unwrap_or_else(|e| panic!("{e}")),
            template
        );
    }

    #[test]
    fn a_report_laid_out_by_the_template_passes_and_every_departure_is_listed() {
        let template = Template::find(CURRENT).unwrap_or_else(|e| panic!("{e}"));
        let mut read = lines(&template);
        assert_eq!(template.check(&read), []);
        read.retain(|(id, _, _)| *id != "G14");
        read[0].1 = Level::N1;
        read[1].2 = Theme::Form;
        read.push(("F8", Level::N1, Theme::Form));
        read.push(("X1", Level::N1, Theme::Form));
        let version = || CURRENT.to_owned();
        assert_eq!(
            template.check(&read),
            [
                TemplateError::LevelDiffers {
                    id: "R1".into(),
                    stated: "Niveau 1",
                    level: "Sandkasse",
                    version: version()
                },
                TemplateError::ThemeDiffers {
                    id: "R2".into(),
                    stated: "Formkrav",
                    theme: "Relevans",
                    version: version()
                },
                TemplateError::Merged {
                    id: "F8".into(),
                    into: "F7".into(),
                    version: version()
                },
                TemplateError::NotInTemplate {
                    id: "X1".into(),
                    version: version()
                },
                TemplateError::Missing {
                    id: "G14".into(),
                    version: version()
                },
            ]
        );
    }

    #[test]
    fn a_report_is_checked_against_the_template_it_names() {
        let version = |stated| Template::for_report(stated).map(|t| t.map(|t| t.version));
        assert_eq!(version(None), Ok(Some(CURRENT.to_owned())));
        assert_eq!(version(Some("0.9.2")), Ok(Some(CURRENT.to_owned())));
        assert_eq!(
            version(Some(STYRINGSMODEL_2025)),
            Ok(Some(CURRENT.to_owned()))
        );
        assert_eq!(version(Some(" os2-2016 ")), Ok(None));
        assert!(matches!(
            version(Some("0.8")),
            Err(TemplateError::Unknown { .. })
        ));
    }

    #[test]
    fn an_evaluation_states_the_template_of_its_catalogue() {
        let current =
            Template::for_evaluation(None, STYRINGSMODEL_2025).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(current.map(|t| t.version), Some(CURRENT.to_owned()));
        assert_eq!(Template::for_evaluation(None, "os2-2016"), Ok(None));
        assert_eq!(
            Template::for_evaluation(Some("0.9.2"), "os2-2016"),
            Err(TemplateError::OtherCatalogue {
                version: "0.9.2".into(),
                checklist: STYRINGSMODEL_2025.into(),
                catalogue: "os2-2016".into()
            })
        );
        assert_eq!(
            Template::for_evaluation(Some("1.1.0"), STYRINGSMODEL_2025),
            Err(TemplateError::Unknown {
                version: "1.1.0".into(),
                known: "0.9.2".into()
            })
        );
    }
}
