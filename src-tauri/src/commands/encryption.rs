//! Encryption at rest from the window: the administrator encrypts the clinic's data, changes
//! its passphrase or stores it plain again. The file is written anew while no connection is
//! open on it, so the window closes its store for the moment (commands meanwhile hear
//! `encryption_changing`), changes the file, and opens it again with the same person signed in.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clinic_journey_core::store::encryption::{change_encryption, EncryptionChange};
use clinic_journey_core::store::StartupProblem;
use clinic_journey_core::{Actor, Error, Refusal, Store};
use tauri::{AppHandle, State};

use super::{AppState, CommandResult, Opened};
use crate::data_dir;

/// How long the change waits for commands still using the store to finish with it.
const DRAIN: Duration = Duration::from_secs(10);

/// Whether the clinic's data is encrypted afterwards.
#[tauri::command]
pub async fn change_encryption_now(
    app: AppHandle,
    state: State<'_, AppState>,
    change: EncryptionChange,
) -> CommandResult<bool> {
    let store = state.store_or_problem()?;
    store.check_encryption_change(Actor::User, &change).map_err(|e| e.body())?;
    let member = store.signed_in();
    drop(store);
    let (dir, server, now) = (state.data_dir.clone(), state.server(), state.now);
    let closed = state.replace(Opened::Failed(Box::new(StartupProblem {
        error: Error::refused("", Refusal::EncryptionChanging).body(),
        database_path: data_dir::database(&dir).display().to_string(),
        log_folder: data_dir::logs(&dir).display().to_string(),
    })));
    let (changed, reopened) = tauri::async_runtime::spawn_blocking(move || {
        if let Opened::Ready(store) = closed {
            close(store);
        }
        let database = data_dir::database(&dir);
        let changed = change_encryption(&database, change.current.as_deref(), change.new.as_deref());
        // Opened again with the passphrase it has now: the new one, or (the change failed) the old.
        let key = if changed.is_ok() { change.new } else { change.current };
        (changed, crate::app::open(&dir, &server, now, key.as_deref()))
    })
    .await
    .map_err(|e| Error::Internal(format!("The request did not finish: {e}")).body())?;
    if let Opened::Ready(store) = &reopened {
        store.resume_sign_in(member);
        crate::app::listen(&app, store);
    }
    state.replace(reopened);
    changed.map_err(|e| e.body())?;
    tracing::info!("the clinic's encryption changed from the window");
    Ok(state.store().is_some_and(|s| s.is_encrypted()))
}

/// Drops the window's store once no command holds it any more: its connections close and the
/// file is free to be written anew.
fn close(store: Arc<Store>) {
    let since = Instant::now();
    while Arc::strong_count(&store) > 1 && since.elapsed() < DRAIN {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(store);
}
