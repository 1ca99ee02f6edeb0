//! The Patients screen.

use clinic_journey_core::domain::patient::{Patient, PatientInput};
use clinic_journey_core::store::PatientPage;
use clinic_journey_core::Actor;
use tauri::State;
use uuid::Uuid;

use super::{blocking, AppState, CommandResult};

#[tauri::command]
pub async fn list_patients(
    state: State<'_, AppState>,
    query: String,
    offset: u32,
    limit: u32,
) -> CommandResult<PatientPage> {
    blocking(&state, move |store| store.patients_page(&query, offset, limit.clamp(1, 500))).await
}

#[tauri::command]
/// A patient's record opened at the desk (the opening is audited).
pub async fn get_patient(state: State<'_, AppState>, id: Uuid) -> CommandResult<Patient> {
    blocking(&state, move |store| store.open_patient_record(Actor::User, id)).await
}

#[tauri::command]
pub async fn create_patient(state: State<'_, AppState>, input: PatientInput) -> CommandResult<Patient> {
    blocking(&state, move |store| store.create_patient(Actor::User, &input)).await
}

#[tauri::command]
pub async fn update_patient(state: State<'_, AppState>, id: Uuid, input: PatientInput) -> CommandResult<Patient> {
    blocking(&state, move |store| store.update_patient(Actor::User, id, &input)).await
}
