//! Products: what a project becomes at go-live, loaded with their group and budget frame, and
//! what a decided product approval changes.

pub mod budget_frame;
pub mod change_requests;
pub mod closure;
pub mod coordination;
pub mod evaluations;
pub mod level_change;
pub mod publiccode;
pub mod read;
pub mod self_assessments;
pub mod steering;

use chrono::{DateTime, Datelike, Utc};
use os2pm_levels::{DEFAULT_CATALOGUE_VERSION, Level};
use os2pm_persistence::approvals::{self as approval_store, ApprovalRow};
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::change_requests as requests;
use os2pm_persistence::products::{self as store, ProductRow};
use os2pm_persistence::projects::ProjectRow;
use os2pm_persistence::{DbConnection, StoreError, in_transaction, search_text};
use os2pm_products::{ChangeCategory, ProductId, ProductState};
use os2pm_projects::{ProjectId, Subject};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::request::Tagged;
use crate::request::{IfMatch, etag};
use crate::usecases::approvals::{ApprovalView, Payload};
use crate::usecases::groups::{
    CoordinationGroupView, CoordinationGroups, SteeringGroupView, SteeringInForce,
};
use crate::usecases::people::organization_label;
use crate::usecases::projects::Loaded;
use crate::usecases::to_body;

/// Makes a product of a project (or adoption) going live: same level, owner and catalogue;
/// its evidence and history stay with the project it links to.
pub(crate) fn create_product(
    conn: &mut DbConnection,
    project: &ProjectRow,
) -> Result<ProductRow, ApiError> {
    let now = os2pm_persistence::now();
    let product = ProductRow {
        id: crate::usecases::new_id(),
        project_id: project.id.clone(),
        name: project.title.clone(),
        level: project.level.unwrap_or(Level::N1),
        catalogue_version: project
            .catalogue_version
            .clone()
            .unwrap_or_else(|| DEFAULT_CATALOGUE_VERSION.into()),
        state: ProductState::Active,
        owner_organization_id: project.owner_organization_id.clone(),
        closed_reason: None,
        search_text: search_text(&[&project.title]),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store::insert(conn, &product)?;
    Ok(product)
}

/// A product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductView {
    pub id: ProductId,
    /// The project (or adoption) it came from: its evidence and history
    /// (`/api/v1/projects/{project_id}/history`).
    pub project_id: ProjectId,
    pub name: String,
    pub level: Level,
    pub catalogue_version: String,
    /// `active` or `closed` (read-only).
    pub state: ProductState,
    pub owner_organization: String,
    /// The organisations that took part in the project.
    pub participants: Vec<String>,
    pub closed_reason: Option<String>,
    /// The steering group in force: the project's, carried on by the product (report 4.1.5:
    /// "Der udpeges en styregruppe for hver koordinationsgruppe"); its level's requirements
    /// read it (an N3 product's is appointed by the board, which holds its majority).
    pub steering_group: Option<SteeringGroupView>,
    /// The main coordination group (`key: main`): formed before go-live; its chair holds the
    /// formal responsibility for economy and development, decides change requests and proposes
    /// level changes.
    pub coordination_group: Option<CoordinationGroupView>,
    /// Every coordination group of the product, the main group first (report 4.1.5: "en eller
    /// flere koordinationsgrupper"), each with its own members and chair.
    pub coordination_groups: Vec<CoordinationGroupView>,
    /// The yearly budget frame in force: what the product may spend on further development in
    /// a budget year. At N2 and N3 the board approves it (report 4.1.5).
    pub yearly_budget_frame_dkk: Option<i64>,
    /// A frame waiting for the board's approval (in `open_approvals`), not yet in force.
    pub proposed_budget_frame_dkk: Option<i64>,
    /// What is left of the yearly budget frame after approved further development this year.
    pub remaining_budget_frame_dkk: Option<i64>,
    /// Pending board approvals: level change, closure, change requests.
    pub open_approvals: Vec<ApprovalView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// `set_coordination_group`, `set_budget_frame`, `change_level`, `set_steering_group`,
    /// `propose_closure`, `request_change`, `join`, `leave`.
    #[serde(rename = "_actions")]
    pub actions: Vec<String>,
}

