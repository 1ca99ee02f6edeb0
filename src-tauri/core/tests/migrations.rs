//! Databases made by earlier versions (tests/fixtures/v*.sqlite3) open, migrate with their data
//! intact, and end with exactly the schema of a new database.

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

fn schema(path: &Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
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
    let fresh = dir.path().join("fresh.sqlite3");
    drop(Store::open(&fresh).unwrap());

    for fixture in fixtures {
        let copy = dir.path().join(fixture.file_name().unwrap());
        std::fs::copy(&fixture, &copy).unwrap();
        let before = counts(&copy);
        assert!(before.iter().any(|(t, n)| t == "appointments" && *n > 0), "{} holds no appointments", fixture.display());

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
        assert_eq!(schema(&copy), schema(&fresh), "{} differs from a fresh schema", fixture.display());
    }
}

#[test]
fn a_database_from_a_newer_app_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.sqlite3");
    Connection::open(&path).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, Error::DatabaseTooNew { .. }), "{err:?}");
    assert!(schema(&path).is_empty(), "nothing was created in it");
}
