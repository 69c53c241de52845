//! [`Audience`]'s policy applied while a view is serialised: a serde `Serializer` that wraps
//! another and passes every value through, except the fields the audience may not read. No JSON
//! tree of the view is built, so a view leaves as fast for the public as for the board.

use os2pm_projects::ApprovalState;
use serde::ser::{
    Error as _, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant,
    SerializeTuple, SerializeTupleStruct, SerializeTupleVariant,
};
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{Audience, DECIDER_FIELD, DECIDING_BODIES, PERSONAL_FIELDS};

/// A value to be serialised as `audience` may read it.
pub(super) struct Through<'a, T: ?Sized> {
    pub(super) value: &'a T,
    pub(super) audience: Audience,
}

impl<T: ?Sized + Serialize> Serialize for Through<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Redacting {
            inner: serializer,
            audience: self.audience,
        })
    }
}

/// `inner`, with `audience`'s policy applied to every object (struct or map) on the way.
struct Redacting<S> {
    inner: S,
    audience: Audience,
}

/// The serializer's methods that only pass a value on.
macro_rules! pass_on {
    ($($method:ident($($arg:ident: $ty:ty),*);)+) => {$(
        fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.inner.$method($($arg),*)
        }
    )+};
}

impl<S: Serializer> Serializer for Redacting<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Elements<S::SerializeSeq>;
    type SerializeTuple = Elements<S::SerializeTuple>;
    type SerializeTupleStruct = Elements<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Elements<S::SerializeTupleVariant>;
    type SerializeMap = Fields<S::SerializeMap>;
    type SerializeStruct = Fields<S::SerializeStruct>;
    type SerializeStructVariant = Fields<S::SerializeStructVariant>;

    pass_on! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_f32(v: f32);
        serialize_f64(v: f64);
        serialize_char(v: char);
        serialize_str(v: &str);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<S::Ok, S::Error> {
        let audience = self.audience;
        self.inner.serialize_some(&Through { value, audience })
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let audience = self.audience;
        self.inner
            .serialize_newtype_struct(name, &Through { value, audience })
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let audience = self.audience;
        self.inner
            .serialize_newtype_variant(name, index, variant, &Through { value, audience })
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(Elements::new(self.inner.serialize_seq(len)?, self.audience))
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(Elements::new(
            self.inner.serialize_tuple(len)?,
            self.audience,
        ))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let inner = self.inner.serialize_tuple_struct(name, len)?;
        Ok(Elements::new(inner, self.audience))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        let inner = self
            .inner
            .serialize_tuple_variant(name, index, variant, len)?;
        Ok(Elements::new(inner, self.audience))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Ok(Fields::new(self.inner.serialize_map(len)?, self.audience))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Fields::new(
            self.inner.serialize_struct(name, len)?,
            self.audience,
        ))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let inner = self
            .inner
            .serialize_struct_variant(name, index, variant, len)?;
        Ok(Fields::new(inner, self.audience))
    }
}

/// The elements of a sequence or tuple, each through the policy.
struct Elements<C> {
    inner: C,
    audience: Audience,
}

impl<C> Elements<C> {
    fn new(inner: C, audience: Audience) -> Self {
        Self { inner, audience }
    }
}

macro_rules! elements {
    ($($trait:ident::$method:ident),+) => {$(
        impl<C: $trait> $trait for Elements<C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), C::Error> {
                let audience = self.audience;
                self.inner.$method(&Through { value, audience })
            }

            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    )+};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// What the policy does with one field of an object.
enum Treatment {
    /// Sent as it is (its own fields through the policy).
    Keep,
    /// Sent as `null`: it names a person.
    Null,
    /// Sent as `[]`: the votes of an approval still pending.
    NoVotes,
    /// Held until the object's end: votes before a state (if any) that says whether they may
    /// be read.
    Hold,
}

/// The policy for one object (a struct, a map or a JSON object), field by field in order.
struct Policy {
    audience: Audience,
    /// The object's `state`, once seen: whether it is `pending`.
    pending: Option<bool>,
}

impl Policy {
    fn new(audience: Audience) -> Self {
        Self {
            audience,
            pending: None,
        }
    }

