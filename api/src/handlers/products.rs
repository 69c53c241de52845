//! Go-live, products and their coordination groups, level changes, closing, and change
//! requests (governance.md §2, §4, §5).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use os2pm_levels::{Gate, Level};
use os2pm_persistence::approvals::ApprovalRow;
use os2pm_persistence::audit::{self, NewEntry};
use os2pm_persistence::change_requests::{self as requests, ChangeRequestRow};
use os2pm_persistence::products::{self as store, ProductFilter};
use os2pm_persistence::projects::{self as project_store};
use os2pm_persistence::{DbConnection, StoreError, in_transaction, organizations};
use os2pm_products::{
    ChangeCategory, Mark, ProductState, Route, SATISFIED_BY_THE_BOARDS_DECISION, check_evaluation,
    check_level_change, gate_for_level_change, route,
};
use os2pm_projects::{Action, Approver, Decision, State, Subject};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::app::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, FieldError, ProblemSchema};
use crate::request::etag_response;
use crate::request::{
    IdempotencyKey, IfMatch, Outcome, Page, PageParams, StoredReply, validation_errors, with_etag,
};
use crate::usecases::approvals::ApprovalView;
use crate::usecases::approvals::open_approval;
use crate::usecases::created;
use crate::usecases::groups::CoordinationGroupView;
use crate::usecases::groups::form_coordination_group;
use crate::usecases::people::organization_label;
use crate::usecases::products::LoadedProduct;
use crate::usecases::products::ProductView;
use crate::usecases::products::change_product;
use crate::usecases::products::create_product;
use crate::usecases::projects::Loaded;
use crate::usecases::projects::ProjectChange;
use crate::usecases::projects::change_project;
use crate::usecases::to_body;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    /// The member organisation (kommunekode or id).
    pub organization: String,
    /// Its representative (person id or sub).
    pub representative: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "members": [{"organization": "751", "representative": "jens"}, {"organization": "kl", "representative": "mette"}],
    "chair": "751", "supplier": null, "yearly_budget_frame_dkk": 500000
}))]
pub struct CoordinationGroupRequest {
    #[validate(length(max = 150, message = "at most 150 members"))]
    pub members: Vec<MemberRequest>,
    pub chair: Option<String>,
    pub supplier: Option<String>,
    #[validate(range(min = 0, message = "must not be negative"))]
    pub yearly_budget_frame_dkk: Option<i64>,
}

/// Forms the coordination group of a running project (business manager or steering group
/// chair), ahead of go-live; it follows the product afterwards.
#[utoipa::path(
    put, path = "/api/v1/projects/{id}/coordination-group", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = CoordinationGroupRequest,
    responses(
        (status = 200, description = "The project with its coordination group", body = crate::usecases::projects::view::ProjectView),
        (status = 403, description = "Neither business manager nor steering group chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not running", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "A composition rule is broken (N3: a board member), or unknown members", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn put_project_coordination_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<CoordinationGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    let (version, body) = state
        .db(move |conn| {
            change_project(
                conn,
                &caller,
                ProjectChange {
                    id: &id,
                    if_match,
                    action: Action::SetCoordinationGroup,
                    audit_action: "coordination_group_formed",
                    reason: None,
                },
                |conn, loaded, project, _| {
                    form_coordination_group(
                        conn,
                        &project.id,
                        loaded.level().unwrap_or(Level::N1),
                        &request,
                    )?;
                    Ok(None)
                },
            )
        })
        .await?;
    Ok(etag_response(version, body))
}

/// Takes a running project live (business manager or steering group chair): every
/// `go_live`-gate requirement must hold (at N2/N3 a coordination group, at N3 with a board
/// member). The project becomes `implemented` and a product.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/go-live", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag"),
        ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "The project, `implemented`, with `product_id`", body = crate::usecases::projects::view::ProjectView),
        (status = 403, description = "Neither business manager nor steering group chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not in progress", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Go-live requirements unmet, each listed", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn go_live(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &id, |conn| {
                let (version, body) = change_project(
                    conn,
                    &caller,
                    ProjectChange {
                        id: &id,
                        if_match,
                        action: Action::GoLive,
                        audit_action: "went_live",
                        reason: None,
                    },
                    |conn, loaded, project, _| {
                        let level = loaded.level().unwrap_or(Level::N1);
                        let unmet = loaded.unmet(level, Gate::GoLive);
                        if !unmet.is_empty() {
                            return Err(ApiError::UnmetRequirements(unmet));
                        }
                        create_product(conn, project)?;
                        Ok(None)
                    },
                )?;
                Ok(Outcome::ok(body).with_etag(version))
            })
        })
        .await
        .map(StoredReply::into_response)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// `active` or `closed`.
    pub state: Option<String>,
    /// `N1`, `N2` or `N3`.
    pub level: Option<String>,
    /// The owner organisation (kommunekode or id).
    pub organization: Option<String>,
    /// Free text over the name.
    pub q: Option<String>,
}

