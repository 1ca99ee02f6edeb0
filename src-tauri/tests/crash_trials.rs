//! Crash trials: bulk work of the command line (the demo fill with its full plan, a full
//! re-plan, a backup, a restore with its full re-plan, encrypting the database, changing its
//! passphrase) is killed with SIGKILL at a random moment, in seeded trials.
//! After each, the database opens, `integrity_check` is ok, and the work is either all there or
//! not there at all; every file named as a backup is whole.
//!
//! `make test` runs a few trials of each kind; `CRASH_TRIALS=200 CRASH_SEED=7 cargo test -p
//! clinic-journey --test crash_trials -- --nocapture` runs a long series.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

mod common;
use common::app;

const NEW: &str = "CLINIC_JOURNEY_NEW_PASSPHRASE";
const CURRENT: &str = "CLINIC_JOURNEY_PASSPHRASE";
const PASSPHRASE: &str = "a passphrase for the trials";
const SECOND_PASSPHRASE: &str = "the passphrase it is changed to";
const DEMO: [&str; 7] = ["demo", "--patients", "120", "--days", "10", "--seed", "3"];
/// The clock of the demo-fill trials: on a fixed clock every fill is the same, row for row (on
/// the running clock the visits of a day depend on its hour).
const DEMO_CLOCK: [&str; 2] = ["--now", "2026-12-02T08:00:00Z"];

fn run_ok(dir: &Path, args: &[&str]) -> Output {
    let output = app(dir).args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_slice(&run_ok(dir, args).stdout).unwrap()
}

fn database(dir: &Path) -> PathBuf {
    dir.join("clinic-journey.sqlite3")
}

/// Runs `args` and kills it after `after` (if it has not finished by then); whether it finished.
fn run_killed(dir: &Path, args: &[&str], after: Duration) -> bool {
    let mut child =
        app(dir).args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL: no destructor, no rollback, no checkpoint runs.
    child.kill().unwrap();
    child.wait().unwrap();
    false
}