/// A product as loaded for a request.
pub(crate) struct LoadedProduct {
    pub(crate) product: ProductRow,
    /// The project it came from: its participants, evidence and steering group, which is the
    /// product's.
    pub(crate) project: Loaded,
    pub(crate) coordination: CoordinationGroups,
    owner: String,
    frame: Option<i64>,
    pub(crate) remaining_frame: Option<i64>,
    open: Vec<ApprovalRow>,
}

impl LoadedProduct {
    pub(crate) fn load(conn: &mut DbConnection, id: &ProductId) -> Result<Self, ApiError> {
        let product = store::find(conn, id).map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound(format!("no product `{id}`")),
            other => other.into(),
        })?;
        let coordination = CoordinationGroups::load(conn, &product.project_id)?;
        let owner = organization_label(conn, &product.owner_organization_id)?;
        let approved = requests::for_product(conn, id)?
            .into_iter()
            .filter(|r| r.is_approved() && r.category == ChangeCategory::FurtherDevelopment)
            .filter_map(|r| Some((r.decided_at?.year(), r.estimated_cost_dkk)));
        let frame = store::budget_frame(conn, &product.project_id)?;
        let remaining_frame = os2pm_products::remaining_frame(
            frame,
            crate::usecases::board::today().year(),
            approved,
        );
        let open = approval_store::pending_side_approvals(conn, &product.project_id)?;
        let project = Loaded::load(conn, &product.project_id)?;
        Ok(Self {
            project,
            product,
            coordination,
            owner,
            frame,
            remaining_frame,
            open,
        })
    }

    fn state(&self) -> ProductState {
        self.product.state
    }

    pub(crate) fn level(&self) -> Level {
        self.product.level
    }

    /// The business manager or the main coordination group's chair.
    pub(crate) fn steers(&self, caller: &Caller) -> bool {
        caller.has_role(Role::Forretningsleder) || self.coordination.is_main_chair(&caller.sub)
    }

    pub(crate) fn check_open(&self) -> Result<(), ApiError> {
        self.state()
            .check_open()
            .map_err(|e| ApiError::Conflict(e.to_string()))
    }

    pub(crate) fn view(
        &self,
        conn: &mut DbConnection,
        caller: Option<&Caller>,
    ) -> Result<ProductView, ApiError> {
        let mut actions = Vec::new();
        if let Some(caller) = caller
            && self.state() == ProductState::Active
        {
            if self.steers(caller) {
                actions.extend(["set_coordination_group", "set_budget_frame", "change_level"]);
            }
            if caller.has_role(Role::Forretningsleder) {
                actions.extend(["set_steering_group", "propose_closure"]);
            }
            let member = self.coordination.is_member_organization(caller);
            if member {
                actions.extend(["request_change", "leave"]);
            } else if caller.org.is_some()
                && (caller.has_role(Role::MunicipalityUser) || caller.has_role(Role::Integration))
            {
                actions.push("join");
            }
        }
        let open_approvals = self
            .open
            .iter()
            .map(|row| ApprovalView::load(conn, row.clone()))
            .collect::<Result<_, _>>()?;
        let mut proposed_budget_frame_dkk = None;
        for approval in &self.open {
            if let Some(Payload::BudgetFrame(frame)) = Payload::of(approval)? {
                proposed_budget_frame_dkk = Some(frame.yearly_budget_frame_dkk);
            }
        }
        let p = &self.product;
        Ok(ProductView {
            id: p.id.clone(),
            project_id: p.project_id.clone(),
            name: p.name.clone(),
            level: p.level,
            catalogue_version: p.catalogue_version.clone(),
            state: p.state,
            owner_organization: self.owner.clone(),
            participants: self.project.record.participants.clone(),
            steering_group: self.project.steering.as_ref().map(SteeringInForce::view),
            closed_reason: p.closed_reason.clone(),
            coordination_group: self.coordination.main().map(|c| c.view.clone()),
            coordination_groups: self.coordination.views(),
            yearly_budget_frame_dkk: self.frame,
            proposed_budget_frame_dkk,
            remaining_budget_frame_dkk: self.remaining_frame,
            open_approvals,
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
            actions: actions.into_iter().map(str::to_owned).collect(),
        })
    }
}