/// A product in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub level: String,
    pub state: String,
    pub owner_organization: String,
}

/// The products, newest first, filtered.
#[utoipa::path(
    get, path = "/api/v1/products", tag = "products",
    params(ProductQuery, PageParams),
    responses(
        (status = 200, description = "One page of products", body = Page<ProductSummary>),
        (status = 422, description = "Unknown state, level or organisation; bad limit or cursor", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<ProductQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    if let Some(s) = &query.state {
        s.parse::<ProductState>()
            .map_err(|e| ApiError::validation("state", e.to_string()))?;
    }
    if let Some(l) = &query.level {
        l.parse::<Level>()
            .map_err(|e| ApiError::validation("level", e.to_string()))?;
    }
    let limit = page.limit()?;
    let after = page.after::<String>()?;
    let rows = state
        .db(move |conn| {
            let owner_organization_id = match &query.organization {
                Some(org) => Some(
                    organizations::find(conn, org)
                        .map_err(|_| {
                            ApiError::validation(
                                "organization",
                                format!("`{org}` is not a known organisation"),
                            )
                        })?
                        .id,
                ),
                None => None,
            };
            let filter = ProductFilter {
                state: query.state,
                level: query.level,
                owner_organization_id,
                text: query.q.filter(|q| !q.trim().is_empty()),
            };
            Ok(store::list(conn, &filter, after.as_deref(), limit + 1)?)
        })
        .await?;
    let page = Page::from_rows(
        rows,
        limit,
        |(p, _)| p.id.clone(),
        |(p, owner)| ProductSummary {
            owner_organization: owner.unwrap_or_else(|| p.owner_organization_id.clone()),
            id: p.id,
            project_id: p.project_id,
            name: p.name,
            level: p.level,
            state: p.state,
        },
    );
    Ok(HttpResponse::Ok().json(page))
}

/// One product, with its coordination group, remaining budget frame and `_actions`.
#[utoipa::path(
    get, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The product", body = ProductView, headers(("ETag" = String))),
        (status = 304, description = "Unchanged since If-None-Match"),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: crate::auth::MaybeCaller,
    request: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (version, view) = state
        .db(move |conn| {
            let loaded = LoadedProduct::load(conn, &id)?;
            Ok((
                loaded.product.version,
                loaded.view(conn, caller.0.as_ref())?,
            ))
        })
        .await?;
    Ok(with_etag(&request, version, &view))
}

