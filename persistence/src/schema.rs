//! The one schema both backends share: only the SQL types both support (see ARCHITECTURE.md).

diesel::table! {
    organizations (id) {
        id -> Text,
        code -> Nullable<Text>,
        name -> Text,
        kind -> Text,
        cvr -> Nullable<Text>,
        region_code -> Nullable<Text>,
        search_text -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    catalogue_versions (version) {
        version -> Text,
        title -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    requirements (catalogue_version, key) {
        catalogue_version -> Text,
        key -> Text,
        position -> Integer,
        level -> Text,
        max_level -> Nullable<Text>,
        theme -> Text,
        kind -> Text,
        gate -> Text,
        title_da -> Text,
        title_en -> Text,
        not_applicable_allowed -> Bool,
        per_organization -> Bool,
        minimum -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        subject_type -> Text,
        subject_id -> Text,
        action -> Text,
        actor_sub -> Text,
        actor_roles -> Text,
        actor_org -> Nullable<Text>,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (caller, key) {
        caller -> Text,
        key -> Text,
        request_body -> Text,
        status -> Integer,
        location -> Nullable<Text>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(requirements -> catalogue_versions (catalogue_version));
diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    catalogue_versions,
    requirements,
    audit_log,
    idempotency_keys,
);
