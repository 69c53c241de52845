//! Level changes of projects and products: proposed to the board, moving up only with the
//! target level's requirements met.

use os2pm_levels::{Gate, Level};
use os2pm_persistence::DbConnection;
use os2pm_persistence::approvals::ApprovalRow;
use os2pm_products::{
    NOT_BLOCKING_A_LEVEL_CHANGE, ProductId, check_level_change, gate_for_level_change,
};
use os2pm_projects::{Action, Approver, ProjectId, State, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::request::{IdempotencyKey, Outcome, StoredReply};
use crate::usecases::approvals::{ApprovalView, LevelChangeTo, Payload, Proposer, open_approval};
use crate::usecases::products::LoadedProduct;
use crate::usecases::projects::{Loaded, unmet_refused};
use crate::usecases::to_body;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "N2", "reason": "Bruges nu af 40 kommuner"}))]
pub struct LevelChangeRequest {
    #[schema(value_type = os2pm_levels::Level)]
    pub level: String,
    pub reason: String,
}

fn parse_level_change(request: &LevelChangeRequest) -> Result<Level, ApiError> {
    if request.reason.trim().is_empty() {
        return Err(ApiError::validation("reason", "say why"));
    }
    request
        .level
        .parse()
        .map_err(|e: os2pm_levels::UnknownValue| ApiError::validation("level", e.to_string()))
}

/// Proposes a level change to the board; moving up must meet the target level's requirements
/// first (422 with the unmet list, before any vote is asked for).
pub(crate) fn propose_level_change(
    conn: &mut DbConnection,
    project: &Loaded,
    from: Level,
    to: Level,
    gate: Gate,
    (reason, proposed_by): (&str, Proposer),
) -> Result<ApprovalRow, ApiError> {
    if !project.catalogue.offers(to) {
        return Err(ApiError::validation(
            "level",
            format!("{} has no level {to}", project.catalogue.version),
        ));
    }
    let up =
        check_level_change(from, to).map_err(|e| ApiError::validation("level", e.to_string()))?;
    if up {
        unmet_refused(project.unmet_where(to, gate, |r| {
            !NOT_BLOCKING_A_LEVEL_CHANGE.contains(&r.computation_key())
        }))?;
    }
    let payload = Payload::LevelChange(LevelChangeTo {
        to,
        reason: reason.to_owned(),
        proposed_by: Some(proposed_by),
    });
    open_approval(
        conn,
        &project.record.project,
        from,
        Subject::LevelChange,
        Approver::Board,
        Some(payload),
    )
}

pub(crate) fn approval_answer(
    conn: &mut DbConnection,
    approval: ApprovalRow,
) -> Result<Outcome, ApiError> {
    let id = approval.id.clone();
    let view = ApprovalView::load(conn, approval)?;
    Ok(Outcome::created(
        format!("/api/v1/approvals/{id}"),
        to_body(&view)?,
    ))
}

/// Proposes moving an approved or running project to another level; the board decides.
pub fn propose_for_project(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    idempotency_key: IdempotencyKey,
    change: LevelChange,
) -> Result<StoredReply, ApiError> {
    let LevelChange { request, to } = change;
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        let project = Loaded::load(conn, id)?;
        let state = project.check(Action::ChangeLevel, caller)?;
        let from = project.level().unwrap_or(Level::N1);
        let started = matches!(state, State::InProgress | State::Paused);
        let approval = propose_level_change(
            conn,
            &project,
            from,
            to,
            gate_for_level_change(false, started),
            (&request.reason, Proposer::BusinessManager),
        )?;
        approval_answer(conn, approval)
    })
}

/// Proposes moving a product to another level; the board decides.
pub fn propose_for_product(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    idempotency_key: IdempotencyKey,
    change: LevelChange,
) -> Result<StoredReply, ApiError> {
    let LevelChange { request, to } = change;
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        let loaded = LoadedProduct::load(conn, id)?;
        loaded.check_open()?;
        if !loaded.steers(caller) {
            return Err(ApiError::Forbidden("only the business manager or the coordination group's chair proposes a level change".into()));
        }
        let project = Loaded::load(conn, &loaded.product.project_id)?;
        let proposer = if caller.has_role(Role::Forretningsleder) {
            Proposer::BusinessManager
        } else {
            Proposer::CoordinationGroup
        };
        let approval = propose_level_change(conn, &project, loaded.level(), to, gate_for_level_change(true, true), (&request.reason, proposer))?;
        approval_answer(conn, approval)
    })
}

/// A level change, parsed: the target level, and a reason.
pub struct LevelChange {
    request: LevelChangeRequest,
    to: Level,
}

impl TryFrom<LevelChangeRequest> for LevelChange {
    type Error = ApiError;

    fn try_from(request: LevelChangeRequest) -> Result<Self, ApiError> {
        let to = parse_level_change(&request)?;
        Ok(Self { request, to })
    }
}
