//! The states of an initiative and the actions each state allows.

use os2pm_levels::names;
use serde::{Deserialize, Serialize};

use os2pm_levels::Level;

use crate::decisions::{Decision, cancellation_needs_board};

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
    /// Started: steering group in place, budget approved, start-gate requirements met.
    InProgress,
    /// Reconsidered: on hold, can be resumed.
    Paused,
    /// Final: stopped by the steering group (at N2/N3 confirmed by the board).
    Cancelled,
    /// Final for the project: live, and a product from now on.
    Implemented,
}

names!(State {
    Idea => "idea",
    Concept => "concept",
    AwaitingApproval => "awaiting_approval",
    Approved => "approved",
    Returned => "returned",
    Rejected => "rejected",
    InProgress => "in_progress",
    Paused => "paused",
    Cancelled => "cancelled",
    Implemented => "implemented",
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
    /// An organisation's own part of a per-organisation requirement (its line management's
    /// acceptance), or the business manager's on its behalf.
    Attest,
    Place,
    /// *Tilbageløb* before the board: the business manager sends a concept back to the owner.
    SendBack,
    Submit,
    Decide,
    SetSteeringGroup,
    SetBudget,
    ApproveBudget,
    Start,
    Report,
    Pause,
    Resume,
    Cancel,
    SetCoordinationGroup,
    GoLive,
    ChangeLevel,
}

names!(Action {
    Edit => "edit",
    RecordEvidence => "record_evidence",
    Attest => "attest",
    Place => "place",
    SendBack => "send_back",
    Submit => "submit",
    Decide => "decide",
    SetSteeringGroup => "set_steering_group",
    SetBudget => "set_budget",
    ApproveBudget => "approve_budget",
    Start => "start",
    Report => "report",
    Pause => "pause",
    Resume => "resume",
    Cancel => "cancel",
    SetCoordinationGroup => "set_coordination_group",
    GoLive => "go_live",
    ChangeLevel => "change_level",
});

/// The caller, as far as the life cycle cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Actor {
    /// Acts for the owner organisation (a municipality user or its intranet integration).
    pub owner: bool,
    /// Acts for another participating organisation: it attests its own part of the project
    /// (which part is the evidence's rule, `os2pm_levels::evidence::check_recorder`).
    pub participant: bool,
    /// The project leader named with the steering group.
    pub project_leader: bool,
    pub business_manager: bool,
    /// Represents the organisation that chairs the steering group (or is the N1 project owner).
    pub steering_chair: bool,
}

impl Action {
    /// Whether `actor` may take this action at all, and if not, why.
    fn permitted(self, actor: Actor) -> Result<(), &'static str> {
        let (allowed, why) = match self {
            Action::Edit => (
                actor.owner || actor.business_manager,
                "only the owner organisation or the business manager edits an idea",
            ),
            Action::RecordEvidence => (
                actor.owner || actor.project_leader || actor.business_manager,
                "only the owner organisation, the project leader or the business manager records evidence",
            ),
            Action::Attest => (
                actor.owner || actor.participant || actor.business_manager,
                "only a participating organisation, for its own part, or the business manager on its behalf attests",
            ),
            Action::Place | Action::SendBack | Action::Submit | Action::SetSteeringGroup => (
                actor.business_manager,
                "only the business manager places, sends back, submits and proposes steering groups",
            ),
            // Who decides depends on the level (see `approver_for`); the API checks that.
            Action::Decide => (true, ""),
            Action::SetBudget => (
                actor.business_manager || actor.steering_chair || actor.project_leader,
                "only the business manager, the steering group's chair or the project leader sets the budget",
            ),
            Action::ApproveBudget | Action::Cancel => (
                actor.steering_chair,
                "only the steering group's chair approves the budget or cancels the project",
            ),
            Action::Start
            | Action::Pause
            | Action::Resume
            | Action::SetCoordinationGroup
            | Action::GoLive => (
                actor.business_manager || actor.steering_chair,
                "only the business manager or the steering group's chair starts, pauses, resumes, forms the coordination group or goes live",
            ),
            Action::ChangeLevel => (
                actor.business_manager,
                "only the business manager proposes a running project's level change",
            ),
            Action::Report => (
                actor.project_leader || actor.business_manager,
                "only the project leader or the business manager reports progress",
            ),
        };
        if allowed { Ok(()) } else { Err(why) }
    }
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

