//! The states of an initiative and the actions each state allows.

use os2pm_levels::names;
use serde::{Deserialize, Serialize};

use crate::decisions::Decision;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Idea,
    Concept,
    AwaitingApproval,
    Approved,
    /// *Tilbageløb*: back to the idea stage with a reason; can be submitted again.
    Returned,
    /// Final.
    Rejected,
}

names!(State {
    Idea => "idea",
    Concept => "concept",
    AwaitingApproval => "awaiting_approval",
    Approved => "approved",
    Returned => "returned",
    Rejected => "rejected",
});

/// `project`, or `adoption`: a solution built elsewhere, handed over to the association.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Project,
    Adoption,
}

names!(Kind { Project => "project", Adoption => "adoption" });

/// The intended funding; at N1 only `local` is possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    Local,
    Os2,
    Mixed,
}

names!(Funding { Local => "local", Os2 => "os2", Mixed => "mixed" });

/// What a caller can do to an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Edit,
    RecordEvidence,
    Place,
    Submit,
    Decide,
}

names!(Action {
    Edit => "edit",
    RecordEvidence => "record_evidence",
    Place => "place",
    Submit => "submit",
    Decide => "decide",
});

/// The caller, as far as the life cycle cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// Acts for the owner organisation (a municipality user or its intranet integration).
    pub owner: bool,
    /// Named project leader of this initiative.
    pub project_leader: bool,
    pub business_manager: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The caller may not take this action on this initiative (403).
    #[error("{0}")]
    NotAllowed(&'static str),
    /// The action is not possible in the current state (409).
    #[error("`{action}` is not possible while the initiative is `{state}`")]
    WrongState { action: Action, state: State },
}

impl State {
    /// Where `action` leads from this state, for the caller `actor`; `Edit` and
    /// `RecordEvidence` keep the state.
    pub fn transition(self, action: Action, actor: Actor) -> Result<State, LifecycleError> {
        use State::*;
        let who_may = match action {
            Action::Edit => actor.owner || actor.business_manager,
            Action::RecordEvidence => actor.owner || actor.project_leader || actor.business_manager,
            Action::Place | Action::Submit => actor.business_manager,
            // Who decides depends on the level (see `approver_for`); the API checks that.
            Action::Decide => true,
        };
        if !who_may {
            return Err(LifecycleError::NotAllowed(match action {
                Action::Edit => "only the owner organisation or the business manager edits an idea",
                Action::RecordEvidence => {
                    "only the owner organisation, the project leader or the business manager records evidence"
                }
                _ => "only the business manager places and submits initiatives",
            }));
        }
        let next = match (action, self) {
            (Action::Edit, Idea | Returned) => Some(self),
            (Action::RecordEvidence, Idea | Concept | Returned | AwaitingApproval | Approved) => {
                Some(self)
            }
            // Placing again before submission changes the level of a concept.
            (Action::Place, Idea | Returned | Concept) => Some(Concept),
            (Action::Submit, Concept) => Some(AwaitingApproval),
            (Action::Decide, AwaitingApproval) => Some(self),
            _ => None,
        };
        next.ok_or(LifecycleError::WrongState {
            action,
            state: self,
        })
    }

    /// The state a final decision leads to.
    pub fn decided(decision: Decision) -> State {
        match decision {
            Decision::Approve => State::Approved,
            Decision::Return => State::Returned,
            Decision::Reject => State::Rejected,
        }
    }

    /// The actions `actor` may take now (the `_actions` of a project).
    pub fn actions(self, actor: Actor) -> Vec<Action> {
        [
            Action::Edit,
            Action::RecordEvidence,
            Action::Place,
            Action::Submit,
        ]
        .into_iter()
        .filter(|action| self.transition(*action, actor).is_ok())
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOBODY: Actor = Actor {
        owner: false,
        project_leader: false,
        business_manager: false,
    };
    const OWNER: Actor = Actor {
        owner: true,
        ..NOBODY
    };
    const LEADER: Actor = Actor {
        project_leader: true,
        ..NOBODY
    };
    const MANAGER: Actor = Actor {
        business_manager: true,
        ..NOBODY
    };

    /// Every state × every action × every kind of caller, against the table of DOMAIN.md §2.
    #[test]
    fn every_state_action_and_caller() {
        use Action::*;
        use State::*;
        for &state in State::ALL {
            for &action in Action::ALL {
                for (actor, name) in [
                    (NOBODY, "nobody"),
                    (OWNER, "owner"),
                    (LEADER, "leader"),
                    (MANAGER, "manager"),
                ] {
                    let allowed_caller = match action {
                        Edit => actor.owner || actor.business_manager,
                        RecordEvidence => actor != NOBODY,
                        Place | Submit => actor.business_manager,
                        Decide => true,
                    };
                    let expected = match (action, state) {
                        (Edit, Idea | Returned) => Some(state),
                        (RecordEvidence, Rejected) => None,
                        (RecordEvidence, _) => Some(state),
                        (Place, Idea | Returned | Concept) => Some(Concept),
                        (Submit, Concept) => Some(AwaitingApproval),
                        (Decide, AwaitingApproval) => Some(AwaitingApproval),
                        _ => None,
                    };
                    let got = state.transition(action, actor);
                    match (allowed_caller, expected) {
                        (false, _) => assert!(
                            matches!(got, Err(LifecycleError::NotAllowed(_))),
                            "{name} {action} in {state}: {got:?}"
                        ),
                        (true, Some(next)) => {
                            assert_eq!(got, Ok(next), "{name} {action} in {state}")
                        }
                        (true, None) => assert_eq!(
                            got,
                            Err(LifecycleError::WrongState { action, state }),
                            "{name} {action} in {state}"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn decisions_lead_to_their_states() {
        assert_eq!(State::decided(Decision::Approve), State::Approved);
        assert_eq!(State::decided(Decision::Return), State::Returned);
        assert_eq!(State::decided(Decision::Reject), State::Rejected);
    }

    #[test]
    fn rejected_is_final() {
        for &action in Action::ALL {
            assert!(State::Rejected.transition(action, MANAGER).is_err());
        }
        assert!(State::Rejected.actions(MANAGER).is_empty());
    }

    #[test]
    fn actions_list_what_the_caller_may_do_now() {
        assert_eq!(
            State::Idea.actions(OWNER),
            [Action::Edit, Action::RecordEvidence]
        );
        assert_eq!(
            State::Idea.actions(MANAGER),
            [Action::Edit, Action::RecordEvidence, Action::Place]
        );
        assert_eq!(
            State::Concept.actions(MANAGER),
            [Action::RecordEvidence, Action::Place, Action::Submit]
        );
        assert_eq!(State::Concept.actions(OWNER), [Action::RecordEvidence]);
        assert!(State::Idea.actions(NOBODY).is_empty());
    }

    #[test]
    fn names_round_trip() {
        for &state in State::ALL {
            assert_eq!(state.as_str().parse(), Ok(state));
        }
        for &funding in Funding::ALL {
            assert_eq!(funding.as_str().parse(), Ok(funding));
        }
        for &kind in Kind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
        assert!("done".parse::<State>().is_err());
    }
}