/// Sets the product's coordination group (business manager or the group's chair). At N3 a
/// board member must stay in it, on every change.
#[utoipa::path(
    put, path = "/api/v1/products/{id}/coordination-group", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = CoordinationGroupRequest,
    responses(
        (status = 200, description = "The product", body = ProductView),
        (status = 403, description = "Neither business manager nor the group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "A composition rule is broken, or unknown members", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn put_product_coordination_group(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<CoordinationGroupRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    let (version, body) = state
        .db(move |conn| {
            change_product(conn, &caller, &id, if_match, "coordination_group_changed", None, |conn, loaded| {
                if !loaded.steers(&caller) {
                    return Err(ApiError::Forbidden("only the business manager or the coordination group's chair changes the group".into()));
                }
                form_coordination_group(conn, &loaded.product.project_id, loaded.level(), &request)
            })
        })
        .await?;
    Ok(etag_response(version, body))
}

impl CoordinationGroupRequest {
    /// The group in force, as a request to change it from.
    fn from_view(view: Option<&CoordinationGroupView>) -> Self {
        Self {
            members: view
                .map(|v| {
                    v.members
                        .iter()
                        .map(|m| MemberRequest {
                            organization: m.organization.clone(),
                            representative: m.representative.sub.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            chair: view.and_then(|v| v.chair.clone()),
            supplier: view.and_then(|v| v.supplier.clone()),
            yearly_budget_frame_dkk: view.and_then(|v| v.yearly_budget_frame_dkk),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"representative": "kim"}))]
pub struct JoinRequest {
    /// Who represents the organisation (person id or sub).
    pub representative: String,
}

/// Joins the coordination group for the caller's own organisation: any organisation using the
/// product may, voluntarily.
#[utoipa::path(
    post, path = "/api/v1/products/{id}/coordination-group/members", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The product's ETag")),
    request_body = JoinRequest,
    responses(
        (status = 200, description = "The product with its group", body = ProductView),
        (status = 403, description = "Not a municipality user or integration acting for an organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Already a member, or the product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown representative", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn join(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<JoinRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let org = caller
        .org
        .clone()
        .ok_or_else(|| ApiError::Forbidden("the token names no organisation".into()))?;
    let id = id.into_inner();
    let representative = body.into_inner().representative;
    let (version, body) = state
        .db(move |conn| {
            change_product(
                conn,
                &caller,
                &id,
                if_match,
                "coordination_member_joined",
                None,
                |conn, loaded| {
                    let current = loaded.coordination.as_ref().map(|c| &c.view);
                    if current.is_some_and(|v| v.members.iter().any(|m| m.organization == org)) {
                        return Err(ApiError::Conflict(format!("`{org}` is a member already")));
                    }
                    let mut group = CoordinationGroupRequest::from_view(current);
                    group.members.push(MemberRequest {
                        organization: org.clone(),
                        representative: representative.clone(),
                    });
                    form_coordination_group(
                        conn,
                        &loaded.product.project_id,
                        loaded.level(),
                        &group,
                    )
                },
            )
        })
        .await?;
    Ok(etag_response(version, body))
}

/// Leaves the coordination group for the caller's own organisation. Refused when it would
/// break the group's rules (the chair's organisation, the last member, at N3 the last board
/// member).
#[utoipa::path(
    delete, path = "/api/v1/products/{id}/coordination-group/members/{organization}", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("organization" = String, Path, description = "The caller's own organisation"),
        ("If-Match" = String, Header, description = "The product's ETag")),
    responses(
        (status = 200, description = "The product with its group", body = ProductView),
        (status = 403, description = "Not acting for that organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product, or not a member", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Leaving would break a rule of the group (named)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn leave(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let (id, org) = path.into_inner();
    if caller.org.as_deref() != Some(org.as_str()) {
        return Err(ApiError::Forbidden(
            "an organisation leaves only by itself".into(),
        ));
    }
    let (version, body) = state
        .db(move |conn| {
            change_product(
                conn,
                &caller,
                &id,
                if_match,
                "coordination_member_left",
                None,
                |conn, loaded| {
                    let current = loaded.coordination.as_ref().map(|c| &c.view);
                    let mut group = CoordinationGroupRequest::from_view(current);
                    let before = group.members.len();
                    group.members.retain(|m| m.organization != org);
                    if group.members.len() == before {
                        return Err(ApiError::NotFound(format!("`{org}` is not a member")));
                    }
                    form_coordination_group(
                        conn,
                        &loaded.product.project_id,
                        loaded.level(),
                        &group,
                    )
                },
            )
        })
        .await?;
    Ok(etag_response(version, body))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "N2", "reason": "Bruges nu af 40 kommuner"}))]
pub struct LevelChangeRequest {
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
fn propose_level_change(
    conn: &mut DbConnection,
    project: &Loaded,
    from: Level,
    to: Level,
    gate: Gate,
    reason: &str,
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
        let unmet = project.unmet_where(to, gate, |r| {
            !SATISFIED_BY_THE_BOARDS_DECISION.contains(&r.computation_key())
        });
        if !unmet.is_empty() {
            return Err(ApiError::UnmetRequirements(unmet));
        }
    }
    let payload = serde_json::json!({"to": to, "reason": reason}).to_string();
    open_approval(
        conn,
        &project.record.project,
        from,
        Subject::LevelChange,
        Approver::Board,
        Some(payload),
    )
}

/// Proposes moving a product to another level (business manager or coordination group chair);
/// the board decides.
#[utoipa::path(
    post, path = "/api/v1/products/{id}/level-changes", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = LevelChangeRequest,
    responses(
        (status = 201, description = "The board approval", body = ApprovalView),
        (status = 403, description = "Neither business manager nor the coordination group's chair", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Closed, or a level change is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "The same level, no reason, or the target level's requirements unmet (listed)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn product_level_change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<LevelChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let to = parse_level_change(&request)?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let loaded = LoadedProduct::load(conn, &id)?;
                loaded.check_open()?;
                if !loaded.steers(&caller) {
                    return Err(ApiError::Forbidden("only the business manager or the coordination group's chair proposes a level change".into()));
                }
                let project = Loaded::load(conn, &loaded.product.project_id)?;
                let approval = propose_level_change(conn, &project, loaded.level(), to, gate_for_level_change(true, true), &request.reason)?;
                approval_answer(conn, approval)
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// Proposes moving a running (or approved) project to another level (business manager); the
/// board decides.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/level-changes", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = LevelChangeRequest,
    responses(
        (status = 201, description = "The board approval", body = ApprovalView),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not approved or running, or a level change is already pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "The same level, no reason, or the target level's requirements unmet (listed)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn project_level_change(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<LevelChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let to = parse_level_change(&request)?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let project = Loaded::load(conn, &id)?;
                let state = project.check(Action::ChangeLevel, &caller)?;
                let from = project.level().unwrap_or(Level::N1);
                let started = matches!(state, State::InProgress | State::Paused);
                let approval = propose_level_change(
                    conn,
                    &project,
                    from,
                    to,
                    gate_for_level_change(false, started),
                    &request.reason,
                )?;
                approval_answer(conn, approval)
            })
        })
        .await
        .map(StoredReply::into_response)
}

fn approval_answer(conn: &mut DbConnection, approval: ApprovalRow) -> Result<Outcome, ApiError> {
    let id = approval.id.clone();
    let view = ApprovalView::load(conn, approval)?;
    Ok(Outcome::created(
        format!("/api/v1/approvals/{id}"),
        to_body(&view)?,
    ))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Databehandleraftaler mangler; lovligheden kan ikke dokumenteres"}))]
pub struct ClosureRequest {
    pub reason: String,
}

/// Proposes closing a product whose requirements turn out not to be met (business manager);
/// the board decides. A closed product is read-only.
#[utoipa::path(
    post, path = "/api/v1/products/{id}/closure", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ClosureRequest,
    responses(
        (status = 201, description = "The board approval", body = ApprovalView),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Closed already, or a closure is pending", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn propose_closure(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<ClosureRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let id = id.into_inner();
    let request = body.into_inner();
    if request.reason.trim().is_empty() {
        return Err(ApiError::validation("reason", "say why"));
    }
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let loaded = LoadedProduct::load(conn, &id)?;
                loaded.check_open()?;
                let project = project_store::find(conn, &loaded.product.project_id)?.project;
                let payload = serde_json::json!({"reason": request.reason}).to_string();
                let approval = open_approval(
                    conn,
                    &project,
                    loaded.level(),
                    Subject::Closure,
                    Approver::Board,
                    Some(payload),
                )?;
                approval_answer(conn, approval)
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// A change request on a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeRequestView {
    pub id: String,
    pub product_id: String,
    /// The requesting member organisation.
    pub organization: String,
    /// `legal_maintenance`, `technical_maintenance`, `minor_change`, `further_development`, `re_tender`.
    pub category: String,
    pub description: String,
    pub estimated_cost_dkk: i64,
    /// Who decides: `recorded` (the group is informed), `coordination_group` or `board`.
    pub route: String,
    /// `recorded`, `pending`, `approved` or `rejected`.
    pub state: String,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
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
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"category": "further_development", "description": "Integration til den nye ydelsesindsats", "estimated_cost_dkk": 750000}))]
pub struct NewChangeRequest {
    pub category: String,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub description: String,
    #[validate(range(min = 0, message = "must not be negative"))]
    pub estimated_cost_dkk: i64,
}

