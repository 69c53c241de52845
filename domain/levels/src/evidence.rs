//! Evidence for requirements, and the gate check: which requirements are not met.

use serde::{Deserialize, Serialize};

use crate::{Catalogue, EvidenceKind, Gate, Level, Requirement};

/// What a client records for one requirement (or, for per-organisation requirements, for one
/// organisation's part of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    /// Attested, documented (with a link) or counted.
    Met,
    /// Follow-or-explain: not followed, with an explanation (*forklar*).
    Explained,
    /// Does not apply, with an explanation; only where the catalogue allows it.
    NotApplicable,
}

crate::names!(EvidenceStatus {
    Met => "met",
    Explained => "explained",
    NotApplicable => "not_applicable",
});

/// Why a piece of evidence is refused; each names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("`{0}` is computed by the server from its own data and cannot be set")]
    Derived(String),
    #[error("`explained` is only for follow-or-explain requirements")]
    ExplainedNotAllowed,
    #[error("`not_applicable` is not allowed for `{0}`")]
    NotApplicableNotAllowed(String),
    #[error("an explanation is required")]
    ExplanationRequired,
    #[error("a document requirement is met with a link to the document")]
    LinkRequired,
    #[error("`{0}` is attested per participating organisation: name the organisation")]
    OrganizationRequired(String),
    #[error("`{0}` is not attested per organisation")]
    OrganizationNotAllowed(String),
}

impl EvidenceError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Derived(_) => "key",
            Self::ExplainedNotAllowed | Self::NotApplicableNotAllowed(_) => "status",
            Self::ExplanationRequired => "explanation",
            Self::LinkRequired => "link",
            Self::OrganizationRequired(_) | Self::OrganizationNotAllowed(_) => "organization",
        }
    }
}

/// One piece of evidence as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub key: String,
    /// For per-organisation requirements: whose part this is.
    pub organization: Option<String>,
    pub status: EvidenceStatus,
    pub explanation: Option<String>,
    pub link: Option<String>,
}

/// Checks evidence against its requirement before it is stored.
pub fn check_evidence(requirement: &Requirement, evidence: &Evidence) -> Result<(), EvidenceError> {
    let key = || requirement.key.clone();
    if requirement.kind == EvidenceKind::Derived {
        return Err(EvidenceError::Derived(key()));
    }
    match (requirement.per_organization, &evidence.organization) {
        (true, None) => return Err(EvidenceError::OrganizationRequired(key())),
        (false, Some(_)) => return Err(EvidenceError::OrganizationNotAllowed(key())),
        _ => {}
    }
    let explained = evidence
        .explanation
        .as_deref()
        .is_some_and(|text| !text.trim().is_empty());
    match evidence.status {
        EvidenceStatus::Explained if requirement.kind != EvidenceKind::FollowOrExplain => {
            Err(EvidenceError::ExplainedNotAllowed)
        }
        EvidenceStatus::NotApplicable if !requirement.not_applicable_allowed => {
            Err(EvidenceError::NotApplicableNotAllowed(key()))
        }
        EvidenceStatus::Explained | EvidenceStatus::NotApplicable if !explained => {
            Err(EvidenceError::ExplanationRequired)
        }
        EvidenceStatus::Met
            if requirement.kind == EvidenceKind::Document
                && evidence.link.as_deref().is_none_or(|l| l.trim().is_empty()) =>
        {
            Err(EvidenceError::LinkRequired)
        }
        _ => Ok(()),
    }
}

/// Who records a piece of evidence, as the requirement sees them (governance.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorder {
    /// The business manager: anyone's evidence, an organisation's with its document's link.
    BusinessManager,
    /// A user or integration of the organisation the evidence names.
    NamedOrganization,
    /// The owner organisation or the project leader: the project's own requirements.
    Project,
    /// Anyone else, such as another participant.
    Other,
}

/// Why a recorder may not record a piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecorderError {
    /// Another organisation's attestation (403).
    #[error(
        "`{key}` for `{organization}` is attested by `{organization}` itself, or by the business manager on its behalf"
    )]
    NotTheirs { key: String, organization: String },
    /// The project's own requirement, by someone who does not speak for the project (403).
    #[error(
        "only the owner organisation, the project leader or the business manager records `{0}`"
    )]
    NotTheProjects(String),
    /// On an organisation's behalf without its document (422 on `link`).
    #[error(
        "the business manager attests for `{0}` on its behalf with a link to its document (e.g. the minutes of its decision)"
    )]
    OnBehalfWithoutLink(String),
}

