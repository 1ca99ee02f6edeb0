//! The background scheduler: re-plans every task when the clinic's day rolls over (and once at
//! start), takes the daily backup, and raises a desktop notification when tasks fall due. Store
//! calls run on the blocking pool, so the window never waits for it.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use clinic_journey_core::{Actor, Store};
use tauri::{AppHandle, Manager};

use crate::commands::AppState;
use tauri_plugin_notification::NotificationExt;

const TICK: Duration = Duration::from_secs(30);

/// Runs on whichever store the window has open; a tick without one (the database could not be
/// opened yet, or its encryption is changing) waits for the next.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut planned_for: Option<NaiveDate> = None;
        let mut checked_until: Option<DateTime<Utc>> = None;
        loop {
            let Some(store) = app.state::<AppState>().store() else {
                tokio::time::sleep(TICK).await;
                continue;
            };
            let since = *checked_until.get_or_insert_with(|| store.now());
            let tick = tauri::async_runtime::spawn_blocking(move || run_tick(&store, planned_for, since)).await;
            match tick {
                Ok(Ok(outcome)) => {
                    planned_for = outcome.planned;
                    checked_until = Some(outcome.now);
                    if outcome.newly_due > 0 {
                        notify(&app, outcome.newly_due);
                    }
                }
                Ok(Err(e)) => tracing::warn!("scheduler tick failed: {e}"),
                Err(e) => tracing::warn!("scheduler tick did not finish: {e}"),
            }
            tokio::time::sleep(TICK).await;
        }
    });
}

struct TickOutcome {
    /// The day planned for: today once this desk planned it (a desk without the planning role
    /// plans today when it takes the role over).
    planned: Option<NaiveDate>,
    now: DateTime<Utc>,
    newly_due: u32,
}

fn run_tick(
    store: &Store,
    planned_for: Option<NaiveDate>,
    since: DateTime<Utc>,
) -> clinic_journey_core::Result<TickOutcome> {
    let now = store.now();
    let today = store.calendar()?.local_date(now);
    // On the clinic server one desk plans for the clinic (the others plan their own writes).
    let plans_today = planned_for != Some(today) && store.plans_here()?;
    if plans_today {
        let summary = store.plan_all_tasks(Actor::Scheduler)?;
        tracing::info!(
            created = summary.created,
            moved = summary.moved,
            cancelled = summary.cancelled,
            "tasks re-planned for {today}"
        );
        // The re-plan read every visit; an idle app need not keep those pages.
        store.release_memory()?;
    }
    // The daily copy (a failure is recorded for the Backup page, and logged, not raised).
    if let Err(e) = store.back_up_if_due() {
        tracing::warn!(kind = e.kind(), "no daily backup this time");
    }
    let planned = if plans_today { Some(today) } else { planned_for };
    Ok(TickOutcome { planned, now, newly_due: store.tasks_falling_due(since, now)? })
}

/// Says how many tasks fell due, never whose: notifications linger on screens and in the
/// desktop's history.
fn notify(app: &AppHandle, count: u32) {
    let body = if count == 1 { "1 task is due now.".to_string() } else { format!("{count} tasks are due now.") };
    if let Err(e) = app.notification().builder().title("Clinic Journey — Today").body(body).show() {
        tracing::warn!("could not show a notification: {e}");
    }
}
