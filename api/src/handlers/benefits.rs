//! Benefits realisation (governance.md §6): expected benefits (indicator, baseline, target, owner,
//! due date) and their measurements, shown against the expectation.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use os2pm_persistence::DbConnection;
use os2pm_persistence::benefits::{self as store, BenefitRow, MeasurementRow};
use os2pm_projects::Action;
use os2pm_projects::benefits::check_benefit;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema};
use crate::request::{IdempotencyKey, Outcome, Page, PageParams, StoredReply, validation_errors};
use crate::usecases::benefits::BenefitView;
use crate::usecases::benefits::benefit_view;
use crate::usecases::board::today;
use crate::usecases::created;
use crate::usecases::projects::Loaded;
use crate::usecases::to_body;

fn one(
    conn: &mut DbConnection,
    project_id: &str,
    benefit_id: &str,
) -> Result<BenefitView, ApiError> {
    store::with_measurements(conn, Some(project_id))?
        .into_iter()
        .find(|(b, _)| b.id == benefit_id)
        .map(|(b, m)| benefit_view(b, m, today()))
        .ok_or_else(|| ApiError::NotFound(format!("no benefit `{benefit_id}` on this project")))
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"indicator": "Sagsbehandlingstid", "unit": "dage", "baseline": 40, "target": 20,
    "owner": "Borgerservicechef, Aarhus", "due_date": "2028-06-30"}))]
pub struct NewBenefit {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub indicator: String,
    #[validate(length(max = 40, message = "at most 40 characters"))]
    pub unit: Option<String>,
    pub baseline: f64,
    pub target: f64,
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub owner: String,
    pub due_date: NaiveDate,
}

/// Records an expected benefit (owner organisation, project leader or business manager).
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/benefits", tag = "meetings",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewBenefit,
    responses(
        (status = 201, description = "The benefit", body = BenefitView, headers(("Location" = String))),
        (status = 403, description = "Not allowed on this project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Rejected, cancelled or a closed product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a target equal to the baseline", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewBenefit>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    check_benefit(request.baseline, request.target)
        .map_err(|e| ApiError::validation(e.field(), e.to_string()))?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                Loaded::load(conn, &id)?.check(Action::RecordEvidence, &caller)?;
                let row = BenefitRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    project_id: id.clone(),
                    indicator: request.indicator.clone(),
                    unit: request.unit.clone(),
                    baseline: request.baseline,
                    target: request.target,
                    owner: request.owner.clone(),
                    due_date: request.due_date,
                    created_by: caller.sub.clone(),
                    created_at: os2pm_persistence::now(),
                };
                store::insert(conn, &row)?;
                let view = benefit_view(row, Vec::new(), today());
                created(
                    conn,
                    &caller,
                    "project",
                    &id,
                    format!("/api/v1/projects/{id}/benefits"),
                    &view,
                )
            })
        })
        .await
        .map(StoredReply::into_response)
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"measured_on": "2027-12-31", "value": 31, "note": "Efter første halvår"}))]
pub struct NewMeasurement {
    pub measured_on: NaiveDate,
    pub value: f64,
    #[validate(length(max = 2000, message = "at most 2000 characters"))]
    pub note: Option<String>,
}

/// Records a measurement of a benefit.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/benefits/{benefit_id}/measurements", tag = "meetings",
    security(("bearer" = [])),
    params(("id" = String, Path), ("benefit_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewMeasurement,
    responses(
        (status = 201, description = "The benefit with the measurement", body = BenefitView),
        (status = 403, description = "Not allowed on this project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project or benefit", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn measure(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewMeasurement>,
) -> Result<HttpResponse, ApiError> {
    let (id, benefit_id) = path.into_inner();
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    if !request.value.is_finite() {
        return Err(ApiError::validation("value", "a value is a finite number"));
    }
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &benefit_id, &request), |conn| {
                Loaded::load(conn, &id)?.check(Action::RecordEvidence, &caller)?;
                one(conn, &id, &benefit_id)?;
                store::measure(
                    conn,
                    &MeasurementRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        benefit_id: benefit_id.clone(),
                        measured_on: request.measured_on,
                        value: request.value,
                        note: request.note.clone(),
                        recorded_by: caller.sub.clone(),
                        recorded_at: os2pm_persistence::now(),
                    },
                )?;
                let view = one(conn, &id, &benefit_id)?;
                let body = to_body(&view)?;
                os2pm_persistence::audit::append(
                    conn,
                    os2pm_persistence::audit::NewEntry {
                        subject_type: "project",
                        subject_id: &id,
                        action: "benefit_measured",
                        actor: &caller.actor(),
                        before: None,
                        after: Some(body.to_string()),
                        reason: None,
                    },
                )?;
                Ok(Outcome::created(
                    format!("/api/v1/projects/{id}/benefits"),
                    body,
                ))
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// A project's (or its product's) expected benefits with their measurements. Public.
#[utoipa::path(
    get, path = "/api/v1/projects/{id}/benefits", tag = "meetings",
    params(("id" = String, Path), PageParams),
    responses(
        (status = 200, description = "The benefits, oldest first, one page at a time", body = Page<BenefitView>),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let views = state
        .db(move |conn| {
            Loaded::load(conn, &id)?;
            let today = today();
            Ok(store::with_measurements(conn, Some(&id))?
                .into_iter()
                .map(|(b, m)| benefit_view(b, m, today))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(views, &page)?))
}
