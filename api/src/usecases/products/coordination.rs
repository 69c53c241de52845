//! A product's coordination group: set by the business manager or its chair, joined and left
//! by organisations.

use os2pm_persistence::DbConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::request::IfMatch;
use crate::request::Tagged;
use crate::usecases::groups::{CoordinationGroupView, form_coordination_group};
use crate::usecases::products::change_product;

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
    "chair": "751", "supplier": null
}))]
pub struct CoordinationGroupRequest {
    #[validate(length(max = 150, message = "at most 150 members"))]
    pub members: Vec<MemberRequest>,
    pub chair: Option<String>,
    pub supplier: Option<String>,
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

/// Sets the product's coordination group (business manager or the group's chair).
pub fn set_group(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: IfMatch,
    request: CoordinationGroupRequest,
) -> Result<Tagged, ApiError> {
    change_product(
        conn,
        caller,
        id,
        if_match,
        "coordination_group_changed",
        None,
        |conn, loaded| {
            if !loaded.steers(caller) {
                return Err(ApiError::Forbidden(
                    "only the business manager or the coordination group's chair changes the group"
                        .into(),
                ));
            }
            form_coordination_group(conn, &loaded.product.project_id, loaded.level(), &request)
        },
    )
}

/// Adds the caller's organisation to the product's coordination group.
pub fn join(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: IfMatch,
    representative: String,
) -> Result<Tagged, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let org = caller
        .org
        .clone()
        .ok_or_else(|| ApiError::Forbidden("the token names no organisation".into()))?;
    change_product(
        conn,
        caller,
        id,
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
            form_coordination_group(conn, &loaded.product.project_id, loaded.level(), &group)
        },
    )
}

/// Takes the caller's organisation out of the product's coordination group.
pub fn leave(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    if_match: IfMatch,
    org: String,
) -> Result<Tagged, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    if caller.org.as_deref() != Some(org.as_str()) {
        return Err(ApiError::Forbidden(
            "an organisation leaves only by itself".into(),
        ));
    }
    change_product(
        conn,
        caller,
        id,
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
            form_coordination_group(conn, &loaded.product.project_id, loaded.level(), &group)
        },
    )
}
