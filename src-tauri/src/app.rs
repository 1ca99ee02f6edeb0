//! The desktop window: opens the store, wires its change events to the UI, and serves the
//! commands.

use std::path::Path;
use std::sync::Arc;

use tauri::{Emitter, Manager};

use crate::commands::{self, AppState};
use crate::data_dir;
use crate::startup::StartupProbe;

pub fn run(dir: &Path, now: Option<chrono::DateTime<chrono::FixedOffset>>, startup: StartupProbe) -> Result<(), String> {
    let _log_guard = start_logging(dir);
    let database = data_dir::database(dir);
    let store = Arc::new(
        crate::cli::open_store(&database, now).map_err(|e| format!("cannot open {}: {e}", database.display()))?,
    );
    tracing::info!(schema = clinic_journey_core::store::SCHEMA_VERSION, "database opened");

    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(AppState { store: store.clone() })
        .manage(startup)
        .setup(move |app| {
            let handle = app.handle().clone();
            // One event per committed write; every open screen refreshes what it shows.
            store.on_change(move |change| {
                if let Err(e) = handle.emit("data-changed", change) {
                    tracing::warn!("could not announce a change: {e}");
                }
            });
            crate::scheduler::start(app.handle().clone(), store.clone());
            if let Some(window) = app.get_webview_window("main") {
                window.set_title("Clinic Journey").ok();
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .map_err(|e| format!("the window could not start: {e}"))
}

/// Logs go to a daily file in the data folder; they never carry patient details.
fn start_logging(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let appender = tracing_appender::rolling::daily(data_dir::logs(dir), "clinic-journey.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("CLINIC_JOURNEY_LOG").unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter).try_init().ok()?;
    Some(guard)
}