/// Whether `recorder` may record `evidence`: a per-organisation requirement (each
/// municipality's line management acceptance, report 5.4) is attested by that organisation, or
/// by the business manager on its behalf with a link to the document; the project's own
/// requirements by the project or the business manager.
pub fn check_recorder(
    requirement: &Requirement,
    evidence: &Evidence,
    recorder: Recorder,
) -> Result<(), RecorderError> {
    let has_link = evidence
        .link
        .as_deref()
        .is_some_and(|l| !l.trim().is_empty());
    match (&evidence.organization, recorder) {
        (_, Recorder::BusinessManager) if !requirement.per_organization => Ok(()),
        (Some(organization), Recorder::BusinessManager) if !has_link => {
            Err(RecorderError::OnBehalfWithoutLink(organization.clone()))
        }
        (Some(_), Recorder::BusinessManager | Recorder::NamedOrganization) => Ok(()),
        (Some(organization), Recorder::Project | Recorder::Other) => {
            Err(RecorderError::NotTheirs {
                key: requirement.key.clone(),
                organization: organization.clone(),
            })
        }
        (None, Recorder::Project) => Ok(()),
        (None, _) => Err(RecorderError::NotTheProjects(requirement.key.clone())),
    }
}

/// What the server knows of a project for the derived requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Participating organisations that are municipalities.
    pub participating_municipalities: i64,
    /// The intended (later: the approved budget's) funding is local only.
    pub locally_funded: bool,
    /// The board approved the project.
    pub board_approved: bool,
    /// A steering group (or, at N1, a project owner) is in force.
    pub steering_group_in_force: bool,
    /// The board approved or appointed the group in force (one put in force at N1 has not).
    pub steering_group_approved_by_board: bool,
    /// Board members hold a majority of the steering group's seats.
    pub board_majority_in_steering_group: bool,
    pub coordination_group_formed: bool,
    pub board_member_in_coordination_group: bool,
    /// The project is an adoption: requirements the catalogue marks `not_for_adoptions` do not
    /// apply.
    pub adoption: bool,
}

impl Facts {
    fn board_approved_steering_group(&self) -> bool {
        self.steering_group_in_force && self.steering_group_approved_by_board
    }

    /// Whether a derived requirement holds; `None` for one this version cannot compute yet.
    fn derived(&self, requirement: &Requirement) -> Option<bool> {
        match requirement.computation_key() {
            "municipality_count" => {
                Some(self.participating_municipalities >= requirement.minimum.unwrap_or(1))
            }
            "local_funding" => Some(self.locally_funded),
            "board_approval" => Some(self.board_approved),
            "steering_group_approved" => Some(self.board_approved_steering_group()),
            "board_appointed_steering_group" => {
                Some(self.board_approved_steering_group() && self.board_majority_in_steering_group)
            }
            "coordination_group_formed" => Some(self.coordination_group_formed),
            "board_member_in_coordination_group" => Some(self.board_member_in_coordination_group),
            _ => None,
        }
    }
}

/// Whether one requirement holds, for display and for gate checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementState {
    Met,
    Explained,
    NotApplicable,
    /// Some, not all, participating organisations have attested.
    Partial,
    Missing,
}

crate::names!(RequirementState: "Whether a requirement holds on a project" {
    Met => "met",
    Explained => "explained",
    NotApplicable => "not_applicable",
    Partial => "partial",
    Missing => "missing",
});

/// One organisation's part of a per-organisation requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttestationStatus {
    Met,
    Missing,
}

crate::names!(AttestationStatus: "One organisation's part of a requirement" {
    Met => "met",
    Missing => "missing",
});

impl RequirementState {
    pub fn holds(self) -> bool {
        matches!(self, Self::Met | Self::Explained | Self::NotApplicable)
    }
}

