//! What the database itself guarantees: idempotent seeding, an append-only audit trail.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use os2pm_groups::organizations::OrganizationKind;
use os2pm_persistence::audit;
use os2pm_persistence::idempotency::{self, StoredResponse};
use os2pm_persistence::schema::events;
use os2pm_persistence::{DatabaseUrl, StoreError, WriteSet, migrations, organizations};
use os2pm_tests::{TestDb, administrator, organisation_entry};

#[actix_web::test]
async fn seeding_twice_leaves_98_municipalities_and_the_two_catalogues() {
    let db = TestDb::empty();
    let first = migrations::prepare(&db.url, true).unwrap();
    assert!(!first.is_empty(), "the first start applies the migrations");
    let second = migrations::prepare(&db.url, true).unwrap();
    assert!(second.is_empty(), "the second start has nothing to apply");

    let mut conn = db.connect();
    assert_eq!(
        organizations::count_of_kind(&mut conn, OrganizationKind::Municipality).unwrap(),
        98
    );
    assert_eq!(
        organizations::count_of_kind(&mut conn, OrganizationKind::Region).unwrap(),
        5
    );
    assert_eq!(
        organizations::count_of_kind(&mut conn, OrganizationKind::Association).unwrap(),
        3
    );
    assert_eq!(
        os2pm_persistence::catalogue::versions(&mut conn).unwrap(),
        ["os2-2016", "os2-styringsmodel-2025"]
    );
    for bundled in os2pm_levels::Catalogue::bundled().unwrap() {
        let stored = os2pm_persistence::catalogue::load(&mut conn, &bundled.version).unwrap();
        assert_eq!(*stored, bundled);
    }
}

/// Instances started together on one empty database all come up: one migrates and seeds while
/// the others wait for it (an advisory lock on PostgreSQL, a file lock on SQLite), then find
/// nothing left to do.
#[actix_web::test]
async fn instances_started_together_on_an_empty_database_all_come_up() {
    let db = TestDb::empty();
    let started: Vec<Result<Vec<String>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| migrations::prepare(&db.url, true).map_err(|e| e.to_string())))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let migrated: Vec<usize> = started
        .iter()
        .map(|s| s.as_ref().map(Vec::len).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(
        migrated.iter().filter(|n| **n > 0).count(),
        1,
        "one instance migrated: {migrated:?}"
    );
    let mut conn = db.connect();
    assert_eq!(
        organizations::count_of_kind(&mut conn, OrganizationKind::Municipality).unwrap(),
        98,
        "seeded once"
    );
}

#[actix_web::test]
async fn without_auto_migration_a_missing_schema_is_reported_not_created() {
    let db = TestDb::empty();
    let error = migrations::prepare(&db.url, false).unwrap_err();
    match &db.url {
        // The file is not created behind the operator's back.
        DatabaseUrl::Sqlite(path) => {
            assert!(matches!(error, StoreError::Unavailable(_)), "{error}");
            assert!(!path.exists());
        }
        // The database exists but has no tables: seeding fails and says so.
        DatabaseUrl::Postgres(_) => assert!(error.to_string().contains("organizations"), "{error}"),
    }
}

#[actix_web::test]
async fn the_audit_trail_cannot_be_edited_or_deleted() {
    let db = TestDb::seeded();
    let mut conn = db.connect();
    let actor = administrator();
    audit::append(&mut conn, organisation_entry(&actor, "x", "created")).unwrap();
    let update = diesel::sql_query("UPDATE audit_log SET action = 'forged'").execute(&mut conn);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = diesel::sql_query("DELETE FROM audit_log").execute(&mut conn);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(
        audit::for_subject(&mut conn, "organization", "x").unwrap()[0].action,
        "created"
    );
}

#[actix_web::test]
async fn a_write_set_lands_whole_or_not_at_all() {
    let db = TestDb::seeded();
    let mut conn = db.connect();
    let actor = administrator();
    let entry = |subject_id| organisation_entry(&actor, subject_id, "created");
    let reply = StoredResponse {
        request_body: "{}".into(),
        status: 201,
        location: None,
        body: "{}".into(),
        etag: None,
    };
    let mut first = WriteSet::default();
    audit::push_owned(&mut first, entry("landed"), "x");
    idempotency::push_record(&mut first, "caller", "key", &reply);
    first.run(&mut conn).unwrap();

    // The key again: the set's last statement fails, and the audit entry and event before it
    // are not written either (on PostgreSQL one statement, on SQLite one transaction).
    let mut second = WriteSet::default();
    audit::push_owned(&mut second, entry("rolled-back"), "x");
    idempotency::push_record(&mut second, "caller", "key", &reply);
    let refused = second.run(&mut conn);
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );

    let written = |conn: &mut os2pm_persistence::DbConnection, subject: &str| {
        let events: i64 = events::table
            .filter(events::subject_id.eq(subject))
            .count()
            .get_result(conn)
            .unwrap();
        let entries = audit::for_subject(conn, "organization", subject)
            .unwrap()
            .len();
        (entries, events)
    };
    assert_eq!(written(&mut conn, "landed"), (1, 1));
    assert_eq!(written(&mut conn, "rolled-back"), (0, 0));
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The rows of every table the sandbox migration rebuilds on SQLite.
fn rebuilt_table_counts(conn: &mut os2pm_persistence::DbConnection) -> Vec<(String, i64)> {
    [
        "requirements",
        "projects",
        "approvals",
        "products",
        "evaluations",
    ]
    .into_iter()
    .map(|table| {
        let count = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<Count>(conn)
            .unwrap();
        (table.to_owned(), count.n)
    })
    .collect()
}

