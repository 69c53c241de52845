//! A project and every row its view shows, read in one query whatever the project holds: the
//! project, its description and owner, evidence, approvals and votes, groups and the people in
//! them, budget, newest report, product and the board roster, as one `UNION ALL` of JSON
//! objects, one per row, tagged with its part.
//!
//! The query is the same text on both backends but for the name of the function that
//! builds a JSON object (`json_build_object` on PostgreSQL, `json_object` on SQLite). Each part
//! names its columns: a column added to one of these tables must be added to its part here too
//! (a test compares the lists with the tables).

use os2pm_groups::organizations::OrganizationKind;
use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Text, Untyped};
use serde::{Deserialize, Deserializer};

use os2pm_projects::ProjectId;

use crate::approvals::{ApprovalRow, VoteRow};
use crate::board::SeatRow;
use crate::budgets::BudgetRow;
use crate::connection::MultiBackend;
use crate::coordination::{CoordinationGroupRow, GroupWithMembers, with_members};
use crate::organizations::OrganizationRow;
use crate::people::{PersonRow, Representation};
use crate::products::ProductRow;
use crate::projects::{DescriptionRow, EvidenceRow, ProjectRecord, ProjectRow, ViewStamp};
use crate::reports::ReportRow;
use crate::steering::SteeringGroupRow;
use crate::{DbConnection, StoreError};

/// A project with everything its view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectAggregate {
    pub record: ProjectRecord,
    pub owner: OrganizationRow,
    /// Every approval of the project, in id order.
    pub approvals: Vec<ApprovalRow>,
    /// The votes on them, by cast time.
    pub votes: Vec<VoteRow>,
    pub steering: Option<(SteeringGroupRow, Vec<Representation>)>,
    /// The coordination groups, the main group first, each with its members.
    pub coordination: Vec<GroupWithMembers>,
    /// The steering group's project leader and project owner.
    pub people: Vec<PersonRow>,
    /// The organisations that chair or supply a group: (id, label).
    pub organization_labels: Vec<(String, String)>,
    pub budget: Option<BudgetRow>,
    pub latest_report: Option<ReportRow>,
    pub product: Option<ProductRow>,
    /// The board roster, every seat with its person.
    pub board: Vec<(SeatRow, PersonRow)>,
    /// What the view is current for, read in the same statement as the rows.
    pub stamp: ViewStamp,
}

/// The tables read whole, by their columns: each row deserialises into its typed row.
const PROJECTS: &[&str] = &[
    "id",
    "title",
    "summary",
    "kind",
    "state",
    "level",
    "catalogue_version",
    "owner_organization_id",
    "intended_funding",
    "approval_round",
    "search_text",
    "version",
    "created_by",
    "created_at",
    "updated_at",
];
const PROJECT_DESCRIPTIONS: &[&str] = &[
    "project_id",
    "local_value",
    "value_for_others",
    "contact_name",
    "contact_email",
    "placement_rationale",
    "return_reason",
];
const ORGANIZATIONS: &[&str] = &[
    "id",
    "code",
    "name",
    "kind",
    "cvr",
    "region_code",
    "version",
    "created_at",
    "updated_at",
];
const EVIDENCE: &[&str] = &[
    "project_id",
    "requirement_key",
    "organization_id",
    "status",
    "explanation",
    "link",
    "note",
    "recorded_by",
    "recorded_at",
];
const APPROVALS: &[&str] = &[
    "id",
    "project_id",
    "approval_round",
    "level",
    "approver",
    "state",
    "outcome",
    "reason",
    "decided_by",
    "decided_at",
    "meeting_date",
    "members_present",
    "version",
    "created_at",
    "subject",
    "payload",
];
const VOTES: &[&str] = &[
    "approval_id",
    "voter_sub",
    "decision",
    "reason",
    "cast_at",
    "voter_organization",
];
const STEERING_GROUPS: &[&str] = &[
    "project_id",
    "chair_organization_id",
    "project_leader_id",
    "project_owner_id",
    "updated_at",
    "approved_by_board",
];
const COORDINATION_GROUPS: &[&str] = &[
    "project_id",
    "group_key",
    "chair_organization_id",
    "supplier_organization_id",
    "updated_at",
];
const BUDGETS: &[&str] = &[
    "project_id",
    "amount_dkk",
    "period_start",
    "period_end",
    "funding",
    "expected_costs",
    "expected_benefits",
    "expected_effects",
    "status",
    "updated_at",
];
const PROGRESS_REPORTS: &[&str] = &[
    "id",
    "project_id",
    "period_start",
    "period_end",
    "status",
    "status_reason",
    "progress",
    "budget_dkk",
    "spent_dkk",
    "forecast_dkk",
    "milestones",
    "risks",
    "reported_by",
    "reported_at",
];
const PRODUCTS: &[&str] = &[
    "id",
    "project_id",
    "name",
    "level",
    "catalogue_version",
    "state",
    "owner_organization_id",
    "closed_reason",
    "search_text",
    "version",
    "created_at",
    "updated_at",
];
const PEOPLE: &[&str] = &[
    "id",
    "sub",
    "name",
    "organization_id",
    "email",
    "created_at",
];
const BOARD_SEATS: &[&str] = &["person_id", "chair", "seat_from", "seat_until"];

