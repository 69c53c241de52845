//! Ideas: submitted by a municipality, edited by it while the domain allows.

use os2pm_persistence::organizations::{Directory, OrganizationRow};
use os2pm_persistence::projects::{self as store, DescriptionRow, ProjectRow};
use os2pm_persistence::{DbConnection, WriteSet, search_text};
use os2pm_projects::{Action, Funding, Kind, ProjectId, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::request::Tagged;
use crate::request::{IdempotencyKey, IfMatch, Outcome, Problems, StoredReply};
use crate::usecases::projects::view::Contact;
use crate::usecases::projects::{
    Loaded, ProjectChange, change_project, pick_organization, pick_organizations, project_body,
    project_etag, push_audit, resolve_organizations,
};

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
    #[schema(value_type = Option<os2pm_projects::Kind>)]
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
    #[schema(value_type = os2pm_projects::Funding)]
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
    #[schema(value_type = Option<os2pm_projects::Kind>)]
    pub kind: Option<String>,
    #[validate(length(max = 150, message = "at most 150 organisations"))]
    pub participants: Option<Vec<String>>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub local_value: Option<String>,
    #[validate(length(min = 1, max = 10000, message = "must be 1 to 10000 characters"))]
    pub value_for_others: Option<String>,
    #[schema(value_type = Option<os2pm_projects::Funding>)]
    pub intended_funding: Option<String>,
    #[validate(nested)]
    pub contact: Option<Contact>,
}

/// A new idea, parsed: its kind and funding as the domain's values.
pub struct NewIdea {
    request: NewProjectRequest,
    kind: Kind,
    funding: Funding,
}

impl TryFrom<NewProjectRequest> for NewIdea {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(request: NewProjectRequest) -> Result<Self, ApiError> {
        let mut problems = Problems::of(&request);
        let kind = problems.parse("kind", request.kind.as_deref().unwrap_or("project"));
        let funding = problems.parse("intended_funding", &request.intended_funding);
        problems.or_command(|| {
            Some(Self {
                kind: kind?,
                funding: funding?,
                request,
            })
        })
    }
}

/// Submits an idea for the caller's own organisation (or the one it names, if it acts for it).
pub fn submit_idea(
    conn: &mut DbConnection,
    directory: &Directory,
    caller: &Caller,
    idempotency_key: IdempotencyKey,
    idea: NewIdea,
) -> Result<StoredReply, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let request = &idea.request;
    let owner_code = request
        .owner_organization
        .clone()
        .or_else(|| caller.org.clone())
        .ok_or_else(|| {
            ApiError::Forbidden("the token names no organisation to submit for".into())
        })?;
    let reply = idempotency_key.run_writes(conn, caller, request, |conn| {
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
        let mut participants = pick_organizations(&known, "participants", &request.participants)?;
        if !participants.iter().any(|p| p.id == owner.id) {
            participants.insert(0, owner.clone());
        }
        let (project, description) = idea.rows(caller, &owner);
        let id = project.id.clone();
        let ids: Vec<String> = participants.iter().map(|o| o.id.clone()).collect();
        let mut writes = WriteSet::default();
        store::insert(&mut writes, &project, &description, &ids);
        let loaded = Loaded::inserted(conn, project, description, owner, &participants)?;
        let body = project_body(&loaded, caller)?;
        push_audit(&mut writes, caller, &loaded, "idea_submitted", None, None);
        Ok((
            Outcome::created(format!("/api/v1/projects/{id}"), body),
            writes,
        ))
    })?;
    // The ETag a GET sends counts the rows the database's triggers wrote, so it is read once
    // the idea is stored (for a replay too: the project may have moved on).
    let id = ProjectId::from(
        reply
            .location()
            .and_then(|location| location.rsplit('/').next())
            .unwrap_or_default(),
    );
    Ok(reply.with_etag(&project_etag(conn, &id)?))
}

impl NewIdea {
    /// The rows of the idea as submitted, in the domain's first state.
    fn rows(&self, caller: &Caller, owner: &OrganizationRow) -> (ProjectRow, DescriptionRow) {
        let request = &self.request;
        let now = os2pm_persistence::now();
        let id: ProjectId = crate::usecases::new_id();
        let project = ProjectRow {
            id: id.clone(),
            title: request.title.clone(),
            summary: request.summary.clone(),
            kind: self.kind,
            state: State::INITIAL,
            level: None,
            catalogue_version: None,
            owner_organization_id: owner.id.clone(),
            intended_funding: self.funding,
            approval_round: 1,
            search_text: search_text(&[&request.title, &request.summary]),
            version: 1,
            created_by: caller.sub.clone(),
            created_at: now,
            updated_at: now,
        };
        let description = DescriptionRow {
            project_id: id,
            local_value: request.local_value.clone(),
            value_for_others: request.value_for_others.clone(),
            contact_name: request.contact.name.clone(),
            contact_email: request.contact.email.clone(),
            placement_rationale: None,
            return_reason: None,
        };
        (project, description)
    }
}

/// Changes to an idea, parsed.
pub struct IdeaChanges {
    patch: ProjectPatch,
    kind: Option<Kind>,
    funding: Option<Funding>,
}

impl TryFrom<ProjectPatch> for IdeaChanges {
    type Error = ApiError;

    /// Every field problem at once.
    fn try_from(patch: ProjectPatch) -> Result<Self, ApiError> {
        let mut problems = Problems::of(&patch);
        let kind = problems.parse_optional("kind", patch.kind.as_deref());
        let funding =
            problems.parse_optional("intended_funding", patch.intended_funding.as_deref());
        problems.or_command(|| {
            Some(Self {
                patch,
                kind,
                funding,
            })
        })
    }
}

/// Edits an idea (its owner, while the domain allows it).
pub fn edit_idea(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProjectId,
    if_match: IfMatch,
    changes: IdeaChanges,
) -> Result<Tagged, ApiError> {
    let patch = &changes.patch;
    change_project(
        conn,
        caller,
        ProjectChange::new(id, if_match, Action::Edit, "idea_edited"),
        |conn, loaded, project, description| {
            if let Some(title) = &patch.title {
                project.title.clone_from(title);
            }
            if let Some(summary) = &patch.summary {
                project.summary.clone_from(summary);
            }
            project.search_text = search_text(&[&project.title, &project.summary]);
            if let Some(kind) = changes.kind {
                project.kind = kind;
            }
            if let Some(funding) = changes.funding {
                project.intended_funding = funding;
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
}
