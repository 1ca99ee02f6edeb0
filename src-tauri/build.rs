fn main() {
    // Declaring the app's commands generates an `allow-<command>` permission for each, so the
    // capability file can grant exactly the ones the UI calls.
    let commands = &[
        "clinic_overview",
        "load_demo_clinic",
        "list_patients",
        "get_patient",
        "create_patient",
        "update_patient",
        "list_service_types",
        "list_providers",
        "list_rooms",
        "schedule_day",
        "book_appointment",
    ];
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands));
    tauri_build::try_build(attributes).expect("tauri build step");
}
