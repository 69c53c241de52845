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
        levels -> Text,
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
        recommended -> Bool,
        computed_as -> Nullable<Text>,
        not_for_adoptions -> Nullable<Text>,
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
        etag -> Nullable<Text>,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        sub -> Text,
        name -> Text,
        organization_id -> Text,
        email -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    board_seats (person_id, seat_from) {
        person_id -> Text,
        chair -> Bool,
        seat_from -> Date,
        seat_until -> Nullable<Date>,
    }
}

diesel::table! {
    board_roster (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    projects (id) {
        id -> Text,
        title -> Text,
        summary -> Text,
        kind -> Text,
        state -> Text,
        level -> Nullable<Text>,
        catalogue_version -> Nullable<Text>,
        owner_organization_id -> Text,
        intended_funding -> Text,
        approval_round -> Integer,
        search_text -> Text,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        revision -> BigInt,
    }
}

diesel::table! {
    shared_revision (id) {
        id -> Integer,
        revision -> BigInt,
    }
}

diesel::table! {
    project_descriptions (project_id) {
        project_id -> Text,
        local_value -> Text,
        value_for_others -> Text,
        contact_name -> Text,
        contact_email -> Text,
        placement_rationale -> Nullable<Text>,
        return_reason -> Nullable<Text>,
    }
}

diesel::table! {
    project_participants (project_id, organization_id) {
        project_id -> Text,
        organization_id -> Text,
    }
}

diesel::table! {
    evidence (project_id, requirement_key, organization_id) {
        project_id -> Text,
        requirement_key -> Text,
        organization_id -> Text,
        status -> Text,
        explanation -> Nullable<Text>,
        link -> Nullable<Text>,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    approvals (id) {
        id -> Text,
        project_id -> Text,
        approval_round -> Integer,
        level -> Text,
        approver -> Text,
        state -> Text,
        outcome -> Nullable<Text>,
        reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        meeting_date -> Nullable<Date>,
        members_present -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        subject -> Text,
        payload -> Nullable<Text>,
    }
}

diesel::table! {
    votes (approval_id, voter_sub) {
        approval_id -> Text,
        voter_sub -> Text,
        decision -> Text,
        reason -> Nullable<Text>,
        cast_at -> Timestamp,
        voter_organization -> Nullable<Text>,
    }
}

diesel::table! {
    steering_groups (project_id) {
        project_id -> Text,
        chair_organization_id -> Nullable<Text>,
        project_leader_id -> Nullable<Text>,
        project_owner_id -> Nullable<Text>,
        updated_at -> Timestamp,
        approved_by_board -> Bool,
    }
}

diesel::table! {
    steering_seats (project_id, organization_id) {
        project_id -> Text,
        organization_id -> Text,
        representative_id -> Text,
    }
}

diesel::table! {
    budgets (project_id) {
        project_id -> Text,
        amount_dkk -> BigInt,
        period_start -> Date,
        period_end -> Date,
        funding -> Text,
        expected_costs -> Nullable<Text>,
        expected_benefits -> Nullable<Text>,
        expected_effects -> Nullable<Text>,
        status -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    progress_reports (id) {
        id -> Text,
        project_id -> Text,
        period_start -> Date,
        period_end -> Date,
        status -> Text,
        status_reason -> Nullable<Text>,
        progress -> Text,
        budget_dkk -> BigInt,
        spent_dkk -> BigInt,
        forecast_dkk -> BigInt,
        milestones -> Text,
        risks -> Nullable<Text>,
        reported_by -> Text,
        reported_at -> Timestamp,
    }
}

diesel::table! {
    products (id) {
        id -> Text,
        project_id -> Text,
        name -> Text,
        level -> Text,
        catalogue_version -> Text,
        state -> Text,
        owner_organization_id -> Text,
        closed_reason -> Nullable<Text>,
        search_text -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    coordination_groups (project_id, group_key) {
        project_id -> Text,
        group_key -> Text,
        chair_organization_id -> Nullable<Text>,
        supplier_organization_id -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    coordination_members (project_id, group_key, organization_id) {
        project_id -> Text,
        group_key -> Text,
        organization_id -> Text,
        representative_id -> Text,
    }
}

diesel::table! {
    change_requests (id) {
        id -> Text,
        product_id -> Text,
        organization_id -> Text,
        category -> Text,
        description -> Text,
        estimated_cost_dkk -> BigInt,
        route -> Text,
        state -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        supplier_agreement -> Nullable<Text>,
    }
}

diesel::table! {
    budget_frames (project_id) {
        project_id -> Text,
        yearly_budget_frame_dkk -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    board_meetings (id) {
        id -> Text,
        meeting_date -> Date,
        place -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    agenda_items (id) {
        id -> Text,
        meeting_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    priority_criteria (version, key) {
        version -> Integer,
        key -> Text,
        name -> Text,
        weight -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    priority_scores (version, project_id, member_sub, criterion) {
        version -> Integer,
        project_id -> Text,
        member_sub -> Text,
        criterion -> Text,
        score -> Integer,
        scored_at -> Timestamp,
    }
}

diesel::table! {
    benefits (id) {
        id -> Text,
        project_id -> Text,
        indicator -> Text,
        unit -> Nullable<Text>,
        baseline -> Double,
        target -> Double,
        owner -> Text,
        due_date -> Date,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    benefit_measurements (id) {
        id -> Text,
        benefit_id -> Text,
        measured_on -> Date,
        value -> Double,
        note -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    evaluations (id) {
        id -> Text,
        product_id -> Text,
        period -> Text,
        level -> Text,
        recommended_level -> Text,
        conclusion -> Text,
        level_change_approval_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        assessment -> Nullable<Text>,
        recommendation -> Nullable<Text>,
        catalogue_version -> Nullable<Text>,
        template_version -> Nullable<Text>,
    }
}

diesel::table! {
    evaluation_marks (evaluation_id, requirement_key) {
        evaluation_id -> Text,
        requirement_key -> Text,
        mark -> Text,
        reasoning -> Nullable<Text>,
        report_columns -> Nullable<Text>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        event_id -> Text,
        event_type -> Text,
        subject_type -> Text,
        subject_id -> Text,
        organization_id -> Nullable<Text>,
        public -> Bool,
        occurred_at -> Timestamp,
        actor_sub -> Text,
        payload -> Nullable<Text>,
        seq -> Nullable<BigInt>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        organization_id -> Nullable<Text>,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        cursor -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        delivery_id -> Text,
        webhook_id -> Text,
        event_seq -> BigInt,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        redelivery_of -> Nullable<Text>,
    }
}

diesel::table! {
    delivery_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> BigInt,
    }
}

diesel::table! {
    self_assessments (id) {
        id -> Text,
        product_id -> Text,
        checklist_version -> Text,
        product_name -> Text,
        filled_by -> Text,
        filled_date -> Text,
        generated_at -> Nullable<Text>,
        original -> Text,
        imported_by -> Text,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    self_assessment_answers (self_assessment_id, item_id) {
        self_assessment_id -> Text,
        item_id -> Text,
        answer -> Nullable<Text>,
        documentation -> Nullable<Text>,
    }
}

diesel::joinable!(requirements -> catalogue_versions (catalogue_version));
diesel::joinable!(people -> organizations (organization_id));
diesel::joinable!(board_seats -> people (person_id));
diesel::joinable!(project_participants -> projects (project_id));
diesel::joinable!(project_participants -> organizations (organization_id));
diesel::joinable!(project_descriptions -> projects (project_id));
diesel::joinable!(evidence -> projects (project_id));
diesel::joinable!(approvals -> projects (project_id));
diesel::joinable!(projects -> organizations (owner_organization_id));
diesel::joinable!(products -> organizations (owner_organization_id));
diesel::joinable!(votes -> approvals (approval_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> events (event_seq));
diesel::joinable!(delivery_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(steering_seats -> people (representative_id));
diesel::joinable!(steering_seats -> organizations (organization_id));
diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    catalogue_versions,
    requirements,
    audit_log,
    idempotency_keys,
    people,
    board_seats,
    board_roster,
    projects,
    project_descriptions,
    project_participants,
    evidence,
    approvals,
    votes,
    steering_groups,
    steering_seats,
    budgets,
    progress_reports,
    products,
    coordination_groups,
    coordination_members,
    budget_frames,
    change_requests,
    board_meetings,
    agenda_items,
    priority_criteria,
    priority_scores,
    benefits,
    benefit_measurements,
    evaluations,
    evaluation_marks,
    events,
    webhooks,
    webhook_deliveries,
    delivery_attempts,
    self_assessments,
    self_assessment_answers,
    shared_revision,
);
