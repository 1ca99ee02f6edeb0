//! The clinic as a whole: overview and the demo clinic.

use clinic_journey_core::demo::{load_demo, DemoOptions, DemoSummary};
use clinic_journey_core::store::ClinicOverview;
use tauri::State;

use super::{blocking, AppState, CommandResult};
use crate::startup::StartupProbe;

#[tauri::command]
pub async fn clinic_overview(state: State<'_, AppState>) -> CommandResult<ClinicOverview> {
    blocking(&state, |store| store.overview()).await
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
