//! Task planning and the call list on a large clinic database (a SQLite file, WAL, as the app
//! runs it): the demo clinic grown to ~100,000 appointments over ±5.5 years.
//! - (a) planning + upserting every appointment's tasks from scratch, and, in the same run, the
//!   raw cost of inserting the same rows with one prepared statement in one transaction;
//! - (b) planning again when nothing changed;
//! - (c) the call list of one day on a database with 1,000,000 tasks;
//! - (d) the same while a full re-plan runs on the same store (the midnight scheduler).
//!
//! Run with `cargo bench -p clinic-journey-core --bench tasks`. The first run builds the
//! databases into target/bench-data (a few minutes); later runs reuse them.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::domain::patient::PatientInput;
use clinic_journey_core::domain::reminders::{PlannedTask, TaskKind};
use clinic_journey_core::domain::resources::Role;
use clinic_journey_core::domain::tasks::CallListQuery;
use clinic_journey_core::store::{insert_task_row, INSERT_TASK};
use clinic_journey_core::{Actor, Store};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rusqlite::Connection;
use uuid::Uuid;

const MILLION: i64 = 1_000_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 8, 30, 0).unwrap() // Tuesday 10:30 in Riga
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data")
}

fn open(path: &Path) -> Store {
    Store::open(path).unwrap().with_clock(now)
}

/// The demo clinic over ±2050 days: about 100,000 appointments, their journeys and events.
fn base_database() -> PathBuf {
    demo_database("tasks-base.sqlite3", DemoOptions { patients: 10_000, days: 2050, seed: 11 })
}

fn demo_database(name: &str, options: DemoOptions) -> PathBuf {
    let path = data_dir().join(name);
    if !path.exists() {
        std::fs::create_dir_all(data_dir()).unwrap();
        let building = path.with_extension("building");
        let _ = std::fs::remove_file(&building);
        let store = open(&building);
        load_demo(&store, &options).unwrap();
        store.checkpoint().unwrap();
        drop(store);
        std::fs::rename(&building, &path).unwrap();
    }
    path
}

/// A working copy of a database file (so benchmarks never change the cached ones).
fn copy_of(source: &Path, name: &str) -> PathBuf {
    let path = data_dir().join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(source, &path).unwrap();
    path
}

/// No tasks, and no full plan remembered: the next plan starts from scratch.
fn clear_tasks(path: &Path) {
    drop(open(path)); // migrated to the current schema first
    let c = Connection::open(path).unwrap();
    c.execute_batch("DELETE FROM task_attempts; DELETE FROM tasks; DELETE FROM planning_state;").unwrap();
}

