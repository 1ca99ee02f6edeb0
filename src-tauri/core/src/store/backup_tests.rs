//! Backups, the backup plan and restore, on files in a temporary folder.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::Connection;

use super::{Actor, Store, SCHEMA_VERSION};
use crate::demo::{load_demo, DemoOptions};
use crate::domain::backups::{BackupPlan, BackupReason};
use crate::domain::patient::PatientInput;

/// Every table's rows (but those of `skip`), in a fixed order, as text.
fn dump_without(path: &Path, skip: &[&str]) -> String {
    dump_keyed(path, None, skip)
}

/// As `dump_without`, of a database encrypted with `key`.
pub(super) fn dump_keyed(path: &Path, key: Option<&str>, skip: &[&str]) -> String {
    let c = Connection::open(path).unwrap();
    if let Some(key) = key {
        c.pragma_update(None, "key", key).unwrap();
    }
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = String::new();
    for table in tables.iter().filter(|t| !skip.contains(&t.as_str())) {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        let mut lines = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<String> = (0..columns)
                .map(|i| match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                    other => format!("{other:?}"),
                })
                .collect();
            lines.push(format!("{table}: {}\n", values.join(", ")));
        }
        lines.sort();
        out.extend(lines);
    }
    out
}

fn dump(path: &Path) -> String {
    dump_without(path, &[])
}

/// Fails with the rows only one of two dumps has (the first few of each).
pub(super) fn assert_same(left: &str, right: &str, what: &str) {
    if left != right {
        let only = |a: &str, b: &str| a.lines().filter(|l| !b.contains(l)).take(5).collect::<Vec<_>>().join("\n");
        panic!("{what}\nonly in the first:\n{}\nonly in the second:\n{}", only(left, right), only(right, left));
    }
}

/// A clock the test moves by hand.
#[derive(Clone)]
struct Clock(Arc<Mutex<DateTime<Utc>>>);

impl Clock {
    fn at(start: DateTime<Utc>) -> Self {
        Clock(Arc::new(Mutex::new(start)))
    }
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

fn demo_store(path: &Path, clock: &Clock) -> Store {
    let clock = clock.clone();
    let store = Store::open(path).unwrap().with_clock(move || *clock.0.lock().unwrap());
    load_demo(&store, &DemoOptions { patients: 30, days: 5, seed: 4 }).unwrap();
    store
}

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap()
}

fn patient(name: &str) -> PatientInput {
    PatientInput::example(name, "Restorova")
}

#[test]
fn a_backup_holds_exactly_the_database_and_opens_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("clinic.sqlite3");
    let store = demo_store(&original, &Clock::at(noon()));
    let made = store.backup_to(&dir.path().join("backups"), BackupReason::Manual).unwrap();
    let copy = PathBuf::from(&made.path);
    assert_eq!(copy.file_name().unwrap().to_str().unwrap(), "clinic-journey-20261202-100000.sqlite3");
    assert_eq!(made.bytes, std::fs::metadata(&copy).unwrap().len());
    assert!(!copy.with_extension("partial").exists(), "no temporary copy left behind");
    store.checkpoint().unwrap();
    let copied = dump(&copy);
    assert!(copied.contains("patients: "), "the copy holds the clinic");
    assert_same(&copied, &dump(&original), "the copy differs from the database");
    // On its own: no -wal beside it, and a store opens it as it is.
    assert!(!copy.with_extension("sqlite3-wal").exists());
    let reopened = Store::open(&copy).unwrap();
    assert_eq!(reopened.list_patients("", 100).unwrap().total, store.list_patients("", 100).unwrap().total);
    // A second copy in the same second gets a name of its own.
    let second = store.backup_to(&dir.path().join("backups"), BackupReason::Manual).unwrap();
    assert!(second.path.ends_with("clinic-journey-20261202-100000-2.sqlite3"), "{}", second.path);
}

#[test]
fn a_backup_into_a_place_that_cannot_hold_one_is_refused_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("clinic.sqlite3")).unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let refused = store.backup_to(&file, BackupReason::Manual).unwrap_err();
    assert_eq!(refused.kind(), "io", "{refused:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    let out = dir.path().join("copy.sqlite3");
    store.backup_to_file(&out).unwrap();
    let twice = store.backup_to_file(&out).unwrap_err();
    assert_eq!(twice.reason(), Some("file_exists"));
}