/// The columns of a part's JSON object: `alias.column` under the column's name, with `more`
/// pairs after them.
fn object(alias: &str, columns: &[&str], more: &str) -> String {
    let pairs: Vec<String> = columns
        .iter()
        .map(|c| format!("'{c}', {alias}.{c}"))
        .chain((!more.is_empty()).then(|| more.to_owned()))
        .collect();
    format!("{{object}}({})", pairs.join(", "))
}

/// The query's text with `{object}` standing for the backend's JSON-object function.
fn template() -> String {
    parts()
        .iter()
        .map(|(part, body, from)| {
            format!("SELECT '{part}' AS part, CAST({body} AS TEXT) AS body FROM {from}")
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Each part of the query: its name, the JSON object of a row, and where the rows are read.
fn parts() -> Vec<(&'static str, String, String)> {
    let person = format!("'person', {}", object("p", PEOPLE, ""));
    let seat = format!("'organization_id', o.id, 'code', o.code, {person}");
    let seats_of = |table: &str| {
        format!(
            "{table} s JOIN organizations o ON o.id = s.organization_id \
             JOIN people p ON p.id = s.representative_id WHERE s.project_id = $1"
        )
    };
    // A table of the project's own rows, read whole.
    let own = |part: &'static str, table: &str, columns: &[&str]| {
        let from = format!("{table} t WHERE t.project_id = $1");
        (part, object("t", columns, ""), from)
    };
    vec![
        (
            "project",
            object("p", PROJECTS, ""),
            "projects p WHERE p.id = $1".to_owned(),
        ),
        (
            "stamp",
            "{object}('version', p.version, 'revision', p.revision, 'shared', \
             COALESCE((SELECT revision FROM shared_revision), 0))"
                .to_owned(),
            "projects p WHERE p.id = $1".to_owned(),
        ),
        own("description", "project_descriptions", PROJECT_DESCRIPTIONS),
        (
            "owner",
            object("o", ORGANIZATIONS, ""),
            "organizations o JOIN projects p ON o.id = p.owner_organization_id WHERE p.id = $1"
                .to_owned(),
        ),
        (
            "participant",
            object("o", &["code", "kind"], ""),
            "project_participants pp JOIN organizations o ON o.id = pp.organization_id \
             WHERE pp.project_id = $1"
                .to_owned(),
        ),
        own("evidence", "evidence", EVIDENCE),
        own("approval", "approvals", APPROVALS),
        (
            "vote",
            object("v", VOTES, ""),
            "votes v JOIN approvals a ON a.id = v.approval_id WHERE a.project_id = $1".to_owned(),
        ),
        own("steering_group", "steering_groups", STEERING_GROUPS),
        (
            "steering_seat",
            format!("{{object}}({seat})"),
            seats_of("steering_seats"),
        ),
        own(
            "coordination_group",
            "coordination_groups",
            COORDINATION_GROUPS,
        ),
        (
            "coordination_member",
            format!("{{object}}('group_key', s.group_key, {seat})"),
            seats_of("coordination_members"),
        ),
        (
            "person",
            object("p", PEOPLE, ""),
            "people p WHERE p.id IN (SELECT project_leader_id FROM steering_groups \
             WHERE project_id = $1 UNION SELECT project_owner_id FROM steering_groups \
             WHERE project_id = $1)"
                .to_owned(),
        ),
        (
            "organization",
            object("o", &["id", "code"], ""),
            "organizations o WHERE o.id IN (SELECT chair_organization_id FROM steering_groups \
             WHERE project_id = $1 UNION SELECT chair_organization_id FROM coordination_groups \
             WHERE project_id = $1 UNION SELECT supplier_organization_id FROM \
             coordination_groups WHERE project_id = $1)"
                .to_owned(),
        ),
        own("budget", "budgets", BUDGETS),
        (
            "report",
            object("r", PROGRESS_REPORTS, ""),
            "progress_reports r WHERE r.id = (SELECT MAX(id) FROM progress_reports \
             WHERE project_id = $1)"
                .to_owned(),
        ),
        own("product", "products", PRODUCTS),
        (
            "board_seat",
            object("s", BOARD_SEATS, &person),
            "board_seats s JOIN people p ON p.id = s.person_id".to_owned(),
        ),
    ]
}

static POSTGRES: LazyLock<Vec<&str>> = LazyLock::new(|| pieces("json_build_object"));
static SQLITE: LazyLock<Vec<&str>> = LazyLock::new(|| pieces("json_object"));

/// The query's text with `object` for the JSON-object function, split at its parameters.
fn pieces(object: &str) -> Vec<&'static str> {
    // Built once per process and backend, and kept for its life.
    let sql: &'static str = template().replace("{object}", object).leak();
    sql.split("$1").collect()
}

#[derive(QueryableByName)]
struct Part {
    #[diesel(sql_type = Text)]
    part: String,
    #[diesel(sql_type = Text)]
    body: String,
}

/// The rows query for one project. Diesel keeps a prepared statement per connection by the
/// query's type (a `sql_query` it would prepare, and PostgreSQL plan, anew each time), and a
/// connection always sends its own backend's text; each `$1` of the text becomes a bind
/// parameter in the backend's own syntax.
#[derive(QueryId)]
struct PartsQuery {
    /// The text between the parameters.
    sql: &'static [&'static str],
    id: String,
}

