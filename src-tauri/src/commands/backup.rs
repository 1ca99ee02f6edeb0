//! The Backup page: the plan, a copy now, and restoring one after its preview.

use std::path::PathBuf;

use clinic_journey_core::domain::backups::BackupPlan;
use clinic_journey_core::store::{BackupMade, BackupPreview, BackupStatus, Restored};
use clinic_journey_core::Actor;
use tauri::State;

use super::{blocking, AppState, CommandResult};

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> CommandResult<BackupStatus> {
    blocking(&state, |store| store.backup_status()).await
}

#[tauri::command]
pub async fn save_backup_plan(state: State<'_, AppState>, plan: BackupPlan) -> CommandResult<()> {
    blocking(&state, move |store| store.save_backup_plan(Actor::User, &plan)).await
}

#[tauri::command]
pub async fn back_up_now(state: State<'_, AppState>) -> CommandResult<BackupMade> {
    blocking(&state, |store| store.back_up_now(Actor::User)).await
}

/// `path` is a backup in the list, or a file the administrator typed; `passphrase` the one it
/// was made under, when Rust asked for it.
#[tauri::command]
pub async fn preview_backup(
    state: State<'_, AppState>,
    path: PathBuf,
    passphrase: Option<String>,
) -> CommandResult<BackupPreview> {
    blocking(&state, move |store| store.preview_backup_with(&path, passphrase.as_deref())).await
}

#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    path: PathBuf,
    passphrase: Option<String>,
) -> CommandResult<Restored> {
    blocking(&state, move |store| store.restore_backup_with(Actor::User, &path, passphrase.as_deref())).await
}
