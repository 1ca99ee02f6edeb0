//! The blueprint screen: the drawing (with or without the live overlay), saving an edit as a
//! new version, each role's duties, and the export for the wall.

use chrono::NaiveDate;
use clinic_journey_core::blueprint_export::{export_file, ExportFormat};
use clinic_journey_core::domain::journey::Stage;
use clinic_journey_core::domain::reminders::ReminderRule;
use clinic_journey_core::domain::template_edit::{self, StageRemoval, TemplateDraft};
use clinic_journey_core::store::{Blueprint, Drawing, DrawingRequest, RoleDuties};
use clinic_journey_core::{export_files, Actor};
use tauri::{AppHandle, State};
use uuid::Uuid;

use super::{blocking, export_folder, AppState, CommandResult};

#[tauri::command]
pub async fn blueprint(state: State<'_, AppState>, service_type_id: Uuid) -> CommandResult<Blueprint> {
    blocking(&state, move |store| store.blueprint(service_type_id)).await
}

#[tauri::command]
pub async fn blueprint_drawing(state: State<'_, AppState>, request: DrawingRequest) -> CommandResult<Drawing> {
    blocking(&state, move |store| Ok(store.blueprint_drawing(&request)?.1)).await
}

#[tauri::command]
pub async fn save_blueprint(state: State<'_, AppState>, draft: TemplateDraft) -> CommandResult<u32> {
    blocking(&state, move |store| Ok(store.save_template_version(Actor::User, &draft)?.version)).await
}

/// What removing a stage from the draft being edited would take with it (asked before the
/// window deletes it from the draft).
#[tauri::command]
pub fn stage_removal(stages: Vec<Stage>, rules: Vec<ReminderRule>, stage_id: Uuid) -> CommandResult<StageRemoval> {
    template_edit::stage_removal(&stages, &rules, stage_id).map_err(|e| e.body())
}

#[tauri::command]
pub async fn role_duties(state: State<'_, AppState>, date: NaiveDate) -> CommandResult<Vec<RoleDuties>> {
    blocking(&state, move |store| store.role_duties(date)).await
}

/// Writes the drawing into the Downloads folder as SVG, PDF or a print-ready page, and
/// returns the file's path.
#[tauri::command]
pub async fn export_blueprint(
    app: AppHandle,
    state: State<'_, AppState>,
    request: DrawingRequest,
    format: ExportFormat,
) -> CommandResult<String> {
    let folder = export_folder(&app)?;
    blocking(&state, move |store| {
        let (blueprint, drawing) = store.blueprint_drawing(&request)?;
        let bytes = export_file(format, drawing.svg, &blueprint.template.name)?;
        let service = blueprint.service.name.to_lowercase().replace(|c: char| !c.is_alphanumeric(), "-");
        let stem = format!("blueprint-{service}-v{}", blueprint.template.version);
        let name = export_files::stamped(&stem, &store.calendar()?, store.now());
        let path = export_files::write_unique(&folder, &name, format.extension(), &bytes)?;
        Ok(path.display().to_string())
    })
    .await
}
