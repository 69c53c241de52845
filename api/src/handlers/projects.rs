//! Projects (initiatives): ideas from municipalities, their evidence, placement at a level and
//! submission for approval. The rules are the domain's (`os2pm_projects`, `os2pm_levels`);
//! this module loads, asks, stores and answers.

use std::sync::Arc;

use actix_web::http::header::{self, IfNoneMatch};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use os2pm_levels::evidence::{self as ev, Evidence, EvidenceStatus};
use os2pm_levels::{DEFAULT_CATALOGUE_VERSION, Gate, Level};
use os2pm_persistence::audit::{self};
use os2pm_persistence::projects::{
    self as store, DescriptionRow, EvidenceRow, ProjectFilter, ProjectRow,
};
use os2pm_persistence::{DbConnection, StoreError, WriteSet, catalogue, search_text};
use os2pm_projects::{Action, Funding, Kind, State, Subject, approver_for};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::app::AppState;
use crate::auth::{Caller, MaybeCaller, Role};
use crate::error::{ApiError, FieldError, ProblemSchema, UnmetRequirement};
use crate::request::{
    IdempotencyKey, IfMatch, Outcome, Page, PageParams, StoredReply, already_has, validation_errors,
};
use crate::usecases::approvals::open_approval;
use crate::usecases::board::today;
use crate::usecases::project::Loaded;
use crate::usecases::project::change_project;
use crate::usecases::project::etag_response;
use crate::usecases::project::not_found;
use crate::usecases::project::parse_field;
use crate::usecases::project::pick_organization;
use crate::usecases::project::pick_organizations;
use crate::usecases::project::project_body;
use crate::usecases::project::project_etag;
use crate::usecases::project::push_audit;
use crate::usecases::project::resolve_organization;
use crate::usecases::project::resolve_organizations;
use crate::usecases::project::view::Contact;
use crate::usecases::project::view::ProjectSummary;
use crate::usecases::project::view::ProjectView;
use crate::usecases::project::with_actions;
use crate::view_cache::{CachedProject, ViewKey};

/// A new idea.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Fælles borgerdialog", "summary": "Én løsning til dialog med borgerne på tværs af forvaltninger.",
    "kind": "project", "participants": ["751", "101"],
    "local_value": "Kortere svartider i Borgerservice.", "value_for_others": "Alle kommuner har samme behov.",
    "intended_funding": "local", "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"}
}))]
pub struct NewProjectRequest {
    #[validate(length(min = 3, max = 200, message = "must be 3 to 200 characters"))]
    pub title: String,
    /// The idea, in a few paragraphs.
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub summary: String,
    /// `project` (default) or `adoption`: a solution built elsewhere, handed over.
    pub kind: Option<String>,
    /// The owner organisation; defaults to the token's. A caller submits only for its own.
    pub owner_organization: Option<String>,
    /// Participating organisations (kommunekoder); the owner always participates.
    #[serde(default)]
    #[validate(length(max = 150, message = "at most 150 organisations"))]
    pub participants: Vec<String>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub local_value: String,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub value_for_others: String,
    /// `local`, `os2` or `mixed`; at N1 only `local` is possible.
    pub intended_funding: String,
    #[validate(nested)]
    pub contact: Contact,
}

/// Changes to an idea while it is `idea` or `returned`; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"summary": "Ny beskrivelse efter tilbageløb: nu med strategisk sammenhæng."}))]
pub struct ProjectPatch {
    #[validate(length(min = 3, max = 200, message = "must be 3 to 200 characters"))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub summary: Option<String>,
    pub kind: Option<String>,
    #[validate(length(max = 150, message = "at most 150 organisations"))]
    pub participants: Option<Vec<String>>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub local_value: Option<String>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub value_for_others: Option<String>,
    pub intended_funding: Option<String>,
    #[validate(nested)]
    pub contact: Option<Contact>,
}