/// The effect of a decision on a project's own approval: the state to store, and what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    pub state: State,
    /// A return opens the next approval round.
    pub new_round: bool,
}

impl State {
    /// Every project starts as an idea from a municipality.
    pub const INITIAL: State = State::Idea;

    /// Where `action` leads from this state, for the caller `actor`; `Edit` and
    /// `RecordEvidence` keep the state.
    pub fn transition(self, action: Action, actor: Actor) -> Result<State, LifecycleError> {
        use State::*;
        action
            .permitted(actor)
            .map_err(LifecycleError::NotAllowed)?;
        // The business manager shapes a concept; the owner reworks it once it is sent back.
        if (action, self) == (Action::Edit, Concept) && !actor.business_manager {
            return Err(LifecycleError::NotAllowed(
                "only the business manager edits a concept; it can send it back to the owner",
            ));
        }
        let running = matches!(self, InProgress | Paused);
        let next = match (action, self) {
            (Action::Edit, Idea | Returned | Concept) => Some(self),
            (Action::SendBack, Concept) => Some(Returned),
            (
                Action::RecordEvidence | Action::Attest,
                Idea | Concept | Returned | AwaitingApproval | Approved,
            ) => Some(self),
            // Evidence keeps being recorded while the project runs and once it is a product.
            (Action::RecordEvidence | Action::Attest, Implemented) => Some(self),
            (Action::RecordEvidence | Action::Attest, _) if running => Some(self),
            // Placing again before submission changes the level of a concept.
            (Action::Place, Idea | Returned | Concept) => Some(Concept),
            (Action::Submit, Concept) => Some(AwaitingApproval),
            (Action::Decide, AwaitingApproval) => Some(self),
            (Action::SetSteeringGroup | Action::SetBudget | Action::ApproveBudget, Approved) => {
                Some(self)
            }
            (Action::SetSteeringGroup | Action::SetBudget | Action::ApproveBudget, _)
                if running =>
            {
                Some(self)
            }
            (Action::Start, Approved) => Some(InProgress),
            (Action::Report, _) if running => Some(self),
            (Action::Pause, InProgress) => Some(Paused),
            (Action::Resume, Paused) => Some(InProgress),
            (Action::Cancel, _) if running => Some(Cancelled),
            (Action::SetCoordinationGroup, _) if running => Some(self),
            (Action::GoLive, InProgress) => Some(Implemented),
            (Action::ChangeLevel, Approved) => Some(self),
            (Action::ChangeLevel, _) if running => Some(self),
            _ => None,
        };
        next.ok_or(LifecycleError::WrongState {
            action,
            state: self,
        })
    }

    /// Where `action` leads for a project at `level` (`None` before placement): as
    /// [`State::transition`], except that a cancellation the board must confirm (N2/N3) keeps
    /// the state until the board decides (governance.md §2).
    pub fn transition_at(
        self,
        action: Action,
        actor: Actor,
        level: Option<Level>,
    ) -> Result<State, LifecycleError> {
        let next = self.transition(action, actor)?;
        let awaits_board = action == Action::Cancel && level.is_some_and(cancellation_needs_board);
        Ok(if awaits_board { self } else { next })
    }

    /// What the board's decision on a cancellation does to a running project: confirmed, it
    /// is cancelled; refused, it runs on as it was (governance.md §2).
    pub fn cancellation_decided(self, confirmed: bool) -> State {
        if confirmed { State::Cancelled } else { self }
    }

    /// The state a final decision leads to.
    pub fn decided(decision: Decision) -> State {
        match decision {
            Decision::Approve => State::Approved,
            Decision::Return => State::Returned,
            Decision::Reject => State::Rejected,
        }
    }

    /// What deciding the project's own approval does, from this state (only a project awaiting
    /// approval is decided): approve → approved, an adoption too, which then goes live through
    /// the start and go-live gates like any project; return → returned, in a new approval round
    /// (*tilbageløb*); reject → rejected (governance.md §2, §7).
    pub fn decide(self, decision: Decision) -> Result<Decided, LifecycleError> {
        self.transition(Action::Decide, Actor::default())?;
        let next = State::decided(decision);
        Ok(Decided {
            state: next,
            new_round: next == State::Returned,
        })
    }

