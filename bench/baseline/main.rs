//! The baseline: the smallest actix-web + diesel + r2d2 server over os2pm's database, with no
//! auth, validation or logging. What it serves per second is the ceiling of this stack on this
//! machine; `bench/run` puts os2pm beside it.
//!
//! `GET /rows/{id}`: one project row. `GET /rows?state=&offset=`: 50 rows, `LIMIT/OFFSET`.
//! `POST /rows`: one project row and one audit row, in one transaction.

use actix_web::{App, HttpResponse, HttpServer, error, web};
use chrono::NaiveDateTime;
use clap::Parser;
use diesel::prelude::*;
use os2pm_persistence::schema::{audit_log, organizations, projects};
use os2pm_persistence::{DatabaseUrl, DbConnection, Pool, PoolOptions, StoreError, build_pool};
use serde::{Deserialize, Serialize};

#[derive(Debug, Parser)]
struct Args {
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    #[arg(long, env = "BASELINE_BIND", default_value = "127.0.0.1:8090")]
    bind: String,
    /// The same pool size as os2pm's default.
    #[arg(long, default_value_t = 10)]
    pool_size: u32,
}

#[derive(Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = projects)]
struct Row {
    id: String,
    title: String,
    summary: String,
    kind: String,
    state: String,
    level: Option<String>,
    owner_organization_id: String,
    version: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Debug, Deserialize)]
struct NewRow {
    title: String,
    summary: String,
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    state: Option<String>,
    #[serde(default)]
    offset: i64,
}

struct Shared {
    pool: Pool,
    owner: String,
}

/// Runs `work` on a pooled connection off the async workers, as os2pm does.
async fn db<T: Send + 'static>(
    shared: web::Data<Shared>,
    work: impl FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
) -> actix_web::Result<T> {
    // Every checkout is pinged (r2d2's `test_on_check_out`): os2pm's trust window for a
    // connection that has just served a request (`Pooled::serve`) is not in the baseline.
    web::block(move || work(&mut **shared.pool.get()?))
        .await?
        .map_err(|e| match e {
            StoreError::Unavailable(_) => error::ErrorServiceUnavailable(e),
            other => error::ErrorInternalServerError(other),
        })
}

async fn one(shared: web::Data<Shared>, id: web::Path<String>) -> actix_web::Result<HttpResponse> {
    let row = db(shared, move |conn| {
        Ok(projects::table
            .find(id.into_inner())
            .select(Row::as_select())
            .first(conn)
            .optional()?)
    })
    .await?;
    Ok(match row {
        Some(row) => HttpResponse::Ok().json(row),
        None => HttpResponse::NotFound().finish(),
    })
}

async fn page(
    shared: web::Data<Shared>,
    query: web::Query<PageQuery>,
) -> actix_web::Result<HttpResponse> {
    let rows = db(shared, move |conn| {
        let mut select = projects::table
            .select(Row::as_select())
            .order(projects::id.desc())
            .limit(50)
            .offset(query.offset)
            .into_boxed();
        if let Some(state) = &query.state {
            select = select.filter(projects::state.eq(state.clone()));
        }
        Ok(select.load(conn)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows))
}

async fn insert(
    shared: web::Data<Shared>,
    body: web::Json<NewRow>,
) -> actix_web::Result<HttpResponse> {
    let owner = shared.owner.clone();
    let id = db(shared, move |conn| {
        let id = uuid::Uuid::now_v7().to_string();
        let now = os2pm_persistence::now();
        conn.transaction(|conn| {
            diesel::insert_into(projects::table)
                .values((
                    projects::id.eq(&id),
                    projects::title.eq(&body.title),
                    projects::summary.eq(&body.summary),
                    projects::kind.eq("project"),
                    projects::state.eq("idea"),
                    projects::owner_organization_id.eq(&owner),
                    projects::intended_funding.eq("local"),
                    projects::approval_round.eq(1),
                    projects::search_text.eq(""),
                    projects::version.eq(1),
                    projects::created_by.eq("baseline"),
                    projects::created_at.eq(now),
                    projects::updated_at.eq(now),
                ))
                .execute(conn)?;
            diesel::insert_into(audit_log::table)
                .values((
                    audit_log::occurred_at.eq(now),
                    audit_log::subject_type.eq("project"),
                    audit_log::subject_id.eq(&id),
                    audit_log::action.eq("idea_submitted"),
                    audit_log::actor_sub.eq("baseline"),
                    audit_log::actor_roles.eq(""),
                ))
                .execute(conn)
        })?;
        Ok(id)
    })
    .await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": id })))
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let url = DatabaseUrl::parse(&args.database_url)?;
    let owner = organizations::table
        .filter(organizations::kind.eq("municipality"))
        .select(organizations::id)
        .first(&mut url.connect(false)?)?;
    let pool = build_pool(
        url,
        &PoolOptions {
            max_size: args.pool_size,
            connection_timeout: std::time::Duration::from_secs(5),
        },
    );
    let shared = web::Data::new(Shared { pool, owner });
    HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .route("/rows/{id}", web::get().to(one))
            .route("/rows", web::get().to(page))
            .route("/rows", web::post().to(insert))
    })
    .bind(&args.bind)?
    .run()
    .await?;
    Ok(())
}