/// Files a change request (a member organisation of the coordination group). Maintenance and
/// minor changes are recorded; further development is decided by the coordination group's
/// chair, or by the board when it exceeds the remaining budget frame.
#[utoipa::path(
    post, path = "/api/v1/products/{id}/change-requests", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewChangeRequest,
    responses(
        (status = 201, description = "The request with its route", body = ChangeRequestView, headers(("Location" = String))),
        (status = 403, description = "Not acting for a member organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown category, invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn create_change_request(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let id = id.into_inner();
    let request = body.into_inner();
    let mut errors = request
        .validate()
        .err()
        .map(|e| validation_errors(&e))
        .unwrap_or_default();
    let category = request
        .category
        .parse::<ChangeCategory>()
        .map_err(|e| errors.push(FieldError::new("category", e.to_string())))
        .ok();
    let (Some(category), true) = (category, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let loaded = LoadedProduct::load(conn, &id)?;
                loaded.check_open()?;
                if !loaded
                    .coordination
                    .as_ref()
                    .is_some_and(|c| c.is_member_organization(&caller))
                {
                    return Err(ApiError::Forbidden(
                        "only member organisations of the coordination group file change requests"
                            .into(),
                    ));
                }
                let route = route(category, request.estimated_cost_dkk, loaded.remaining_frame);
                let organization =
                    organizations::find(conn, caller.org.as_deref().unwrap_or_default())?;
                let row = ChangeRequestRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    product_id: id.clone(),
                    organization_id: organization.id,
                    category: category.as_str().into(),
                    description: request.description.clone(),
                    estimated_cost_dkk: request.estimated_cost_dkk,
                    route: route.as_str().into(),
                    state: if route == Route::Recorded {
                        "recorded"
                    } else {
                        "pending"
                    }
                    .into(),
                    decided_by: None,
                    decided_at: None,
                    reason: None,
                    created_by: caller.sub.clone(),
                    created_at: os2pm_persistence::now(),
                };
                requests::insert(conn, &row)?;
                if route == Route::Board {
                    let project = project_store::find(conn, &loaded.product.project_id)?.project;
                    let payload = serde_json::json!({"change_request": row.id}).to_string();
                    open_approval(
                        conn,
                        &project,
                        loaded.level(),
                        Subject::ChangeRequest,
                        Approver::Board,
                        Some(payload),
                    )?;
                }
                let view = change_request_view(conn, row)?;
                created(
                    conn,
                    &caller,
                    "project",
                    &loaded.product.project_id,
                    format!("/api/v1/products/{id}/change-requests/{}", view.id),
                    &view,
                )
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// The product's change requests, oldest first.
#[utoipa::path(
    get, path = "/api/v1/products/{id}/change-requests", tag = "products",
    params(("id" = String, Path), PageParams),
    responses(
        (status = 200, description = "The change requests, oldest first, one page at a time", body = Page<ChangeRequestView>),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list_change_requests(
    state: web::Data<AppState>,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let items = state
        .db(move |conn| {
            LoadedProduct::load(conn, &id)?;
            requests::for_product(conn, &id)?
                .into_iter()
                .map(|row| change_request_view(conn, row))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "approve", "reason": "Inden for rammen"}))]
pub struct ChangeDecisionRequest {
    /// `approve` or `reject`.
    pub decision: String,
    pub reason: Option<String>,
}

/// The coordination group's chair decides a change request routed to the group.
#[utoipa::path(
    post, path = "/api/v1/products/{id}/change-requests/{request_id}/decision", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("request_id" = String, Path)),
    request_body = ChangeDecisionRequest,
    responses(
        (status = 200, description = "The decided request", body = ChangeRequestView),
        (status = 403, description = "Not the coordination group's chair, or the board decides this one", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product or request", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Already decided, or the product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown decision, or no reason to reject", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn decide_change_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: web::Json<ChangeDecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, request_id) = path.into_inner();
    let request = body.into_inner();
    let decision = request
        .decision
        .parse::<Decision>()
        .ok()
        .filter(|d| *d != Decision::Return)
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
    let view = state
        .db(move |conn| {
            in_transaction(conn, |conn| {
                let loaded = LoadedProduct::load(conn, &id)?;
                loaded.check_open()?;
                let row = requests::find(conn, &request_id)
                    .ok()
                    .filter(|r| r.product_id == id)
                    .ok_or_else(|| {
                        ApiError::NotFound(format!(
                            "no change request `{request_id}` on this product"
                        ))
                    })?;
                if row.route != Route::CoordinationGroup.as_str() {
                    return Err(ApiError::Forbidden(format!(
                        "this request is decided by: {}",
                        row.route
                    )));
                }
                if !loaded
                    .coordination
                    .as_ref()
                    .is_some_and(|c| c.is_chair(&caller.sub))
                {
                    return Err(ApiError::Forbidden(
                        "only the coordination group's chair decides further development".into(),
                    ));
                }
                let state = if decision == Decision::Approve {
                    "approved"
                } else {
                    "rejected"
                };
                requests::decide(
                    conn,
                    &request_id,
                    state,
                    &caller.sub,
                    request.reason.as_deref(),
                )
                .map_err(|e| match e {
                    StoreError::Stale => {
                        ApiError::Conflict("the change request is already decided".into())
                    }
                    other => other.into(),
                })?;
                audit::append(
                    conn,
                    NewEntry {
                        subject_type: "project",
                        subject_id: &loaded.product.project_id,
                        action: "change_request_decided",
                        actor: &caller.actor(),
                        before: None,
                        after: Some(
                            serde_json::json!({"change_request": request_id, "state": state})
                                .to_string(),
                        ),
                        reason: request.reason.as_deref(),
                    },
                )?;
                let decided = requests::find(conn, &request_id)?;
                change_request_view(conn, decided)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// One requirement's mark in an evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkView {
    pub key: String,
    /// `green`, `yellow` or `red`.
    pub mark: String,
    /// Required for yellow and red.
    pub reasoning: Option<String>,
}

/// An evaluation of a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationView {
    pub id: String,
    pub product_id: String,
    pub period: String,
    /// The product's level when evaluated.
    pub level: String,
    pub recommended_level: String,
    pub conclusion: String,
    pub marks: Vec<MarkView>,
    /// The board approval the recommended level change became.
    pub level_change_approval_id: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

fn evaluation_view(
    row: os2pm_persistence::evaluations::EvaluationRow,
    marks: Vec<os2pm_persistence::evaluations::MarkRow>,
) -> EvaluationView {
    EvaluationView {
        id: row.id,
        product_id: row.product_id,
        period: row.period,
        level: row.level,
        recommended_level: row.recommended_level,
        conclusion: row.conclusion,
        marks: marks
            .into_iter()
            .map(|m| MarkView {
                key: m.requirement_key,
                mark: m.mark,
                reasoning: m.reasoning,
            })
            .collect(),
        level_change_approval_id: row.level_change_approval_id,
        created_by: row.created_by,
        created_at: row.created_at.and_utc(),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"period": "2027-H1", "marks": [{"key": "idea_described", "mark": "green"},
    {"key": "legally_compliant", "mark": "yellow", "reasoning": "Databehandleraftale mangler for én kommune"}],
    "recommended_level": "N1", "conclusion": "Produktet lever op til N1."}))]
pub struct NewEvaluation {
    /// E.g. `2027-H1`.
    pub period: String,
    /// One mark per requirement of the product's level (cumulative).
    pub marks: Vec<MarkView>,
    pub recommended_level: String,
    pub conclusion: String,
}

/// Records the half-yearly evaluation of a product (business manager): a mark per requirement
/// of its catalogue version and level, and a concluding level recommendation. A recommended
/// level change becomes a level-change proposal to the board (when moving up, only if the
/// target level's requirements are met; otherwise the evaluation says which are not).
#[utoipa::path(
    post, path = "/api/v1/products/{id}/evaluations", tag = "products",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewEvaluation,
    responses(
        (status = 201, description = "The evaluation", body = EvaluationView, headers(("Location" = String))),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "The product is closed", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Requirements unmarked, unknown or twice; yellow/red without reasoning; unknown level; or the recommended move up is blocked by unmet requirements (listed)", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn evaluate(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewEvaluation>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    let id = id.into_inner();
    let request = body.into_inner();
    let mut errors = Vec::new();
    let recommended = request
        .recommended_level
        .parse::<Level>()
        .map_err(|e| errors.push(FieldError::new("recommended_level", e.to_string())))
        .ok();
    let marks: Vec<(String, Mark, Option<String>)> = request
        .marks
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m.mark.parse::<Mark>() {
            Ok(mark) => Some((m.key.clone(), mark, m.reasoning.clone())),
            Err(e) => {
                errors.push(FieldError::new(format!("marks[{i}].mark"), e.to_string()));
                None
            }
        })
        .collect();
    if request.period.trim().is_empty() {
        errors.push(FieldError::new("period", "name the period, e.g. 2027-H1"));
    }
    let (Some(recommended), true) = (recommended, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let loaded = LoadedProduct::load(conn, &id)?;
                loaded.check_open()?;
                let catalogue =
                    os2pm_persistence::catalogue::load(conn, &loaded.product.catalogue_version)?;
                let keys: Vec<&str> = catalogue
                    .for_level(loaded.level())
                    .map(|r| r.key.as_str())
                    .collect();
                let problems: Vec<FieldError> = check_evaluation(&keys, &marks)
                    .into_iter()
                    .map(|e| FieldError::new("marks", e.to_string()))
                    .collect();
                if !problems.is_empty() {
                    return Err(ApiError::Validation(problems));
                }
                let approval = if recommended == loaded.level() {
                    None
                } else {
                    let project = Loaded::load(conn, &loaded.product.project_id)?;
                    let reason = format!("Evaluering {}: {}", request.period, request.conclusion);
                    Some(propose_level_change(
                        conn,
                        &project,
                        loaded.level(),
                        recommended,
                        gate_for_level_change(true, true),
                        &reason,
                    )?)
                };
                let row = os2pm_persistence::evaluations::EvaluationRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    product_id: id.clone(),
                    period: request.period.clone(),
                    level: loaded.level().to_string(),
                    recommended_level: recommended.to_string(),
                    conclusion: request.conclusion.clone(),
                    level_change_approval_id: approval.map(|a| a.id),
                    created_by: caller.sub.clone(),
                    created_at: os2pm_persistence::now(),
                };
                let mark_rows: Vec<os2pm_persistence::evaluations::MarkRow> = marks
                    .iter()
                    .map(
                        |(key, mark, reasoning)| os2pm_persistence::evaluations::MarkRow {
                            evaluation_id: row.id.clone(),
                            requirement_key: key.clone(),
                            mark: mark.as_str().into(),
                            reasoning: reasoning.clone(),
                        },
                    )
                    .collect();
                os2pm_persistence::evaluations::insert(conn, &row, &mark_rows)?;
                let view = evaluation_view(row, mark_rows);
                created(
                    conn,
                    &caller,
                    "project",
                    &loaded.product.project_id,
                    format!("/api/v1/products/{id}/evaluations"),
                    &view,
                )
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// A product's evaluations, oldest first. Public.
#[utoipa::path(
    get, path = "/api/v1/products/{id}/evaluations", tag = "products",
    params(("id" = String, Path), PageParams),
    responses(
        (status = 200, description = "The evaluations, oldest first, one page at a time", body = Page<EvaluationView>),
        (status = 404, description = "No such product", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list_evaluations(
    state: web::Data<AppState>,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let items = state
        .db(move |conn| {
            LoadedProduct::load(conn, &id)?;
            Ok(os2pm_persistence::evaluations::for_product(conn, &id)?
                .into_iter()
                .map(|(row, marks)| evaluation_view(row, marks))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}