/// The state of `requirement` given the recorded evidence, the participants (for
/// per-organisation requirements) and the facts (for derived ones).
pub fn requirement_state(
    requirement: &Requirement,
    evidence: &[Evidence],
    participants: &[String],
    facts: &Facts,
) -> RequirementState {
    if facts.adoption && requirement.not_for_adoptions.is_some() {
        return RequirementState::NotApplicable;
    }
    if requirement.kind == EvidenceKind::Derived {
        return match facts.derived(requirement) {
            Some(true) => RequirementState::Met,
            _ => RequirementState::Missing,
        };
    }
    let mine = evidence.iter().filter(|e| e.key == requirement.key);
    if requirement.per_organization {
        let attested = participants
            .iter()
            .filter(|org| {
                evidence.iter().any(|e| {
                    e.key == requirement.key
                        && e.organization.as_ref() == Some(*org)
                        && e.status == EvidenceStatus::Met
                })
            })
            .count();
        return match attested {
            0 => RequirementState::Missing,
            n if n == participants.len() => RequirementState::Met,
            _ => RequirementState::Partial,
        };
    }
    match mine.map(|e| e.status).next() {
        Some(EvidenceStatus::Met) => RequirementState::Met,
        Some(EvidenceStatus::Explained) => RequirementState::Explained,
        Some(EvidenceStatus::NotApplicable) => RequirementState::NotApplicable,
        None => RequirementState::Missing,
    }
}

