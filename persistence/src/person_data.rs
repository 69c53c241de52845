//! Everything stored about one person (GDPR art. 15, the right of access), table by table: the
//! person, where they sit, what they did (the audit trail, events, votes, reports, scores) and
//! where they are named (an idea's contact, a meeting's attendance).

use diesel::prelude::*;
use diesel::result::Error as DieselError;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::approvals::{ApprovalRow, VoteRow};
use crate::audit::AuditRow;
use crate::benefits::{BenefitRow, MeasurementRow};
use crate::change_requests::ChangeRequestRow;
use crate::coordination::MemberRow;
use crate::evaluations::EvaluationRow;
use crate::events::EventRow;
use crate::meetings::AgendaItemRow;
use crate::people::PersonRow;
use crate::priorities::ScoreRow;
use crate::projects::{DescriptionRow, EvidenceRow, ProjectRow};
use crate::reports::ReportRow;
use crate::schema::{
    agenda_items, approvals, audit_log, benefit_measurements, benefits, board_seats,
    change_requests, coordination_members, evaluations, events, evidence, idempotency_keys, people,
    priority_scores, progress_reports, project_descriptions, projects, self_assessments,
    steering_groups, steering_seats, votes, webhooks,
};
use crate::self_assessments::SelfAssessmentRow;
use crate::steering::{SeatRow as SteeringSeatRow, SteeringGroupRow};
use crate::webhooks::WebhookRow;
use crate::{DbConnection, StoreError, board::SeatRow as BoardSeatRow};

/// A sent request's stored answer, without the answer (which may name others).
#[derive(Debug, Queryable, Serialize)]
struct IdempotencyKeyRow {
    key: String,
    status: i32,
    location: Option<String>,
    created_at: chrono::NaiveDateTime,
}

/// What is stored about the person whose token subject is `sub`: a JSON object with the
/// person's row (`null` if none) and, per table, the rows that name them (empty tables left
/// out).
pub fn export(conn: &mut DbConnection, sub: &str) -> Result<Map<String, Value>, StoreError> {
    let person: Option<PersonRow> = people::table
        .filter(people::sub.eq(sub))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?;
    let id = person.as_ref().map_or("", |p| p.id.as_str()).to_owned();
    let name = person.as_ref().map(|p| p.name.clone());
    // An idea's contact is named, not linked: by the person's e-mail address or by a `sub`
    // that is one.
    let emails: Vec<String> = person
        .as_ref()
        .and_then(|p| p.email.clone())
        .into_iter()
        .chain([sub.to_owned()])
        .collect();
    let mut out = Map::new();
    put(&mut out, "person", &person)?;
    roles(conn, &id, &mut out)?;
    project_work(conn, sub, &emails, &mut out)?;
    records(conn, sub, name, &mut out)?;
    Ok(out)
}

