//! Change requests: filed by member organisations, routed by the domain, decided by the
//! coordination group's chair or the board.

use chrono::{DateTime, Utc};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::change_requests::{self as requests, ChangeRequestRow};
use os2pm_persistence::projects as project_store;
use os2pm_persistence::{DbConnection, StoreError, in_transaction, organizations};
use os2pm_products::{
    ChangeCategory, ChangeRequestId, ChangeRequestState, Filer, FilingError, ProductId, Route,
    check_filing, route,
};
use os2pm_projects::{Approver, Decision, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::request::{IdempotencyKey, Problems, StoredReply};
use crate::usecases::approvals::{ChangeRequestRef, Payload, open_approval};
use crate::usecases::created;
use crate::usecases::people::organization_label;
use crate::usecases::privacy::{Audience, Redacted};
use crate::usecases::products::LoadedProduct;

/// A change request on a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeRequestView {
    pub id: ChangeRequestId,
    pub product_id: ProductId,
    /// The requesting member organisation.
    pub organization: String,
    /// `legal_maintenance`, `technical_maintenance`, `minor_change`, `further_development`, `re_tender`.
    pub category: os2pm_products::ChangeCategory,
    pub description: String,
    pub estimated_cost_dkk: i64,
    /// Who decides: `recorded` (the group is informed), `coordination_group` or `board`.
    pub route: os2pm_products::Route,
    pub state: os2pm_products::ChangeRequestState,
    /// `board`, or the `sub` of the coordination group's chair (`null` for anonymous readers).
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    /// `null` for anonymous readers.
    #[schema(nullable)]
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// A minor change: where the supplier's agreement with the project leader is recorded.
    pub supplier_agreement: Option<String>,
}

fn change_request_view(
    conn: &mut DbConnection,
    row: ChangeRequestRow,
) -> Result<ChangeRequestView, ApiError> {
    Ok(ChangeRequestView {
        organization: organization_label(conn, &row.organization_id)?,
        id: row.id,
        product_id: row.product_id,
        category: row.category,
        description: row.description,
        estimated_cost_dkk: row.estimated_cost_dkk,
        route: row.route,
        state: row.state,
        decided_by: row.decided_by,
        reason: row.reason,
        created_by: row.created_by,
        created_at: row.created_at.and_utc(),
        supplier_agreement: row.supplier_agreement,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"category": "further_development", "description": "Integration til den nye ydelsesindsats", "estimated_cost_dkk": 750000}))]
pub struct NewChangeRequest {
    #[schema(value_type = os2pm_products::ChangeCategory)]
    pub category: String,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub description: String,
    #[validate(range(min = 0, message = "must not be negative"))]
    pub estimated_cost_dkk: i64,
    /// A minor change (`minor_change`, filed by the product's project leader) only: where the
    /// supplier agreed to it (a link to the minutes or mail, or a line saying when and how).
    #[validate(length(min = 1, max = 2000, message = "must be 1 to 2000 characters"))]
    pub supplier_agreement: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "approve", "reason": "Inden for rammen"}))]
pub struct ChangeDecisionRequest {
    #[schema(schema_with = change_decision_schema)]
    pub decision: String,
    pub reason: Option<String>,
}