/// The requirements of `level` due by `gate` that do not hold, in catalogue order; recommended
/// requirements never do.
pub fn unmet<'a>(
    catalogue: &'a Catalogue,
    level: Level,
    gate: Gate,
    evidence: &[Evidence],
    participants: &[String],
    facts: &Facts,
) -> Vec<&'a Requirement> {
    catalogue
        .due_at(level, gate)
        .filter(|r| !r.recommended)
        .filter(|r| !requirement_state(r, evidence, participants, facts).holds())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::os2_2016().unwrap_or_else(|e| panic!("{e}"))
    }

    fn requirement(key: &str) -> Requirement {
        catalogue()
            .requirements
            .into_iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("no requirement {key}"))
    }

    fn evidence(key: &str, status: EvidenceStatus) -> Evidence {
        Evidence {
            key: key.into(),
            organization: None,
            status,
            explanation: None,
            link: None,
        }
    }

    fn with(mut e: Evidence, explanation: Option<&str>, link: Option<&str>) -> Evidence {
        e.explanation = explanation.map(Into::into);
        e.link = link.map(Into::into);
        e
    }

    #[test]
    fn derived_requirements_cannot_be_set() {
        let error = check_evidence(
            &requirement("municipality_count"),
            &evidence("municipality_count", EvidenceStatus::Met),
        );
        assert_eq!(
            error,
            Err(EvidenceError::Derived("municipality_count".into()))
        );
    }

    #[test]
    fn explained_is_only_for_follow_or_explain_and_needs_an_explanation() {
        let standards = requirement("standards_follow_or_explain");
        let bare = evidence(&standards.key, EvidenceStatus::Explained);
        assert_eq!(
            check_evidence(&standards, &bare),
            Err(EvidenceError::ExplanationRequired)
        );
        let blank = with(bare.clone(), Some("   "), None);
        assert_eq!(
            check_evidence(&standards, &blank),
            Err(EvidenceError::ExplanationRequired)
        );
        let explained = with(bare, Some("we use our own SSO"), None);
        assert_eq!(check_evidence(&standards, &explained), Ok(()));

        let idea = requirement("idea_described");
        let explained = with(
            evidence("idea_described", EvidenceStatus::Explained),
            Some("x"),
            None,
        );
        assert_eq!(
            check_evidence(&idea, &explained),
            Err(EvidenceError::ExplainedNotAllowed)
        );
    }

    #[test]
    fn not_applicable_only_where_marked_and_with_an_explanation() {
        let dpa = requirement("data_processing_agreements");
        let na = evidence(&dpa.key, EvidenceStatus::NotApplicable);
        assert_eq!(
            check_evidence(&dpa, &na),
            Err(EvidenceError::ExplanationRequired)
        );
        assert_eq!(
            check_evidence(&dpa, &with(na, Some("no personal data"), None)),
            Ok(())
        );

        let security = requirement("security_by_design");
        let na = with(
            evidence(&security.key, EvidenceStatus::NotApplicable),
            Some("x"),
            None,
        );
        assert_eq!(
            check_evidence(&security, &na),
            Err(EvidenceError::NotApplicableNotAllowed(
                "security_by_design".into()
            ))
        );
    }

    #[test]
    fn documents_need_a_link() {
        let doc = requirement("solution_documented");
        let met = evidence(&doc.key, EvidenceStatus::Met);
        assert_eq!(check_evidence(&doc, &met), Err(EvidenceError::LinkRequired));
        let linked = with(met, None, Some("https://github.com/OS2/x"));
        assert_eq!(check_evidence(&doc, &linked), Ok(()));
    }

    #[test]
    fn per_organisation_attestations_name_the_organisation() {
        let acceptance = requirement("line_management_acceptance");
        let unnamed = evidence(&acceptance.key, EvidenceStatus::Met);
        assert!(matches!(
            check_evidence(&acceptance, &unnamed),
            Err(EvidenceError::OrganizationRequired(_))
        ));
        let mut named = evidence("idea_described", EvidenceStatus::Met);
        named.organization = Some("101".into());
        assert!(matches!(
            check_evidence(&requirement("idea_described"), &named),
            Err(EvidenceError::OrganizationNotAllowed(_))
        ));
    }

    /// Governance.md §3: an organisation's attestation is its own, or the business manager's on
    /// its behalf with the document; another participant cannot give it.
    #[test]
    fn an_organisation_attests_for_itself_or_the_business_manager_with_its_document() {
        let acceptance = requirement("line_management_acceptance");
        let for_copenhagen = Evidence {
            organization: Some("101".into()),
            ..evidence(&acceptance.key, EvidenceStatus::Met)
        };
        let check = |e: &Evidence, r| check_recorder(&acceptance, e, r);
        assert_eq!(check(&for_copenhagen, Recorder::NamedOrganization), Ok(()));
        let not_theirs = Err(RecorderError::NotTheirs {
            key: acceptance.key.clone(),
            organization: "101".into(),
        });
        assert_eq!(check(&for_copenhagen, Recorder::Project), not_theirs);
        assert_eq!(check(&for_copenhagen, Recorder::Other), not_theirs);
        assert_eq!(
            check(&for_copenhagen, Recorder::BusinessManager),
            Err(RecorderError::OnBehalfWithoutLink("101".into()))
        );
        let blank_link = with(for_copenhagen.clone(), None, Some(" "));
        assert!(check(&blank_link, Recorder::BusinessManager).is_err());
        let minutes = with(for_copenhagen, None, Some("https://www.kk.dk/accept.pdf"));
        assert_eq!(check(&minutes, Recorder::BusinessManager), Ok(()));

        // The project's own requirements: the project or the business manager, no link needed.
        let described = requirement("idea_described");
        let own = evidence(&described.key, EvidenceStatus::Met);
        assert_eq!(check_recorder(&described, &own, Recorder::Project), Ok(()));
        assert_eq!(
            check_recorder(&described, &own, Recorder::BusinessManager),
            Ok(())
        );
        for outsider in [Recorder::Other, Recorder::NamedOrganization] {
            assert_eq!(
                check_recorder(&described, &own, outsider),
                Err(RecorderError::NotTheProjects("idea_described".into()))
            );
        }
    }

    /// Governance.md §2 (report 5.2, "på samme vilkår"): an adoption meets every requirement of
    /// its level but those the catalogue says a finished solution cannot.
    #[test]
    fn an_adoption_is_spared_only_what_the_catalogue_marks() {
        let project = Facts::default();
        let adoption = Facts {
            adoption: true,
            ..Facts::default()
        };
        let model = requirement("project_model_follow_or_explain");
        assert!(model.not_for_adoptions.is_some());
        assert_eq!(
            requirement_state(&model, &[], &[], &adoption),
            RequirementState::NotApplicable
        );
        assert_eq!(
            requirement_state(&model, &[], &[], &project),
            RequirementState::Missing
        );
        // Everything else is owed alike: the source shared, operations, training, agreements.
        let spared: Vec<String> = catalogue()
            .requirements
            .into_iter()
            .filter(|r| {
                requirement_state(r, &[], &[], &adoption) == RequirementState::NotApplicable
            })
            .map(|r| r.key)
            .collect();
        assert_eq!(spared, ["project_model_follow_or_explain"]);
    }

    #[test]
    fn per_organisation_requirements_hold_when_every_participant_attested() {
        let acceptance = requirement("line_management_acceptance");
        let participants = vec!["101".to_owned(), "751".to_owned()];
        let attest = |org: &str| Evidence {
            organization: Some(org.into()),
            ..evidence(&acceptance.key, EvidenceStatus::Met)
        };
        let facts = Facts::default();
        let state = |e: &[Evidence]| requirement_state(&acceptance, e, &participants, &facts);
        assert_eq!(state(&[]), RequirementState::Missing);
        assert_eq!(state(&[attest("101")]), RequirementState::Partial);
        assert_eq!(
            state(&[attest("101"), attest("751")]),
            RequirementState::Met
        );
        // An attestation from an organisation that does not participate counts for nothing.
        assert_eq!(
            state(&[attest("101"), attest("461")]),
            RequirementState::Partial
        );
    }

    #[test]
    fn every_derived_requirement_of_the_catalogue_is_computed() {
        let facts = Facts::default();
        for requirement in catalogue()
            .requirements
            .iter()
            .filter(|r| r.kind == EvidenceKind::Derived)
        {
            assert!(
                facts.derived(requirement).is_some(),
                "{} is never computed",
                requirement.key
            );
        }
    }

    #[test]
    fn derived_requirements_come_from_the_facts() {
        let count = requirement("municipality_count");
        let funding = requirement("local_funding");
        let none = Facts::default();
        let some = Facts {
            participating_municipalities: 1,
            locally_funded: true,
            ..Facts::default()
        };
        assert_eq!(
            requirement_state(&count, &[], &[], &none),
            RequirementState::Missing
        );
        assert_eq!(
            requirement_state(&count, &[], &[], &some),
            RequirementState::Met
        );
        assert_eq!(
            requirement_state(&funding, &[], &[], &none),
            RequirementState::Missing
        );
        assert_eq!(
            requirement_state(&funding, &[], &[], &some),
            RequirementState::Met
        );
    }

    #[test]
    fn the_n3_steering_group_needs_the_board_and_its_majority() {
        let appointed = requirement("board_appointed_steering_group");
        let approved = requirement("steering_group_approved");
        // In force from N1, the board never saw it: not approved, whatever its majority.
        let from_n1 = Facts {
            steering_group_in_force: true,
            board_majority_in_steering_group: true,
            ..Facts::default()
        };
        assert_eq!(
            requirement_state(&approved, &[], &[], &from_n1),
            RequirementState::Missing
        );
        assert_eq!(
            requirement_state(&appointed, &[], &[], &from_n1),
            RequirementState::Missing
        );
        let in_force = Facts {
            steering_group_in_force: true,
            steering_group_approved_by_board: true,
            ..Facts::default()
        };
        let with_majority = Facts {
            board_majority_in_steering_group: true,
            ..in_force.clone()
        };
        assert_eq!(
            requirement_state(&approved, &[], &[], &in_force),
            RequirementState::Met
        );
        assert_eq!(
            requirement_state(&appointed, &[], &[], &in_force),
            RequirementState::Missing
        );
        assert_eq!(
            requirement_state(&appointed, &[], &[], &with_majority),
            RequirementState::Met
        );
    }

    #[test]
    fn the_approval_gate_lists_exactly_what_is_missing() {
        let catalogue = catalogue();
        let facts = Facts {
            participating_municipalities: 1,
            locally_funded: true,
            ..Facts::default()
        };
        let keys = |evidence: &[Evidence]| -> Vec<String> {
            unmet(&catalogue, Level::N1, Gate::Approval, evidence, &[], &facts)
                .into_iter()
                .map(|r| r.key.clone())
                .collect()
        };
        let all_missing = keys(&[]);
        assert_eq!(all_missing.len(), 10, "{all_missing:?}");
        assert!(
            !all_missing.contains(&"source_shared".to_owned()),
            "a go-live requirement"
        );
        assert!(
            !all_missing.contains(&"municipality_count".to_owned()),
            "derived and met"
        );

        let complete: Vec<Evidence> = catalogue
            .due_at(Level::N1, Gate::Approval)
            .filter(|r| r.kind != EvidenceKind::Derived)
            .map(|r| {
                with(
                    evidence(&r.key, EvidenceStatus::Met),
                    None,
                    Some("https://x"),
                )
            })
            .collect();
        assert_eq!(keys(&complete), Vec::<String>::new());
        assert_eq!(keys(&complete[1..]), ["idea_described"]);
    }

    /// Each error names the request field it is about, so a 422 points at it.
    #[test]
    fn each_error_names_its_request_field() {
        let cases = [
            (EvidenceError::Derived("board_approval".into()), "key"),
            (EvidenceError::ExplainedNotAllowed, "status"),
            (EvidenceError::NotApplicableNotAllowed("x".into()), "status"),
            (EvidenceError::ExplanationRequired, "explanation"),
            (EvidenceError::LinkRequired, "link"),
            (
                EvidenceError::OrganizationRequired("x".into()),
                "organization",
            ),
            (
                EvidenceError::OrganizationNotAllowed("x".into()),
                "organization",
            ),
        ];
        for (error, field) in cases {
            assert_eq!(error.field(), field, "{error}");
        }
    }
}
