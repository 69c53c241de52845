//! Domain enums in TEXT columns (each with its CHECK constraint), read and written by name
//! through one `FromSql`/`ToSql` for both backends: a row holds a `State`, never a string that
//! every reader parses again.

use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{Nullable, Text};

use crate::connection::MultiBackend;

/// A domain value on its way into a column (inserts, updates, filters): diesel's traits cannot
/// be implemented on the domain's own types here, so this carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression)]
#[diesel(sql_type = Text)]
pub struct Stored<T>(pub T);

/// [`Stored`] for a nullable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression)]
#[diesel(sql_type = Nullable<Text>)]
pub struct MaybeStored<T>(pub Option<T>);

/// Values kept as text: each reads its text back with `FromStr` (an unknown name is a database
/// error, never a default) and writes the text its `as_str` gives, through each backend as well
/// as the multi-backend (a derived insert binds through each).
macro_rules! stored_as_text {
    ($($ty:ty),+ $(,)?) => {$(
        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(bytes: <MultiBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, MultiBackend>>::from_sql(bytes)?;
                Ok(text.parse::<$ty>()?)
            }
        }

        impl Queryable<Text, MultiBackend> for $ty {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        stored_as_text!(@to_sql $ty, MultiBackend, diesel::pg::Pg, diesel::sqlite::Sqlite);

        impl From<$ty> for Stored<$ty> {
            fn from(value: $ty) -> Self {
                Self(value)
            }
        }

        impl From<Option<$ty>> for MaybeStored<$ty> {
            fn from(value: Option<$ty>) -> Self {
                Self(value)
            }
        }
    )+};
    (@to_sql $ty:ty, $($backend:ty),+) => {$(
        impl ToSql<Text, $backend> for Stored<$ty> {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, $backend>) -> serialize::Result {
                <str as ToSql<Text, $backend>>::to_sql(self.0.as_str(), out)
            }
        }

        impl ToSql<Nullable<Text>, $backend> for MaybeStored<$ty> {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, $backend>) -> serialize::Result {
                match &self.0 {
                    Some(value) => <str as ToSql<Text, $backend>>::to_sql(value.as_str(), out),
                    None => Ok(IsNull::Yes),
                }
            }
        }
    )+};
}

/// The closed sets stored by name (each column with its CHECK constraint).
macro_rules! stored_by_name {
    ($($ty:ty),+ $(,)?) => {
        stored_as_text!($($ty),+);

        #[cfg(test)]
        mod tests {
            /// The project view reads its rows as JSON (`project_aggregate`): serde must read
            /// and write exactly the names stored.
            #[test]
            fn serde_agrees_with_the_stored_names() {
                $(
                    for value in <$ty>::ALL {
                        let name = serde_json::json!(value.as_str());
                        assert_eq!(serde_json::to_value(value).ok(), Some(name.clone()));
                        assert_eq!(serde_json::from_value::<$ty>(name).ok(), Some(*value));
                    }
                )+
            }
        }
    };
}

stored_by_name!(
    os2pm_projects::State,
    os2pm_projects::Kind,
    os2pm_projects::Funding,
    os2pm_levels::Level,
    os2pm_products::ProductState,
    os2pm_projects::Approver,
    os2pm_projects::Subject,
    os2pm_projects::ApprovalState,
    os2pm_projects::Decision,
    os2pm_projects::BudgetStatus,
    os2pm_products::Mark,
    os2pm_levels::evidence::EvidenceStatus,
    os2pm_projects::Rag,
    os2pm_groups::board::MeetingStatus,
    os2pm_groups::board::AgendaItemKind,
    os2pm_products::ChangeCategory,
    os2pm_products::Route,
    os2pm_products::ChangeRequestState,
    os2pm_groups::organizations::OrganizationKind,
);

// Ids: any text, typed by what it names.
stored_as_text!(
    os2pm_projects::ProjectId,
    os2pm_projects::ApprovalId,
    os2pm_projects::BenefitId,
    os2pm_products::ProductId,
    os2pm_products::ChangeRequestId,
    os2pm_products::EvaluationId,
    os2pm_groups::board::MeetingId,
);
