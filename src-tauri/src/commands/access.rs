//! Sign-in at the desk, PINs and the idle lock, the audit log, a patient's data and erasure.

use clinic_journey_core::domain::access::SignedIn;
use clinic_journey_core::export_files;
use clinic_journey_core::store::{AuditLogEntry, AuditLogQuery, SignInState};
use clinic_journey_core::Actor;
use tauri::{AppHandle, State};
use uuid::Uuid;

use super::{blocking, export_folder, AppState, CommandResult};

#[tauri::command]
pub async fn sign_in_state(state: State<'_, AppState>) -> CommandResult<SignInState> {
    blocking(&state, |store| store.sign_in_state()).await
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, staff_id: Uuid, pin: String) -> CommandResult<SignedIn> {
    blocking(&state, move |store| store.sign_in(staff_id, &pin)).await
}

/// Signs out (switching user, or the window locking after its idle time).
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> CommandResult<()> {
    blocking(&state, |store| store.sign_out()).await
}

#[tauri::command]
pub async fn set_staff_pin(state: State<'_, AppState>, staff_id: Uuid, pin: Option<String>) -> CommandResult<()> {
    blocking(&state, move |store| store.set_staff_pin(Actor::User, staff_id, pin.as_deref())).await
}

#[tauri::command]
pub async fn set_idle_lock_minutes(state: State<'_, AppState>, minutes: u32) -> CommandResult<()> {
    blocking(&state, move |store| store.set_idle_lock_minutes(Actor::User, minutes)).await
}

#[tauri::command]
pub async fn audit_log(state: State<'_, AppState>, query: AuditLogQuery) -> CommandResult<Vec<AuditLogEntry>> {
    blocking(&state, move |store| store.audit_log(Actor::User, &query)).await
}

/// The audit log as CSV in the Downloads folder; returns its path.
#[tauri::command]
pub async fn export_audit_log(
    app: AppHandle,
    state: State<'_, AppState>,
    query: AuditLogQuery,
) -> CommandResult<String> {
    let folder = export_folder(&app)?;
    blocking(&state, move |store| {
        let text = store.audit_log_csv(Actor::User, &query)?;
        let name = export_files::stamped("audit-log", &store.calendar()?, store.now());
        Ok(export_files::write_unique(&folder, &name, "csv", text.as_bytes())?.display().to_string())
    })
    .await
}

/// Everything held about a patient, as JSON in the Downloads folder to give them; its path.
#[tauri::command]
pub async fn export_patient_data(app: AppHandle, state: State<'_, AppState>, id: Uuid) -> CommandResult<String> {
    let folder = export_folder(&app)?;
    blocking(&state, move |store| {
        let data = store.patient_data(Actor::User, id)?;
        let text = serde_json::to_string_pretty(&data).expect("serialisable");
        let name = export_files::stamped("patient-data", &store.calendar()?, store.now());
        Ok(export_files::write_unique(&folder, &name, "json", text.as_bytes())?.display().to_string())
    })
    .await
}

#[tauri::command]
pub async fn erase_patient(state: State<'_, AppState>, id: Uuid) -> CommandResult<()> {
    blocking(&state, move |store| store.erase_patient(Actor::User, id)).await
}