    fn treatment<T: ?Sized + Serialize>(&mut self, name: &str, value: &T) -> Treatment {
        let audience = self.audience;
        if !audience.sees_people() && names_a_person(name, value) {
            return Treatment::Null;
        }
        if audience.sees_pending_votes() {
            return Treatment::Keep;
        }
        match (name, self.pending) {
            ("state", _) => {
                self.pending =
                    Some(as_text(value).as_deref() == Some(ApprovalState::Pending.as_str()));
                Treatment::Keep
            }
            ("votes", Some(true)) => Treatment::NoVotes,
            ("votes", None) => Treatment::Hold,
            _ => Treatment::Keep,
        }
    }

    /// Whether votes held back may be read, now that the object has ended: unless its state
    /// is `pending` (an object without a state keeps its votes).
    fn shows_held_votes(&self) -> bool {
        self.pending != Some(true)
    }
}

/// Applies `audience`'s policy to `view` where it is: a JSON value needs no second tree.
pub(super) fn redact_in_place(view: &mut Value, audience: Audience) {
    match view {
        Value::Object(fields) => {
            let mut policy = Policy::new(audience);
            let mut held = false;
            for (name, value) in fields.iter_mut() {
                match policy.treatment(name, value) {
                    Treatment::Keep => redact_in_place(value, audience),
                    Treatment::Null => *value = Value::Null,
                    Treatment::NoVotes => *value = Value::Array(Vec::new()),
                    Treatment::Hold => held = true,
                }
            }
            if held && let Some(votes) = fields.get_mut("votes") {
                if policy.shows_held_votes() {
                    redact_in_place(votes, audience);
                } else {
                    *votes = Value::Array(Vec::new());
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| redact_in_place(item, audience)),
        _ => {}
    }
}

/// The fields of an object (a struct or a map), each through the policy.
struct Fields<C> {
    inner: C,
    audience: Audience,
    policy: Policy,
    /// A map's key, between `serialize_key` and `serialize_value`.
    key: Option<Value>,
    /// `votes` that came before `state`, as the policy would send them once decided.
    held_votes: Option<Value>,
}

impl<C> Fields<C> {
    fn new(inner: C, audience: Audience) -> Self {
        Self {
            inner,
            audience,
            policy: Policy::new(audience),
            key: None,
            held_votes: None,
        }
    }

    /// `votes` held back, as the state that came after them allows.
    fn held(&mut self) -> Option<Value> {
        let votes = self.held_votes.take()?;
        Some(if self.policy.shows_held_votes() {
            votes
        } else {
            Value::Array(Vec::new())
        })
    }
}

/// Whether a field's value names a person: one of [`PERSONAL_FIELDS`], or a decider that is
/// not a deciding body.
fn names_a_person<T: ?Sized + Serialize>(name: &str, value: &T) -> bool {
    if name == DECIDER_FIELD {
        return as_text(value).is_some_and(|decider| !DECIDING_BODIES.contains(&decider.as_str()));
    }
    PERSONAL_FIELDS.contains(&name)
}

/// The value as text, when it serialises as a string.
fn as_text<T: ?Sized + Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => Some(text),
        _ => None,
    }
}

/// A field's value as the policy sends it.
enum Sent<'a, T: ?Sized> {
    Through(Through<'a, T>),
    Null,
    NoVotes,
}

impl<T: ?Sized + Serialize> Serialize for Sent<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Through(value) => value.serialize(serializer),
            Self::Null => serializer.serialize_none(),
            Self::NoVotes => serializer.serialize_seq(Some(0))?.end(),
        }
    }
}

impl<C> Fields<C> {
    /// The field `name` as the policy sends it; `None` when it is held back.
    fn send<'a, T: ?Sized + Serialize>(&mut self, name: &str, value: &'a T) -> Option<Sent<'a, T>> {
        let audience = self.audience;
        match self.policy.treatment(name, value) {
            Treatment::Keep => Some(Sent::Through(Through { value, audience })),
            Treatment::Null => Some(Sent::Null),
            Treatment::NoVotes => Some(Sent::NoVotes),
            Treatment::Hold => {
                self.held_votes =
                    Some(serde_json::to_value(Through { value, audience }).unwrap_or(Value::Null));
                None
            }
        }
    }
}

