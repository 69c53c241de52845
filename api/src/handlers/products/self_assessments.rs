//! Self-assessments (*selvevaluering*) in the association's JSON format: imported onto a
//! product's evidence (item by item for a product pinned to the 2025 checklist, through the
//! checklist's correspondences for one pinned to `os2-2016`), and exported back in the same
//! format.

use actix_web::{HttpResponse, get, post, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::request::{IdempotencyKey, StoredReply};
use crate::usecases::privacy::Audience;
use crate::usecases::products::self_assessments;
use crate::usecases::products::self_assessments::{ImportReport, SelfAssessmentFile, Upload};

/// Imports a self-assessment file exactly as the association writes it (the product's
/// business manager or owner organisation). `Ja` answers become evidence: for the items
/// themselves when the product is pinned to `os2-styringsmodel-2025`, else for the
/// corresponding `os2-2016` requirements; the report lists what could not. The original file
/// is kept. A malformed file changes nothing.
#[utoipa::path(
    operation_id = "importSelfAssessment",
    tag = "products",
    security(("bearer" = [])),
    params(("id" = ProductId, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = Object, description = "A self-assessment file (`productName`, `filledBy`, `filledDate`, `generatedAt`, `krav[]`)", content_type = "application/json"),
    responses(
        (status = 201, description = "Imported; what became evidence and what did not", body = ImportReport),
        (status = 403, description = "Neither the business manager nor the owner organisation", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
        refusals::ProductClosed,
        (status = 422, description = "Not a self-assessment file: every problem with its place (`krav[3].efterlevet`)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/products/{id}/self-assessments")]
pub async fn import(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<ProductId>,
    idempotency_key: IdempotencyKey,
    body: web::Bytes,
) -> Result<StoredReply, ApiError> {
    let upload = Upload::try_from(body.as_ref())?;
    state
        .db(move |conn| self_assessments::import(conn, &caller, &id, idempotency_key, upload))
        .await
}

/// The product's self-assessment in the association's format: the latest imported answers,
/// except where evidence recorded since then meets every corresponding requirement (`Ja`).
/// Public, like the evidence it shows.
#[utoipa::path(
    operation_id = "exportSelfAssessment",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = ProductId, Path)),
    responses(
        (status = 200, description = "The self-assessment file", body = SelfAssessmentFile),
        (status = 401, description = "A token was sent and is not valid", body = ProblemSchema, content_type = "application/problem+json"),
        refusals::NoSuchProduct,
    )
)]
#[get("/api/v1/products/{id}/self-assessments")]
pub async fn export(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ProductId>,
) -> Result<HttpResponse, ApiError> {
    let file = state
        .db(move |conn| self_assessments::export(conn, &id, audience))
        .await?;
    Ok(HttpResponse::Ok().json(file))
}