#[test]
fn a_restore_brings_back_exactly_what_the_backup_held_and_keeps_what_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("clinic.sqlite3");
    let clock = Clock::at(noon());
    let store = demo_store(&database, &clock);
    let backup = PathBuf::from(store.back_up_now(Actor::User).unwrap().path);
    // Besides the data: the plan of this desk, the log (compared below), and when the tasks
    // were last planned (the restore plans them).
    const BESIDES: [&str; 3] = ["backup_plan", "audit_log", "planning_state"];
    let held = dump_without(&backup, &BESIDES);

    // Work after the backup: a new patient, a moved backup plan.
    clock.advance(Duration::hours(1));
    store.create_patient(Actor::User, &patient("Anna")).unwrap();
    let plan = BackupPlan { folder: dir.path().join("usb").display().to_string(), daily: true, keep_days: 30 };
    store.save_backup_plan(Actor::User, &plan).unwrap();
    assert_eq!(store.list_patients("Restorova", 10).unwrap().total, 1);
    let before_restore = dump_without(&database, &BESIDES);
    assert_ne!(before_restore, held);

    let preview = store.preview_backup(&backup).unwrap();
    assert_eq!(preview.clinic_name, "Riverside Family Clinic");
    assert_eq!((preview.patients, preview.schema_version, preview.needs_upgrade), (30, SCHEMA_VERSION as u32, false));
    assert_eq!(preview.taken_at, Some(noon()));
    assert_eq!(preview.reason, Some(BackupReason::Manual));
    assert!(preview.first_visit.is_some() && preview.first_visit <= preview.last_visit);

    let restored = store.restore_backup(Actor::User, &backup).unwrap();
    store.checkpoint().unwrap();
    assert_same(&dump_without(&database, &BESIDES), &held, "the data differs from the backup's");
    assert_eq!(store.list_patients("Restorova", 10).unwrap().total, 0);
    // The audit log is the backup's, and then the restore.
    let log = |path: &Path| {
        dump_without(path, &[]).lines().filter(|l| l.starts_with("audit_log: ")).map(String::from).collect::<Vec<_>>()
    };
    let (now, then) = (log(&database), log(&backup));
    assert!(then.iter().all(|row| now.contains(row)), "an audit row of the backup is missing");
    assert_eq!(now.len(), then.len() + 1);
    assert!(now.iter().any(|row| row.contains("\"restore\"")));
    // This desk's plan stays; what was replaced is kept, whole, in the plan's folder.
    assert_eq!(store.backup_plan().unwrap(), plan);
    let saved = PathBuf::from(&restored.saved_as.path);
    assert!(saved.starts_with(dir.path().join("usb")) && saved.to_str().unwrap().ends_with("-before-restore.sqlite3"));
    assert_same(&dump_without(&saved, &BESIDES), &before_restore, "the copy before the restore");
}

#[test]
fn a_file_that_is_no_good_backup_is_refused_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("clinic.sqlite3");
    let store = demo_store(&database, &Clock::at(noon()));
    let good = PathBuf::from(store.back_up_now(Actor::User).unwrap().path);
    store.checkpoint().unwrap();
    let untouched = dump(&database);

    let text = dir.path().join("notes.sqlite3");
    std::fs::write(&text, "not a database at all, but long enough to look like one ".repeat(100)).unwrap();
    let other = dir.path().join("other.sqlite3");
    Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x); PRAGMA user_version = 3;").unwrap();
    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&good, &newer).unwrap();
    Connection::open(&newer).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    // A page in the middle of the file overwritten: the file still opens, its check fails.
    let damaged = dir.path().join("damaged.sqlite3");
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 4096 / 2 * 4096;
    bytes[middle..middle + 4096].fill(0x5a);
    std::fs::write(&damaged, bytes).unwrap();

    let cases: [(&Path, &str); 6] = [
        (&dir.path().join("missing.sqlite3"), "unreadable_file"),
        (&text, "not_a_backup"),
        (&other, "not_a_backup"),
        (dir.path(), "not_a_backup"),
        (&damaged, "damaged_backup"),
        (&database, "restore_of_itself"),
    ];
    for (file, reason) in cases {
        let refused = store.restore_backup(Actor::User, file).unwrap_err();
        assert_eq!(refused.reason(), Some(reason), "{}: {refused:?}", file.display());
    }
    assert_eq!(store.restore_backup(Actor::User, &newer).unwrap_err().kind(), "database_too_new");
    store.checkpoint().unwrap();
    assert_same(&dump(&database), &untouched, "a refused restore changed the database");
    assert_eq!(store.list_backups().unwrap().len(), 1, "a refused restore took a copy");
}