fn count(path: &Path, sql: &str) -> i64 {
    Connection::open(path).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The task rows planning wrote, read back as the planner's own values.
fn planned_rows(path: &Path) -> Vec<PlannedTask> {
    let c = Connection::open(path).unwrap();
    let mut stmt = c
        .prepare(
            "SELECT id, rule_id, appointment_id, journey_id, patient_id, kind, role, due_at, expires_at, max_attempts,
               retry_minutes FROM tasks",
        )
        .unwrap();
    let uuid = |r: &rusqlite::Row, i| Uuid::parse_str(&r.get::<_, String>(i).unwrap()).unwrap();
    let time = |secs: i64| Utc.timestamp_opt(secs, 0).unwrap();
    stmt.query_map([], |r| {
        Ok(PlannedTask {
            id: uuid(r, 0),
            rule_id: uuid(r, 1),
            appointment_id: uuid(r, 2),
            journey_id: uuid(r, 3),
            patient_id: uuid(r, 4),
            kind: TaskKind::parse(&r.get::<_, String>(5)?).unwrap(),
            role: Role::parse(&r.get::<_, String>(6)?).unwrap(),
            due_at: time(r.get(7)?),
            expires_at: r.get::<_, Option<i64>>(8)?.map(time),
            max_attempts: r.get(9)?,
            retry_minutes: r.get(10)?,
        })
    })
    .unwrap()
    .collect::<rusqlite::Result<Vec<_>>>()
    .unwrap()
}

/// The same rows, straight in: one prepared statement, one transaction.
fn raw_insert(path: &Path, rows: &[PlannedTask]) {
    let mut c = Connection::open(path).unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c.pragma_update(None, "synchronous", "NORMAL").unwrap();
    c.pragma_update(None, "cache_size", -32_768).unwrap(); // as the store opens it
    let tx = c.transaction().unwrap();
    {
        let mut stmt = tx.prepare(INSERT_TASK).unwrap();
        let at = now().timestamp();
        for row in rows {
            insert_task_row(&mut stmt, row, at).unwrap();
        }
    }
    tx.commit().unwrap();
}

fn planning(c: &mut Criterion) {
    let base = base_database();
    let path = copy_of(&base, "tasks-planning.sqlite3");
    clear_tasks(&path);
    let store = open(&path);
    let first = store.plan_all_tasks(Actor::System).unwrap();
    drop(store);
    let rows = planned_rows(&path);
    println!(
        "{} appointments in the database; planning looks at the {} a rule can still reach (or with an open task) and writes {} tasks ({} rows read back)",
        count(&path, "SELECT count(*) FROM appointments"),
        first.appointments,
        first.created,
        rows.len()
    );

    let mut group = c.benchmark_group("tasks");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("a: plan + upsert all appointments from scratch", |b| {
        b.iter_batched(
            || {
                clear_tasks(&path);
                open(&path)
            },
            |store| black_box(store.plan_all_tasks(Actor::System).unwrap()),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("a (yardstick): raw insert of the same rows", |b| {
        b.iter_batched(|| clear_tasks(&path), |_| raw_insert(&path, black_box(&rows)), BatchSize::PerIteration)
    });
    clear_tasks(&path);
    open(&path).plan_all_tasks(Actor::System).unwrap();
    group.bench_function("b: plan again, nothing changed", |b| {
        let store = open(&path);
        b.iter(|| {
            let summary = store.plan_all_tasks(Actor::System).unwrap();
            assert_eq!(summary.created + summary.moved + summary.cancelled, 0);
            black_box(summary)
        })
    });
    group.finish();
}

/// A large clinic planned, then padded with closed tasks of past years (and some open ones
/// ahead) until it holds a million task rows.
fn million_task_database() -> PathBuf {
    let path = data_dir().join("tasks-1m.sqlite3");
    if path.exists() && count(&path, "SELECT count(*) FROM tasks") == MILLION {
        return path;
    }
    // A bigger clinic (~150,000 appointments) so a million (rule, appointment) pairs exist.
    let bigger = demo_database("tasks-big.sqlite3", DemoOptions { patients: 14_000, days: 3100, seed: 12 });
    let path = copy_of(&bigger, "tasks-1m.sqlite3");
    open(&path).plan_all_tasks(Actor::System).unwrap();
    let c = Connection::open(&path).unwrap();
    let missing = MILLION - count(&path, "SELECT count(*) FROM tasks");
    // Every (rule, appointment) pair of the same template that has no task yet gets one, due
    // around its appointment: done if that is more than two days ago, open otherwise.
    c.execute(
        "INSERT INTO tasks (id, rule_id, appointment_id, journey_id, patient_id, kind, role, due_at, expires_at, status,
           attempts, max_attempts, retry_minutes, note, created_at, updated_at, closed_at)
         SELECT lower(printf('%s-%s-4%s-8%s-%s', hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2),
                  substr(hex(randomblob(2)), 2), hex(randomblob(6)))), r.id, a.id, j.id, a.patient_id, r.kind, r.role,
                a.starts_at + r.offset_amount * 86400, NULL,
                CASE WHEN a.starts_at + r.offset_amount * 86400 < ?1 - 172800 THEN 'done' ELSE 'open' END,
                1, r.max_attempts, r.retry_minutes, '', a.created_at, a.created_at, NULL
         FROM appointments a
         JOIN patient_journeys j ON j.appointment_id = a.id
         JOIN template_stages s ON s.template_id = j.template_id
         JOIN reminder_rules r ON r.stage_id = s.id
         WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.rule_id = r.id AND t.appointment_id = a.id)
         LIMIT ?2",
        (now().timestamp(), missing),
    )
    .unwrap();
    c.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    assert_eq!(count(&path, "SELECT count(*) FROM tasks"), MILLION, "not enough (rule, appointment) pairs");
    path
}

fn call_list(c: &mut Criterion) {
    let path = million_task_database();
    let store = open(&path);
    let today = store.overview().unwrap().today;
    let query = CallListQuery { date: today, kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
    let list = store.call_list(&query).unwrap();
    println!(
        "call list of {today} on {} tasks ({} open): {} overdue, {} today, {} upcoming",
        count(&path, "SELECT count(*) FROM tasks"),
        count(&path, "SELECT count(*) FROM tasks WHERE status = 'open'"),
        list.overdue,
        list.today,
        list.upcoming
    );
    let mut group = c.benchmark_group("tasks");
    group.bench_function("c: call list of one day, 1,000,000 tasks", |b| {
        b.iter(|| black_box(store.call_list(&query).unwrap()))
    });
    // What the front desk feels after each thing it records: the reload after a write. Here
    // the write corrects a listed patient's phone, so the reload reads that patient's visits
    // again and the others from what the read before kept.
    let patient = store.get_patient(list.rows[list.rows.len() / 2].patient_id).unwrap();
    let mut writes = 0u32;
    group.bench_function("c: call list of one day after a write, 1,000,000 tasks", |b| {
        b.iter_batched(
            || {
                writes += 1;
                let input = PatientInput {
                    given_name: patient.given_name.clone(),
                    family_name: patient.family_name.clone(),
                    birth_date: patient.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                    phone: format!("+371 2000 {:04}", writes % 10_000),
                    phone_alt: patient.phone_alt.clone().unwrap_or_default(),
                    email: patient.email.clone().unwrap_or_default(),
                    preferred_channel: patient.preferred_channel.as_str().into(),
                    preferred_language: patient.preferred_language.clone(),
                    consent_reminders: patient.consent_reminders,
                    do_not_contact: patient.do_not_contact,
                    notes: patient.notes.clone(),
                };
                store.update_patient(Actor::User, patient.id, &input).unwrap();
            },
            // The list is dropped inside the timing, as in the read above.
            |_| {
                black_box(store.call_list(&query).unwrap());
            },
            BatchSize::PerIteration,
        )
    });
    // The first read after the app starts: nothing kept yet, SQLite's page cache empty.
    group.bench_function("c: call list of one day, first read after opening, 1,000,000 tasks", |b| {
        // The store is closed after the timing; the list is dropped inside it.
        b.iter_batched(
            || open(&path),
            |fresh| {
                black_box(fresh.call_list(&query).unwrap());
                fresh
            },
            BatchSize::PerIteration,
        )
    });
    let calls = CallListQuery { kind: Some(TaskKind::Call), ..query.clone() };
    group.bench_function("c: call list of one day, calls only", |b| {
        b.iter(|| black_box(store.call_list(&calls).unwrap()))
    });
    let day_only = CallListQuery { upcoming_days: Some(0), ..query.clone() };
    group.bench_function("c: call list of one day, no coming days", |b| {
        b.iter(|| black_box(store.call_list(&day_only).unwrap()))
    });
    group.finish();
}

/// (d) The call list while the scheduler's full re-plan runs on the same store: screens read
/// through their own connections, so they must not queue behind the writer.
fn call_list_during_replan(c: &mut Criterion) {
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::sync::Arc;
    let path = million_task_database();
    let store = Arc::new(open(&path));
    let today = store.overview().unwrap().today;
    let query = CallListQuery { date: today, kind: None, role: None, assignee_id: None, upcoming_days: Some(7) };
    let stop = Arc::new(AtomicBool::new(false));
    let replans = Arc::new(AtomicU32::new(0));
    let replanning = {
        let (store, stop, replans, path) = (store.clone(), stop.clone(), replans.clone(), path.clone());
        std::thread::spawn(move || {
            // Each time as after an upgrade or a change of rules: every appointment looked at.
            let forget = Connection::open(&path).unwrap();
            while !stop.load(Ordering::Relaxed) {
                forget.execute("DELETE FROM planning_state", []).unwrap();
                store.plan_all_tasks(Actor::Scheduler).unwrap();
                replans.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // Wait for the first re-plan to be under way before measuring.
    std::thread::sleep(Duration::from_millis(200));
    let mut group = c.benchmark_group("tasks");
    group.bench_function("d: call list of one day while every appointment is re-planned", |b| {
        b.iter(|| black_box(store.call_list(&query).unwrap()))
    });
    group.finish();
    stop.store(true, Ordering::Relaxed);
    replanning.join().unwrap();
    println!("{} full re-plans ran during the measurement", replans.load(Ordering::Relaxed));
}

criterion_group!(benches, planning, call_list, call_list_during_replan);
criterion_main!(benches);
