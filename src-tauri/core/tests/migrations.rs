//! Databases made by earlier versions (tests/fixtures/v*.sqlite3) open, migrate with their data
//! intact and the defaults later versions add, and end with exactly the committed schema
//! snapshot (tests/schema.sql), which a new database must match too: the snapshot is written
//! apart from the migrations, so a migration that drifts from it fails here.

use std::path::{Path, PathBuf};

use clinic_journey_core::store::SCHEMA_VERSION;
use clinic_journey_core::{Error, Store};
use rusqlite::Connection;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sqlite3"))
        .collect();
    found.sort();
    found
}

/// The schema of a database as text: each object's SQL, by type and name, and the version.
fn schema(path: &Path) -> String {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    let objects: Vec<String> = stmt
        .query_map([], |r| {
            Ok(format!("-- {} {}\n{};\n", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    format!("-- The schema of a new database (version {version}), generated: UPDATE_SCHEMA=1 cargo test -p clinic-journey-core --test migrations\n\n{}", objects.join("\n"))
}

fn snapshot_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema.sql")
}

#[test]
fn a_new_database_has_exactly_the_committed_schema() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.sqlite3");
    drop(Store::open(&fresh).unwrap());
    let actual = schema(&fresh);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(snapshot_path(), &actual).unwrap();
    }
    let committed = std::fs::read_to_string(snapshot_path()).unwrap_or_default();
    assert!(
        committed == actual,
        "tests/schema.sql is stale: run UPDATE_SCHEMA=1 cargo test -p clinic-journey-core --test migrations"
    );
}

/// Row counts of every table, to see that migrating kept the data.
fn counts(path: &Path) -> Vec<(String, i64)> {
    let conn = Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let n = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
            (t, n)
        })
        .collect()
}

#[test]
fn every_fixture_migrates_to_the_fresh_schema_with_its_data() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixture databases found");
    let dir = tempfile::tempdir().unwrap();
    let snapshot = std::fs::read_to_string(snapshot_path()).unwrap();

    for fixture in fixtures {
        // Each in a folder of its own, where its copy before the upgrade goes.
        let place = dir.path().join(fixture.file_stem().unwrap());
        std::fs::create_dir(&place).unwrap();
        let copy = place.join(fixture.file_name().unwrap());
        std::fs::copy(&fixture, &copy).unwrap();
        let before = counts(&copy);
        assert!(
            before.iter().any(|(t, n)| t == "appointments" && *n > 0),
            "{} holds no appointments",
            fixture.display()
        );

        let store = Store::open(&copy).unwrap();
        assert!(!store.is_empty_clinic().unwrap());
        drop(store);

        let after = counts(&copy);
        for (table, n) in &before {
            let now = after.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
            // Opening may only add audit rows, never lose a row.
            assert!(now >= Some(*n), "{}: {table} had {n} rows, now {now:?}", fixture.display());
        }
        let version: i64 = Connection::open(&copy).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION, "{}", fixture.display());
        assert!(schema(&copy) == snapshot, "{} does not migrate to tests/schema.sql", fixture.display());
        // What later versions add is there: the default reminder rules (version 3), search
        // keys that ignore diacritics (version 4), the backup plan (version 13).
        let conn = Connection::open(&copy).unwrap();
        let rules: i64 = conn.query_row("SELECT count(*) FROM reminder_rules", [], |r| r.get(0)).unwrap();
        assert!(rules > 0, "{}: no default reminder rules", fixture.display());
        let unfolded: i64 =
            conn.query_row("SELECT count(*) FROM patients WHERE search_key GLOB '*[āēīūčšžņļģķ]*'", [], |r| r.get(0))
                .unwrap();
        assert_eq!(unfolded, 0, "{}: search keys still carry diacritics", fixture.display());
        // Version 13: a daily backup plan, and the database as it was kept before the upgrade.
        let daily: bool = conn.query_row("SELECT daily FROM backup_plan", [], |r| r.get(0)).unwrap();
        assert!(daily, "{}: no daily backup plan", fixture.display());
        let kept = std::fs::read_dir(place.join("backups"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with("-before-upgrade.sqlite3"))
            .count();
        assert_eq!(kept, 1, "{}: no copy taken before the upgrade", fixture.display());
    }
}

#[test]
fn a_database_from_a_newer_app_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    Connection::open(&path).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, Error::DatabaseTooNew { .. }), "{err:?}");
    let objects: i64 =
        Connection::open(&path).unwrap().query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
    assert_eq!(objects, 0, "nothing was created in it");
}
