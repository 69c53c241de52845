//! What the database itself guarantees: idempotent seeding, an append-only audit trail.

use diesel::RunQueryDsl;
use os2pm_persistence::audit::{self, Actor, NewEntry};
use os2pm_persistence::{DatabaseUrl, StoreError, migrations, organizations};
use os2pm_tests::TestDb;

#[actix_web::test]
async fn seeding_twice_leaves_98_municipalities_and_one_catalogue() {
    let db = TestDb::empty();
    let first = migrations::prepare(&db.url, true).unwrap();
    assert!(!first.is_empty(), "the first start applies the migrations");
    let second = migrations::prepare(&db.url, true).unwrap();
    assert!(second.is_empty(), "the second start has nothing to apply");

    let mut conn = db.connect();
    assert_eq!(
        organizations::count_of_kind(&mut conn, "municipality").unwrap(),
        98
    );
    assert_eq!(
        organizations::count_of_kind(&mut conn, "region").unwrap(),
        5
    );
    assert_eq!(
        organizations::count_of_kind(&mut conn, "association").unwrap(),
        3
    );
    assert_eq!(
        os2pm_persistence::catalogue::versions(&mut conn).unwrap(),
        ["os2-2016"]
    );
    let catalogue = os2pm_persistence::catalogue::load(&mut conn, "os2-2016").unwrap();
    assert_eq!(catalogue, os2pm_levels::Catalogue::os2_2016().unwrap());
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
    let actor = Actor {
        sub: "a".into(),
        roles: vec!["admin".into()],
        org: None,
    };
    audit::append(
        &mut conn,
        NewEntry {
            subject_type: "organization",
            subject_id: "x",
            action: "created",
            actor: &actor,
            before: None,
            after: None,
            reason: None,
        },
    )
    .unwrap();
    let update = diesel::sql_query("UPDATE audit_log SET action = 'forged'").execute(&mut conn);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = diesel::sql_query("DELETE FROM audit_log").execute(&mut conn);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(
        audit::for_subject(&mut conn, "organization", "x").unwrap()[0].action,
        "created"
    );
}