#[actix_web::test]
async fn the_sandbox_migration_keeps_every_row_and_reference_both_ways() {
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};
    use os2pm_persistence::DbConnection;

    let app = os2pm_tests::TestApp::new();
    let service = app.service().await;
    let cast = crate::lifecycle::cast(&app, &service, 3).await;
    let crew = crate::running::crew(&app, &service, &cast).await;
    let (project, product) = crate::products::live_product(&service, &cast, &crew, 100_000).await;
    // An evaluation recommending N1: a row that references a level-change approval.
    let n2 = os2pm_tests::send(
        &service,
        actix_web::test::TestRequest::get().uri("/api/v1/requirements?limit=200"),
    )
    .await;
    let marks: Vec<serde_json::Value> = n2.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| serde_json::json!({"key": r["key"], "mark": "green"}))
        .collect();
    let evaluated = os2pm_tests::send(
        &service,
        actix_web::test::TestRequest::post()
            .uri(&format!("/api/v1/products/{product}/evaluations"))
            .insert_header(os2pm_tests::bearer(&cast.manager))
            .set_json(serde_json::json!({"period": "2027-H1", "marks": marks,
                "recommended_level": "N1", "conclusion": "Bruges mindre"})),
    )
    .await;
    assert_eq!(evaluated.status, 201, "{}", evaluated.body);
    let mut conn = app.db.connect();
    let before = rebuilt_table_counts(&mut conn);
    assert!(before.iter().all(|(_, n)| *n > 0), "{before:?}");

    let backend = match &conn {
        DbConnection::Postgresql(_) => "postgres",
        DbConnection::Sqlite(_) => "sqlite",
    };
    let tree = format!("{}/../migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    let source = FileBasedMigrations::from_path(&tree).unwrap();
    // Down and up again, with a live product and its approvals in the tables: the write path
    // (event places) after the return reason, then the view revisions, then the sandbox level.
    let mut revert_last = || {
        match &mut conn {
            DbConnection::Postgresql(pg) => pg.revert_last_migration(source.clone()),
            DbConnection::Sqlite(sqlite) => sqlite.revert_last_migration(source.clone()),
        }
        .unwrap()
        .to_string()
    };
    assert_eq!(revert_last(), "20261201000024");
    assert_eq!(revert_last(), "20261201000023");
    assert_eq!(revert_last(), "20261201000022");
    assert_eq!(revert_last(), "20261201000021");
    assert_eq!(revert_last(), "20261201000020");
    assert_eq!(revert_last(), "20261201000019");
    assert_eq!(revert_last(), "20261201000018");
    assert_eq!(revert_last(), "20261201000017");
    assert_eq!(revert_last(), "20261201000016");
    assert_eq!(revert_last(), "20261201000015");
    assert_eq!(revert_last(), "20261201000014");
    assert_eq!(revert_last(), "20261130000013");
    assert_eq!(revert_last(), "20261122000012");
    assert_eq!(revert_last(), "20261122000011");
    // Down drops the product's budget-frame approval (no earlier schema holds one), removes the
    // 2025 catalogue (nothing is pinned to it), and nothing else.
    let kept: Vec<(String, i64)> = before
        .iter()
        .map(|(table, n)| match table.as_str() {
            "approvals" => (table.clone(), n - 1),
            _ => (table.clone(), *n),
        })
        .collect();
    let without_2025: Vec<(String, i64)> = kept
        .iter()
        .map(|(table, n)| match table.as_str() {
            "requirements" => (table.clone(), 34),
            _ => (table.clone(), *n),
        })
        .collect();
    assert_eq!(rebuilt_table_counts(&mut conn), without_2025);
    // The next start migrates and seeds the catalogue again.
    drop(conn);
    migrations::prepare(&app.db.url, true).unwrap();
    let mut conn = app.db.connect();
    assert_eq!(rebuilt_table_counts(&mut conn), kept);
    if let DbConnection::Sqlite(sqlite) = &mut conn {
        let broken = diesel::sql_query("SELECT COUNT(*) AS n FROM pragma_foreign_key_check")
            .get_result::<Count>(sqlite)
            .unwrap();
        assert_eq!(broken.n, 0, "every reference still resolves");
    }
    // The service reads what it wrote before.
    let view = crate::lifecycle::get(&service, &project, None).await;
    assert_eq!(view.body["state"], "implemented", "{}", view.body);
    let product_view = crate::products::product(&service, &product).await;
    assert_eq!(product_view.body["project_id"], project.as_str());
}

#[actix_web::test]
async fn a_connection_that_lost_its_database_is_replaced_at_its_next_checkout() {
    use os2pm_persistence::{PoolOptions, build_pool, ping};

    let db = TestDb::seeded();
    let pool = build_pool(
        db.url.clone(),
        &PoolOptions {
            max_size: 1,
            connection_timeout: std::time::Duration::from_secs(2),
        },
    );
    pool.get().unwrap().serve(ping).unwrap();

    match &db.url {
        DatabaseUrl::Postgres(_) => {
            // The server ends the pooled session, just after it served a request.
            diesel::sql_query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .execute(&mut db.connect())
            .unwrap();
            // Trusted, it is handed out without a ping, and the work on it fails …
            let mut trusted = pool.get().unwrap();
            assert!(matches!(
                ping(&mut trusted),
                Err(StoreError::Unavailable(_))
            ));
            drop(trusted);
            // … which vouches for nothing: the next checkout pings it and connects anew.
            let mut replaced = pool.get().unwrap();
            ping(&mut replaced).unwrap();
        }
        DatabaseUrl::Sqlite(path) => {
            // A vanished file is noticed even on a trusted connection, which is not handed out
            // (and no new one can open the file).
            std::fs::remove_file(path).unwrap();
            let error = pool.get().map(drop).unwrap_err();
            assert!(error.to_string().contains("SQLite file"), "{error}");
        }
    }
}
