//! Who reads personal data (GDPR data minimisation, governance.md §9): the association's
//! public pages show organisations, not employees.
//!
//! Anonymous readers see organisations, titles, states, levels, decisions and their reasons;
//! never a person's name, e-mail address or `sub`. Anyone signed in to the association sees
//! the people. The votes of an approval still pending are the board's and the business
//! manager's until it is decided; then the outcome and the votes, by organisation, are public.
//!
//! The policy is applied to a view as it leaves, by the names of its fields, so it reaches
//! every view and every snapshot in the audit trail alike: a field that names a person is
//! called one of [`PERSONAL_FIELDS`] wherever it appears (and is nullable in the OpenAPI
//! document, which a test checks).

use serde::{Serialize, Serializer};
use serde_json::Value;

use redacting::Through;

use crate::auth::{Caller, Role};

mod redacting;

/// Fields whose value names a person (a `sub`, a name, an e-mail address, or an object with
/// them), wherever they appear.
pub const PERSONAL_FIELDS: &[&str] = &[
    "contact",
    "representative",
    "project_leader",
    "project_owner",
    "voter",
    "members_present",
    "reported_by",
    "recorded_by",
    "created_by",
    "filledBy",
    "sub",
    // A ranking's scores, by member.
    "scores",
];

/// Who decided something: a body (`board`, `board_meeting`, `forretningsleder`) is public;
/// anything else names a person (a coordination group's chair).
const DECIDER_FIELD: &str = "decided_by";
const DECIDING_BODIES: &[&str] = &["board", "board_meeting", "forretningsleder"];

/// Who is reading, as far as personal data goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// No token: the public.
    Public,
    /// Signed in to the association.
    Association,
    /// The business manager, the board and administrators: they see votes still being cast.
    Governance,
}

impl Audience {
    pub fn of(caller: Option<&Caller>) -> Self {
        const GOVERNANCE: [Role; 4] = [
            Role::Forretningsleder,
            Role::BoardMember,
            Role::BoardChair,
            Role::Admin,
        ];
        match caller {
            None => Self::Public,
            Some(caller) if GOVERNANCE.iter().any(|role| caller.has_role(*role)) => {
                Self::Governance
            }
            Some(_) => Self::Association,
        }
    }

    /// Names, e-mail addresses and `sub`s.
    pub fn sees_people(self) -> bool {
        self != Self::Public
    }

    /// The votes of an approval not yet decided.
    pub fn sees_pending_votes(self) -> bool {
        self == Self::Governance
    }

    /// Removes from `view` (a view as JSON) what this audience may not read: personal fields
    /// become `null`, and a pending approval's `votes` empty.
    pub fn redact(self, view: &mut Value) {
        if self == Self::Governance {
            return;
        }
        redacting::redact_in_place(view, self);
    }

    /// `view` as this audience may read it.
    pub fn redacted<T>(self, view: T) -> Redacted<T> {
        Redacted {
            view,
            audience: self,
        }
    }
}

/// A view as an audience may read it: serialised through [`Audience::redact`].
#[derive(Debug)]
pub struct Redacted<T> {
    view: T,
    audience: Audience,
}

impl<T: Serialize> Serialize for Redacted<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.audience == Audience::Governance {
            return self.view.serialize(serializer);
        }
        Through {
            value: &self.view,
            audience: self.audience,
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn caller(role: Role) -> Caller {
        Caller {
            sub: "someone".into(),
            roles: vec![role],
            org: None,
        }
    }

    #[test]
    fn only_the_business_manager_the_board_and_administrators_see_pending_votes() {
        assert_eq!(Audience::of(None), Audience::Public);
        for role in [
            Role::MunicipalityUser,
            Role::Integration,
            Role::ProjectLeader,
        ] {
            assert_eq!(Audience::of(Some(&caller(role))), Audience::Association);
        }
        for role in [
            Role::Forretningsleder,
            Role::BoardMember,
            Role::BoardChair,
            Role::Admin,
        ] {
            assert_eq!(Audience::of(Some(&caller(role))), Audience::Governance);
        }
    }

    fn project() -> Value {
        json!({
            "title": "Fælles borgerdialog",
            "owner_organization": "751",
            "contact": {"name": "Jens Hansen", "email": "jens@aarhus.dk"},
            "steering_group": {"chair": "751", "seats": [
                {"organization": "751", "representative": {"id": "p1", "sub": "jens", "name": "Jens Hansen"}}
            ], "project_leader": null},
            "current_approval": {"state": "pending", "decided_by": null, "votes": [
                {"voter": "mette", "organization": "101", "decision": "approve"}
            ]},
            "open_approvals": [{"state": "approved", "decided_by": "board", "votes": [
                {"voter": "kim", "organization": "461", "decision": "approve"}
            ]}],
            "change_request": {"decided_by": "kim", "created_by": "jens"},
            "history": [{"actor": {"sub": "jens", "roles": ["municipality_user"], "organization": "751"}}]
        })
    }

    #[test]
    fn the_public_sees_organisations_and_decisions_not_people() {
        let mut view = project();
        Audience::Public.redact(&mut view);
        assert_eq!(
            view,
            json!({
                "title": "Fælles borgerdialog",
                "owner_organization": "751",
                "contact": null,
                "steering_group": {"chair": "751", "seats": [
                    {"organization": "751", "representative": null}
                ], "project_leader": null},
                "current_approval": {"state": "pending", "decided_by": null, "votes": []},
                "open_approvals": [{"state": "approved", "decided_by": "board", "votes": [
                    {"voter": null, "organization": "461", "decision": "approve"}
                ]}],
                "change_request": {"decided_by": null, "created_by": null},
                "history": [{"actor": {"sub": null, "roles": ["municipality_user"], "organization": "751"}}]
            })
        );
    }

    #[test]
    fn the_association_sees_people_and_the_governance_pending_votes() {
        let mut view = project();
        Audience::Association.redact(&mut view);
        let mut expected = project();
        expected["current_approval"]["votes"] = json!([]);
        assert_eq!(view, expected);

        let mut view = project();
        Audience::Governance.redact(&mut view);
        assert_eq!(view, project());
    }

    /// Schemas with a personal field that is never `null`: read only with a token
    /// (`BoardMember`, `Caller`, `Person`, `WebhookView`), inside a field that is `null` as a
    /// whole (`PersonRef`), or naming bodies only (the decision log's `decided_by`).
    const NOT_REDACTED: &[&str] = &[
        "BoardMember",
        "Caller",
        "Person",
        "WebhookView",
        "PersonRef",
        "LogEntry",
    ];

    /// What the public reads as `null` must be allowed to be `null` by the document.
    #[test]
    fn every_personal_field_of_a_response_is_nullable_in_the_document() {
        let document =
            serde_json::to_value(crate::openapi_doc::document()).unwrap_or_else(|e| panic!("{e}"));
        let mut strict = Vec::new();
        for (schema, body) in document["components"]["schemas"]
            .as_object()
            .unwrap_or_else(|| panic!("the document has no schemas"))
        {
            let Some(properties) = body["properties"].as_object() else {
                continue;
            };
            for (field, property) in properties {
                let personal = PERSONAL_FIELDS.contains(&field.as_str()) || field == DECIDER_FIELD;
                let nullable = property.to_string().contains(r#""null""#);
                // Request bodies name people on purpose; only what is read is redacted.
                if personal
                    && !nullable
                    && !schema.ends_with("Request")
                    && !NOT_REDACTED.contains(&schema.as_str())
                {
                    strict.push(format!("{schema}.{field}"));
                }
            }
        }
        assert!(strict.is_empty(), "not nullable: {strict:?}");
    }
}
