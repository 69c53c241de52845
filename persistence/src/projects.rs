//! Projects (initiatives): their state, description, participants and evidence.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{QueryFragment, QueryId};

use os2pm_groups::organizations::OrganizationKind;
use os2pm_levels::Level;
use os2pm_levels::evidence::EvidenceStatus;
use os2pm_projects::{Funding, Kind, ProjectId, State};

use crate::connection::MultiBackend;
use crate::organizations::OrganizationRow;
use crate::schema::{
    evidence, organizations, project_descriptions, project_participants, projects, shared_revision,
};
use crate::stored::{MaybeStored, Stored};
use crate::{DbConnection, StoreError, WriteSet, like_pattern};

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = projects)]
#[diesel(treat_none_as_null = true)]
pub struct ProjectRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub id: ProjectId,
    pub title: String,
    pub summary: String,
    #[diesel(serialize_as = Stored<Kind>)]
    pub kind: Kind,
    #[diesel(serialize_as = Stored<State>)]
    pub state: State,
    #[diesel(serialize_as = MaybeStored<Level>)]
    pub level: Option<Level>,
    pub catalogue_version: Option<String>,
    pub owner_organization_id: String,
    #[diesel(serialize_as = Stored<Funding>)]
    pub intended_funding: Funding,
    pub approval_round: i32,
    pub search_text: String,
    pub version: i64,
    pub created_by: String,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub created_at: NaiveDateTime,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub updated_at: NaiveDateTime,
}

impl ProjectRow {
    /// Stores the state the domain decided the project is in now.
    pub fn move_to(&mut self, state: State) {
        self.state = state;
    }
}

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = project_descriptions)]
#[diesel(treat_none_as_null = true)]
pub struct DescriptionRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub local_value: String,
    pub value_for_others: String,
    pub contact_name: String,
    pub contact_email: String,
    pub placement_rationale: Option<String>,
    /// Why it was last sent back to the idea stage (tilbageløb).
    pub return_reason: Option<String>,
}

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    serde::Deserialize,
    serde::Serialize,
)]
#[diesel(table_name = evidence)]
#[diesel(treat_none_as_null = true)]
pub struct EvidenceRow {
    #[diesel(serialize_as = Stored<ProjectId>)]
    pub project_id: ProjectId,
    pub requirement_key: String,
    /// `""` for requirements that are not attested per organisation.
    pub organization_id: String,
    #[diesel(serialize_as = Stored<EvidenceStatus>)]
    pub status: EvidenceStatus,
    pub explanation: Option<String>,
    pub link: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    #[serde(deserialize_with = "crate::project_aggregate::timestamp")]
    pub recorded_at: NaiveDateTime,
}

/// A project with everything stored about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRecord {
    pub project: ProjectRow,
    pub description: DescriptionRow,
    /// Participating organisations by code (kommunekode), or id when they have none; sorted.
    pub participants: Vec<String>,
    /// How many participants are municipalities.
    pub participating_municipalities: i64,
    pub evidence: Vec<EvidenceRow>,
}

/// A new project with its description and participants (by id), to be sent with the rest of
/// the change's writes.
pub fn insert(
    changes: &mut WriteSet,
    project: &ProjectRow,
    description: &DescriptionRow,
    participant_ids: &[String],
) {
    // Tuples, not the rows: diesel takes every field of a derived insert for one that may be
    // DEFAULT and prepares the statement anew each time; a tuple's statement is prepared once.
    // A column added to the rows must be added here too (a NOT NULL one fails every idea test).
    let participants = participant_inserts(&project.id, participant_ids);
    let project = project.clone();
    changes.push(diesel::insert_into(projects::table).values((
        projects::id.eq(String::from(project.id)),
        projects::title.eq(project.title),
        projects::summary.eq(project.summary),
        projects::kind.eq(Stored(project.kind)),
        projects::state.eq(Stored(project.state)),
        projects::level.eq(MaybeStored(project.level)),
        projects::catalogue_version.eq(project.catalogue_version),
        projects::owner_organization_id.eq(project.owner_organization_id),
        projects::intended_funding.eq(Stored(project.intended_funding)),
        projects::approval_round.eq(project.approval_round),
        projects::search_text.eq(project.search_text),
        projects::version.eq(project.version),
        projects::created_by.eq(project.created_by),
        projects::created_at.eq(project.created_at),
        projects::updated_at.eq(project.updated_at),
    )));
    let description = description.clone();
    changes.push(diesel::insert_into(project_descriptions::table).values((
        project_descriptions::project_id.eq(String::from(description.project_id)),
        project_descriptions::local_value.eq(description.local_value),
        project_descriptions::value_for_others.eq(description.value_for_others),
        project_descriptions::contact_name.eq(description.contact_name),
        project_descriptions::contact_email.eq(description.contact_email),
        project_descriptions::placement_rationale.eq(description.placement_rationale),
        project_descriptions::return_reason.eq(description.return_reason),
    )));
    participants.for_each(|insert| changes.push(insert));
}

