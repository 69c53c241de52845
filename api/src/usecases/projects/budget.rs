//! The budget and business case: proposed, approved by the steering group's chair and, at
//! N2/N3, by the board.

use chrono::NaiveDate;
use os2pm_levels::Level;
use os2pm_persistence::DbConnection;
use os2pm_persistence::budgets::{self, BudgetRow};
use os2pm_projects::{Action, Approver, BudgetStatus, Funding, ProjectId, Subject, check_budget};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::request::Tagged;
use crate::request::{Guarded, IfMatch, Problems, StoredReply};
use crate::usecases::approvals::open_approval;
use crate::usecases::projects::{ProjectChange, change_guarded, change_project};

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "amount_dkk": 1200000, "period_start": "2027-01-01", "period_end": "2027-12-31", "funding": "mixed",
    "expected_costs": "Udvikling 900.000, drift 300.000", "expected_benefits": "20 timer sparet pr. uge pr. kommune",
    "expected_effects": "Hurtigere svar til borgerne"
}))]
pub struct BudgetRequest {
    #[validate(range(min = 0, message = "must not be negative"))]
    pub amount_dkk: i64,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub period_start: NaiveDate,
    #[validate(custom(function = "crate::request::plausible_date"))]
    pub period_end: NaiveDate,
    #[schema(value_type = os2pm_projects::Funding)]
    pub funding: String,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub expected_costs: Option<String>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub expected_benefits: Option<String>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub expected_effects: Option<String>,
}

/// A budget, parsed.
pub struct NewBudget {
    request: BudgetRequest,
    funding: Funding,
}

impl TryFrom<BudgetRequest> for NewBudget {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(request: BudgetRequest) -> Result<Self, ApiError> {
        let mut problems = Problems::of(&request);
        let funding = problems.parse("funding", &request.funding);
        problems.or_command(|| {
            Some(Self {
                funding: funding?,
                request,
            })
        })
    }
}

/// Sets the budget and business case; it is `proposed` until approved.
pub fn set_budget(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    if_match: IfMatch,
    budget: NewBudget,
) -> Result<Tagged, ApiError> {
    let NewBudget { request, funding } = budget;
    change_project(
        conn,
        caller,
        ProjectChange::new(id, if_match, Action::SetBudget, "budget_proposed"),
        |conn, loaded, project, _| {
            let level = loaded.level().unwrap_or(Level::N1);
            let errors: Vec<FieldError> =
                check_budget(level, funding, &request.period_start, &request.period_end)
                    .into_iter()
                    .map(|e| FieldError::new(e.field(), e.to_string()))
                    .collect();
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            budgets::save(
                conn,
                &BudgetRow {
                    project_id: project.id.clone(),
                    amount_dkk: request.amount_dkk,
                    period_start: request.period_start,
                    period_end: request.period_end,
                    funding,
                    expected_costs: request.expected_costs.clone(),
                    expected_benefits: request.expected_benefits.clone(),
                    expected_effects: request.expected_effects.clone(),
                    status: BudgetStatus::Proposed,
                    updated_at: os2pm_persistence::now(),
                },
            )?;
            Ok(None)
        },
    )
}

/// The steering group's chair approves the budget: final at N1; at N2/N3 it goes to the board.
pub fn approve_budget(
    conn: &mut DbConnection,
    caller: &Caller,
    write: Guarded,
) -> Result<StoredReply, ApiError> {
    change_guarded(
        conn,
        caller,
        write,
        Action::ApproveBudget,
        "budget_approved_by_chair",
        |conn, loaded, project, _| {
            let level = loaded.level().unwrap_or(Level::N1);
            let budget = loaded
                .budget
                .as_ref()
                .ok_or_else(|| ApiError::Conflict("there is no budget to approve".into()))?;
            let status = budget
                .status
                .approve_by_chair(level)
                .map_err(|e| ApiError::Conflict(e.to_string()))?;
            budgets::set_status(conn, &project.id, status)?;
            if status == BudgetStatus::ChairApproved {
                open_approval(conn, project, level, Subject::Budget, Approver::Board, None)?;
            }
            Ok(None)
        },
    )
}
