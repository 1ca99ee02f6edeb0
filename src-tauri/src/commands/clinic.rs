//! The clinic as a whole: overview and the demo clinic.

use clinic_journey_core::demo::{load_demo, DemoOptions, DemoSummary};
use clinic_journey_core::store::StartupProblem;
use clinic_journey_core::store::{ClinicOverview, ServerLink};
use clinic_journey_core::Error;
use tauri::{AppHandle, State};

use super::{blocking, AppState, CommandResult, Opened};
use crate::startup::StartupProbe;

#[tauri::command]
pub async fn clinic_overview(state: State<'_, AppState>) -> CommandResult<ClinicOverview> {
    blocking(&state, |store| store.overview()).await
}

/// The desk's link to the clinic server (none on its own file): the window's banner while it
/// is cut off. Changes of it come as `server-link` events.
#[tauri::command]
pub fn server_link(state: State<'_, AppState>) -> Option<ServerLink> {
    state.store().and_then(|store| store.server_link())
}

/// Why the database could not be opened at start, if it could not.
#[tauri::command]
pub fn startup_problem(state: State<'_, AppState>) -> Option<StartupProblem> {
    state.problem()
}

/// Tries again to open the database (after the other program let go of it, space was freed,
/// the folder made writable; an encrypted one with the passphrase typed); returns what still
/// stands in the way, if anything.
#[tauri::command]
pub async fn retry_open(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: Option<String>,
) -> CommandResult<Option<StartupProblem>> {
    if state.store().is_some() {
        return Ok(None);
    }
    let (dir, server, now) = (state.data_dir.clone(), state.server(), state.now);
    let opened =
        tauri::async_runtime::spawn_blocking(move || crate::app::open(&dir, &server, now, passphrase.as_deref()))
            .await
            .map_err(|e| Error::Internal(format!("The request did not finish: {e}")).body())?;
    if let Opened::Ready(store) = &opened {
        crate::app::listen(&app, store);
    }
    let problem = match &opened {
        Opened::Ready(_) => None,
        Opened::Failed(problem) => Some((**problem).clone()),
    };
    *state.opened.write().unwrap_or_else(std::sync::PoisonError::into_inner) = opened;
    Ok(problem)
}

#[tauri::command]
pub async fn load_demo_clinic(state: State<'_, AppState>) -> CommandResult<DemoSummary> {
    blocking(&state, |store| load_demo(store, &DemoOptions::default())).await
}

/// The UI has painted its first screen with data (see `startup.rs`).
#[tauri::command]
pub fn first_paint(probe: State<'_, StartupProbe>) {
    probe.painted();
}
