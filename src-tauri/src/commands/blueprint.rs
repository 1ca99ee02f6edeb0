//! The blueprint screen: the drawing (with or without the live overlay), saving an edit as a
//! new version, each role's duties, and the export for the wall.

use chrono::NaiveDate;
use clinic_journey_core::domain::blueprint_svg::blueprint_page;
use clinic_journey_core::domain::template_edit::TemplateDraft;
use clinic_journey_core::store::{Blueprint, Drawing, DrawingRequest, RoleDuties};
use clinic_journey_core::{Actor, Error};
use tauri::{AppHandle, Manager, State};
use uuid::Uuid;

use super::{blocking, AppState, CommandResult};

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

#[tauri::command]
pub async fn role_duties(state: State<'_, AppState>, date: NaiveDate) -> CommandResult<Vec<RoleDuties>> {
    blocking(&state, move |store| store.role_duties(date)).await
}

/// Writes the drawing into the Downloads folder as SVG, or as a print-ready page to print
/// to PDF, and returns the file's path.
#[tauri::command]
pub async fn export_blueprint(app: AppHandle, state: State<'_, AppState>, request: DrawingRequest, format: String) -> CommandResult<String> {
    let folder = app.path().download_dir().or_else(|_| app.path().document_dir()).map_err(|e| {
        Error::invalid_with("folder", format!("No Downloads folder to save into: {e}"), &[("reason", "no_folder")]).body()
    })?;
    blocking(&state, move |store| {
        let (blueprint, drawing) = store.blueprint_drawing(&request)?;
        let (text, extension) = match format.as_str() {
            "svg" => (drawing.svg, "svg"),
            "html" => (blueprint_page(&drawing.svg, &blueprint.template.name), "html"),
            other => return Err(Error::invalid(format!("“{other}” is not an export format: svg or html"))),
        };
        let name = blueprint.service.name.to_lowercase().replace(|c: char| !c.is_alphanumeric(), "-");
        let path = folder.join(format!("blueprint-{name}-v{}.{extension}", blueprint.template.version));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(&path, text)?;
        Ok(path.display().to_string())
    })
    .await
}
