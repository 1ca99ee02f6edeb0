//! The Today screen: the call list, outcomes, assignment and the call sheet files.

use clinic_journey_core::domain::call_sheet::CallSheetFormat;
use clinic_journey_core::domain::resources::Staff;
use clinic_journey_core::domain::tasks::{CallList, CallListQuery, Task};
use clinic_journey_core::store::{OutcomeRequest, OutcomeResult};
use clinic_journey_core::{export_files, Actor};
use tauri::{AppHandle, State};
use uuid::Uuid;

use super::{blocking, export_folder, AppState, CommandResult};

#[tauri::command]
pub async fn call_list(state: State<'_, AppState>, query: CallListQuery) -> CommandResult<CallList> {
    blocking(&state, move |store| store.call_list(&query)).await
}

#[tauri::command]
pub async fn record_task_outcome(state: State<'_, AppState>, request: OutcomeRequest) -> CommandResult<OutcomeResult> {
    blocking(&state, move |store| store.record_task_outcome(Actor::User, &request)).await
}

#[tauri::command]
pub async fn assign_task(state: State<'_, AppState>, task_id: Uuid, staff_id: Option<Uuid>) -> CommandResult<Task> {
    blocking(&state, move |store| store.assign_task(Actor::User, task_id, staff_id)).await
}

#[tauri::command]
pub async fn list_staff(state: State<'_, AppState>) -> CommandResult<Vec<Staff>> {
    blocking(&state, |store| store.list_staff()).await
}

/// Writes the day's call list into the Downloads folder (CSV, or an HTML call sheet to print)
/// and returns the file's path. No file dialog: the app needs no file-system permission.
#[tauri::command]
pub async fn export_call_list(
    app: AppHandle,
    state: State<'_, AppState>,
    query: CallListQuery,
    format: CallSheetFormat,
) -> CommandResult<String> {
    let folder = export_folder(&app)?;
    blocking(&state, move |store| {
        let list = store.call_list(&query)?;
        let calendar = store.calendar()?;
        let settings = store.get_settings()?;
        let text = format.render(&list, &calendar, &settings.name, &settings.default_language);
        let stem = if query.date == calendar.local_date(store.now()) {
            "call-list".to_string()
        } else {
            format!("call-list-{}", query.date)
        };
        let name = export_files::stamped(&stem, &calendar, store.now());
        let path = export_files::write_unique(&folder, &name, format.extension(), text.as_bytes())?;
        Ok(path.display().to_string())
    })
    .await
}
