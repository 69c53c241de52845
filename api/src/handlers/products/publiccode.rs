//! `GET /api/v1/products/{id}/publiccode.yml`: a product's metadata in the publiccode.yml
//! format (version 0.4) that public-sector software catalogues read.

use actix_web::{HttpResponse, get, web};

use os2pm_products::ProductId;

use crate::app::AppState;
use crate::error::{ApiError, ProblemSchema, refusals};
use crate::usecases::privacy::Audience;
use crate::usecases::products::publiccode as usecase;

/// The product as publiccode.yml, for public-sector software catalogues. Public; the contact
/// person is listed to signed-in readers only. The repository URL comes from the product's
/// `source_shared` evidence.
#[utoipa::path(
    operation_id = "getPubliccodeYml",
    security((), ("bearer" = [])),
    tag = "products",
    params(("id" = ProductId, Path)),
    responses(
        (status = 200, description = "publiccode.yml (version 0.4)", content_type = "application/yaml", body = String),
        refusals::NoSuchProduct,
        (status = 409, description = "No repository link recorded (requirement `source_shared`)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/products/{id}/publiccode.yml")]
pub async fn publiccode(
    state: web::Data<AppState>,
    audience: Audience,
    id: web::Path<ProductId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let document = state
        .db(move |conn| usecase::publiccode(conn, &id, audience))
        .await?;
    let yaml =
        serde_yaml_ng::to_string(&document).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/yaml; charset=utf-8")
        .body(yaml))
}