macro_rules! struct_fields {
    ($($trait:ident),+) => {$(
        impl<C: $trait> $trait for Fields<C> {
            type Ok = C::Ok;
            type Error = C::Error;

            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), C::Error> {
                match self.send(key, value) {
                    Some(sent) => self.inner.serialize_field(key, &sent),
                    None => Ok(()),
                }
            }

            fn end(mut self) -> Result<C::Ok, C::Error> {
                if let Some(votes) = self.held() {
                    self.inner.serialize_field("votes", &votes)?;
                }
                self.inner.end()
            }
        }
    )+};
}

struct_fields!(SerializeStruct, SerializeStructVariant);

impl<C: SerializeMap> SerializeMap for Fields<C> {
    type Ok = C::Ok;
    type Error = C::Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), C::Error> {
        self.key = Some(serde_json::to_value(key).map_err(C::Error::custom)?);
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), C::Error> {
        let key = self.key.take().unwrap_or_default();
        match self.send(key.as_str().unwrap_or_default(), value) {
            Some(sent) => self.inner.serialize_entry(&key, &sent),
            None => Ok(()),
        }
    }

    fn end(mut self) -> Result<C::Ok, C::Error> {
        if let Some(votes) = self.held() {
            self.inner.serialize_entry("votes", &votes)?;
        }
        self.inner.end()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    #[derive(Serialize)]
    struct Vote {
        voter: String,
        organization: &'static str,
    }

    /// Votes before the state that says whether they may be read, as no view of os2pm writes
    /// them: they are held to the end of the object.
    #[derive(Serialize)]
    struct VotesFirst {
        votes: Vec<Vote>,
        state: &'static str,
        decided_by: Option<&'static str>,
        contact: Option<&'static str>,
        scores: BTreeMap<u32, &'static str>,
        variant: Kind,
    }

    #[derive(Serialize)]
    enum Kind {
        Seat { representative: &'static str },
    }

    fn view(state: &'static str) -> VotesFirst {
        VotesFirst {
            votes: vec![Vote {
                voter: "mette".into(),
                organization: "101",
            }],
            state,
            decided_by: Some("kim"),
            contact: Some("jens@aarhus.dk"),
            scores: BTreeMap::from([(1, "a")]),
            variant: Kind::Seat {
                representative: "jens",
            },
        }
    }

    fn read(audience: Audience, state: &'static str) -> Value {
        let value = Through {
            value: &view(state),
            audience,
        };
        serde_json::to_value(value).unwrap_or_default()
    }

    #[test]
    fn votes_before_their_state_are_held_until_the_state_is_known() {
        assert_eq!(
            read(Audience::Public, "pending"),
            json!({"state": "pending", "decided_by": null, "contact": null, "scores": null,
                   "variant": {"Seat": {"representative": null}}, "votes": []})
        );
        assert_eq!(
            read(Audience::Public, "decided")["votes"],
            json!([{"voter": null, "organization": "101"}])
        );
        assert_eq!(
            read(Audience::Association, "decided")["votes"],
            json!([{"voter": "mette", "organization": "101"}])
        );
        assert_eq!(read(Audience::Association, "pending")["votes"], json!([]));
        assert_eq!(
            read(Audience::Association, "pending")["scores"],
            json!({"1": "a"})
        );
    }

    #[test]
    fn votes_of_an_object_without_a_state_are_kept() {
        let view = json!({"votes": [{"voter": "mette"}], "title": "t"});
        let mut in_place = view.clone();
        redact_in_place(&mut in_place, Audience::Public);
        assert_eq!(in_place, json!({"votes": [{"voter": null}], "title": "t"}));
        let streamed = serde_json::to_value(Through {
            value: &view,
            audience: Audience::Public,
        });
        assert_eq!(streamed.ok(), Some(in_place));
    }

    #[test]
    fn in_place_and_as_serialised_agree() {
        for audience in [Audience::Public, Audience::Association] {
            for state in ["pending", "decided"] {
                let mut in_place = serde_json::to_value(view(state)).unwrap_or_default();
                redact_in_place(&mut in_place, audience);
                assert_eq!(in_place, read(audience, state), "{audience:?} {state}");
            }
        }
    }

    #[test]
    fn a_map_keeps_keys_that_are_not_text() {
        let map = BTreeMap::from([(7, json!({"sub": "jens", "decided_by": "board"}))]);
        let value = serde_json::to_value(Through {
            value: &map,
            audience: Audience::Public,
        });
        assert_eq!(
            value.ok(),
            Some(json!({"7": {"sub": null, "decided_by": "board"}}))
        );
    }
}