fn integrity(path: &Path) -> String {
    let c = Connection::open(path).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

fn schema_version(path: &Path) -> i64 {
    Connection::open(path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

fn count(path: &Path, table: &str) -> i64 {
    Connection::open(path).unwrap().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

/// The database survived: whole by SQLite's check, and the app opens it (and plans nothing
/// new, on the clock the work ran on: the plan it holds is whole).
fn assert_sound(dir: &Path, clock: &[&str], trial: &str) {
    assert_eq!(integrity(&database(dir)), "ok", "{trial}");
    let planned = json(dir, &[&["tasks", "plan", "--json"], clock].concat());
    assert_eq!((planned["created"].as_u64(), planned["cancelled"].as_u64()), (Some(0), Some(0)), "{trial}: {planned}");
}

/// Copies a closed database (no -wal beside it) into a new folder.
fn copy_clinic(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(database(from), database(dir.path())).unwrap();
    dir
}

/// How long `args` takes on a copy of `template`, uninterrupted.
fn timed(template: &Path, args: &[&str]) -> Duration {
    let dir = copy_clinic(template);
    let start = Instant::now();
    run_ok(dir.path(), args);
    start.elapsed()
}

#[test]
fn bulk_work_killed_at_random_moments_leaves_a_sound_database_and_nothing_half_done() {
    let per_kind: u32 = std::env::var("CRASH_TRIALS").ok().and_then(|n| n.parse().ok()).unwrap_or(4);
    let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(17);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    // A demo fill as the trials make it, uninterrupted.
    let demo_fill = [&DEMO[..], &DEMO_CLOCK].concat();
    let reference = tempfile::tempdir().unwrap();
    let start = Instant::now();
    run_ok(reference.path(), &demo_fill);
    let demo_time = start.elapsed();
    let filled = (count(&database(reference.path()), "patients"), count(&database(reference.path()), "appointments"));

    // The clinic the other trials start from, and a backup of it under another name.
    let template = tempfile::tempdir().unwrap();
    run_ok(template.path(), &DEMO);
    let patients = count(&database(template.path()), "patients");
    let backup = template.path().join("template-backup.sqlite3");
    run_ok(template.path(), &["backup", "create", "--out", backup.to_str().unwrap()]);
    run_ok(template.path(), &["clinic", "set", "--name", "Before the restore"]);
    let backup_time = timed(template.path(), &["backup", "create"]);
    let restore_time = timed(template.path(), &["backup", "restore", backup.to_str().unwrap()]);
    let encrypt_time = {
        let dir = copy_clinic(template.path());
        let start = Instant::now();
        let output = app(dir.path()).args(["encryption", "enable"]).env(NEW, PASSPHRASE).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        start.elapsed()
    };
    // The clinic encrypted, for the passphrase changes.
    let encrypted_clinic = copy_clinic(template.path());
    let output = app(encrypted_clinic.path()).args(["encryption", "enable"]).env(NEW, PASSPHRASE).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rekey = ["encryption", "rekey"];
    let rekey_time = {
        let dir = copy_clinic(encrypted_clinic.path());
        let start = Instant::now();
        let output = app(dir.path()).args(rekey).env(CURRENT, PASSPHRASE).env(NEW, SECOND_PASSPHRASE).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        start.elapsed()
    };
    // The clinic with new quiet hours, whose next full plan moves every call in them, on a
    // fixed clock: uninterrupted, it moves `replanned` tasks.
    let quieter = copy_clinic(template.path());
    run_ok(quieter.path(), &["clinic", "set", "--quiet-hours", "19:00-10:00"]);
    let plan = [&["tasks", "plan", "--json"][..], &DEMO_CLOCK].concat();
    let (replanned, plan_time) = {
        let dir = copy_clinic(quieter.path());
        let start = Instant::now();
        let moved = json(dir.path(), &plan)["moved"].as_u64().unwrap();
        (moved, start.elapsed())
    };
    assert!(replanned > 0, "new quiet hours moved no call");

    let mut trials = 0;
    let mut finished = 0;
    // A moment within the work's usual length (and a little past it).
    let moment = |rng: &mut ChaCha8Rng, usual: Duration| usual.mul_f64(rng.random_range(0.0..1.2));

    for n in 0..per_kind {
        // The demo fill, with its full plan, into an empty database: all of it or none.
        let dir = tempfile::tempdir().unwrap();
        let after = moment(&mut rng, demo_time);
        let trial = format!("demo fill killed after {after:?} (trial {n}, seed {seed})");
        finished += run_killed(dir.path(), &demo_fill, after) as u32;
        // Killed before the new database's first transaction committed: a file with no schema
        // yet (version 0), which the next start sets up as new.
        if database(dir.path()).exists() && schema_version(&database(dir.path())) > 0 {
            let (p, a) = (count(&database(dir.path()), "patients"), count(&database(dir.path()), "appointments"));
            assert!((p, a) == (0, 0) || (p, a) == filled, "{trial}: {p} patients, {a} appointments, not {filled:?}");
            assert_sound(dir.path(), &DEMO_CLOCK, &trial);
        } else if database(dir.path()).exists() {
            assert_eq!(integrity(&database(dir.path())), "ok", "{trial}");
            assert_sound(dir.path(), &DEMO_CLOCK, &trial);
        }
        trials += 1;

        // A backup: every file named as one is whole; the database is untouched.
        let dir = copy_clinic(template.path());
        let after = moment(&mut rng, backup_time);
        let trial = format!("backup killed after {after:?} (trial {n}, seed {seed})");
        finished += run_killed(dir.path(), &["backup", "create"], after) as u32;
        for file in std::fs::read_dir(dir.path().join("backups")).into_iter().flatten() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|e| e == "sqlite3") {
                assert_eq!(integrity(&path), "ok", "{trial}: {}", path.display());
                assert_eq!(count(&path, "patients"), patients, "{trial}");
            }
        }
        assert_eq!(count(&database(dir.path()), "patients"), patients, "{trial}");
        assert_sound(dir.path(), &[], &trial);
        trials += 1;

        // A restore (a copy of what it replaces, the pages, a full re-plan): the clinic is the
        // one it had or the backup's, never a mix.
        let dir = copy_clinic(template.path());
        let after = moment(&mut rng, restore_time);
        let trial = format!("restore killed after {after:?} (trial {n}, seed {seed})");
        finished += run_killed(dir.path(), &["backup", "restore", backup.to_str().unwrap()], after) as u32;
        let name = json(dir.path(), &["clinic", "show", "--json"])["name"].as_str().unwrap().to_string();
        assert!(name == "Before the restore" || name == "Riverside Family Clinic", "{trial}: {name}");
        assert_eq!(count(&database(dir.path()), "patients"), patients, "{trial}");
        assert_sound(dir.path(), &[], &trial);
        trials += 1;

        // Encrypting (the database written anew beside it, then put in its place): the file is
        // the plain one or the encrypted one, whole either way.
        let dir = copy_clinic(template.path());
        let after = moment(&mut rng, encrypt_time);
        let trial = format!("encryption killed after {after:?} (trial {n}, seed {seed})");
        let mut child = app(dir.path())
            .args(["encryption", "enable"])
            .env(NEW, PASSPHRASE)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(after);
        finished += child.try_wait().unwrap().is_some() as u32;
        child.kill().unwrap();
        child.wait().unwrap();
        let encrypted = json(dir.path(), &["encryption", "status", "--json"])["encrypted"].as_bool().unwrap();
        let key = if encrypted { Some(PASSPHRASE) } else { None };
        let opened = app(dir.path())
            .args(["patients", "list", "--json"])
            .env("CLINIC_JOURNEY_PASSPHRASE", key.unwrap_or(""))
            .output()
            .unwrap();
        assert!(opened.status.success(), "{trial}: {}", String::from_utf8_lossy(&opened.stderr));
        let listed: serde_json::Value = serde_json::from_slice(&opened.stdout).unwrap();
        assert_eq!(listed["total"].as_i64(), Some(patients), "{trial}");
        trials += 1;

        // A full re-plan: every call it moves is moved, or none is (the next plan moves the
        // rest: all of them or nothing).
        let dir = copy_clinic(quieter.path());
        let after = moment(&mut rng, plan_time);
        let trial = format!("full re-plan killed after {after:?} (trial {n}, seed {seed})");
        finished += run_killed(dir.path(), &plan, after) as u32;
        let moved = json(dir.path(), &plan)["moved"].as_u64().unwrap();
        assert!(moved == 0 || moved == replanned, "{trial}: the next plan moved {moved}, not 0 or {replanned}");
        assert_sound(dir.path(), &DEMO_CLOCK, &trial);
        trials += 1;

        // Changing the passphrase: the file opens with the old one or the new one, whole.
        let dir = copy_clinic(encrypted_clinic.path());
        let after = moment(&mut rng, rekey_time);
        let trial = format!("rekey killed after {after:?} (trial {n}, seed {seed})");
        let mut child = app(dir.path())
            .args(rekey)
            .env(CURRENT, PASSPHRASE)
            .env(NEW, SECOND_PASSPHRASE)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(after);
        finished += child.try_wait().unwrap().is_some() as u32;
        child.kill().unwrap();
        child.wait().unwrap();
        let opens = |passphrase: &str| {
            let output =
                app(dir.path()).args(["patients", "list", "--json"]).env(CURRENT, passphrase).output().unwrap();
            output.status.success().then(|| serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap())
        };
        let listed = opens(SECOND_PASSPHRASE).or_else(|| opens(PASSPHRASE));
        let listed = listed.unwrap_or_else(|| panic!("{trial}: neither passphrase opens the clinic"));
        assert_eq!(listed["total"].as_i64(), Some(patients), "{trial}");
        trials += 1;
    }
    println!("crash trials: {trials} run (seed {seed}), {finished} finished before the kill, 0 bad");
    assert!(finished < trials, "every trial finished before its kill: no crash was tried");
}
