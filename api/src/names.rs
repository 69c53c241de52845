//! The organisations and people a request names (group seats, members, chairs, project
//! leaders), looked up in one way for steering and coordination groups alike: a name that is
//! not known is a field error, collected so that one answer lists them all; any other failure
//! of the store (a database outage) passes through as itself, a 503, never as "not known".
//! A representative of another organisation is collected the same way.

use os2pm_persistence::organizations::{self, OrganizationRow};
use os2pm_persistence::people::{self, PersonRow};
use os2pm_persistence::{DbConnection, StoreError};

use crate::error::{ApiError, FieldError};

/// Looks names up and keeps the ones that are not known, by request field.
pub struct Names<'c> {
    conn: &'c mut DbConnection,
    unknown: Vec<FieldError>,
    /// Representatives of another organisation than their seat's.
    foreign: Vec<FieldError>,
}

impl<'c> Names<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self {
            conn,
            unknown: Vec::new(),
            foreign: Vec::new(),
        }
    }

    /// The organisation `code` (kommunekode or id) names; `None` when it is not known.
    pub fn organization(
        &mut self,
        field: impl Into<String>,
        code: &str,
    ) -> Result<Option<OrganizationRow>, ApiError> {
        let found = organizations::find(self.conn, code);
        self.keep(found, field, || {
            format!("`{code}` is not a known organisation")
        })
    }

    /// The person `id` (person id or `sub`) names; `None` when no one is.
    pub fn person(
        &mut self,
        field: impl Into<String>,
        id: &str,
    ) -> Result<Option<PersonRow>, ApiError> {
        let found = people::find(self.conn, id);
        self.keep(found, field, || format!("no person with id or sub `{id}`"))
    }

    /// Keeps, as a problem of `field`, a representative who does not belong to the organisation
    /// whose seat they would fill (`os2pm_groups::check_representative`).
    pub fn representative(
        &mut self,
        field: impl Into<String>,
        organization: &OrganizationRow,
        person: &PersonRow,
    ) -> Result<(), ApiError> {
        let home = organizations::find(self.conn, &person.organization_id)?;
        let label = |o: &OrganizationRow| o.code.clone().unwrap_or_else(|| o.id.clone());
        if let Err(foreign) =
            os2pm_groups::check_representative(&label(organization), &person.sub, &label(&home))
        {
            self.foreign
                .push(FieldError::new(field, foreign.to_string()));
        }
        Ok(())
    }

    /// Every name was known: the foreign representatives, for the caller to list with the
    /// other rules its group breaks; else one 422 listing the unknown names and those.
    pub fn finish(self) -> Result<Vec<FieldError>, ApiError> {
        if self.unknown.is_empty() {
            Ok(self.foreign)
        } else {
            Err(ApiError::Validation([self.unknown, self.foreign].concat()))
        }
    }

    fn keep<T>(
        &mut self,
        found: Result<T, StoreError>,
        field: impl Into<String>,
        message: impl FnOnce() -> String,
    ) -> Result<Option<T>, ApiError> {
        match found {
            Ok(row) => Ok(Some(row)),
            Err(StoreError::NotFound) => {
                self.unknown.push(FieldError::new(field, message()));
                Ok(None)
            }
            Err(other) => Err(other.into()),
        }
    }
}
