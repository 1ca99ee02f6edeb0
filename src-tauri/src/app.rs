//! The desktop window: opens the store, wires its change events to the UI, and serves the
//! commands. A database that cannot be opened still gets a window, which says what happened
//! and what to do, instead of a process that exits with text on a console nobody sees.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clinic_journey_core::server::live::ChangeFeed;
use clinic_journey_core::store::{Change, StartupProblem};
use clinic_journey_core::Store;
use tauri::{AppHandle, Emitter, Manager};

use crate::cli::Place;
use crate::commands::{self, AppState, Opened};
use crate::data_dir;
use crate::server_cli::ServerArgs;
use crate::startup::StartupProbe;

pub fn run(
    dir: &Path,
    server: &ServerArgs,
    now: Option<DateTime<chrono::FixedOffset>>,
    startup: StartupProbe,
) -> Result<(), String> {
    let _log_guard = start_logging(dir);
    log_panics();
    let database = data_dir::database(dir);
    let opened = open(dir, server, now, crate::encryption_cli::passphrase().as_deref());
    let state = AppState::new(opened, dir.to_path_buf(), server.clone(), now);

    tauri::Builder::default()
        // First: a second launch on the same database brings this window forward and exits,
        // rather than running a second scheduler on the same file. Another data folder (a
        // training copy, a test) is another instance.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(data_dir::instance_id(&database))
                .callback(|app, _args, _cwd| bring_forward(app))
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        .manage(state)
        .manage(startup)
        .setup(move |app| {
            if let Some(store) = app.state::<AppState>().store() {
                listen(app.handle(), &store);
            }
            // They work on whichever store is open (none while it cannot be, or while its
            // encryption changes), so a store opened later needs nothing more than `listen`.
            watch_other_processes(app.handle().clone());
            watch_other_desks(app.handle().clone());
            crate::scheduler::start(app.handle().clone());
            if let Some(window) = app.get_webview_window("main") {
                window.set_title("Clinic Journey").ok();
                lighter_caches(&window);
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .map_err(|e| format!("the window could not start: {e}"))
}

/// One local page and no browsing: WebKit's "document viewer" cache model keeps none of the
/// page and resource caches a browser needs (its default is "web browser"). `make measure`
/// shows the idle memory this saves.
#[cfg(target_os = "linux")]
fn lighter_caches(window: &tauri::WebviewWindow) {
    use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
    let set = window.with_webview(|webview| {
        if let Some(context) = webview.inner().context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    if let Err(e) = set {
        tracing::warn!("the window's cache model could not be set: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
fn lighter_caches(_window: &tauri::WebviewWindow) {}

/// Opens the clinic (the file in `dir`, or the clinic server when one is given), or says why
/// not (logged, and shown by the window). An encrypted file opens with `passphrase` (typed in
/// the window, or the environment's for a kiosk or a test).
pub fn open(
    dir: &Path,
    server: &ServerArgs,
    now: Option<DateTime<chrono::FixedOffset>>,
    passphrase: Option<&str>,
) -> Opened {
    let place = Place::of(dir, server);
    let described = place.as_ref().map_or_else(|_| server.server.clone().unwrap_or_default(), Place::describe);
    match place.and_then(|place| crate::cli::open_store(&place, dir, now, passphrase)) {
        Ok(store) => {
            tracing::info!(schema = clinic_journey_core::store::SCHEMA_VERSION, "database opened");
            Opened::Ready(Arc::new(store))
        }
        Err(e) => {
            tracing::error!(kind = e.kind(), "the database could not be opened: {e}");
            Opened::Failed(Box::new(StartupProblem {
                error: e.body(),
                database_path: described,
                log_folder: data_dir::logs(dir).display().to_string(),
            }))
        }
    }
}

/// Announces every committed write of `store` to the window.
pub fn listen(app: &AppHandle, store: &Store) {
    let handle = app.clone();
    // One event per committed write; every open screen refreshes what it shows.
    store.on_change(move |change| {
        if let Err(e) = handle.emit("data-changed", change) {
            tracing::warn!("could not announce a change: {e}");
        }
        refresh_calendar_files(&handle, change);
    });
    refresh_calendar_files(app, &Change::from_other_process());
}

/// Whether calendar files are being rewritten now, and whether a change came meanwhile.
static FEEDS_BUSY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static FEEDS_AGAIN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Rewrites the calendar files kept current after a change of what they show, off the
/// writer's thread and one rewrite at a time (a change during one brings one more).
fn refresh_calendar_files(app: &AppHandle, change: &Change) {
    use clinic_journey_core::store::Entity;
    use std::sync::atomic::Ordering::SeqCst;
    let shown = [Entity::Appointments, Entity::Patients, Entity::Providers, Entity::Rooms, Entity::ServiceTypes];
    if !change.entities.iter().any(|e| shown.contains(e)) {
        return;
    }
    FEEDS_AGAIN.store(true, SeqCst);
    if FEEDS_BUSY.swap(true, SeqCst) {
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || loop {
        while FEEDS_AGAIN.swap(false, SeqCst) {
            let Some(store) = app.state::<AppState>().store() else { break };
            if let Err(e) = store.refresh_calendar_feeds() {
                tracing::warn!("could not rewrite the calendar files: {e}");
            }
        }
        FEEDS_BUSY.store(false, SeqCst);
        // A change that came between the last rewrite and now, while this one looked busy.
        if !FEEDS_AGAIN.load(SeqCst) || FEEDS_BUSY.swap(true, SeqCst) {
            break;
        }
    });
}

/// How often the window looks whether another process (the command line, a script) committed
/// to the file: one `PRAGMA data_version`, so a CLI booking shows within about a second.
const OTHER_PROCESS_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Announces writes committed by other processes on the same file, which the store's own
/// change events cannot see. (A store's first look only takes note of the version it starts
/// from.)
fn watch_other_processes(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(OTHER_PROCESS_CHECK).await;
            let Some(store) = app.state::<AppState>().store() else { continue };
            match tauri::async_runtime::spawn_blocking(move || store.other_process_committed()).await {
                Ok(Ok(true)) => {
                    if let Err(e) = app.emit("data-changed", Change::from_other_process()) {
                        tracing::warn!("could not announce another process's change: {e}");
                    }
                    refresh_calendar_files(&app, &Change::from_other_process());
                }
                Ok(Ok(false)) => {}
                Ok(Err(e)) => tracing::warn!("could not read the data version: {e}"),
                Err(e) => tracing::warn!("the data version check did not finish: {e}"),
            }
        }
    });
}

/// For a desk on the clinic server: hears what the other desks commit (every screen that shows
/// it refreshes, within a second) and whether the server still answers (the window's banner,
/// and writes paused while it does not). Its own thread: a feed waits on its connection.
fn watch_other_desks(app: AppHandle) {
    std::thread::spawn(move || {
        let mut feed: Option<(Arc<Store>, ChangeFeed)> = None;
        let mut unreachable_since = None;
        let mut told = None;
        loop {
            let Some(store) = app.state::<AppState>().store().filter(|s| !s.is_file()) else {
                // Back on the desk's own file (or nothing open): the server's listener goes.
                (feed, unreachable_since, told) = (None, None, None);
                std::thread::sleep(OTHER_DESKS_WAIT);
                continue;
            };
            if !feed.as_ref().is_some_and(|(heard, _)| Arc::ptr_eq(heard, &store)) {
                feed = match store.listen_to_other_desks() {
                    Ok(listening) => listening.map(|listening| (store.clone(), listening)),
                    Err(e) => {
                        // Not reached at all yet (it was when the store opened): cut off.
                        tracing::warn!(kind = e.kind(), "the clinic server's changes cannot be heard: {e}");
                        unreachable_since.get_or_insert_with(|| store.now());
                        tell_link(&app, &store, unreachable_since, &mut told);
                        std::thread::sleep(OTHER_DESKS_WAIT);
                        continue;
                    }
                };
                unreachable_since = None;
            }
            let Some((store, listening)) = feed.as_mut() else { continue };
            match listening.next(OTHER_DESKS_WAIT) {
                Ok(Some(change)) => {
                    if let Err(e) = app.emit("data-changed", &change) {
                        tracing::warn!("could not announce another desk's change: {e}");
                    }
                    // The desk that plans the clinic's day keeps its calendar files current.
                    refresh_calendar_files(&app, &change);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(kind = e.kind(), "the clinic server refused this desk's listener: {e}"),
            }
            let since = listening.cut_off_since();
            tell_link(&app, store, since, &mut told);
        }
    });
}

/// How long the listener waits for a change before it looks at the link again.
const OTHER_DESKS_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Tells the store and the window whether the desk is cut off, when that changed.
fn tell_link(
    app: &AppHandle,
    store: &Store,
    cut_off_since: Option<DateTime<Utc>>,
    told: &mut Option<Option<DateTime<Utc>>>,
) {
    store.note_cut_off(cut_off_since);
    if *told == Some(cut_off_since) {
        return;
    }
    *told = Some(cut_off_since);
    if let Some(cut_off_since) = cut_off_since {
        tracing::warn!(%cut_off_since, "no connection to the clinic server");
    }
    if let Err(e) = app.emit("server-link", store.server_link()) {
        tracing::warn!("could not tell the window of the server link: {e}");
    }
}

fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        window.unminimize().ok();
        window.show().ok();
        window.set_focus().ok();
    }
}

/// Lines waiting for the log file's writer thread. Beyond it lines are dropped (the default,
/// lossy) rather than hold up a command while the disk is slow.
const LOG_QUEUE_LINES: usize = 4_096;

/// Logs go to a daily file in the data folder; they never carry patient details.
fn start_logging(dir: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let appender = tracing_appender::rolling::daily(data_dir::logs(dir), "clinic-journey.log");
    // The default queue holds 128,000 lines, a 4 MB buffer filled in at start that stayed
    // resident all day; this app logs a few lines a minute.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .finish(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("CLINIC_JOURNEY_LOG").unwrap_or_else(|_| "info".into());
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter).try_init().ok()?;
    Some(guard)
}

/// A panic anywhere (the scheduler, a command) is written to the log as well as to stderr.
fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("panic: {info}");
        default(info);
    }));
}
