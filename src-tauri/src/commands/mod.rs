//! Thin `#[tauri::command]` wrappers, one file per area. Each runs its store call off the UI
//! thread and returns errors as `{ kind, message, field, details }`.

mod access;
mod backup;
mod blueprint;
mod clinic;
mod encryption;
mod flow;
mod interchange;
mod patients;
mod quality;
mod schedule;
mod server;
mod settings;
mod tasks;

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use clinic_journey_core::store::StartupProblem;
use clinic_journey_core::{Error, ErrorBody, Refusal, Store};
use tauri::{AppHandle, Manager};

/// The database, or why it could not be opened.
pub enum Opened {
    Ready(Arc<Store>),
    Failed(Box<StartupProblem>),
}

pub struct AppState {
    opened: RwLock<Opened>,
    /// The reception kiosk's survey and PIN, while the window is handed to a patient.
    pub kiosk: std::sync::Mutex<Option<clinic_journey_core::domain::kiosk::KioskLock>>,
    /// The file the window handed over for import (mapped, previewed, then applied).
    pub import_file: std::sync::Mutex<Option<Vec<u8>>>,
    /// Set by the window's cancel button while an import is written.
    pub import_cancel: Arc<std::sync::atomic::AtomicBool>,
    /// What `retry_open` needs to try again.
    data_dir: PathBuf,
    server: std::sync::Mutex<crate::server_cli::ServerArgs>,
    now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl AppState {
    pub fn new(
        opened: Opened,
        data_dir: PathBuf,
        server: crate::server_cli::ServerArgs,
        now: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) -> Self {
        AppState {
            opened: RwLock::new(opened),
            kiosk: std::sync::Mutex::new(None),
            import_file: std::sync::Mutex::new(None),
            import_cancel: Arc::default(),
            data_dir,
            server: std::sync::Mutex::new(server),
            now,
        }
    }

    /// Where the window opens the clinic (the server given or chosen, else the file).
    pub fn server(&self) -> crate::server_cli::ServerArgs {
        self.server.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn set_server(&self, server: crate::server_cli::ServerArgs) {
        *self.server.lock().unwrap_or_else(PoisonError::into_inner) = server;
    }

    pub fn store(&self) -> Option<Arc<Store>> {
        match &*self.opened.read().unwrap_or_else(PoisonError::into_inner) {
            Opened::Ready(store) => Some(store.clone()),
            Opened::Failed(_) => None,
        }
    }

    pub fn problem(&self) -> Option<StartupProblem> {
        match &*self.opened.read().unwrap_or_else(PoisonError::into_inner) {
            Opened::Ready(_) => None,
            Opened::Failed(problem) => Some((**problem).clone()),
        }
    }

    /// Puts `opened` in place of what the window had, and gives that back.
    pub fn replace(&self, opened: Opened) -> Opened {
        std::mem::replace(&mut *self.opened.write().unwrap_or_else(PoisonError::into_inner), opened)
    }

    pub fn store_or_problem(&self) -> CommandResult<Arc<Store>> {
        match &*self.opened.read().unwrap_or_else(PoisonError::into_inner) {
            Opened::Ready(store) => Ok(store.clone()),
            Opened::Failed(problem) => Err(problem.error.clone()),
        }
    }
}

pub type CommandResult<T> = Result<T, ErrorBody>;

/// Runs a blocking store call on tokio's blocking pool.
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    call: impl FnOnce(&Store) -> clinic_journey_core::Result<T> + Send + 'static,
) -> CommandResult<T> {
    let store = state.store_or_problem()?;
    tauri::async_runtime::spawn_blocking(move || call(&store))
        .await
        .map_err(|e| Error::Internal(format!("The request did not finish: {e}")).body())?
        .map_err(|e| {
            tracing::warn!(kind = e.kind(), "command refused");
            e.body()
        })
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        clinic::clinic_overview,
        clinic::server_link,
        server::clinic_server_page,
        server::check_clinic_server,
        server::move_clinic_to_server,
        server::work_on_clinic_server,
        server::work_on_own_file,
        clinic::startup_problem,
        clinic::retry_open,
        clinic::load_demo_clinic,
        clinic::first_paint,
        patients::list_patients,
        patients::get_patient,
        patients::create_patient,
        patients::update_patient,
        schedule::list_service_types,
        schedule::list_providers,
        schedule::list_rooms,
        schedule::schedule_view,
        schedule::book_appointment,
        schedule::book_series,
        schedule::reschedule_appointment,
        schedule::cancel_appointment,
        schedule::mark_no_show,
        schedule::find_slots,
        schedule::list_waitlist,
        schedule::add_to_waitlist,
        schedule::remove_from_waitlist,
        schedule::book_from_waitlist,
        flow::flow_board,
        flow::move_on_flow_board,
        flow::journey_timeline,
        flow::journey_of_appointment,
        flow::patient_journeys,
        settings::setup_data,
        settings::save_clinic_details,
        settings::remove_closed_day,
        settings::add_closed_day,
        settings::import_closed_days,
        settings::create_staff,
        settings::update_staff,
        settings::create_provider,
        settings::update_provider,
        settings::create_room,
        settings::update_room,
        settings::create_service,
        settings::update_service,
        settings::visits_to_move,
        quality::insights,
        quality::start_kiosk,
        quality::kiosk_state,
        quality::submit_kiosk,
        quality::end_kiosk,
        quality::export_insights_table,
        quality::export_chart_png,
        quality::forecast_day,
        quality::record_survey,
        quality::kiosk_survey,
        quality::list_kano_features,
        quality::add_kano_feature,
        quality::standards_setup,
        quality::set_standard_active,
        quality::update_standard,
        quality::set_servqual_weights,
        quality::add_standard,
        quality::record_audit,
        settings::request_rebook_calls,
        settings::list_blocked_periods,
        settings::add_blocked_period,
        settings::remove_blocked_period,
        settings::list_journeys,
        settings::create_journey,
        settings::rename_journey,
        settings::set_journey_retired,
        settings::rules_overview,
        tasks::call_list,
        tasks::record_task_outcome,
        tasks::assign_task,
        tasks::list_staff,
        tasks::export_call_list,
        blueprint::blueprint,
        blueprint::blueprint_drawing,
        blueprint::save_blueprint,
        blueprint::stage_removal,
        blueprint::role_duties,
        blueprint::export_blueprint,
        backup::backup_status,
        backup::save_backup_plan,
        backup::back_up_now,
        backup::preview_backup,
        backup::restore_backup,
        access::sign_in_state,
        access::sign_in,
        access::sign_out,
        access::set_staff_pin,
        access::set_idle_lock_minutes,
        access::audit_log,
        access::export_audit_log,
        access::export_patient_data,
        access::erase_patient,
        encryption::change_encryption_now,
        interchange::export_file,
        interchange::calendar_feeds,
        interchange::add_calendar_feed,
        interchange::remove_calendar_feed,
        interchange::stage_import_file,
        interchange::import_mapping,
        interchange::run_import,
        interchange::cancel_import,
    ]
}

/// Where exports go: the user's Downloads folder, or Documents, or ~/Downloads on desktops
/// without XDG user folders configured (it is created when the file is written).
pub fn export_folder(app: &AppHandle) -> CommandResult<PathBuf> {
    let paths = app.path();
    paths
        .download_dir()
        .or_else(|_| paths.document_dir())
        .or_else(|_| paths.home_dir().map(|home| home.join("Downloads")))
        .map_err(|e| Error::refused("folder", Refusal::NoFolder { detail: e.to_string() }).body())
}