    /// The actions `actor` may take now (the `_actions` of a project); deciding is listed by
    /// the approval, not here.
    pub fn actions(self, actor: Actor) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|action| *action != Action::Decide)
            .filter(|action| self.transition(*action, actor).is_ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOBODY: Actor = Actor {
        owner: false,
        participant: false,
        project_leader: false,
        business_manager: false,
        steering_chair: false,
    };
    const OWNER: Actor = Actor {
        owner: true,
        ..NOBODY
    };
    const PARTICIPANT: Actor = Actor {
        participant: true,
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
    const CHAIR: Actor = Actor {
        steering_chair: true,
        ..NOBODY
    };

    #[test]
    fn the_board_confirms_a_cancellation_or_the_project_runs_on() {
        for running in [State::InProgress, State::Paused] {
            assert_eq!(running.cancellation_decided(true), State::Cancelled);
            assert_eq!(running.cancellation_decided(false), running);
        }
    }

    #[test]
    fn a_cancellation_the_board_confirms_keeps_the_state_until_it_does() {
        for running in [State::InProgress, State::Paused] {
            let at = |level| running.transition_at(Action::Cancel, CHAIR, level);
            assert_eq!(at(Some(Level::N1)), Ok(State::Cancelled));
            assert_eq!(at(Some(Level::N2)), Ok(running));
            assert_eq!(at(Some(Level::N3)), Ok(running));
        }
        // Everything else leads where `transition` says, at any level.
        assert_eq!(
            State::Concept.transition_at(Action::Submit, MANAGER, Some(Level::N3)),
            Ok(State::AwaitingApproval)
        );
        assert_eq!(
            State::InProgress.transition_at(Action::Pause, CHAIR, Some(Level::N3)),
            Ok(State::Paused)
        );
        assert!(
            State::Idea
                .transition_at(Action::Cancel, CHAIR, Some(Level::N2))
                .is_err()
        );
    }

    /// Every state × every action × every kind of caller, against the table of governance.md §2
    /// and §4, written out here independently of the implementation.
    #[test]
    fn every_state_action_and_caller() {
        use Action::*;
        use State::*;
        for &state in State::ALL {
            for &action in Action::ALL {
                for (actor, name) in [
                    (NOBODY, "nobody"),
                    (OWNER, "owner"),
                    (PARTICIPANT, "participant"),
                    (LEADER, "leader"),
                    (MANAGER, "manager"),
                    (CHAIR, "chair"),
                ] {
                    let allowed_caller = match action {
                        Edit => actor == OWNER || actor == MANAGER,
                        RecordEvidence => actor == OWNER || actor == LEADER || actor == MANAGER,
                        Attest => actor == OWNER || actor == PARTICIPANT || actor == MANAGER,
                        Place | SendBack | Submit | SetSteeringGroup => actor == MANAGER,
                        Decide => true,
                        SetBudget => actor == MANAGER || actor == CHAIR || actor == LEADER,
                        ApproveBudget | Cancel => actor == CHAIR,
                        Start | Pause | Resume | SetCoordinationGroup | GoLive => {
                            actor == MANAGER || actor == CHAIR
                        }
                        Report => actor == LEADER || actor == MANAGER,
                        ChangeLevel => actor == MANAGER,
                    };
                    let running = matches!(state, InProgress | Paused);
                    let expected = match (action, state) {
                        (Edit, Idea | Returned | Concept) => Some(state),
                        (SendBack, Concept) => Some(Returned),
                        (RecordEvidence | Attest, Rejected | Cancelled) => None,
                        (RecordEvidence | Attest, _) => Some(state),
                        (Place, Idea | Returned | Concept) => Some(Concept),
                        (Submit, Concept) => Some(AwaitingApproval),
                        (Decide, AwaitingApproval) => Some(AwaitingApproval),
                        (SetSteeringGroup | SetBudget | ApproveBudget, Approved) => Some(state),
                        (SetSteeringGroup | SetBudget | ApproveBudget | Report, _) if running => {
                            Some(state)
                        }
                        (Start, Approved) => Some(InProgress),
                        (Pause, InProgress) => Some(Paused),
                        (Resume, Paused) => Some(InProgress),
                        (Cancel, _) if running => Some(Cancelled),
                        (SetCoordinationGroup, _) if running => Some(state),
                        (GoLive, InProgress) => Some(Implemented),
                        (ChangeLevel, Approved) => Some(state),
                        (ChangeLevel, _) if running => Some(state),
                        _ => None,
                    };
                    // Only the business manager edits a concept.
                    let allowed_caller =
                        allowed_caller && !(action == Edit && state == Concept && actor != MANAGER);
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

    /// Tilbageløb before the board (governance.md §2): the business manager may edit a concept
    /// or send it back to the owner, who reworks it; it is then placed again.
    #[test]
    fn the_business_manager_shapes_a_concept_or_sends_it_back() {
        assert_eq!(
            State::Concept.transition(Action::SendBack, MANAGER),
            Ok(State::Returned)
        );
        assert_eq!(
            State::Concept.transition(Action::Edit, MANAGER),
            Ok(State::Concept)
        );
        for someone_else in [OWNER, LEADER, CHAIR] {
            assert!(matches!(
                State::Concept.transition(Action::Edit, someone_else),
                Err(LifecycleError::NotAllowed(_))
            ));
            assert!(matches!(
                State::Concept.transition(Action::SendBack, someone_else),
                Err(LifecycleError::NotAllowed(_))
            ));
        }
        let sent_back = State::Returned;
        assert_eq!(sent_back.transition(Action::Edit, OWNER), Ok(sent_back));
        assert_eq!(
            sent_back.transition(Action::Place, MANAGER),
            Ok(State::Concept)
        );
        // Once submitted, only the board returns it.
        assert!(matches!(
            State::AwaitingApproval.transition(Action::SendBack, MANAGER),
            Err(LifecycleError::WrongState { .. })
        ));
    }

    #[test]
    fn decisions_lead_to_their_states() {
        assert_eq!(State::decided(Decision::Approve), State::Approved);
        assert_eq!(State::decided(Decision::Return), State::Returned);
        assert_eq!(State::decided(Decision::Reject), State::Rejected);
    }

    #[test]
    fn rejected_cancelled_and_implemented_are_final() {
        for &state in &[State::Rejected, State::Cancelled, State::Implemented] {
            for &action in Action::ALL {
                // A product's evidence is kept up to date on the project it came from.
                if state == State::Implemented
                    && matches!(action, Action::RecordEvidence | Action::Attest)
                {
                    continue;
                }
                for actor in [MANAGER, CHAIR, LEADER, OWNER] {
                    assert!(
                        state.transition(action, actor).is_err(),
                        "{action} in {state}"
                    );
                }
            }
        }
        assert!(State::Rejected.actions(MANAGER).is_empty());
    }

    #[test]
    fn actions_list_what_the_caller_may_do_now() {
        use Action::*;
        assert_eq!(State::Idea.actions(OWNER), [Edit, RecordEvidence, Attest]);
        assert_eq!(
            State::Idea.actions(MANAGER),
            [Edit, RecordEvidence, Attest, Place]
        );
        assert_eq!(
            State::Concept.actions(MANAGER),
            [Edit, RecordEvidence, Attest, Place, SendBack, Submit]
        );
        assert_eq!(State::Concept.actions(OWNER), [RecordEvidence, Attest]);
        // Another participant attests its own part, and does nothing else.
        assert_eq!(State::Concept.actions(PARTICIPANT), [Attest]);
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

    #[test]
    fn a_decision_sets_the_state_and_the_round() {
        let decided = |decision| State::AwaitingApproval.decide(decision);
        let effect = |state, new_round| Ok(Decided { state, new_round });
        // An approved adoption is approved, not yet a product (report 5.2, "på samme vilkår").
        assert_eq!(decided(Decision::Approve), effect(State::Approved, false));
        assert_eq!(decided(Decision::Return), effect(State::Returned, true));
        assert_eq!(decided(Decision::Reject), effect(State::Rejected, false));
        assert!(matches!(
            State::Concept.decide(Decision::Approve),
            Err(LifecycleError::WrongState { .. })
        ));
    }
}