fn set_participants(
    conn: &mut DbConnection,
    project_id: &ProjectId,
    ids: &[String],
) -> Result<(), StoreError> {
    diesel::delete(
        project_participants::table
            .filter(project_participants::project_id.eq(project_id.as_str())),
    )
    .execute(conn)?;
    for insert in participant_inserts(project_id, ids) {
        insert.execute(conn)?;
    }
    Ok(())
}

/// One insert per participant (by id; the foreign key refuses an unknown one): each is the
/// same statement, prepared once, where one insert for them all would be a new statement for
/// every number of participants on SQLite.
fn participant_inserts(
    project_id: &ProjectId,
    ids: &[String],
) -> impl Iterator<
    Item = impl QueryFragment<MultiBackend> + QueryId + RunQueryDsl<DbConnection> + Send + 'static,
> {
    let project_id = project_id.to_string();
    ids.iter().cloned().map(move |id| {
        diesel::insert_into(project_participants::table).values((
            project_participants::project_id.eq(project_id.clone()),
            project_participants::organization_id.eq(id),
        ))
    })
}

/// A project's title: what an approval's view names it by.
pub fn title(conn: &mut DbConnection, id: &ProjectId) -> Result<String, StoreError> {
    Ok(projects::table
        .find(id.as_str())
        .select(projects::title)
        .first(conn)?)
}

pub fn find(conn: &mut DbConnection, id: &ProjectId) -> Result<ProjectRecord, StoreError> {
    // Every project has its description from its first write: one row of each, in one read.
    let (project, description) = projects::table
        .inner_join(project_descriptions::table)
        .filter(projects::id.eq(id.as_str()))
        .select((ProjectRow::as_select(), DescriptionRow::as_select()))
        .first(conn)?;
    let participants: Vec<(Option<String>, OrganizationKind)> = project_participants::table
        .inner_join(organizations::table)
        .filter(project_participants::project_id.eq(id.as_str()))
        .select((organizations::code, organizations::kind))
        .load(conn)?;
    let evidence = evidence::table
        .filter(evidence::project_id.eq(id.as_str()))
        .order((evidence::requirement_key, evidence::organization_id))
        .select(EvidenceRow::as_select())
        .load(conn)?;
    Ok(ProjectRecord::of(
        project,
        description,
        participants,
        evidence,
    ))
}

impl ProjectRecord {
    /// The record of a project just inserted with these participants: no evidence yet.
    pub fn inserted(
        project: ProjectRow,
        description: DescriptionRow,
        participants: &[OrganizationRow],
    ) -> Self {
        let participants = participants
            .iter()
            .map(|o| (o.code.clone(), o.kind))
            .collect();
        Self::of(project, description, participants, Vec::new())
    }

    /// `participants` as (code, kind) of each organisation.
    pub(crate) fn of(
        project: ProjectRow,
        description: DescriptionRow,
        participants: Vec<(Option<String>, OrganizationKind)>,
        evidence: Vec<EvidenceRow>,
    ) -> Self {
        let participating_municipalities = participants
            .iter()
            .filter(|(_, kind)| *kind == OrganizationKind::Municipality)
            .count();
        let mut codes: Vec<String> = participants
            .into_iter()
            .filter_map(|(code, _)| code)
            .collect();
        codes.sort();
        Self {
            project,
            description,
            participants: codes,
            participating_municipalities: i64::try_from(participating_municipalities)
                .unwrap_or(i64::MAX),
            evidence,
        }
    }
}

/// What a project's view is built from, counted: `version` by every change to the project row,
/// `revision` by every change to its other rows (description, participants, evidence,
/// approvals and votes, groups, budget, reports, product) and `shared` by every change to
/// organisations, people and the board. The database's triggers keep the counts, so a view built
/// after reading a stamp is current for as long as the stamp reads the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
pub struct ViewStamp {
    pub version: i64,
    pub revision: i64,
    pub shared: i64,
}

