//! Service quality: surveys (staff and kiosk), Kano features, standards and audits, the
//! insights report and the day's queue forecast.

use chrono::NaiveDate;
use clinic_journey_core::domain::day_forecast::Scenario;
use clinic_journey_core::domain::standards::{Standard, StandardInput};
use clinic_journey_core::store::{
    AuditInput, AuditVisit, DayForecasts, Insights, InsightsQuery, KanoFeature, KioskSurvey, SurveyInput,
    SurveyRecorded,
};
use clinic_journey_core::Actor;
use tauri::State;
use uuid::Uuid;

use super::{blocking, AppState, CommandResult};

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

#[tauri::command]
pub async fn list_standards(state: State<'_, AppState>) -> CommandResult<Vec<Standard>> {
    blocking(&state, |store| store.list_standards()).await
}

#[tauri::command]
pub async fn add_standard(state: State<'_, AppState>, input: StandardInput) -> CommandResult<Standard> {
    blocking(&state, move |store| store.add_standard(Actor::User, &input)).await
}

#[tauri::command]
pub async fn record_audit(state: State<'_, AppState>, input: AuditInput) -> CommandResult<AuditVisit> {
    blocking(&state, move |store| store.record_audit(Actor::User, &input)).await
}
