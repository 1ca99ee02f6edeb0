//! The Schedule screen.

use chrono::NaiveDate;
use clinic_journey_core::domain::appointment::{Appointment, BookingRequest};
use clinic_journey_core::domain::journey::ServiceType;
use clinic_journey_core::domain::resources::{Provider, Room};
use clinic_journey_core::domain::schedule::ScheduleDay;
use clinic_journey_core::Actor;
use tauri::State;

use super::{blocking, AppState, CommandResult};

#[tauri::command]
pub async fn list_service_types(state: State<'_, AppState>) -> CommandResult<Vec<ServiceType>> {
    blocking(&state, |store| store.list_service_types()).await
}

#[tauri::command]
pub async fn list_providers(state: State<'_, AppState>) -> CommandResult<Vec<Provider>> {
    blocking(&state, |store| store.list_providers()).await
}

#[tauri::command]
pub async fn list_rooms(state: State<'_, AppState>) -> CommandResult<Vec<Room>> {
    blocking(&state, |store| store.list_rooms()).await
}

#[tauri::command]
pub async fn schedule_day(state: State<'_, AppState>, date: NaiveDate) -> CommandResult<ScheduleDay> {
    blocking(&state, move |store| store.schedule_day(date)).await
}

#[tauri::command]
pub async fn book_appointment(state: State<'_, AppState>, request: BookingRequest) -> CommandResult<Appointment> {
    blocking(&state, move |store| store.book_appointment(Actor::User, &request)).await
}
