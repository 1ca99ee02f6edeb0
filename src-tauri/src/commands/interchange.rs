//! Standard formats from the window: exports into the Downloads folder, calendar files kept
//! current, and imports — the file is handed over once (raw bytes, so Rust sees its real
//! encoding), then mapped, previewed and applied with progress events and a cancel button.

use std::sync::atomic::Ordering;

use clinic_journey_core::export_files;
use clinic_journey_core::interchange::csv_in::MappingProposal;
use clinic_journey_core::interchange::ics::PatientDetail;
use clinic_journey_core::interchange::import::{ImportKind, ImportProgress, ImportReport};
use clinic_journey_core::store::{CalendarFeed, ExportRequest, ExportSaved, ExportScope, ImportRequest};
use clinic_journey_core::{Actor, Error, Refusal};
use tauri::{AppHandle, Emitter, State};
use uuid::Uuid;

use super::{blocking, export_folder, AppState, CommandResult};

#[tauri::command]
pub async fn export_file(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ExportRequest,
) -> CommandResult<ExportSaved> {
    let folder = export_folder(&app)?;
    blocking(&state, move |store| {
        let file = store.export(Actor::User, &request)?;
        let path = export_files::write_unique(&folder, &file.stem, file.extension, &file.bytes)?;
        Ok(ExportSaved { path: path.display().to_string(), count: file.count })
    })
    .await
}

#[tauri::command]
pub async fn calendar_feeds(state: State<'_, AppState>) -> CommandResult<Vec<CalendarFeed>> {
    blocking(&state, |store| store.calendar_feeds(Actor::User)).await
}

#[tauri::command]
pub async fn add_calendar_feed(
    state: State<'_, AppState>,
    folder: String,
    scope: ExportScope,
    detail: PatientDetail,
    alarms: bool,
) -> CommandResult<CalendarFeed> {
    blocking(&state, move |store| {
        store.add_calendar_feed(Actor::User, std::path::Path::new(folder.trim()), scope, detail, alarms)
    })
    .await
}

#[tauri::command]
pub async fn remove_calendar_feed(state: State<'_, AppState>, id: Uuid) -> CommandResult<()> {
    blocking(&state, move |store| store.remove_calendar_feed(Actor::User, id)).await
}

/// Takes the file the user picked (its bytes as the request body) for the next import steps.
#[tauri::command]
pub fn stage_import_file(state: State<'_, AppState>, request: tauri::ipc::Request<'_>) -> CommandResult<u32> {
    // Patient files are taken only from someone who may import them.
    state.store_or_problem()?.check_import(Actor::User).map_err(|e| e.body())?;
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(Error::refused("file", Refusal::NoFileChosen).body());
    };
    let size = bytes.len() as u32;
    *state.import_file.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(bytes.clone());
    Ok(size)
}

fn staged(state: &AppState) -> CommandResult<Vec<u8>> {
    state
        .import_file
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
        .ok_or_else(|| Error::refused("file", Refusal::NoFileChosen).body())
}

/// The mapping step of the staged CSV file.
#[tauri::command]
pub async fn import_mapping(state: State<'_, AppState>, kind: ImportKind) -> CommandResult<MappingProposal> {
    let bytes = staged(&state)?;
    blocking(&state, move |store| store.import_mapping(Actor::User, kind, &bytes)).await
}

/// Previews (dry run) or applies the staged file; while it is written the window hears
/// `import-progress`, and `cancel_import` stops it with nothing written.
#[tauri::command]
pub async fn run_import(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ImportRequest,
) -> CommandResult<ImportReport> {
    let bytes = staged(&state)?;
    let cancel = state.import_cancel.clone();
    cancel.store(false, Ordering::SeqCst);
    let report = blocking(&state, move |store| {
        store.import(Actor::User, &request, &bytes, &|done, total| {
            let _ = app.emit("import-progress", ImportProgress { done, total });
            !cancel.load(Ordering::SeqCst)
        })
    })
    .await?;
    if report.applied {
        state.import_file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
    }
    Ok(report)
}

#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.import_cancel.store(true, Ordering::SeqCst);
}