/// Files a change request, routed by the domain to whoever decides it: a member organisation
/// files one, the project leader a minor change agreed with the supplier (the group is informed
/// by its own event, `change_request.minor_change_agreed`).
pub fn submit(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    idempotency_key: IdempotencyKey,
    change: ParsedChangeRequest,
) -> Result<StoredReply, ApiError> {
    let ParsedChangeRequest { request, category } = change;
    idempotency_key.run(conn, caller, &(&id, &request), |conn| {
        let loaded = LoadedProduct::load(conn, id)?;
        loaded.check_open()?;
        let member = loaded.coordination.is_member_organization(caller);
        let filer = Filer {
            member_organization: member
                && (caller.has_role(Role::MunicipalityUser) || caller.has_role(Role::Integration)),
            project_leader: loaded
                .project
                .steering
                .as_ref()
                .is_some_and(|s| s.is_project_leader(&caller.sub)),
        };
        check_filing(category, filer, request.supplier_agreement.as_deref()).map_err(
            |e| match e {
                FilingError::NotTheProjectLeader | FilingError::NotAMember => {
                    ApiError::Forbidden(e.to_string())
                }
                FilingError::NoSupplierAgreement | FilingError::AgreementWithoutMinorChange => {
                    ApiError::validation("supplier_agreement", e.to_string())
                }
            },
        )?;
        let route = route(category, request.estimated_cost_dkk, loaded.remaining_frame);
        let org = caller
            .org
            .as_deref()
            .ok_or_else(|| ApiError::Forbidden("the token names no organisation".into()))?;
        let organization = organizations::find(conn, org)?;
        let row = ChangeRequestRow {
            id: crate::usecases::new_id(),
            product_id: id.to_owned(),
            organization_id: organization.id,
            category,
            description: request.description.clone(),
            estimated_cost_dkk: request.estimated_cost_dkk,
            route,
            state: ChangeRequestState::routed(route),
            decided_by: None,
            decided_at: None,
            reason: None,
            created_by: caller.sub.clone(),
            created_at: os2pm_persistence::now(),
            supplier_agreement: request.supplier_agreement.clone(),
        };
        requests::insert(conn, &row)?;
        if route == Route::Board {
            open_board_approval(conn, &loaded, &row.id)?;
        }
        let view = change_request_view(conn, row)?;
        created(
            conn,
            caller,
            (
                "project",
                loaded.product.project_id.as_str(),
                if category == ChangeCategory::MinorChange {
                    "change_request_minor_change_agreed"
                } else {
                    "change_request_filed"
                },
            ),
            format!("/api/v1/products/{id}/change-requests/{}", view.id),
            &view,
        )
    })
}

/// The product's change requests, oldest first, as `audience` may read them.
pub fn list(
    conn: &mut DbConnection,
    id: &ProductId,
    audience: Audience,
) -> Result<Vec<Redacted<ChangeRequestView>>, ApiError> {
    LoadedProduct::load(conn, id)?;
    requests::for_product(conn, id)?
        .into_iter()
        .map(|row| Ok(audience.redacted(change_request_view(conn, row)?)))
        .collect()
}

/// The coordination group's chair decides a change request routed to the group.
pub fn decide(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    request_id: &ChangeRequestId,
    decision: ChangeDecision,
) -> Result<ChangeRequestView, ApiError> {
    let ChangeDecision { request, decision } = decision;
    in_transaction(conn, |conn| {
        let loaded = LoadedProduct::load(conn, id)?;
        loaded.check_open()?;
        let not_here =
            || ApiError::NotFound(format!("no change request `{request_id}` on this product"));
        let row = match requests::find(conn, request_id) {
            Ok(row) if row.product_id == *id => row,
            Ok(_) | Err(StoreError::NotFound) => return Err(not_here()),
            Err(other) => return Err(other.into()),
        };
        if row.route != Route::CoordinationGroup {
            return Err(ApiError::Forbidden(format!(
                "this request is decided by: {}",
                row.route
            )));
        }
        if !loaded.coordination.is_main_chair(&caller.sub) {
            return Err(ApiError::Forbidden(
                "only the main coordination group's chair decides further development".into(),
            ));
        }
        // The frame is checked again as it remains now: two requests filed while it was free
        // cannot both be approved past it (governance.md §5); one that no longer fits goes to
        // the board instead.
        let fits = route(row.category, row.estimated_cost_dkk, loaded.remaining_frame)
            == Route::CoordinationGroup;
        if decision == Decision::Approve && !fits {
            return refer_to_board(conn, caller, &loaded, row);
        }
        let state = ChangeRequestState::decided(decision == Decision::Approve);
        requests::decide(
            conn,
            request_id,
            state,
            &caller.sub,
            request.reason.as_deref(),
        )
        .map_err(|e| match e {
            StoreError::Stale => ApiError::Conflict("the change request is already decided".into()),
            other => other.into(),
        })?;
        audit::append(
            conn,
            NewEntry {
                subject_type: "project",
                subject_id: loaded.product.project_id.as_str(),
                action: "change_request_decided",
                actor: &caller.actor(),
                before: None,
                after: Some(
                    serde_json::json!({"change_request": request_id, "state": state}).to_string(),
                ),
                reason: request.reason.as_deref(),
            },
        )?;
        let decided = requests::find(conn, request_id)?;
        change_request_view(conn, decided)
    })
}

