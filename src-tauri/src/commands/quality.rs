//! Service quality: surveys (staff and kiosk), Kano features, standards and audits, the
//! insights report and the day's queue forecast.

use chrono::NaiveDate;
use clinic_journey_core::domain::day_forecast::Scenario;
use clinic_journey_core::domain::kiosk::KioskLock;
use clinic_journey_core::domain::standards::{Standard, StandardEdit, StandardInput};
use clinic_journey_core::domain::survey::{Dimension, SurveyAnswers, SurveySource};
use clinic_journey_core::export_files;
use clinic_journey_core::insights_csv::{insights_csv, InsightsTable};
use clinic_journey_core::store::KanoInput;
use clinic_journey_core::store::{
    AuditInput, AuditVisit, DayForecasts, Insights, InsightsQuery, KanoFeature, KioskSurvey, StandardsSetup,
    SurveyInput, SurveyRecorded,
};
use clinic_journey_core::Actor;
use clinic_journey_core::{Error, Refusal};
use tauri::{AppHandle, Manager, State};
use uuid::Uuid;

use super::{blocking, export_folder, AppState, CommandResult};

#[tauri::command]
pub async fn insights(state: State<'_, AppState>, query: InsightsQuery) -> CommandResult<Insights> {
    blocking(&state, move |store| store.insights(&query)).await
}

/// The day as planned and under each scenario, `replications` runs each from `seed`.
#[tauri::command]
pub async fn forecast_day(
    state: State<'_, AppState>,
    date: NaiveDate,
    replications: u32,
    seed: u64,
    scenarios: Vec<Scenario>,
) -> CommandResult<DayForecasts> {
    blocking(&state, move |store| store.forecast_day(date, replications, seed, &scenarios)).await
}

#[tauri::command]
pub async fn record_survey(state: State<'_, AppState>, input: SurveyInput) -> CommandResult<SurveyRecorded> {
    blocking(&state, move |store| store.record_survey(Actor::User, &input)).await
}

#[tauri::command]
pub async fn kiosk_survey(state: State<'_, AppState>, appointment_id: Uuid) -> CommandResult<KioskSurvey> {
    blocking(&state, move |store| store.kiosk_survey(appointment_id)).await
}

#[tauri::command]
pub async fn list_kano_features(state: State<'_, AppState>) -> CommandResult<Vec<KanoFeature>> {
    blocking(&state, |store| store.list_kano_features()).await
}

#[tauri::command]
pub async fn add_kano_feature(state: State<'_, AppState>, name: String) -> CommandResult<KanoFeature> {
    blocking(&state, move |store| store.add_kano_feature(Actor::User, &name)).await
}

/// The standards, the stages they can be set on and the Kano features, for Settings.
#[tauri::command]
pub async fn standards_setup(state: State<'_, AppState>) -> CommandResult<StandardsSetup> {
    blocking(&state, |store| store.standards_setup()).await
}

#[tauri::command]
pub async fn add_standard(state: State<'_, AppState>, input: StandardInput) -> CommandResult<Standard> {
    blocking(&state, move |store| store.add_standard(Actor::User, &input)).await
}

#[tauri::command]
pub async fn record_audit(state: State<'_, AppState>, input: AuditInput) -> CommandResult<AuditVisit> {
    blocking(&state, move |store| store.record_audit(Actor::User, &input)).await
}

/// The data of one Insights chart as CSV in the Downloads folder; returns its path.
#[tauri::command]
pub async fn export_insights_table(
    app: AppHandle,
    state: State<'_, AppState>,
    query: InsightsQuery,
    table: InsightsTable,
) -> CommandResult<String> {
    let folder = export_folder(&app)?;
    blocking(&state, move |store| {
        let text = insights_csv(&store.insights(&query)?, table);
        let name = export_files::stamped(table.file_stem(), &store.calendar()?, store.now());
        Ok(export_files::write_unique(&folder, &name, "csv", text.as_bytes())?.display().to_string())
    })
    .await
}

