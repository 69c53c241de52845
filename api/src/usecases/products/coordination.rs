//! A product's coordination groups: one or more (report 4.1.5), formed by the business manager
//! or a chair, joined and left by organisations.

use os2pm_groups::coordination::{GroupKeyError, MAIN_GROUP, check_disband, check_group_key};
use os2pm_persistence::{DbConnection, coordination};
use os2pm_products::ProductId;
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
#[schema(example = json!({"representative": "kim", "group": "main"}))]
pub struct JoinRequest {
    /// Who represents the organisation (person id or sub).
    pub representative: String,
    /// The key of the group to join; the main group when left out.
    pub group: Option<String>,
}

/// Forms or changes coordination group `key` of the product (business manager, the main group's
/// chair, or the chair of that group). A key not yet used forms a further group.
pub fn set_group(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    key: &str,
    if_match: IfMatch,
    request: CoordinationGroupRequest,
) -> Result<Tagged, ApiError> {
    check_group_key(key).map_err(|e| ApiError::validation("key", e.to_string()))?;
    change_product(
        conn,
        caller,
        id,
        if_match,
        "coordination_group_changed",
        None,
        |conn, loaded| {
            let chairs_it = loaded
                .coordination
                .get(key)
                .is_some_and(|g| g.is_chair(&caller.sub));
            if !loaded.steers(caller) && !chairs_it {
                return Err(ApiError::Forbidden(
                    "only the business manager or the group's chair changes a coordination group"
                        .into(),
                ));
            }
            form_coordination_group(
                conn,
                &loaded.product.project_id,
                key,
                loaded.level(),
                &request,
            )
        },
    )
}

/// Disbands a further coordination group of the product (business manager); the main group
/// stays.
pub fn disband(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    key: &str,
    if_match: IfMatch,
) -> Result<Tagged, ApiError> {
    caller.require_any(&[Role::Forretningsleder])?;
    check_disband(key).map_err(|e| match e {
        GroupKeyError::MainStays => ApiError::Conflict(e.to_string()),
        // No group can have such a key.
        GroupKeyError::Malformed => ApiError::NotFound(format!("no coordination group `{key}`")),
    })?;
    change_product(
        conn,
        caller,
        id,
        if_match,
        "coordination_group_disbanded",
        None,
        |conn, loaded| {
            if coordination::remove(conn, &loaded.product.project_id, key)? {
                Ok(())
            } else {
                Err(ApiError::NotFound(format!("no coordination group `{key}`")))
            }
        },
    )
}

/// Adds the caller's organisation to one of the product's coordination groups (the main group
/// unless `group` names another).
pub fn join(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
    if_match: IfMatch,
    request: JoinRequest,
) -> Result<Tagged, ApiError> {
    caller.require_any(&[Role::MunicipalityUser, Role::Integration])?;
    let org = caller
        .org
        .clone()
        .ok_or_else(|| ApiError::Forbidden("the token names no organisation".into()))?;
    let key = request.group.unwrap_or_else(|| MAIN_GROUP.to_owned());
    change_product(
        conn,
        caller,
        id,
        if_match,
        "coordination_member_joined",
        None,
        |conn, loaded| {
            let current = match loaded.coordination.get(&key) {
                Some(group) => Some(&group.view),
                None if key == MAIN_GROUP => None,
                None => {
                    return Err(ApiError::validation(
                        "group",
                        format!("the product has no coordination group `{key}`"),
                    ));
                }
            };
            if current.is_some_and(|v| v.members.iter().any(|m| m.organization == org)) {
                return Err(ApiError::Conflict(format!(
                    "`{org}` is a member of `{key}` already"
                )));
            }
            let mut group = CoordinationGroupRequest::from_view(current);
            group.members.push(MemberRequest {
                organization: org.clone(),
                representative: request.representative.clone(),
            });
            form_coordination_group(
                conn,
                &loaded.product.project_id,
                &key,
                loaded.level(),
                &group,
            )
        },
    )
}

/// Takes the caller's organisation out of every coordination group of the product.
pub fn leave(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &ProductId,
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
            let mut left = 0;
            for current in loaded.coordination.with_member(&org) {
                let mut group = CoordinationGroupRequest::from_view(Some(current));
                group.members.retain(|m| m.organization != org);
                form_coordination_group(
                    conn,
                    &loaded.product.project_id,
                    &current.key,
                    loaded.level(),
                    &group,
                )?;
                left += 1;
            }
            if left == 0 {
                return Err(ApiError::NotFound(format!("`{org}` is not a member")));
            }
            Ok(())
        },
    )
}