/// Sends a request the group can no longer approve within its frame to the board: its route
/// becomes `board` and a board approval opens, in the decision's transaction.
fn refer_to_board(
    conn: &mut DbConnection,
    caller: &Caller,
    loaded: &LoadedProduct,
    row: ChangeRequestRow,
) -> Result<ChangeRequestView, ApiError> {
    requests::reroute(conn, &row.id, Route::Board).map_err(|e| match e {
        StoreError::Stale => ApiError::Conflict("the change request is already decided".into()),
        other => other.into(),
    })?;
    open_board_approval(conn, loaded, &row.id)?;
    audit::append(
        conn,
        NewEntry {
            subject_type: "project",
            subject_id: loaded.product.project_id.as_str(),
            action: "change_request_referred_to_board",
            actor: &caller.actor(),
            before: None,
            after: Some(
                serde_json::json!({"change_request": row.id, "route": Route::Board}).to_string(),
            ),
            reason: Some("the estimate no longer fits the remaining budget frame"),
        },
    )?;
    let referred = requests::find(conn, &row.id)?;
    change_request_view(conn, referred)
}

/// Opens the board's approval of change request `id`.
fn open_board_approval(
    conn: &mut DbConnection,
    loaded: &LoadedProduct,
    id: &ChangeRequestId,
) -> Result<(), ApiError> {
    let project = project_store::find(conn, &loaded.product.project_id)?.project;
    let payload = Payload::ChangeRequest(ChangeRequestRef {
        change_request: id.clone(),
    });
    open_approval(
        conn,
        &project,
        loaded.level(),
        Subject::ChangeRequest,
        Approver::Board,
        Some(payload),
    )?;
    Ok(())
}

/// A change request, parsed.
pub struct ParsedChangeRequest {
    request: NewChangeRequest,
    category: ChangeCategory,
}

impl TryFrom<NewChangeRequest> for ParsedChangeRequest {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(request: NewChangeRequest) -> Result<Self, ApiError> {
        let mut problems = Problems::of(&request);
        let category = problems.parse("category", &request.category);
        problems.or_command(|| {
            Some(Self {
                category: category?,
                request,
            })
        })
    }
}

/// A decision on a change request, parsed: approve, or reject with a reason.
pub struct ChangeDecision {
    request: ChangeDecisionRequest,
    decision: Decision,
}

/// A change request is approved or rejected; it is not returned.
const CHANGE_DECISIONS: [Decision; 2] = [Decision::Approve, Decision::Reject];

fn change_decision_schema() -> utoipa::openapi::Object {
    crate::request::closed_set(
        "`reject` needs a reason",
        CHANGE_DECISIONS.iter().map(|d| d.as_str()),
    )
}

impl TryFrom<ChangeDecisionRequest> for ChangeDecision {
    type Error = ApiError;

    fn try_from(request: ChangeDecisionRequest) -> Result<Self, ApiError> {
        let decision = request
            .decision
            .parse::<Decision>()
            .ok()
            .filter(|d| CHANGE_DECISIONS.contains(d))
            .ok_or_else(|| ApiError::validation("decision", "must be approve or reject"))?;
        if decision.needs_reason()
            && request
                .reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            return Err(ApiError::validation(
                "reason",
                "a reason is required to reject",
            ));
        }
        Ok(Self { request, decision })
    }
}
