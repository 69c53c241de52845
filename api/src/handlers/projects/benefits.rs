//! Benefits realisation (governance.md §6): expected benefits (indicator, baseline, target, owner,
//! due date) and their measurements, shown against the expectation.

use actix_web::{HttpResponse, get, post, web};
use os2pm_projects::{BenefitId, ProjectId, benefits::check_benefit};

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, Page, PageParams, StoredReply, valid};
use crate::usecases::benefits;
use crate::usecases::benefits::{BenefitView, NewBenefit, NewMeasurement};
use crate::usecases::privacy::Audience;

/// Records an expected benefit (owner organisation, project leader or business manager).
#[utoipa::path(
    operation_id = "addBenefit",
    tag = "meetings",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewBenefit,
    responses(
        (status = 201, description = "The benefit", body = BenefitView, headers(("Location" = String))),
        (status = 403, description = "Not allowed on this project", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProject,
        (status = 409, description = "Rejected, cancelled or a closed product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a target equal to the baseline", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/benefits")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProjectId>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewBenefit>,
) -> Result<StoredReply, ApiError> {
    let id = id.into_inner();
    let request = valid(body.into_inner())?;
    check_benefit(request.baseline, request.target)
        .map_err(|e| ApiError::validation(e.field(), e.to_string()))?;
    state
        .db(move |conn| benefits::expect(conn, &caller, &id, idempotency_key, request))
        .await
}

/// Records a measurement of a benefit.
#[utoipa::path(
    operation_id = "measureBenefit",
    tag = "meetings",
    security(("bearer" = [])),
    params(("id" = ProjectId, Path), ("benefit_id" = BenefitId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewMeasurement,
    responses(
        (status = 201, description = "The benefit with the measurement", body = BenefitView),
        (status = 403, description = "Not allowed on this project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project or benefit", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/projects/{id}/benefits/{benefit_id}/measurements")]
pub async fn measure(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(ProjectId, BenefitId)>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewMeasurement>,
) -> Result<StoredReply, ApiError> {
    let (id, benefit_id) = path.into_inner();
    let request = valid(body.into_inner())?;
    if !request.value.is_finite() {
        return Err(ApiError::validation("value", "a value is a finite number"));
    }
    state
        .db(move |conn| {
            benefits::measure(conn, &caller, &id, &benefit_id, idempotency_key, request)
        })
        .await
}

/// A project's (or its product's) expected benefits with their measurements. Public.
#[utoipa::path(
    operation_id = "listBenefits",
    security((), ("bearer" = [])),
    tag = "meetings",
    params(("id" = ProjectId, Path), PageParams),
    responses(
        (status = 200, description = "The benefits, oldest first, one page at a time", body = Page<BenefitView>),
        refusals::NoSuchProject,
    )
)]
#[get("/api/v1/projects/{id}/benefits")]
pub async fn list(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ProjectId>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let views = state
        .db(move |conn| benefits::list(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(views, &page)?))
}