/// A chart as the window drew it, saved as PNG in the Downloads folder; returns its path.
#[tauri::command]
pub async fn export_chart_png(
    app: AppHandle,
    state: State<'_, AppState>,
    table: InsightsTable,
    png: Vec<u8>,
) -> CommandResult<String> {
    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let folder = export_folder(&app)?;
    blocking(&state, move |store| {
        if !png.starts_with(&PNG_SIGNATURE) {
            return Err(Error::refused("png", Refusal::NotAPng));
        }
        let name = export_files::stamped(table.file_stem(), &store.calendar()?, store.now());
        Ok(export_files::write_unique(&folder, &name, "png", &png)?.display().to_string())
    })
    .await
}

/// Hands the window to a patient: full screen, their visit's survey only, until the PIN.
#[tauri::command]
pub async fn start_kiosk(
    app: AppHandle,
    state: State<'_, AppState>,
    appointment_id: Uuid,
    pin: String,
) -> CommandResult<KioskSurvey> {
    let lock = KioskLock::new(appointment_id, &pin).map_err(|e| e.body())?;
    let survey = blocking(&state, move |store| store.kiosk_survey(appointment_id)).await?;
    *state.kiosk.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(lock);
    set_fullscreen(&app, true);
    Ok(survey)
}

/// The kiosk's survey while one is shown (a reloaded window goes straight back to it).
#[tauri::command]
pub async fn kiosk_state(state: State<'_, AppState>) -> CommandResult<Option<KioskSurvey>> {
    let shown =
        state.kiosk.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref().map(|k| k.appointment_id);
    match shown {
        Some(id) => Ok(Some(blocking(&state, move |store| store.kiosk_survey(id)).await?)),
        None => Ok(None),
    }
}

/// The patient's answers, for the visit the kiosk was opened for (no other).
#[tauri::command]
pub async fn submit_kiosk(
    state: State<'_, AppState>,
    answers: SurveyAnswers,
    kano: Vec<KanoInput>,
) -> CommandResult<SurveyRecorded> {
    let shown =
        state.kiosk.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref().map(|k| k.appointment_id);
    let appointment_id = shown.ok_or_else(|| Error::refused("kiosk", Refusal::NoKiosk).body())?;
    let input = SurveyInput { appointment_id, source: SurveySource::Kiosk, answers, kano };
    blocking(&state, move |store| store.record_survey(Actor::User, &input)).await
}

/// Ends the kiosk when the PIN is right.
#[tauri::command]
pub async fn end_kiosk(app: AppHandle, state: State<'_, AppState>, pin: String) -> CommandResult<()> {
    let now = chrono::Utc::now();
    let mut kiosk = state.kiosk.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let lock = kiosk.as_mut().ok_or_else(|| Error::refused("kiosk", Refusal::NoKiosk).body())?;
    lock.check_pin(&pin, now).map_err(|e| e.body())?;
    *kiosk = None;
    set_fullscreen(&app, false);
    Ok(())
}

fn set_fullscreen(app: &AppHandle, on: bool) {
    if let Some(window) = app.get_webview_window("main") {
        if let Err(e) = window.set_fullscreen(on) {
            tracing::warn!("kiosk full screen: {e}");
        }
    }
}

/// The clinic's 100 points across the SERVQUAL dimensions, or none (unweighted).
#[tauri::command]
pub async fn set_servqual_weights(
    state: State<'_, AppState>,
    weights: Option<Vec<(Dimension, u32)>>,
) -> CommandResult<()> {
    blocking(&state, move |store| store.set_servqual_weights(Actor::User, weights.as_deref())).await
}

/// Rewords a standard, or changes a measured one's limit.
#[tauri::command]
pub async fn update_standard(state: State<'_, AppState>, id: Uuid, edit: StandardEdit) -> CommandResult<Standard> {
    blocking(&state, move |store| store.update_standard(Actor::User, id, &edit)).await
}

/// Retires (or resumes) a standard.
#[tauri::command]
pub async fn set_standard_active(state: State<'_, AppState>, id: Uuid, active: bool) -> CommandResult<Standard> {
    blocking(&state, move |store| store.set_standard_active(Actor::User, id, active)).await
}
