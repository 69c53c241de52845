//! Coordination groups (*koordinationsgrupper*, governance.md §4): one or more per product, each
//! with its own members and chair; any organisation using the product may join; an optional
//! facilitating supplier; at N3 at least one board member in each.

use std::collections::HashSet;

use os2pm_levels::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinationMember {
    pub organization: String,
    pub representative: String,
    /// Whether the representative holds a board seat today.
    pub board_member: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoordinationGroup {
    pub members: Vec<CoordinationMember>,
    pub chair: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoordinationError {
    #[error("a coordination group has at least one member organisation")]
    NoMembers,
    #[error("`{0}` is a member once")]
    DuplicateOrganization(String),
    #[error("the chair must be one of the member organisations")]
    ChairNotAMember,
    #[error("at N3 at least one board member sits in the coordination group")]
    NoBoardMember,
}

impl CoordinationError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::ChairNotAMember => "chair",
            _ => "members",
        }
    }
}

/// Every rule a coordination group breaks at `level`; checked on every change.
pub fn check_coordination(group: &CoordinationGroup, level: Level) -> Vec<CoordinationError> {
    let mut errors = Vec::new();
    if group.members.is_empty() {
        errors.push(CoordinationError::NoMembers);
    }
    let mut seen = HashSet::new();
    for member in &group.members {
        if !seen.insert(member.organization.as_str()) {
            errors.push(CoordinationError::DuplicateOrganization(
                member.organization.clone(),
            ));
        }
    }
    if let Some(chair) = &group.chair
        && !seen.contains(chair.as_str())
    {
        errors.push(CoordinationError::ChairNotAMember);
    }
    if level == Level::N3 && !group.members.iter().any(|m| m.board_member) {
        errors.push(CoordinationError::NoBoardMember);
    }
    errors
}

/// The key of a product's first group: formed before go-live, it is never disbanded, and its
/// chair holds the formal responsibility for the product's economy and development.
pub const MAIN_GROUP: &str = "main";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupKeyError {
    #[error(
        "a group's key is 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit"
    )]
    Malformed,
    #[error(
        "the main coordination group stays while the product lives; change its members instead"
    )]
    MainStays,
}

/// A group's key names it in the product's URLs: `skole`, `dagtilbud-2027`.
pub fn check_group_key(key: &str) -> Result<(), GroupKeyError> {
    let well_formed = (1..=40).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !key.starts_with('-');
    if well_formed {
        Ok(())
    } else {
        Err(GroupKeyError::Malformed)
    }
}

/// A product's further groups may be disbanded; its main group may not.
pub fn check_disband(key: &str) -> Result<(), GroupKeyError> {
    check_group_key(key)?;
    if key == MAIN_GROUP {
        return Err(GroupKeyError::MainStays);
    }
    Ok(())
}

/// Whether every one of a product's groups has a board member, as N3 asks of each (report
/// 4.1.5); no group has none.
pub fn each_has_a_board_member<'a>(
    groups: impl IntoIterator<Item = &'a CoordinationGroup>,
) -> bool {
    let mut any = false;
    for group in groups {
        any = true;
        if !group.members.iter().any(|m| m.board_member) {
            return false;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(org: &str, board: bool) -> CoordinationMember {
        CoordinationMember {
            organization: org.into(),
            representative: format!("rep-{org}"),
            board_member: board,
        }
    }

    #[test]
    fn at_n3_a_board_member_sits_in_the_group() {
        let without = CoordinationGroup {
            members: vec![member("751", false)],
            chair: Some("751".into()),
        };
        assert_eq!(check_coordination(&without, Level::N2), []);
        assert_eq!(
            check_coordination(&without, Level::N3),
            [CoordinationError::NoBoardMember]
        );
        let with = CoordinationGroup {
            members: vec![member("751", false), member("kl", true)],
            chair: None,
        };
        assert_eq!(check_coordination(&with, Level::N3), []);
    }

    #[test]
    fn members_are_organisations_once_and_the_chair_is_one_of_them() {
        let group = CoordinationGroup {
            members: vec![member("751", false), member("751", false)],
            chair: Some("101".into()),
        };
        assert_eq!(
            check_coordination(&group, Level::N2),
            [
                CoordinationError::DuplicateOrganization("751".into()),
                CoordinationError::ChairNotAMember
            ]
        );
        let empty = CoordinationGroup {
            members: vec![],
            chair: None,
        };
        assert_eq!(
            check_coordination(&empty, Level::N1),
            [CoordinationError::NoMembers]
        );
    }

    #[test]
    fn at_n3_each_group_has_a_board_member() {
        let with = CoordinationGroup {
            members: vec![member("751", false), member("kl", true)],
            chair: None,
        };
        let without = CoordinationGroup {
            members: vec![member("101", false)],
            chair: None,
        };
        assert!(each_has_a_board_member([&with]));
        assert!(!each_has_a_board_member([&with, &without]));
        assert!(!each_has_a_board_member([]));
    }

    #[test]
    fn groups_are_keyed_and_the_main_group_stays() {
        for key in ["main", "skole", "dagtilbud-2027", "a", &"x".repeat(40)] {
            assert_eq!(check_group_key(key), Ok(()), "{key}");
        }
        for key in [
            "",
            "Skole",
            "-skole",
            "skole område",
            "æble",
            &"x".repeat(41),
        ] {
            assert_eq!(check_group_key(key), Err(GroupKeyError::Malformed), "{key}");
        }
        assert_eq!(check_disband("skole"), Ok(()));
        assert_eq!(check_disband(MAIN_GROUP), Err(GroupKeyError::MainStays));
    }

    /// Each error names the request field it is about, so a 422 points at it.
    #[test]
    fn each_error_names_its_request_field() {
        assert_eq!(CoordinationError::ChairNotAMember.field(), "chair");
        for error in [
            CoordinationError::NoMembers,
            CoordinationError::DuplicateOrganization("751".into()),
            CoordinationError::NoBoardMember,
        ] {
            assert_eq!(error.field(), "members", "{error}");
        }
    }
}