/// The seats and group roles the person (by register id) holds.
fn roles(
    conn: &mut DbConnection,
    id: &str,
    out: &mut Map<String, Value>,
) -> Result<(), StoreError> {
    put(
        out,
        "board_seats",
        &board_seats::table
            .filter(board_seats::person_id.eq(id))
            .select(BoardSeatRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "steering_groups",
        &steering_groups::table
            .filter(
                steering_groups::project_leader_id
                    .eq(id)
                    .or(steering_groups::project_owner_id.eq(id)),
            )
            .select(SteeringGroupRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "steering_seats",
        &steering_seats::table
            .filter(steering_seats::representative_id.eq(id))
            .select(SteeringSeatRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "coordination_members",
        &coordination_members::table
            .filter(coordination_members::representative_id.eq(id))
            .select(MemberRow::as_select())
            .load(conn)?,
    )?;
    Ok(())
}

/// What the person filed, evidenced, voted, reported and requested in projects.
fn project_work(
    conn: &mut DbConnection,
    sub: &str,
    emails: &[String],
    out: &mut Map<String, Value>,
) -> Result<(), StoreError> {
    put(
        out,
        "project_descriptions",
        &project_descriptions::table
            .filter(project_descriptions::contact_email.eq_any(emails))
            .select(DescriptionRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "projects",
        &projects::table
            .filter(projects::created_by.eq(sub))
            .select(ProjectRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "evidence",
        &evidence::table
            .filter(evidence::recorded_by.eq(sub))
            .select(EvidenceRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "approvals",
        &approvals::table
            .filter(approvals::members_present.like(format!("%{}%", quoted(sub))))
            .select(ApprovalRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "votes",
        &votes::table
            .filter(votes::voter_sub.eq(sub))
            .select(VoteRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "progress_reports",
        &progress_reports::table
            .filter(progress_reports::reported_by.eq(sub))
            .select(ReportRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "change_requests",
        &change_requests::table
            .filter(
                change_requests::created_by
                    .eq(sub)
                    .or(change_requests::decided_by.eq(sub)),
            )
            .select(ChangeRequestRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "agenda_items",
        &agenda_items::table
            .filter(agenda_items::created_by.eq(sub))
            .select(AgendaItemRow::as_select())
            .load(conn)?,
    )?;
    Ok(())
}

/// The person's scores, measurements, evaluations, self-assessments, webhooks and traces.
fn records(
    conn: &mut DbConnection,
    sub: &str,
    name: Option<String>,
    out: &mut Map<String, Value>,
) -> Result<(), StoreError> {
    put(
        out,
        "priority_scores",
        &priority_scores::table
            .filter(priority_scores::member_sub.eq(sub))
            .select(ScoreRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "benefits",
        &benefits::table
            .filter(benefits::created_by.eq(sub))
            .select(BenefitRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "benefit_measurements",
        &benefit_measurements::table
            .filter(benefit_measurements::recorded_by.eq(sub))
            .select(MeasurementRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "evaluations",
        &evaluations::table
            .filter(evaluations::created_by.eq(sub))
            .select(EvaluationRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "self_assessments",
        &self_assessments::table
            .filter(
                self_assessments::imported_by
                    .eq(sub)
                    .or(self_assessments::filled_by.nullable().eq(name)),
            )
            .select(SelfAssessmentRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "webhooks",
        &webhooks::table
            .filter(webhooks::created_by.eq(sub))
            .select(WebhookRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "audit_log",
        &audit_log::table
            .filter(audit_log::actor_sub.eq(sub))
            .order(audit_log::id)
            .select(AuditRow::as_select())
            .load(conn)?,
    )?;
    put(
        out,
        "events",
        &events::table
            .filter(events::actor_sub.eq(sub))
            // An event is read once it has its place in the feed (a moment after its commit).
            .filter(events::seq.is_not_null())
            .order(events::id)
            .select(EventRow::as_select())
            .load(conn)?,
    )?;
    // A key's scope is `[sub, organisation, roles]` as JSON.
    put(
        out,
        "idempotency_keys",
        &idempotency_keys::table
            .filter(idempotency_keys::caller.like(format!("[{},%", quoted(sub))))
            .select((
                idempotency_keys::key,
                idempotency_keys::status,
                idempotency_keys::location,
                idempotency_keys::created_at,
            ))
            .load::<IdempotencyKeyRow>(conn)?,
    )?;
    Ok(())
}

/// Adds `rows` to `out` as `table`, unless there are none.
fn put<T: Serialize>(
    out: &mut Map<String, Value>,
    table: &str,
    rows: &T,
) -> Result<(), StoreError> {
    let rows = serde_json::to_value(rows)
        .map_err(|e| StoreError::Database(DieselError::SerializationError(e.into())))?;
    if !rows.as_array().is_some_and(Vec::is_empty) {
        out.insert(table.to_owned(), rows);
    }
    Ok(())
}

/// `sub` as a JSON string, for matching inside stored JSON.
fn quoted(sub: &str) -> String {
    Value::String(sub.to_owned()).to_string()
}