/// The project's [`ViewStamp`] in one indexed read.
pub fn view_stamp(conn: &mut DbConnection, id: &ProjectId) -> Result<ViewStamp, StoreError> {
    let (version, revision, shared) = projects::table
        .find(id.as_str())
        .select((
            projects::version,
            projects::revision,
            shared_revision::table
                .select(shared_revision::revision)
                .single_value(),
        ))
        .first::<(i64, i64, Option<i64>)>(conn)?;
    Ok(ViewStamp {
        version,
        revision,
        shared: shared.unwrap_or_default(),
    })
}

/// Writes a changed project when its version is still `expected`, bumping the version; a
/// stale version is [`StoreError::Stale`].
pub fn update(
    conn: &mut DbConnection,
    expected: i64,
    project: &ProjectRow,
    description: &DescriptionRow,
    participant_ids: Option<&[String]>,
) -> Result<i64, StoreError> {
    let mut changed = project.clone();
    changed.version = expected + 1;
    changed.updated_at = crate::now();
    let rows = diesel::update(
        projects::table
            .find(project.id.as_str())
            .filter(projects::version.eq(expected)),
    )
    .set(changed)
    .execute(conn)?;
    if rows == 0 {
        return Err(StoreError::Stale);
    }
    diesel::update(project_descriptions::table.find(project.id.as_str()))
        .set(description.clone())
        .execute(conn)?;
    if let Some(ids) = participant_ids {
        set_participants(conn, &project.id, ids)?;
    }
    Ok(expected + 1)
}

/// Records one piece of evidence, replacing what was recorded for the same requirement (and
/// organisation) before.
pub fn record_evidence(conn: &mut DbConnection, row: &EvidenceRow) -> Result<(), StoreError> {
    diesel::delete(
        evidence::table
            .filter(evidence::project_id.eq(row.project_id.as_str()))
            .filter(evidence::requirement_key.eq(&row.requirement_key))
            .filter(evidence::organization_id.eq(&row.organization_id)),
    )
    .execute(conn)?;
    diesel::insert_into(evidence::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub state: Option<State>,
    pub level: Option<Level>,
    pub kind: Option<Kind>,
    /// An organisation id: projects it owns or participates in.
    pub organization_id: Option<String>,
    /// Free text over title and summary.
    pub text: Option<String>,
}

/// One page, newest first (ids are time-ordered), starting after `after`; each project with
/// its owner's code.
/// What a list shows of a project: no search text, version or authorship.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = projects)]
pub struct ListedProject {
    pub id: ProjectId,
    pub title: String,
    pub summary: String,
    pub kind: Kind,
    pub state: State,
    pub level: Option<Level>,
    pub owner_organization_id: String,
    pub intended_funding: Funding,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &ProjectFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(ListedProject, Option<String>)>, StoreError> {
    let mut query = projects::table
        .inner_join(organizations::table)
        .select((ListedProject::as_select(), organizations::code))
        .order(projects::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(projects::state.eq(Stored(state)));
    }
    if let Some(level) = filter.level {
        query = query.filter(projects::level.eq(Stored(level)));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(projects::kind.eq(Stored(kind)));
    }
    if let Some(org) = &filter.organization_id {
        let participating = project_participants::table
            .filter(project_participants::organization_id.eq(org.clone()))
            .select(project_participants::project_id);
        query = query.filter(
            projects::owner_organization_id
                .eq(org.clone())
                .or(projects::id.eq_any(participating)),
        );
    }
    if let Some(text) = &filter.text {
        let pattern = like_pattern(&text.to_lowercase());
        query = query.filter(projects::search_text.like(pattern).escape('\\'));
    }
    if let Some(after) = after {
        query = query.filter(projects::id.lt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// The projects in one of `states`, oldest first.
pub fn in_states(conn: &mut DbConnection, states: &[State]) -> Result<Vec<ProjectRow>, StoreError> {
    let states: Vec<Stored<State>> = states.iter().copied().map(Stored).collect();
    Ok(projects::table
        .filter(projects::state.eq_any(states))
        .order(projects::id)
        .select(ProjectRow::as_select())
        .load(conn)?)
}

/// Every project with its owner's code, oldest first: the portfolio.
pub fn all(conn: &mut DbConnection) -> Result<Vec<(ProjectRow, Option<String>)>, StoreError> {
    Ok(projects::table
        .inner_join(organizations::table)
        .order(projects::id)
        .select((ProjectRow::as_select(), organizations::code))
        .load(conn)?)
}