impl QueryFragment<MultiBackend> for PartsQuery {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        let (first, rest) = self.sql.split_first().unwrap_or((&"", &[]));
        out.push_sql(first);
        for piece in rest {
            out.push_bind_param::<Text, _>(&self.id)?;
            out.push_sql(piece);
        }
        Ok(())
    }
}

impl Query for PartsQuery {
    type SqlType = Untyped;
}

impl RunQueryDsl<DbConnection> for PartsQuery {}

/// The project `id` and every row its view shows; [`StoreError::NotFound`] when there is no
/// such project.
pub fn load(conn: &mut DbConnection, id: &ProjectId) -> Result<ProjectAggregate, StoreError> {
    let sql = match conn {
        DbConnection::Postgresql(_) => POSTGRES.as_slice(),
        DbConnection::Sqlite(_) => SQLITE.as_slice(),
    };
    let parts: Vec<Part> = PartsQuery {
        sql,
        id: id.to_string(),
    }
    .load(conn)?;
    Rows::default().read(parts)?.into_aggregate()
}

/// A group seat as the query sends it.
#[derive(Deserialize)]
struct SeatJson {
    organization_id: String,
    code: Option<String>,
    person: PersonRow,
}

/// A board seat as the query sends it.
#[derive(Deserialize)]
struct BoardSeatJson {
    #[serde(flatten)]
    seat: SeatRow,
    person: PersonRow,
}

#[derive(Deserialize)]
struct Participant {
    code: Option<String>,
    kind: OrganizationKind,
}

#[derive(Deserialize)]
struct Label {
    id: String,
    code: Option<String>,
}

/// The rows of each part, as read.
#[derive(Default)]
struct Rows {
    project: Option<ProjectRow>,
    description: Option<DescriptionRow>,
    owner: Option<OrganizationRow>,
    participants: Vec<(Option<String>, OrganizationKind)>,
    evidence: Vec<EvidenceRow>,
    approvals: Vec<ApprovalRow>,
    votes: Vec<VoteRow>,
    steering_group: Option<SteeringGroupRow>,
    steering_seats: Vec<Representation>,
    coordination_groups: Vec<CoordinationGroupRow>,
    coordination_members: Vec<(String, Representation)>,
    people: Vec<PersonRow>,
    organization_labels: Vec<(String, String)>,
    budget: Option<BudgetRow>,
    latest_report: Option<ReportRow>,
    product: Option<ProductRow>,
    board: Vec<(SeatRow, PersonRow)>,
    stamp: Option<ViewStamp>,
}

