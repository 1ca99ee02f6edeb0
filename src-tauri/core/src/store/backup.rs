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
use crate::domain::backups::{backup_file_name, BackupReason};
use crate::error::{Error, Refusal, Result};

/// A copy just taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupMade {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub taken_at: DateTime<Utc>,
}

/// A backup found in the backup folder (a file named as the app names them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupFile {
    pub path: String,
    pub name: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub taken_at: DateTime<Utc>,
    pub reason: BackupReason,
}

impl Store {
    /// Copies the database into `dir`, named for when and why (`domain::backups`).
    pub fn backup_to(&self, dir: &Path, reason: BackupReason) -> Result<BackupMade> {
        // A clinic on its server is dumped instead (`server::backup`, the Backup page).
        if !self.is_file() {
            return Err(super::server_desk::not_on_server_yet());
        }
        let taken_at = self.now();
        let key = self.passphrase.as_deref();
        let path = self.read(|c| copy_to_folder(c, key, dir, reason, taken_at))?;
        made(&path, taken_at)
    }

    /// Copies the database to exactly `path` (the command line's `--out`); an existing file
    /// is refused, never replaced.
    pub fn backup_to_file(&self, path: &Path) -> Result<BackupMade> {
        if !self.is_file() {
            return Err(super::server_desk::not_on_server_yet());
        }
        let taken_at = self.now();
        if path.exists() {
            return Err(Error::refused("out", Refusal::FileExists { value: path.display().to_string() }));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        self.read(|c| copy_to_file(c, self.passphrase.as_deref(), path))?;
        made(path, taken_at)
    }
}

fn made(path: &Path, taken_at: DateTime<Utc>) -> Result<BackupMade> {
    Ok(BackupMade { bytes: std::fs::metadata(path)?.len(), path: path.display().to_string(), taken_at })
}

/// Copies `source` into `dir` under the next free name for `taken_at` and `reason`.
pub(super) fn copy_to_folder(
    source: &Connection,
    key: Option<&str>,
    dir: &Path,
    reason: BackupReason,
    taken_at: DateTime<Utc>,
) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    remove_abandoned_copies(dir);
    let path = (1..=100)
        .map(|copy| dir.join(backup_file_name(taken_at, reason, copy)))
        .find(|path| !path.exists())
        .ok_or_else(|| {
            let name = backup_file_name(taken_at, reason, 1);
            Error::refused("", Refusal::TooManyFiles { folder: dir.display().to_string(), name })
        })?;
    copy_to_file(source, key, &path)?;
    Ok(path)
}

/// Removes the temporary files of copies that never finished (the app was killed meanwhile);
/// one younger than an hour may be another program's copy under way.
fn remove_abandoned_copies(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let abandoned = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(3600)));
        if name.starts_with("clinic-journey-") && name.ends_with(".partial") && abandoned {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Copies `source` to `path` through a temporary file that is checked before it takes its
/// name; a copy that fails is removed. The copy of an encrypted database is encrypted with
/// the same `key` (SQLCipher copies pages only between databases keyed alike).
fn copy_to_file(source: &Connection, key: Option<&str>, path: &Path) -> Result<()> {
    let partial = path.with_extension("partial");
    let copied = copy_into(source, key, &partial).and_then(|()| verify(&partial, key));
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, path)?;
    Ok(())
}

/// The backups in `dir`, newest first; none when the folder does not exist (yet).
/// When and why a file of a given name was taken, if it is a backup (`domain::backups`).
pub(super) type NameParser = fn(&str) -> Option<(DateTime<Utc>, BackupReason)>;

/// The backups in `dir` named as `named` reads them, newest first.
pub(super) fn backups_in(dir: &Path, named: NameParser) -> Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((taken_at, reason)) = named(&name) else { continue };
        let meta = entry.metadata()?;
        if meta.is_file() {
            files.push(BackupFile {
                path: entry.path().display().to_string(),
                name,
                bytes: meta.len(),
                taken_at,
                reason,
            });
        }
    }
    files.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then_with(|| b.name.cmp(&a.name)));
    Ok(files)
}

/// Copies the whole of `source` into `target` in one step: a backup in several steps starts
/// over whenever another connection commits between them. A moment's lock on the source is
/// waited out (up to the store's busy timeout).
pub(super) fn copy_database(source: &Connection, target: &mut Connection) -> Result<()> {
    let backup = Backup::new(source, target)?;
    let mut waited = std::time::Duration::ZERO;
    while backup.step(-1)? != StepResult::Done {
        if waited >= super::BUSY_TIMEOUT {
            return Err(Error::Busy);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += std::time::Duration::from_millis(50);
    }
    Ok(())
}

fn copy_into(source: &Connection, key: Option<&str>, target: &Path) -> Result<()> {
    let mut copy = Connection::open(target)?;
    super::encryption::key_new(&copy, key)?;
    copy_database(source, &mut copy)?;
    // One self-contained file (the copy of a WAL database would otherwise want its -wal).
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

fn verify(path: &Path, key: Option<&str>) -> Result<()> {
    let copy = Connection::open(path)?;
    super::encryption::key_new(&copy, key)?;
    let verdict: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(Error::Corrupt(format!("the backup failed its integrity check: {verdict}")));
    }
    Ok(())
}