/// Evidence for one requirement.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "met", "link": "https://github.com/OS2/borgerdialog/blob/main/docs/solution.md"}))]
pub struct EvidenceRequest {
    /// `met`, `explained` (follow-or-explain only) or `not_applicable` (where allowed).
    pub status: String,
    /// For per-organisation requirements: whose attestation this is (kommunekode).
    pub organization: Option<String>,
    /// Required for `explained` and `not_applicable`.
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub explanation: Option<String>,
    /// A link to the document; required to meet a document requirement.
    #[validate(
        url(message = "is not a URL"),
        length(max = 2000, message = "at most 2000 characters")
    )]
    pub link: Option<String>,
    #[validate(length(max = 10000, message = "at most 10000 characters"))]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level": "N2", "rationale": "Fælleskommunal værdi; kræver strategisk forankring."}))]
pub struct PlacementRequest {
    /// `N1`, `N2` or `N3`; `sandkasse` (the sandbox below N1) in a catalogue that has it.
    #[schema(example = "N2")]
    pub level: String,
    pub rationale: String,
    /// The catalogue version to pin the project to; `os2-2016` when left out.
    #[schema(example = "os2-styringsmodel-2025")]
    pub catalogue: Option<String>,
}

/// Submits an idea for the caller's own organisation.
#[utoipa::path(
    post, path = "/api/v1/projects", tag = "projects",
    security(("bearer" = [])),
    request_body = NewProjectRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body return the first response and create nothing")),
    responses(
        (status = 201, description = "The idea, in state `idea`", body = ProjectView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not a municipality user or integration, or not for the caller's own organisation", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each listed), unknown organisations, or an Idempotency-Key reused", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    idempotency_key: IdempotencyKey,
    body: web::Json<NewProjectRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let request = body.into_inner();
    let mut problems = request
        .validate()
        .err()
        .map(|e| validation_errors(&e))
        .unwrap_or_default();
    let kind = parse_field::<Kind>("kind", request.kind.as_deref().unwrap_or("project"))
        .map_err(|e| problems.push(e))
        .ok();
    let funding = parse_field::<Funding>("intended_funding", &request.intended_funding)
        .map_err(|e| problems.push(e))
        .ok();
    let (Some(kind), Some(funding), true) = (kind, funding, problems.is_empty()) else {
        return Err(ApiError::Validation(problems));
    };
    let owner_code = request
        .owner_organization
        .clone()
        .or_else(|| caller.org.clone())
        .ok_or_else(|| {
            ApiError::Forbidden("the token names no organisation to submit for".into())
        })?;
    let directory = state.organizations.clone();
    state
        .db(move |conn| {
            let reply = idempotency_key.run_writes(conn, &caller.sub, &request, |conn| {
                // The owner and the participants in one read, or none.
                let named: Vec<String> = std::iter::once(owner_code.clone())
                    .chain(request.participants.iter().cloned())
                    .collect();
                let known = directory.find_all(conn, &named)?;
                let owner = pick_organization(&known, "owner_organization", &owner_code)?;
                if !caller.acts_for(&owner.id, owner.code.as_deref()) {
                    return Err(ApiError::Forbidden(format!(
                        "you act for `{}`; ideas are submitted for your own organisation",
                        caller.org.as_deref().unwrap_or("no organisation")
                    )));
                }
                let mut participants =
                    pick_organizations(&known, "participants", &request.participants)?;
                if !participants.iter().any(|p| p.id == owner.id) {
                    participants.insert(0, owner.clone());
                }
                let now = os2pm_persistence::now();
                let id = uuid::Uuid::now_v7().to_string();
                let project = ProjectRow {
                    id: id.clone(),
                    title: request.title.clone(),
                    summary: request.summary.clone(),
                    kind: kind.as_str().into(),
                    state: State::Idea.as_str().into(),
                    level: None,
                    catalogue_version: None,
                    owner_organization_id: owner.id.clone(),
                    intended_funding: funding.as_str().into(),
                    approval_round: 1,
                    search_text: search_text(&[&request.title, &request.summary]),
                    version: 1,
                    created_by: caller.sub.clone(),
                    created_at: now,
                    updated_at: now,
                };
                let description = DescriptionRow {
                    project_id: id.clone(),
                    local_value: request.local_value.clone(),
                    value_for_others: request.value_for_others.clone(),
                    contact_name: request.contact.name.clone(),
                    contact_email: request.contact.email.clone(),
                    placement_rationale: None,
                };
                let ids: Vec<String> = participants.iter().map(|o| o.id.clone()).collect();
                let mut writes = WriteSet::default();
                store::insert(&mut writes, &project, &description, &ids);
                let loaded = Loaded::inserted(conn, project, description, owner, &participants)?;
                let body = project_body(conn, &loaded, &caller)?;
                push_audit(&mut writes, &caller, &loaded, "idea_submitted", None, None);
                Ok((
                    Outcome::created(format!("/api/v1/projects/{id}"), body),
                    writes,
                ))
            })?;
            // The ETag a GET sends counts the rows the database's triggers wrote, so it is
            // read once the idea is stored (for a replay too: the project may have moved on).
            let id = reply
                .location()
                .and_then(|location| location.rsplit('/').next())
                .unwrap_or_default()
                .to_owned();
            Ok(reply.with_etag(&project_etag(conn, &id)?))
        })
        .await
        .map(StoredReply::into_response)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// `idea`, `concept`, `awaiting_approval`, `approved`, `returned`, `rejected`.
    pub state: Option<String>,
    /// `N1`, `N2` or `N3`.
    pub level: Option<String>,
    /// `project` or `adoption`.
    pub kind: Option<String>,
    /// An organisation (kommunekode or id): the projects it owns or participates in.
    #[param(example = "751")]
    pub organization: Option<String>,
    /// Free text over title and summary, case-insensitive.
    pub q: Option<String>,
}

/// The portfolio: every project, newest first, filtered.
#[utoipa::path(
    get, path = "/api/v1/projects", tag = "projects",
    params(ProjectQuery, PageParams),
    responses(
        (status = 200, description = "One page of projects", body = Page<ProjectSummary>),
        (status = 422, description = "Unknown state, level, kind or organisation; bad limit or cursor", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<ProjectQuery>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut problems = Vec::new();
    if let Some(s) = &query.state
        && let Err(e) = parse_field::<State>("state", s)
    {
        problems.push(e);
    }
    if let Some(k) = &query.kind
        && let Err(e) = parse_field::<Kind>("kind", k)
    {
        problems.push(e);
    }
    if let Some(l) = &query.level
        && l.parse::<Level>().is_err()
    {
        problems.push(FieldError::new("level", "must be sandkasse, N1, N2 or N3"));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let limit = page.limit()?;
    let after = page.after::<String>()?;
    let rows = state
        .db(move |conn| {
            let organization_id = match &query.organization {
                Some(org) => Some(resolve_organization(conn, "organization", org)?.id),
                None => None,
            };
            let filter = ProjectFilter {
                state: query.state,
                level: query.level,
                kind: query.kind,
                organization_id,
                text: query.q.filter(|q| !q.trim().is_empty()),
            };
            Ok(store::list(conn, &filter, after.as_deref(), limit + 1)?)
        })
        .await?;
    let page = Page::from_rows(
        rows,
        limit,
        |(p, _)| p.id.clone(),
        |(p, owner)| ProjectSummary {
            owner_organization: owner.unwrap_or_else(|| p.owner_organization_id.clone()),
            id: p.id,
            title: p.title,
            summary: p.summary,
            kind: p.kind,
            state: p.state,
            level: p.level,
            intended_funding: p.intended_funding,
            created_at: p.created_at.and_utc(),
            updated_at: p.updated_at.and_utc(),
        },
    );
    Ok(HttpResponse::Ok().json(page))
}

/// One project: its requirements' status, its current approval with votes, and `_actions`.
///
/// The ETag changes with anything the view shows (votes, reports, groups, the board included);
/// send it as `If-None-Match` to get 304 while nothing changed, or as `If-Match` to change the
/// project.
#[utoipa::path(
    get, path = "/api/v1/projects/{id}", tag = "projects",
    params(
        ("id" = String, Path),
        ("If-None-Match" = Option<String>, Header, description = "An ETag this project was read with"),
    ),
    responses(
        (status = 200, description = "The project", body = ProjectView, headers(
            ("ETag" = String, description = "`\"version.revision.shared.day\"`: the project's version, then what else the view depends on"),
            ("Vary" = String, description = "`Authorization`: `_actions` depend on the caller"),
        )),
        (status = 304, description = "Unchanged since If-None-Match", headers(("ETag" = String))),
        (status = 401, description = "A token was sent and is not valid", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: MaybeCaller,
    request: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let known = request.get_header::<IfNoneMatch>();
    let views = state.project_views.clone();
    let (tag, body) = state
        .db(move |conn| {
            // The stamp is read before the view is built, so a view is never filed under a
            // stamp newer than itself.
            let key = ViewKey {
                stamp: store::view_stamp(conn, &id).map_err(|e| not_found(&id, e))?,
                day: today(),
            };
            let tag = key.etag();
            if already_has(known.as_ref(), &tag) {
                return Ok((tag, None));
            }
            let entry = match views.get(&id, &key) {
                Some(entry) => entry,
                None => {
                    let loaded = Loaded::load(conn, &id)?;
                    let view = loaded.anonymous_view(conn)?;
                    let entry = Arc::new(CachedProject {
                        key,
                        body: serde_json::to_vec(&view)
                            .map_err(|e| ApiError::Internal(format!("project view: {e}")))?
                            .into(),
                        actions: loaded.action_inputs(),
                    });
                    views.insert(&id, entry.clone());
                    entry
                }
            };
            let body = match caller.0.as_ref() {
                None => entry.body.clone(),
                Some(caller) => with_actions(&entry.body, &entry.actions.actions(conn, caller)?)?,
            };
            Ok((tag, Some(body)))
        })
        .await?;
    // `_actions` depend on the caller.
    let vary = (
        header::VARY,
        header::HeaderValue::from_static("Authorization"),
    );
    Ok(match body {
        None => HttpResponse::NotModified()
            .insert_header(header::ETag(tag))
            .insert_header(vary)
            .finish(),
        Some(body) => HttpResponse::Ok()
            .insert_header(header::ETag(tag))
            .insert_header(vary)
            .content_type(header::ContentType::json())
            .body(body),
    })
}

/// Edits an idea while it is `idea` or `returned` (owner organisation or business manager).
#[utoipa::path(
    patch, path = "/api/v1/projects/{id}", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = ProjectPatch,
    responses(
        (status = 200, description = "The edited project", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Neither the owner organisation nor the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not editable in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn patch(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    body: web::Json<ProjectPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let patch = body.into_inner();
    let mut problems = patch
        .validate()
        .err()
        .map(|e| validation_errors(&e))
        .unwrap_or_default();
    let kind = patch
        .kind
        .as_deref()
        .map(|k| parse_field::<Kind>("kind", k))
        .transpose()
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    let funding = patch
        .intended_funding
        .as_deref()
        .map(|f| parse_field::<Funding>("intended_funding", f))
        .transpose()
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let (version, body) = state
        .db(move |conn| {
            change_project(
                conn,
                &caller,
                &id,
                if_match,
                Action::Edit,
                "idea_edited",
                None,
                |conn, loaded, project, description| {
                    if let Some(title) = &patch.title {
                        project.title.clone_from(title);
                    }
                    if let Some(summary) = &patch.summary {
                        project.summary.clone_from(summary);
                    }
                    project.search_text = search_text(&[&project.title, &project.summary]);
                    if let Some(kind) = kind {
                        project.kind = kind.as_str().into();
                    }
                    if let Some(funding) = funding {
                        project.intended_funding = funding.as_str().into();
                    }
                    if let Some(value) = &patch.local_value {
                        description.local_value.clone_from(value);
                    }
                    if let Some(value) = &patch.value_for_others {
                        description.value_for_others.clone_from(value);
                    }
                    if let Some(contact) = &patch.contact {
                        description.contact_name.clone_from(&contact.name);
                        description.contact_email.clone_from(&contact.email);
                    }
                    let Some(codes) = &patch.participants else {
                        return Ok(None);
                    };
                    let mut ids: Vec<String> = resolve_organizations(conn, "participants", codes)?
                        .into_iter()
                        .map(|o| o.id)
                        .collect();
                    if !ids.contains(&loaded.owner.id) {
                        ids.insert(0, loaded.owner.id.clone());
                    }
                    Ok(Some(ids))
                },
            )
        })
        .await?;
    Ok(etag_response(version, body))
}

/// Records evidence for one requirement (owner organisation or business manager).
#[utoipa::path(
    put, path = "/api/v1/projects/{id}/requirements/{key}", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path, example = "solution_documented"),
        ("If-Match" = String, Header, description = "The project's ETag")),
    request_body = EvidenceRequest,
    responses(
        (status = 200, description = "The project with the evidence recorded", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to record evidence on this project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project, or no such requirement in its catalogue", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Evidence cannot be recorded in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Derived requirement, status not allowed, explanation or link missing, organisation not participating", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn record_evidence(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: web::Json<EvidenceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, key) = path.into_inner();
    let request = body.into_inner();
    request
        .validate()
        .map_err(|e| ApiError::Validation(validation_errors(&e)))?;
    let status = request
        .status
        .parse::<EvidenceStatus>()
        .map_err(|_| ApiError::validation("status", "must be met, explained or not_applicable"))?;
    let audit_action = format!("evidence_recorded:{key}");
    let (version, body) = state
        .db(move |conn| {
            change_project(
                conn,
                &caller,
                &id,
                if_match,
                Action::RecordEvidence,
                &audit_action,
                None,
                |conn, loaded, _, _| {
                    let requirement = loaded
                        .catalogue
                        .requirements
                        .iter()
                        .find(|r| r.key == key)
                        .ok_or_else(|| {
                            ApiError::NotFound(format!(
                                "no requirement `{key}` in catalogue {}",
                                loaded.catalogue.version
                            ))
                        })?;
                    let evidence = Evidence {
                        key: key.clone(),
                        organization: request.organization.clone(),
                        status,
                        explanation: request.explanation.clone(),
                        link: request.link.clone(),
                    };
                    ev::check_evidence(requirement, &evidence)
                        .map_err(|e| ApiError::validation(e.field(), e.to_string()))?;
                    if let Some(org) = &request.organization
                        && !loaded.record.participants.contains(org)
                    {
                        return Err(ApiError::validation(
                            "organization",
                            format!("`{org}` does not participate in the project"),
                        ));
                    }
                    store::record_evidence(
                        conn,
                        &EvidenceRow {
                            project_id: loaded.record.project.id.clone(),
                            requirement_key: key.clone(),
                            organization_id: request.organization.clone().unwrap_or_default(),
                            status: status.as_str().into(),
                            explanation: request.explanation.clone(),
                            link: request.link.clone(),
                            note: request.note.clone(),
                            recorded_by: caller.sub.clone(),
                            recorded_at: os2pm_persistence::now(),
                        },
                    )?;
                    Ok(None)
                },
            )
        })
        .await?;
    Ok(etag_response(version, body))
}

/// Places an idea at a level (business manager): pins it to a catalogue version (`os2-2016`
/// unless another is named; `sandkasse` only in one that has it) and makes it a `concept`.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/placement", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The project's ETag"),
        ("Idempotency-Key" = Option<String>, Header)),
    request_body = PlacementRequest,
    responses(
        (status = 200, description = "The concept", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Cannot be placed in its state", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Unknown level or catalogue, a level the catalogue does not have, or no rationale", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn place(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    if_match: IfMatch,
    idempotency_key: IdempotencyKey,
    body: web::Json<PlacementRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request = body.into_inner();
    let mut problems = Vec::new();
    let level = request
        .level
        .parse::<Level>()
        .map_err(|e| problems.push(FieldError::new("level", e.to_string())))
        .ok();
    if request.rationale.trim().is_empty() || request.rationale.len() > 10_000 {
        problems.push(FieldError::new(
            "rationale",
            "must be 1 to 10000 characters",
        ));
    }
    let (Some(level), true) = (level, problems.is_empty()) else {
        return Err(ApiError::Validation(problems));
    };
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &(&id, &request), |conn| {
                let pinned = pinnable_catalogue(conn, request.catalogue.as_deref(), level)?;
                let (version, body) = change_project(
                    conn,
                    &caller,
                    &id,
                    if_match,
                    Action::Place,
                    "placed",
                    Some(&request.rationale),
                    |_, _, project, description| {
                        project.state = State::Concept.as_str().into();
                        project.level = Some(level.to_string());
                        // A later placement re-pins.
                        project.catalogue_version = Some(pinned.clone());
                        description.placement_rationale = Some(request.rationale.clone());
                        Ok(None)
                    },
                )?;
                Ok(Outcome::ok(body).with_etag(version))
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// The catalogue version a placement pins to (`os2-2016` unless named), if it offers `level`.
fn pinnable_catalogue(
    conn: &mut DbConnection,
    version: Option<&str>,
    level: Level,
) -> Result<String, ApiError> {
    let version = version.unwrap_or(DEFAULT_CATALOGUE_VERSION);
    let known = catalogue::versions(conn)?;
    if !known.iter().any(|v| v == version) {
        return Err(ApiError::validation(
            "catalogue",
            format!(
                "there is no catalogue `{version}`; there are: {}",
                known.join(", ")
            ),
        ));
    }
    let pinned = catalogue::load(conn, version)?;
    if !pinned.offers(level) {
        let levels: Vec<&str> = pinned.levels.iter().map(|l| l.as_str()).collect();
        return Err(ApiError::validation(
            "level",
            format!(
                "{version} has no level {level}; it has {}",
                levels.join(", ")
            ),
        ));
    }
    Ok(pinned.version)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// Only check the requirements; change nothing.
    pub dry_run: Option<bool>,
}

/// The outcome of a dry-run submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionCheck {
    /// Whether a submission now would pass the approval gate.
    pub ready: bool,
    /// `forretningsleder` (N1) or `board` (N2/N3).
    pub approver: String,
    pub unmet_requirements: Vec<UnmetRequirement>,
}

/// Submits a concept for approval (business manager): every approval-gate requirement of its
/// level and below must hold. The approval goes to the business manager (N1) or the board.
#[utoipa::path(
    post, path = "/api/v1/projects/{id}/submission", tag = "projects",
    security(("bearer" = [])),
    params(("id" = String, Path), SubmissionQuery,
        ("If-Match" = String, Header, description = "The project's ETag (not needed for a dry run)"),
        ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, description = "Submitted (the project, now `awaiting_approval`), or the dry run's check", body = ProjectView, headers(("ETag" = String))),
        (status = 403, description = "Not the business manager", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 409, description = "Not a concept", body = ProblemSchema, content_type = "application/problem+json"),
        (status = 422, description = "Requirements not met: `unmet_requirements` lists each", body = ProblemSchema, content_type = "application/problem+json",
            example = json!({"type": "/problems/unmet-requirements", "title": "Requirements are not met", "status": 422,
                "detail": "1 requirement(s) are not met",
                "unmet_requirements": [{"key": "idea_described", "level": "N1", "gate": "approval", "title": "The basic idea is described"}]})),
    )
)]
pub async fn submit(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    query: web::Query<SubmissionQuery>,
    request: HttpRequest,
    idempotency_key: IdempotencyKey,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if query.dry_run.unwrap_or(false) {
        let check = state
            .db(move |conn| {
                let loaded = Loaded::load(conn, &id)?;
                loaded.check(Action::Submit, &caller)?;
                let level = loaded
                    .level()
                    .ok_or_else(|| ApiError::Internal("a concept without a level".into()))?;
                let unmet = loaded.unmet(level, Gate::Approval);
                Ok(SubmissionCheck {
                    ready: unmet.is_empty(),
                    approver: approver_for(level).as_str().into(),
                    unmet_requirements: unmet,
                })
            })
            .await?;
        return Ok(HttpResponse::Ok().json(check));
    }
    let if_match = IfMatch::from_request_headers(&request)?;
    state
        .db(move |conn| {
            idempotency_key.run(conn, &caller.sub, &id, |conn| {
                let (version, body) = change_project(
                    conn,
                    &caller,
                    &id,
                    if_match,
                    Action::Submit,
                    "submitted",
                    None,
                    |conn, loaded, project, _| {
                        let level = loaded.level().ok_or_else(|| {
                            ApiError::Internal("a concept without a level".into())
                        })?;
                        let unmet = loaded.unmet(level, Gate::Approval);
                        if !unmet.is_empty() {
                            return Err(ApiError::UnmetRequirements(unmet));
                        }
                        project.state = State::AwaitingApproval.as_str().into();
                        open_approval(
                            conn,
                            project,
                            level,
                            Subject::Project,
                            approver_for(level),
                            None,
                        )?;
                        Ok(None)
                    },
                )?;
                Ok(Outcome::ok(body).with_etag(version))
            })
        })
        .await
        .map(StoredReply::into_response)
}

/// One entry of a project's audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// What happened: `idea_submitted`, `idea_edited`, `evidence_recorded:<key>`, `placed`,
    /// `submitted`, `vote_cast`, `approved`, `returned`, `rejected`.
    pub action: String,
    pub actor: HistoryActor,
    /// The state before the change; `null` when the action created the item.
    pub before: Option<serde_json::Value>,
    /// The state after the change; `null` when the action removed it.
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryActor {
    pub sub: String,
    pub roles: Vec<String>,
    pub organization: Option<String>,
}

/// The project's audit trail: every change, vote and decision, oldest first. Append-only.
#[utoipa::path(
    get, path = "/api/v1/projects/{id}/history", tag = "projects",
    params(("id" = String, Path), PageParams),
    responses(
        (status = 200, description = "The history, oldest first, one page at a time", body = Page<HistoryEntry>),
        (status = 404, description = "No such project", body = ProblemSchema, content_type = "application/problem+json"),
    )
)]
pub async fn history(
    state: web::Data<AppState>,
    id: web::Path<String>,
    page: web::Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let entries = state
        .db(move |conn| {
            store::find(conn, &id).map_err(|e| match e {
                StoreError::NotFound => ApiError::NotFound(format!("no project `{id}`")),
                other => other.into(),
            })?;
            Ok(audit::for_subject(conn, "project", &id)?)
        })
        .await?;
    let parse = |json: Option<String>| json.and_then(|j| serde_json::from_str(&j).ok());
    let items: Vec<HistoryEntry> = entries
        .into_iter()
        .map(|e| HistoryEntry {
            at: e.occurred_at.and_utc(),
            action: e.action,
            actor: HistoryActor {
                sub: e.actor_sub,
                roles: e
                    .actor_roles
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect(),
                organization: e.actor_org,
            },
            before: parse(e.before_state),
            after: parse(e.after_state),
            reason: e.reason,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page::from_list(items, &page)?))
}