impl Rows {
    fn read(mut self, parts: Vec<Part>) -> Result<Self, StoreError> {
        for Part { part, body } in parts {
            self.add(&part, &body).map_err(|e| {
                let error = format!("a project's {part} row does not read: {e}");
                StoreError::Database(diesel::result::Error::DeserializationError(error.into()))
            })?;
        }
        Ok(self)
    }

    fn add(&mut self, part: &str, body: &str) -> serde_json::Result<()> {
        use serde_json::from_str;
        match part {
            "project" => self.project = Some(from_str(body)?),
            "stamp" => self.stamp = Some(from_str(body)?),
            "description" => self.description = Some(from_str(body)?),
            "owner" => self.owner = Some(from_str(body)?),
            "participant" => {
                let row: Participant = from_str(body)?;
                self.participants.push((row.code, row.kind));
            }
            "evidence" => self.evidence.push(from_str(body)?),
            "approval" => self.approvals.push(from_str(body)?),
            "vote" => self.votes.push(from_str(body)?),
            "steering_group" => self.steering_group = Some(from_str(body)?),
            "steering_seat" => self.steering_seats.push(seat(body)?),
            "coordination_group" => self.coordination_groups.push(from_str(body)?),
            "coordination_member" => {
                let GroupKey { group_key } = from_str(body)?;
                self.coordination_members.push((group_key, seat(body)?));
            }
            "person" => self.people.push(from_str(body)?),
            "organization" => {
                let row: Label = from_str(body)?;
                self.organization_labels
                    .push((row.id.clone(), row.code.unwrap_or(row.id)));
            }
            "budget" => self.budget = Some(from_str(body)?),
            "report" => self.latest_report = Some(from_str(body)?),
            "product" => self.product = Some(from_str(body)?),
            "board_seat" => {
                let BoardSeatJson { seat, person } = from_str(body)?;
                self.board.push((seat, person));
            }
            other => {
                return Err(serde::de::Error::custom(format!("unknown part `{other}`")));
            }
        }
        Ok(())
    }

    /// The rows in the order the typed reads give them; no project row is no project.
    fn into_aggregate(mut self) -> Result<ProjectAggregate, StoreError> {
        let (Some(project), Some(description), Some(owner), Some(stamp)) =
            (self.project, self.description, self.owner, self.stamp)
        else {
            return Err(StoreError::NotFound);
        };
        self.evidence.sort_by(|a, b| {
            (&a.requirement_key, &a.organization_id).cmp(&(&b.requirement_key, &b.organization_id))
        });
        self.approvals.sort_by(|a, b| a.id.cmp(&b.id));
        self.votes
            .sort_by(|a, b| (a.cast_at, &a.voter_sub).cmp(&(b.cast_at, &b.voter_sub)));
        self.steering_seats
            .sort_by(|a, b| a.organization_id.cmp(&b.organization_id));
        self.coordination_members
            .sort_by(|(_, a), (_, b)| a.organization_id.cmp(&b.organization_id));
        self.board.sort_by(|(a, p), (b, q)| {
            (a.seat_from, &p.name, &p.id).cmp(&(b.seat_from, &q.name, &q.id))
        });
        Ok(ProjectAggregate {
            record: ProjectRecord::of(project, description, self.participants, self.evidence),
            owner,
            approvals: self.approvals,
            votes: self.votes,
            steering: self.steering_group.map(|g| (g, self.steering_seats)),
            coordination: with_members(self.coordination_groups, self.coordination_members),
            people: self.people,
            organization_labels: self.organization_labels,
            budget: self.budget,
            latest_report: self.latest_report,
            product: self.product,
            board: self.board,
            stamp,
        })
    }
}

/// The group a coordination member's row belongs to.
#[derive(Deserialize)]
struct GroupKey {
    group_key: String,
}

fn seat(body: &str) -> serde_json::Result<Representation> {
    let SeatJson {
        organization_id,
        code,
        person,
    } = serde_json::from_str(body)?;
    Ok(Representation::of((organization_id, code, person)))
}

