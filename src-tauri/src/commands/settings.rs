//! The Settings screen and the set-up steps: the clinic, staff, providers, rooms, services
//! and closed days, each written by the same store function the CLI uses.

use clinic_journey_core::domain::clinic::{ClinicSettings, ClosedDay};
use clinic_journey_core::domain::closed_days_file::parse_closed_days;
use clinic_journey_core::domain::journey::{JourneyTemplate, ServiceInput, ServiceType};
use clinic_journey_core::domain::resources::{
    BlockedPeriod, Provider, ProviderInput, Room, RoomInput, Staff, StaffInput,
};
use clinic_journey_core::store::{
    BlockAdded, BlockInput, ClosedDaysAdded, JourneyRow, JourneyRules, MoveScope, NewJourney, RebookCalls, SetupData,
    VisitToMove,
};
use clinic_journey_core::Actor;
use tauri::State;
use uuid::Uuid;

use super::{blocking, AppState, CommandResult};

#[tauri::command]
pub async fn setup_data(state: State<'_, AppState>) -> CommandResult<SetupData> {
    blocking(&state, |store| store.setup_data()).await
}

/// The clinic's details and hours; its closed days are changed one by one (below).
#[tauri::command]
pub async fn save_clinic_details(state: State<'_, AppState>, settings: ClinicSettings) -> CommandResult<()> {
    blocking(&state, move |store| store.save_clinic_details(Actor::User, &settings)).await
}

#[tauri::command]
pub async fn add_closed_day(state: State<'_, AppState>, day: ClosedDay) -> CommandResult<ClosedDaysAdded> {
    blocking(&state, move |store| store.add_closed_day(Actor::User, &day)).await
}

#[tauri::command]
pub async fn remove_closed_day(state: State<'_, AppState>, date: chrono::NaiveDate) -> CommandResult<()> {
    blocking(&state, move |store| store.remove_closed_day(Actor::User, date)).await
}

/// `text` is the content of the `.ics` or `.csv` file the user picked; `name` tells which.
#[tauri::command]
pub async fn import_closed_days(
    state: State<'_, AppState>,
    name: String,
    text: String,
) -> CommandResult<ClosedDaysAdded> {
    blocking(&state, move |store| store.import_closed_days(Actor::User, &parse_closed_days(&name, &text)?)).await
}

#[tauri::command]
pub async fn create_staff(state: State<'_, AppState>, input: StaffInput) -> CommandResult<Staff> {
    blocking(&state, move |store| store.create_staff(Actor::User, &input)).await
}

#[tauri::command]
pub async fn update_staff(state: State<'_, AppState>, id: Uuid, input: StaffInput) -> CommandResult<Staff> {
    blocking(&state, move |store| store.update_staff(Actor::User, id, &input)).await
}

#[tauri::command]
pub async fn create_provider(state: State<'_, AppState>, input: ProviderInput) -> CommandResult<Provider> {
    blocking(&state, move |store| store.create_provider(Actor::User, &input)).await
}

#[tauri::command]
pub async fn update_provider(state: State<'_, AppState>, id: Uuid, input: ProviderInput) -> CommandResult<Provider> {
    blocking(&state, move |store| store.update_provider(Actor::User, id, &input)).await
}

#[tauri::command]
pub async fn create_room(state: State<'_, AppState>, input: RoomInput) -> CommandResult<Room> {
    blocking(&state, move |store| store.create_room(Actor::User, &input)).await
}

#[tauri::command]
pub async fn update_room(state: State<'_, AppState>, id: Uuid, input: RoomInput) -> CommandResult<Room> {
    blocking(&state, move |store| store.update_room(Actor::User, id, &input)).await
}

#[tauri::command]
pub async fn create_service(state: State<'_, AppState>, input: ServiceInput) -> CommandResult<ServiceType> {
    blocking(&state, move |store| store.create_service(Actor::User, &input)).await
}

#[tauri::command]
pub async fn update_service(state: State<'_, AppState>, id: Uuid, input: ServiceInput) -> CommandResult<ServiceType> {
    blocking(&state, move |store| store.update_service(Actor::User, id, &input)).await
}

/// The coming visits that hours changed a moment ago have left outside them.
#[tauri::command]
pub async fn visits_to_move(state: State<'_, AppState>, scope: MoveScope) -> CommandResult<Vec<VisitToMove>> {
    blocking(&state, move |store| store.visits_to_move(scope)).await
}

/// A call to rebook each of these stranded visits, on the front desk's call list.
#[tauri::command]
pub async fn request_rebook_calls(
    state: State<'_, AppState>,
    appointment_ids: Vec<Uuid>,
) -> CommandResult<RebookCalls> {
    blocking(&state, move |store| store.request_rebook_calls(Actor::User, &appointment_ids)).await
}

#[tauri::command]
pub async fn list_blocked_periods(state: State<'_, AppState>) -> CommandResult<Vec<BlockedPeriod>> {
    blocking(&state, |store| store.list_blocked_periods()).await
}

#[tauri::command]
pub async fn add_blocked_period(state: State<'_, AppState>, input: BlockInput) -> CommandResult<BlockAdded> {
    blocking(&state, move |store| store.add_blocked_period(Actor::User, &input)).await
}

#[tauri::command]
pub async fn remove_blocked_period(state: State<'_, AppState>, id: Uuid) -> CommandResult<()> {
    blocking(&state, move |store| store.remove_blocked_period(Actor::User, id)).await
}

#[tauri::command]
pub async fn list_journeys(state: State<'_, AppState>) -> CommandResult<Vec<JourneyRow>> {
    blocking(&state, |store| store.list_journeys()).await
}

#[tauri::command]
pub async fn create_journey(state: State<'_, AppState>, input: NewJourney) -> CommandResult<JourneyTemplate> {
    blocking(&state, move |store| store.create_journey(Actor::User, &input)).await
}

#[tauri::command]
pub async fn rename_journey(state: State<'_, AppState>, family_key: String, name: String) -> CommandResult<()> {
    blocking(&state, move |store| store.rename_journey(Actor::User, &family_key, &name)).await
}

#[tauri::command]
pub async fn set_journey_retired(state: State<'_, AppState>, family_key: String, retired: bool) -> CommandResult<()> {
    blocking(&state, move |store| store.set_journey_retired(Actor::User, &family_key, retired)).await
}

#[tauri::command]
pub async fn rules_overview(state: State<'_, AppState>) -> CommandResult<Vec<JourneyRules>> {
    blocking(&state, |store| store.rules_overview()).await
}
