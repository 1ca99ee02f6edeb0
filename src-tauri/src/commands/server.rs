//! Settings › Clinic server: test a server, move this desk's clinic onto it, work on it (the
//! choice kept for the next start), or back on this desk's own file. Switching replaces the
//! window's store; every screen then reads again.

use clinic_journey_core::server::{self, ServerCheck, ServerForm};
use clinic_journey_core::store::{Change, ClinicServerPage, MovedToServer};
use clinic_journey_core::{Actor, Error};
use tauri::{AppHandle, Emitter, State};

use super::{blocking, AppState, CommandResult, Opened};
use crate::server_choice;

#[tauri::command]
pub async fn clinic_server_page(state: State<'_, AppState>) -> CommandResult<ClinicServerPage> {
    blocking(&state, |store| store.clinic_server_page()).await
}

/// Connects to the server of `form` and says what is there (its version, the link, the clinic).
#[tauri::command]
pub async fn check_clinic_server(state: State<'_, AppState>, form: ServerForm) -> CommandResult<ServerCheck> {
    let form = with_saved_password(&state, form);
    off_the_window(move || server::check(&form.address()?)).await
}

/// Moves this desk's clinic onto the (empty) server of `form`; this desk keeps its file.
#[tauri::command]
pub async fn move_clinic_to_server(state: State<'_, AppState>, form: ServerForm) -> CommandResult<MovedToServer> {
    let form = with_saved_password(&state, form);
    blocking(&state, move |store| store.move_to_server(Actor::User, &form.address()?)).await
}

/// This desk works on the server of `form` from now on (and at every start).
#[tauri::command]
pub async fn work_on_clinic_server(
    app: AppHandle,
    state: State<'_, AppState>,
    form: ServerForm,
) -> CommandResult<ClinicServerPage> {
    let form = with_saved_password(&state, form);
    let mut chosen = state.server();
    chosen.chosen = Some(form.clone());
    let (dir, now) = (state.data_dir.clone(), state.now);
    let opened = off_the_window(move || {
        let address = form.address()?;
        let store = crate::cli::open_store(&crate::cli::Place::Server(Box::new(address)), &dir, now, None)?;
        server_choice::save(&dir, &form).map_err(Error::from)?;
        Ok(store)
    })
    .await?;
    state.set_server(chosen);
    switch_to(&app, &state, Opened::Ready(std::sync::Arc::new(opened)))
}

/// This desk works on its own file again (the server's clinic stays on the server).
#[tauri::command]
pub async fn work_on_own_file(app: AppHandle, state: State<'_, AppState>) -> CommandResult<ClinicServerPage> {
    let (dir, now) = (state.data_dir.clone(), state.now);
    let own = crate::server_cli::ServerArgs::default();
    let passphrase = crate::encryption_cli::passphrase();
    let opened = off_the_window(move || {
        server_choice::forget(&dir).map_err(Error::from)?;
        Ok(crate::app::open(&dir, &own, now, passphrase.as_deref()))
    })
    .await?;
    state.set_server(crate::server_cli::ServerArgs::default());
    switch_to(&app, &state, opened)
}

/// The window's store replaced: its changes announced, every screen told to read again.
fn switch_to(app: &AppHandle, state: &AppState, opened: Opened) -> CommandResult<ClinicServerPage> {
    if let Opened::Ready(store) = &opened {
        crate::app::listen(app, store);
    }
    state.replace(opened);
    if let Err(e) = app.emit("data-changed", Change::from_other_process()) {
        tracing::warn!("could not tell the window to read again: {e}");
    }
    if let Err(e) = app.emit("server-link", state.store().and_then(|store| store.server_link())) {
        tracing::warn!("could not tell the window of the server link: {e}");
    }
    state.store_or_problem()?.clinic_server_page().map_err(|e| e.body())
}

/// The form as typed; a password left empty is the saved one's for the same server and role.
fn with_saved_password(state: &AppState, mut form: ServerForm) -> ServerForm {
    if form.password.is_empty() {
        if let Some(saved) =
            state.server().chosen.filter(|saved| ServerForm { password: String::new(), ..saved.clone() } == form)
        {
            form.password = saved.password;
        }
    }
    form
}

async fn off_the_window<T: Send + 'static>(
    call: impl FnOnce() -> clinic_journey_core::Result<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(call)
        .await
        .map_err(|e| Error::Internal(format!("The request did not finish: {e}")).body())?
        .map_err(|e| e.body())
}