/// A timestamp as either backend writes it in JSON: `2026-11-30T20:39:33.123456` (PostgreSQL)
/// or `2026-11-30 20:39:33.123456` (SQLite's stored text).
pub(crate) fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    let text = Cow::<str>::deserialize(d)?;
    // `FromStr` reads chrono's own ISO 8601 form, without a format string to interpret.
    text.replacen(' ', "T", 1)
        .parse::<NaiveDateTime>()
        .map_err(serde::de::Error::custom)
}

/// [`timestamp`], or null.
pub(crate) fn optional_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDateTime>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "timestamp")] NaiveDateTime);
    Ok(Option::<Wrapped>::deserialize(d)?.map(|Wrapped(at)| at))
}

/// A flag as either backend writes it in JSON: `true` (PostgreSQL) or `1` (SQLite).
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Int(i64),
    }
    Ok(match Flag::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Int(i) => i != 0,
    })
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::Text;
    use diesel::{QueryableByName, RunQueryDsl};

    use super::*;
    use crate::DatabaseUrl;

    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        name: String,
    }

    /// A column added to a table read whole must be added to its part, or a nullable one
    /// would read as null.
    #[test]
    fn every_table_read_whole_is_read_with_all_its_columns()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let url = DatabaseUrl::Sqlite(dir.path().join("columns.db"));
        crate::migrations::prepare(&url, true)?;
        let mut conn = url.connect(false)?;
        for (table, listed) in [
            ("projects", PROJECTS),
            ("project_descriptions", PROJECT_DESCRIPTIONS),
            ("organizations", ORGANIZATIONS),
            ("evidence", EVIDENCE),
            ("approvals", APPROVALS),
            ("votes", VOTES),
            ("steering_groups", STEERING_GROUPS),
            ("coordination_groups", COORDINATION_GROUPS),
            ("budgets", BUDGETS),
            ("progress_reports", PROGRESS_REPORTS),
            ("products", PRODUCTS),
            ("people", PEOPLE),
            ("board_seats", BOARD_SEATS),
        ] {
            let mut stored: Vec<String> =
                diesel::sql_query(format!("SELECT name FROM pragma_table_info('{table}')"))
                    .load::<Column>(&mut conn)?
                    .into_iter()
                    .map(|c| c.name)
                    // The view stamp's count and an organisation's search text: no row
                    // type has them.
                    .filter(|c| {
                        !matches!(
                            (table, c.as_str()),
                            ("projects", "revision") | ("organizations", "search_text")
                        )
                    })
                    .collect();
            let mut listed: Vec<String> = listed.iter().map(|c| (*c).to_owned()).collect();
            stored.sort();
            listed.sort();
            assert_eq!(listed, stored, "{table}");
        }
        Ok(())
    }

    #[test]
    fn both_backends_write_timestamps_and_flags_that_read_back()
    -> Result<(), Box<dyn std::error::Error>> {
        #[derive(Deserialize)]
        struct Stamped {
            #[serde(deserialize_with = "timestamp")]
            at: NaiveDateTime,
            #[serde(deserialize_with = "optional_timestamp")]
            maybe: Option<NaiveDateTime>,
            #[serde(deserialize_with = "flag")]
            chair: bool,
        }
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .and_then(|day| day.and_hms_micro_opt(20, 39, 33, 123_456))
            .ok_or("not a moment")?;
        for (json, chair) in [
            (
                r#"{"at": "2026-11-30T20:39:33.123456", "maybe": null, "chair": true}"#,
                true,
            ),
            (
                r#"{"at": "2026-11-30 20:39:33.123456", "maybe": null, "chair": 0}"#,
                false,
            ),
        ] {
            let read: Stamped = serde_json::from_str(json)?;
            assert_eq!((read.at, read.maybe, read.chair), (at, None, chair));
        }
        let read: Stamped = serde_json::from_str(
            r#"{"at": "2026-11-30 20:39:33", "maybe": "2026-11-30T20:39:33.123456", "chair": 1}"#,
        )?;
        assert_eq!(read.maybe, Some(at));
        assert!(read.chair);
        assert!(
            serde_json::from_str::<Stamped>(r#"{"at": "30/11/2026", "maybe": null, "chair": 1}"#)
                .is_err()
        );
        Ok(())
    }
}
