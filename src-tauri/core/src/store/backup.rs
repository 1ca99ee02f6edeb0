//! A copy of the whole database, taken while the app runs: SQLite's online backup API reads one
//! consistent snapshot through a reader (writes go on meanwhile), into a temporary file that is
//! checked (`PRAGMA integrity_check`) before it takes its final name. A copy that fails its check
//! is removed, never left looking like a backup.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::Store;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupMade {
    pub path: String,
    pub bytes: u64,
    pub taken_at: DateTime<Utc>,
}

impl Store {
    /// Copies the database into `dir` as `clinic-journey-YYYYMMDD-HHMMSS.sqlite3` (UTC).
    pub fn backup_to(&self, dir: &Path) -> Result<BackupMade> {
        let taken_at = self.now();
        std::fs::create_dir_all(dir)?;
        let name = format!("clinic-journey-{}.sqlite3", taken_at.format("%Y%m%d-%H%M%S"));
        let path = dir.join(name);
        let partial = path.with_extension("partial");
        let copied = self.read(|c| copy_into(c, &partial)).and_then(|()| verify(&partial));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        std::fs::rename(&partial, &path)?;
        Ok(BackupMade { bytes: std::fs::metadata(&path)?.len(), path: path.display().to_string(), taken_at })
    }
}

/// The whole database in one step: a backup in several steps starts over whenever another
/// connection commits between them.
fn copy_into(source: &Connection, target: &Path) -> Result<()> {
    let mut copy = Connection::open(target)?;
    {
        let backup = Backup::new(source, &mut copy)?;
        // A moment's lock on the source is waited out (up to the store's busy timeout).
        let mut waited = std::time::Duration::ZERO;
        while backup.step(-1)? != StepResult::Done {
            if waited >= super::BUSY_TIMEOUT {
                return Err(Error::from(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("the database stayed busy during the backup".into()),
                )));
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            waited += std::time::Duration::from_millis(50);
        }
    }
    // One self-contained file (the copy of a WAL database would otherwise want its -wal).
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

fn verify(path: &PathBuf) -> Result<()> {
    let copy = Connection::open(path)?;
    let verdict: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(Error::Corrupt(format!("the backup failed its integrity check: {verdict}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{load_demo, DemoOptions};

    /// Every table's rows, in a fixed order, as text.
    fn dump(path: &Path) -> String {
        let c = Connection::open(path).unwrap();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut out = String::new();
        for table in tables {
            let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            let mut lines = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                let values: Vec<String> = (0..columns).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect();
                lines.push(format!("{table}: {}\n", values.join(", ")));
            }
            lines.sort();
            out.extend(lines);
        }
        out
    }

    #[test]
    fn a_backup_holds_exactly_the_database_and_opens_on_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let original = dir.path().join("clinic.sqlite3");
        let store = Store::open(&original).unwrap();
        load_demo(&store, &DemoOptions { patients: 30, days: 5, seed: 4 }).unwrap();
        let made = store.backup_to(&dir.path().join("backups")).unwrap();
        let copy = PathBuf::from(&made.path);
        assert!(copy.file_name().unwrap().to_str().unwrap().starts_with("clinic-journey-"));
        assert_eq!(made.bytes, std::fs::metadata(&copy).unwrap().len());
        assert!(!copy.with_extension("partial").exists(), "no temporary copy left behind");
        store.checkpoint().unwrap();
        let copied = dump(&copy);
        assert!(copied.contains("patients: "), "the copy holds the clinic");
        assert_eq!(copied, dump(&original), "the copy differs from the database");
        // On its own: no -wal beside it, and a store opens it as it is.
        assert!(!copy.with_extension("sqlite3-wal").exists());
        let reopened = Store::open(&copy).unwrap();
        assert_eq!(reopened.list_patients("", 100).unwrap().total, store.list_patients("", 100).unwrap().total);
    }

    #[test]
    fn a_backup_into_a_place_that_cannot_hold_one_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("clinic.sqlite3")).unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        let refused = store.backup_to(&file).unwrap_err();
        assert_eq!(refused.kind(), "io", "{refused:?}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }
}