#[test]
fn a_backup_made_by_an_earlier_version_is_upgraded_by_its_restore() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v11.sqlite3");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v11.sqlite3"), &old).unwrap();
    let patients: i64 =
        Connection::open(&old).unwrap().query_row("SELECT count(*) FROM patients", [], |r| r.get(0)).unwrap();
    let store = Store::open(&dir.path().join("clinic.sqlite3")).unwrap();
    let preview = store.preview_backup(&old).unwrap();
    assert_eq!((preview.schema_version, preview.needs_upgrade, preview.patients), (11, true, patients as u64));
    store.restore_backup(Actor::User, &old).unwrap();
    let version: i64 = Connection::open(dir.path().join("clinic.sqlite3"))
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(store.list_patients("", 1000).unwrap().total, patients as u32);
}

#[test]
fn opening_a_database_of_an_earlier_version_copies_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("clinic.sqlite3");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v12.sqlite3"), &database).unwrap();
    let before = dump(&database);
    Store::open(&database).unwrap();
    let copies: Vec<_> = std::fs::read_dir(dir.path().join("backups")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert!(copies[0].to_str().unwrap().ends_with("-before-upgrade.sqlite3"));
    assert_same(&dump(&copies[0]), &before, "the copy is the database as it was before the upgrade");
    // Opened again, already upgraded: no other copy.
    Store::open(&database).unwrap();
    assert_eq!(std::fs::read_dir(dir.path().join("backups")).unwrap().count(), 1);
}

#[test]
fn the_daily_backup_runs_once_a_day_keeps_the_plans_days_and_records_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::at(noon());
    let store = demo_store(&dir.path().join("clinic.sqlite3"), &clock);
    let folder = dir.path().join("usb");
    let plan = BackupPlan { folder: folder.display().to_string(), daily: true, keep_days: 2 };
    store.save_backup_plan(Actor::User, &plan).unwrap();

    let first = store.back_up_if_due().unwrap().expect("the first run of the day takes a copy");
    assert!(first.path.ends_with("-daily.sqlite3"));
    assert_eq!(store.back_up_if_due().unwrap(), None, "one a day");
    for _ in 0..4 {
        clock.advance(Duration::days(1));
        store.back_up_if_due().unwrap().expect("a new day, a new copy");
    }
    // Kept: those of the last two days (and the one taken exactly two days ago).
    let kept: Vec<_> = store.list_backups().unwrap().iter().map(|f| f.taken_at).collect();
    assert_eq!(kept, vec![clock.now(), clock.now() - Duration::days(1), clock.now() - Duration::days(2)]);
    let status = store.backup_status().unwrap();
    assert_eq!(status.last.as_ref().map(|l| l.taken_at), Some(clock.now()));
    assert!(status.failure.is_none());

    // The stick is gone (a file where the folder was): the failure shows, and is tried again
    // an hour later, not at every tick.
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, "").unwrap();
    clock.advance(Duration::days(1));
    let failed = store.back_up_if_due().unwrap_err();
    let status = store.backup_status().unwrap_or_else(|e| panic!("{e}"));
    let failure = status.failure.expect("the failure is recorded");
    assert_eq!((failure.at, failure.error.kind.as_str()), (clock.now(), failed.kind()));
    assert_eq!(store.back_up_if_due().unwrap(), None);
    std::fs::remove_file(&folder).unwrap();
    clock.advance(Duration::minutes(61));
    store.back_up_if_due().unwrap().expect("tried again an hour later");
    assert!(store.backup_status().unwrap().failure.is_none());
}

impl Clock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}
