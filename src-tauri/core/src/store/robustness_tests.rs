//! The store survives what a day can throw at it: a panic inside a call, a crash in the
//! middle of an upgrade, a file another program holds, a damaged file.

use std::path::Path;

use rusqlite::Connection;

use super::tests::{count, patient, store};
use super::{Actor, Store, SCHEMA_VERSION};
use crate::domain::access::Work;
use crate::error::Error;

#[test]
fn a_panic_inside_a_write_rolls_it_back_and_the_store_carries_on() {
    let store = store();
    patient(&store, "Anna", "Petrova", "+371 2000 0001");
    let err = store
        .write(Actor::User, Work::ClinicSetup, |w| -> crate::Result<()> {
            w.sqlite()?.execute("DELETE FROM patients", [])?;
            panic!("a bug in the middle of a write");
        })
        .unwrap_err();
    assert!(matches!(&err, Error::Internal(what) if what.contains("a bug")), "{err:?}");
    assert_eq!(err.kind(), "internal");
    assert_eq!(count(&store, "patients"), 1, "the half-done delete was rolled back");
    // Reads, writes and the connection's lock all still work.
    patient(&store, "Ivan", "Ozols", "+371 2000 0002");
    assert_eq!(count(&store, "patients"), 2);
}

#[test]
fn a_panic_that_poisons_the_lock_leaves_a_usable_connection_with_no_open_transaction() {
    let store = std::sync::Arc::new(store());
    let shared = store.clone();
    // A panic while holding the lock outside any caught call (as a bug in a new caller would).
    std::thread::spawn(move || {
        let conn = shared.writer_lock().lock().unwrap();
        conn.execute_batch("BEGIN; DELETE FROM patients;").unwrap();
        panic!("poisoned");
    })
    .join()
    .unwrap_err();
    assert!(store.writer_lock().is_poisoned());
    patient(&store, "Anna", "Petrova", "+371 2000 0001");
    assert_eq!(count(&store, "patients"), 1);
    assert!(!store.writer_lock().is_poisoned(), "the lock is healthy again");
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

fn tables(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn open_failing_between_steps(path: &Path) -> Error {
    let conn = Connection::open(path).unwrap();
    Store::from_connection(conn, |_| Err(Error::Internal("power cut".into()))).err().expect("the upgrade failed")
}

#[test]
fn a_first_start_that_fails_before_its_seed_leaves_an_empty_file_then_starts_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    assert!(matches!(open_failing_between_steps(&path), Error::Internal(_)));
    assert_eq!(user_version(&path), 0);
    assert!(tables(&path).is_empty(), "no schema without its settings and rules: {:?}", tables(&path));

    let store = Store::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    assert_eq!(store.get_settings().unwrap().name, "My clinic");
    assert!(count(&store, "journey_templates") >= 3);
    assert!(count(&store, "reminder_rules") > 0);
}

#[test]
fn an_upgrade_that_fails_before_its_data_step_leaves_the_previous_version_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite3");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1.sqlite3"), &path).unwrap();
    let before = tables(&path);
    let appointments: i64 =
        Connection::open(&path).unwrap().query_row("SELECT count(*) FROM appointments", [], |r| r.get(0)).unwrap();

    open_failing_between_steps(&path);
    assert_eq!(user_version(&path), 1);
    assert_eq!(tables(&path), before, "no table of a later version was left behind");
    assert!(!tables(&path).contains(&"reminder_rules".to_string()));

    let store = Store::open(&path).unwrap();
    assert_eq!(count(&store, "appointments"), appointments);
    assert!(count(&store, "reminder_rules") > 0, "the default rules came with the upgrade");
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    std::fs::write(&path, b"this is a spreadsheet, not a database; it only has the same name".repeat(200)).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.kind(), "corrupt", "{err:?}");
}

#[test]
fn a_database_another_program_holds_is_reported_busy_after_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    let store = Store::open(&path).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let err = store.save_settings(Actor::User, &store.get_settings().unwrap()).unwrap_err();
    assert_eq!(err.kind(), "busy", "{err:?}");
    assert!(started.elapsed() >= super::BUSY_TIMEOUT, "it waited for the lock first");
    other.execute_batch("ROLLBACK").unwrap();
    store.save_settings(Actor::User, &store.get_settings().unwrap()).unwrap();
}

#[test]
fn a_read_only_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let err = Error::from(conn.execute("DELETE FROM patients", []).unwrap_err());
    assert_eq!(err.kind(), "read_only", "{err:?}");
}