/// Loads a product, checks that it is open and the If-Match version, applies `change`, bumps
/// the version and audits it on the product's project: one transaction.
pub(crate) fn change_product(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    if_match: IfMatch,
    audit_action: &str,
    reason: Option<&str>,
    change: impl FnOnce(&mut DbConnection, &LoadedProduct) -> Result<(), ApiError>,
) -> Result<Tagged, ApiError> {
    in_transaction(conn, |conn| {
        let loaded = LoadedProduct::load(conn, id)?;
        loaded.check_open()?;
        let expected = if_match.matched(loaded.product.version)?;
        change(conn, &loaded)?;
        let version = store::update(conn, expected, &loaded.product)?;
        audit::append(
            conn,
            NewEntry {
                subject_type: "project",
                subject_id: loaded.product.project_id.as_str(),
                action: audit_action,
                actor: &caller.actor(),
                before: None,
                after: Some(serde_json::json!({"product": id, "version": version}).to_string()),
                reason,
            },
        )?;
        let fresh = LoadedProduct::load(conn, id)?;
        Ok(Tagged {
            tag: etag(version),
            body: to_body(&fresh.view(conn, Some(caller))?)?,
        })
    })
}

/// What a decided product-side approval changes: the level (projects and products), a closure,
/// a change request. Called from the approval's transaction.
pub(crate) fn apply_decision(
    conn: &mut DbConnection,
    approval: &ApprovalRow,
    subject: Subject,
    approved: bool,
    project: &mut ProjectRow,
) -> Result<&'static str, ApiError> {
    let payload = Payload::of(approval)?;
    let product = store::for_project(conn, &project.id)?;
    match (subject, payload) {
        (Subject::LevelChange, Some(Payload::LevelChange(change))) if approved => {
            let to = change.to;
            // Moving re-pins the item to the catalogue in force.
            project.level = Some(to);
            project.catalogue_version = Some(DEFAULT_CATALOGUE_VERSION.into());
            if let Some(mut product) = product {
                let version = product.version;
                product.level = to;
                product.catalogue_version = DEFAULT_CATALOGUE_VERSION.into();
                store::update(conn, version, &product)?;
            }
            Ok("level_changed")
        }
        (Subject::LevelChange, _) if !approved => Ok("level_change_refused"),
        (Subject::Closure, Some(Payload::Closure(closure))) if approved => {
            if let Some(mut product) = product {
                let version = product.version;
                product.move_to(ProductState::Closed);
                product.closed_reason = Some(closure.reason);
                store::update(conn, version, &product)?;
            }
            Ok("product_closed")
        }
        (Subject::Closure, _) if !approved => Ok("closure_refused"),
        (Subject::ChangeRequest, Some(Payload::ChangeRequest(request))) => {
            let id = &request.change_request;
            let state = os2pm_products::ChangeRequestState::decided(approved);
            requests::decide(conn, id, state, "board", approval.reason.as_deref())?;
            Ok(if approved {
                "change_request_approved"
            } else {
                "change_request_rejected"
            })
        }
        (Subject::BudgetFrame, Some(Payload::BudgetFrame(frame))) if approved => {
            store::set_budget_frame(conn, &project.id, frame.yearly_budget_frame_dkk)?;
            Ok("budget_frame_approved")
        }
        (Subject::BudgetFrame, _) if !approved => Ok("budget_frame_not_approved"),
        (subject, _) => Err(ApiError::Internal(format!(
            "{subject} is not a product decision, or its approval lacks its payload"
        ))),
    }
}
