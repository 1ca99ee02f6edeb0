fn main() {
    // Declaring the app's commands generates an `allow-<command>` permission for each, so the
    // capability file can grant exactly the ones the UI calls.
    let commands = &[
        "clinic_overview",
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
        "role_duties",
        "export_blueprint",
    ];
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands));
    tauri_build::try_build(attributes).expect("tauri build step");
}
