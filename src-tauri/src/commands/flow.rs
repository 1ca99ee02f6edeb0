//! The Flow board and journey timelines.

use clinic_journey_core::domain::flow::{FlowBoard, FlowColumn};
use clinic_journey_core::domain::timeline::JourneyTimeline;
use clinic_journey_core::{Actor, JourneySummary};
use tauri::State;
use uuid::Uuid;

use super::{blocking, AppState, CommandResult};

#[tauri::command]
pub async fn flow_board(state: State<'_, AppState>) -> CommandResult<FlowBoard> {
    blocking(&state, |store| store.flow_board()).await
}

#[tauri::command]
pub async fn move_on_flow_board(
    state: State<'_, AppState>,
    appointment_id: Uuid,
    column: FlowColumn,
) -> CommandResult<FlowBoard> {
    blocking(&state, move |store| store.move_on_flow_board(Actor::User, appointment_id, column)).await
}

#[tauri::command]
pub async fn journey_timeline(state: State<'_, AppState>, journey_id: Uuid) -> CommandResult<JourneyTimeline> {
    blocking(&state, move |store| store.journey_timeline(journey_id)).await
}

#[tauri::command]
pub async fn journey_of_appointment(state: State<'_, AppState>, appointment_id: Uuid) -> CommandResult<Uuid> {
    blocking(&state, move |store| store.journey_of_appointment(appointment_id)).await
}

#[tauri::command]
pub async fn patient_journeys(state: State<'_, AppState>, patient_id: Uuid) -> CommandResult<Vec<JourneySummary>> {
    blocking(&state, move |store| store.patient_journeys(patient_id)).await
}