#[test]
fn an_upgrade_to_folded_search_rebuilds_the_keys_of_existing_patients() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.sqlite3");
    drop(Store::open(&path).unwrap());
    // Back to version 3 as it was: the key as it used to be made (lower case, diacritics kept).
    let conn = Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO patients (id, given_name, family_name, phone, preferred_channel, preferred_language,
           consent_reminders, do_not_contact, notes, search_key, created_at, updated_at)
         VALUES ('0190a000-0000-7000-8000-000000000001', 'Ilze', 'Bērziņa', '+371 2000 0003', 'phone', 'lv',
           1, 0, '', 'ilze bērziņa 37120000003  ', 0, 0)",
        [],
    )
    .unwrap();
    // Without what versions 5 to 15 added (version 4 added no objects; version 9 rebuilds the
    // tasks table from whatever it holds; version 11's indexes go with the tables they index).
    conn.execute_batch(
        "DROP TABLE planning_state; DROP INDEX appointments_updated; DROP INDEX patients_updated;
         DROP INDEX stage_events_at; DROP INDEX tasks_open_expiry; DROP INDEX stage_events_completed;
         DROP INDEX appointments_call_list; DROP INDEX patients_call_list; DROP INDEX patient_journeys_plan;
         ALTER TABLE clinic_settings DROP COLUMN address; ALTER TABLE clinic_settings DROP COLUMN phone;
         ALTER TABLE closed_days DROP COLUMN yearly; ALTER TABLE journey_templates DROP COLUMN retired;
         ALTER TABLE availability DROP COLUMN weeks;
         DROP TABLE audit_checks; DROP TABLE audit_visits; DROP TABLE service_standards; DROP TABLE kano_answers;
         DROP TABLE kano_features; DROP TABLE servqual_weights; DROP TABLE servqual_answers;
         DROP TABLE survey_responses;
         DROP TABLE figures_dirty; DROP TABLE figures_zone; DROP TABLE day_visits; DROP TABLE day_stage_passes;
         DROP TABLE day_surveys; DROP TABLE day_scores; DROP TABLE day_servqual; DROP TABLE day_servqual_respondents;
         DROP TABLE day_kano; DROP TRIGGER appointments_figures_insert; DROP TRIGGER appointments_figures_update;
         DROP TRIGGER appointments_figures_delete; DROP TRIGGER patient_journeys_figures_insert;
         DROP TRIGGER patient_journeys_figures_update; DROP TRIGGER stage_events_figures_insert;
         DROP TRIGGER stage_events_figures_delete; DROP TRIGGER journey_templates_figures;
         DROP TRIGGER template_stages_figures; DROP TABLE backup_plan;
         DROP TABLE sign_in_policy; ALTER TABLE staff DROP COLUMN failed_sign_ins;
         ALTER TABLE staff DROP COLUMN sign_in_locked_until; DROP INDEX audit_log_at; DROP INDEX audit_log_patient;
         DROP TRIGGER audit_log_no_update; ALTER TABLE audit_log DROP COLUMN staff_id;
         ALTER TABLE audit_log DROP COLUMN staff_name; ALTER TABLE audit_log DROP COLUMN patient_id;
         ALTER TABLE audit_log DROP COLUMN changes;
         DROP TRIGGER appointments_revision; ALTER TABLE appointments DROP COLUMN revision;
         DROP TABLE import_mappings; DROP TABLE calendar_feeds;
         CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 3).unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.list_patients("berzina", 10).unwrap().total, 1);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}

#[test]
fn a_read_does_not_wait_for_a_write_in_progress() {
    use std::sync::mpsc::channel;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(&dir.path().join("clinic.sqlite3")).unwrap());
    patient(&store, "Anna", "Petrova", "+371 2000 0001");
    let (in_write, writing) = channel();
    let (release, released) = channel::<()>();
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            store
                .write(Actor::User, Work::ClinicSetup, |w| {
                    w.sqlite()?.execute("DELETE FROM patients", [])?;
                    in_write.send(()).unwrap();
                    released.recv().unwrap();
                    Ok(())
                })
                .unwrap();
        })
    };
    writing.recv().unwrap();
    let (done, read) = channel();
    {
        let store = store.clone();
        std::thread::spawn(move || done.send(store.list_patients("", 10).map(|p| p.total)).unwrap());
    }
    // The read sees the last committed state, while the write still holds the writer.
    let total = read.recv_timeout(Duration::from_secs(5)).expect("the read waited for the write");
    assert_eq!(total.unwrap(), 1);
    release.send(()).unwrap();
    writer.join().unwrap();
    assert_eq!(store.list_patients("", 10).unwrap().total, 0, "and the committed write right after");
}

#[test]
fn closing_the_store_leaves_the_whole_database_in_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.sqlite3");
    let store = Store::open(&path).unwrap();
    patient(&store, "Anna", "Petrova", "+371 2000 0001");
    store.list_patients("", 10).unwrap(); // a read through a reader
    drop(store);
    // The writer closed last and folded the WAL into the file (a copy of the file alone, as a
    // backup tool might take, holds everything).
    let wal = dir.path().join("clinic.sqlite3-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0, "the WAL was left with pages");
}

#[test]
fn releasing_memory_after_bulk_work_leaves_the_store_working() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("clinic.sqlite3")).unwrap();
    crate::demo::load_demo(&store, &crate::demo::DemoOptions { patients: 20, days: 5, seed: 1 }).unwrap();
    store.plan_all_tasks(Actor::Scheduler).unwrap();
    let before = store.list_patients("", 100).unwrap().total;
    store.release_memory().unwrap();
    let mapped: i64 = store.connection().unwrap().query_row("PRAGMA mmap_size", [], |r| r.get(0)).unwrap();
    assert_eq!(mapped, super::MMAP_SIZE, "the writer maps the file again when it next reads");
    assert_eq!(store.list_patients("", 100).unwrap().total, before);
    store.plan_all_tasks(Actor::Scheduler).unwrap();
}
