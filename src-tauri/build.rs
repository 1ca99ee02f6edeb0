fn main() {
    // Declaring the app's commands generates an `allow-<command>` permission for each, so the
    // capability file can grant exactly the ones the UI calls.
    let commands = &[
        "clinic_overview",
        "server_link",
        "clinic_server_page",
        "check_clinic_server",
        "move_clinic_to_server",
        "work_on_clinic_server",
        "work_on_own_file",
        "startup_problem",
        "retry_open",
        "load_demo_clinic",
        "first_paint",
        "list_patients",
        "get_patient",
        "create_patient",
        "update_patient",
        "list_service_types",
        "list_providers",
        "list_rooms",
        "schedule_view",
        "book_appointment",
        "book_series",
        "reschedule_appointment",
        "cancel_appointment",
        "mark_no_show",
        "find_slots",
        "list_waitlist",
        "add_to_waitlist",
        "remove_from_waitlist",
        "book_from_waitlist",
        "flow_board",
        "move_on_flow_board",
        "journey_timeline",
        "journey_of_appointment",
        "patient_journeys",
        "call_list",
        "record_task_outcome",
        "assign_task",
        "list_staff",
        "export_call_list",
        "blueprint",
        "blueprint_drawing",
        "save_blueprint",
        "stage_removal",
        "role_duties",
        "export_blueprint",
        "setup_data",
        "save_clinic_details",
        "remove_closed_day",
        "add_closed_day",
        "import_closed_days",
        "create_staff",
        "update_staff",
        "create_provider",
        "update_provider",
        "create_room",
        "update_room",
        "create_service",
        "update_service",
        "visits_to_move",
        "insights",
        "start_kiosk",
        "kiosk_state",
        "submit_kiosk",
        "end_kiosk",
        "export_insights_table",
        "export_chart_png",
        "forecast_day",
        "record_survey",
        "kiosk_survey",
        "list_kano_features",
        "add_kano_feature",
        "standards_setup",
        "set_standard_active",
        "update_standard",
        "set_servqual_weights",
        "add_standard",
        "record_audit",
        "request_rebook_calls",
        "list_blocked_periods",
        "add_blocked_period",
        "remove_blocked_period",
        "list_journeys",
        "create_journey",
        "rename_journey",
        "set_journey_retired",
        "rules_overview",
        "backup_status",
        "save_backup_plan",
        "back_up_now",
        "preview_backup",
        "restore_backup",
        "sign_in_state",
        "sign_in",
        "sign_out",
        "set_staff_pin",
        "set_idle_lock_minutes",
        "audit_log",
        "export_audit_log",
        "export_file",
        "calendar_feeds",
        "add_calendar_feed",
        "remove_calendar_feed",
        "stage_import_file",
        "import_mapping",
        "run_import",
        "cancel_import",
        "export_patient_data",
        "erase_patient",
        "change_encryption_now",
    ];
    pack_relative_relocations();
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands));
    tauri_build::try_build(attributes).expect("tauri build step");
}

/// The app is position-independent, so its ~100,000 pointers in read-only data are relocated at
/// start. In glibc's packed form (DT_RELR, glibc 2.36 and later) the loader reads a few KiB of
/// relocation records instead of 2.4 MB, which otherwise stay counted as the app's memory.
/// An older glibc gets the usual form.
fn pack_relative_relocations() {
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && glibc_version().is_some_and(|version| version >= (2, 36)) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// The build machine's glibc as (major, minor), from `getconf GNU_LIBC_VERSION` ("glibc 2.36").
fn glibc_version() -> Option<(u32, u32)> {
    let out = std::process::Command::new("getconf").arg("GNU_LIBC_VERSION").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let (major, minor) = text.trim().strip_prefix("glibc ")?.split_once('.')?;
    Some((major.parse().ok()?, minor.split('.').next()?.parse().ok()?))
}
