//! The Schedule screen: views, booking, moving, cancelling, no-shows, series, slots, waitlist.

use clinic_journey_core::domain::appointment::{Appointment, BookingRequest, RescheduleRequest};
use clinic_journey_core::domain::journey::ServiceType;
use clinic_journey_core::domain::resources::{Provider, Room};
use clinic_journey_core::domain::schedule::{ScheduleQuery, ScheduleView};
use clinic_journey_core::domain::slots::{FreeSlot, SlotQuery};
use clinic_journey_core::domain::waitlist::{NewWaitlistEntry, WaitlistEntry};
use clinic_journey_core::{Actor, CancelOutcome, SeriesRequest};
use tauri::State;
use uuid::Uuid;

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
pub async fn schedule_view(state: State<'_, AppState>, query: ScheduleQuery) -> CommandResult<ScheduleView> {
    blocking(&state, move |store| store.schedule_view(&query)).await
}

#[tauri::command]
pub async fn book_appointment(state: State<'_, AppState>, request: BookingRequest) -> CommandResult<Appointment> {
    blocking(&state, move |store| store.book_appointment(Actor::User, &request)).await
}

#[tauri::command]
pub async fn book_series(state: State<'_, AppState>, request: SeriesRequest) -> CommandResult<Vec<Appointment>> {
    blocking(&state, move |store| store.book_series(Actor::User, &request)).await
}

#[tauri::command]
pub async fn reschedule_appointment(
    state: State<'_, AppState>,
    request: RescheduleRequest,
) -> CommandResult<Appointment> {
    blocking(&state, move |store| store.reschedule_appointment(Actor::User, &request)).await
}

#[tauri::command]
pub async fn cancel_appointment(state: State<'_, AppState>, id: Uuid, reason: String) -> CommandResult<CancelOutcome> {
    blocking(&state, move |store| store.cancel_appointment(Actor::User, id, &reason)).await
}

#[tauri::command]
pub async fn mark_no_show(state: State<'_, AppState>, id: Uuid) -> CommandResult<Appointment> {
    blocking(&state, move |store| store.mark_no_show(Actor::User, id)).await
}

#[tauri::command]
pub async fn find_slots(state: State<'_, AppState>, query: SlotQuery) -> CommandResult<Vec<FreeSlot>> {
    blocking(&state, move |store| store.find_slots(&query)).await
}

#[tauri::command]
pub async fn list_waitlist(state: State<'_, AppState>) -> CommandResult<Vec<WaitlistEntry>> {
    blocking(&state, |store| store.waitlist()).await
}

#[tauri::command]
pub async fn add_to_waitlist(state: State<'_, AppState>, entry: NewWaitlistEntry) -> CommandResult<WaitlistEntry> {
    blocking(&state, move |store| store.add_to_waitlist(Actor::User, &entry)).await
}

#[tauri::command]
pub async fn remove_from_waitlist(state: State<'_, AppState>, id: Uuid) -> CommandResult<()> {
    blocking(&state, move |store| store.remove_from_waitlist(Actor::User, id)).await
}

#[tauri::command]
pub async fn book_from_waitlist(
    state: State<'_, AppState>,
    entry_id: Uuid,
    request: BookingRequest,
) -> CommandResult<Appointment> {
    blocking(&state, move |store| store.book_from_waitlist(Actor::User, entry_id, &request)).await
}
