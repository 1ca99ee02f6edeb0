//! Restoring a backup: a preview of what the file holds (the clinic, its dates and counts),
//! checked before anything is replaced; then a copy of what the clinic has now, and the restored
//! clinic, prepared aside, copied over the database in one step (SQLite's backup API: other
//! connections see the old database or the new one, never a mix).

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::backup::{copy_database, BackupMade};
use super::backup_plan::{load_plan, save_plan};
use super::encryption::{change_encryption, is_encrypted, unlock};
use super::{from_ts, Actor, Change, Entity, Store, SCHEMA_VERSION};
use crate::domain::access::Work;
use crate::domain::backups::{parse_backup_file_name, BackupPlan, BackupReason};
use crate::error::{Error, Refusal, Result};

/// What a backup file holds, shown before it replaces anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupPreview {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// When and why it was taken, for a file named by the app.
    pub taken_at: Option<DateTime<Utc>>,
    pub reason: Option<BackupReason>,
    pub clinic_name: String,
    pub time_zone: String,
    pub schema_version: u32,
    /// Made by an earlier version: it is upgraded after the restore.
    pub needs_upgrade: bool,
    #[ts(type = "number")]
    pub patients: u64,
    #[ts(type = "number")]
    pub appointments: u64,
    #[ts(type = "number")]
    pub open_tasks: u64,
    #[ts(type = "number")]
    pub staff: u64,
    /// The first and last visit, in the clinic's dates.
    pub first_visit: Option<NaiveDate>,
    pub last_visit: Option<NaiveDate>,
    /// The last change the file records.
    pub last_change_at: Option<DateTime<Utc>>,
}

/// A restore done: what was restored, and where the clinic as it was is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Restored {
    pub preview: BackupPreview,
    pub saved_as: BackupMade,
}

impl Store {
    /// Reads a backup file and checks it (a Clinic Journey database this version can open,
    /// whole by `integrity_check`) without changing anything.
    pub fn preview_backup(&self, file: &Path) -> Result<BackupPreview> {
        self.preview_backup_with(file, None)
    }

    /// `preview_backup` of a file made under `passphrase` (not the clinic's own, e.g. from
    /// before the passphrase was changed or the data decrypted).
    pub fn preview_backup_with(&self, file: &Path, passphrase: Option<&str>) -> Result<BackupPreview> {
        // A dump of the clinic server is restored on the server's PC (`pg_restore`).
        if !self.is_file() {
            return Err(super::server_desk::not_on_server_yet());
        }
        let shown = file.display().to_string();
        let meta = std::fs::metadata(file)
            .map_err(|e| Error::refused("file", Refusal::UnreadableFile { detail: format!("{shown}: {e}") }))?;
        if !meta.is_file() {
            return Err(Error::refused("file", Refusal::NotABackup { value: shown }));
        }
        if self.is_own_file(file)? {
            return Err(Error::refused("file", Refusal::RestoreOfItself { value: shown }));
        }
        let c = open_backup(file, self.key_for(file, passphrase)?, passphrase.is_some())?;
        let version = match schema_version(&c) {
            Some(v) if v > 0 && has_table(&c, "clinic_settings") => v,
            _ => return Err(Error::refused("file", Refusal::NotABackup { value: shown })),
        };
        if version > SCHEMA_VERSION {
            return Err(Error::DatabaseTooNew { found: version, supported: SCHEMA_VERSION });
        }
        let verdict: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| {
            Error::refused("file", Refusal::DamagedBackup { value: shown.clone(), detail: e.to_string() })
        })?;
        if verdict != "ok" {
            return Err(Error::refused("file", Refusal::DamagedBackup { value: shown, detail: verdict }));
        }
        read_preview(&c, file, meta.len(), version).map_err(|e| match e {
            Error::Database(e) => {
                Error::refused("file", Refusal::DamagedBackup { value: shown, detail: e.to_string() })
            }
            other => other,
        })
    }

    /// Replaces the clinic's data with the backup's, after checking it (`preview_backup`) and
    /// copying what the clinic has now into the backup folder. The restored clinic is prepared
    /// aside (a copy of the backup, upgraded if older, its tasks planned for now, this desk's
    /// backup plan, the restore in its log) and then copied over the database in one step: a
    /// crash leaves the clinic as it was or as restored, never in between.
    pub fn restore_backup(&self, actor: Actor, file: &Path) -> Result<Restored> {
        self.restore_backup_with(actor, file, None)
    }

    /// `restore_backup` of a file made under `passphrase` (see `preview_backup_with`); the
    /// restored clinic is keyed as the clinic is now.
    pub fn restore_backup_with(&self, actor: Actor, file: &Path, passphrase: Option<&str>) -> Result<Restored> {
        self.check_work(actor, Work::Records)?;
        let preview = self.preview_backup_with(file, passphrase)?;
        let plan = self.backup_plan()?;
        let saved_as = self.backup_to(&self.backup_folder()?, BackupReason::BeforeRestore)?;
        let staging = self.staging_path()?;
        let (file_key, own_key) = (self.key_for(file, passphrase)?, self.passphrase.as_deref());
        let restored = self.stage_restore(&staging, file, file_key, actor, &plan, &preview, &saved_as).and_then(|()| {
            // A plain backup into an encrypted clinic (or the other way): pages are copied
            // only between databases keyed alike.
            if file_key != own_key {
                change_encryption(&staging, file_key, own_key)?;
            }
            let source = open_backup(&staging, own_key, false)?;
            copy_database(&source, &mut *self.connection()?)
        });
        let _ = std::fs::remove_file(&staging);
        let _ = std::fs::remove_file(format!("{}.lock", staging.display()));
        restored?;
        self.call_list_cache.forget_everything();
        // The restored clinic has its own staff and PINs: whoever restored it signs in again.
        self.set_signed_in(None);
        self.announce(&Change { entities: Entity::ALL.to_vec(), source: actor.into() });
        tracing::info!("a backup was restored");
        Ok(Restored { preview, saved_as })
    }

    /// `clinic-journey.sqlite3.restoring` beside the database.
    fn staging_path(&self) -> Result<PathBuf> {
        let own = self.read(|c| Ok(c.path().unwrap_or_default().to_string()))?;
        if own.is_empty() {
            return Err(Error::refused("", Refusal::NoFolder { detail: "the database is in memory".into() }));
        }
        Ok(PathBuf::from(format!("{own}.restoring")))
    }

    /// The key a backup file opens with: when the file is encrypted, the passphrase given for
    /// it, else this clinic's (a backup made under another one is refused as such). With
    /// neither, a file that does not start as a plain database is no backup at all.
    fn key_for<'a>(&'a self, file: &Path, given: Option<&'a str>) -> Result<Option<&'a str>> {
        Ok(if is_encrypted(file)? { given.or(self.passphrase.as_deref()) } else { None })
    }

    /// Makes `staging` the clinic as it will be once restored.
    #[allow(clippy::too_many_arguments)]
    fn stage_restore(
        &self,
        staging: &Path,
        file: &Path,
        key: Option<&str>,
        actor: Actor,
        plan: &BackupPlan,
        preview: &BackupPreview,
        saved_as: &BackupMade,
    ) -> Result<()> {
        std::fs::copy(file, staging)?;
        let now = self.now();
        let conn = Connection::open(staging)?;
        unlock(&conn, staging, key)?;
        let mut staged = Store::on_connection(conn)?.with_clock(move || now);
        staged.passphrase = key.map(str::to_string);
        // The restore is recorded under the name of whoever restores it (checked in this
        // clinic: the restored one's staff may not know them).
        let acting = self.read_db(|db| self.acting(db, actor))?;
        // Made by an earlier version: upgraded (without another copy: the file is one).
        staged.upgrade(false, |_| Ok(()))?;
        staged.write_as(actor, acting, |w| {
            // The plan as this desk had it: a restored file brings its own.
            if load_plan(w.db())? != *plan {
                save_plan(w, plan)?;
            }
            let detail = format!("restored {} (what it replaced is kept as {})", preview.path, saved_as.path);
            w.audit(Entity::BackupPlan, uuid::Uuid::nil(), "restore", &detail)?;
            // Tasks as the restored visits call for them now.
            w.plan_everything();
            Ok(())
        })?;
        // One file, as the backup was: its pages are what the database gets.
        staged.connection()?.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// Whether `file` is this store's own database.
    fn is_own_file(&self, file: &Path) -> Result<bool> {
        let own = self.read(|c| Ok(c.path().unwrap_or_default().to_string()))?;
        if own.is_empty() {
            return Ok(false);
        }
        Ok(match (std::fs::canonicalize(file), std::fs::canonicalize(&own)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        })
    }
}

/// `given`: the key is a passphrase typed for this file (not the clinic's own).
fn open_backup(file: &Path, key: Option<&str>, given: bool) -> Result<Connection> {
    let c = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| Error::refused("file", Refusal::UnreadableFile { detail: format!("{}: {e}", file.display()) }))?;
    // An encrypted file that this clinic's passphrase does not open: refused as such.
    if key.is_some() {
        unlock(&c, file, key).map_err(|e| match e.reason() {
            Some("wrong_passphrase" | "passphrase_needed") => {
                let value = file.display().to_string();
                let refusal = if given {
                    Refusal::BackupPassphraseWrong { value }
                } else {
                    Refusal::BackupOtherPassphrase { value }
                };
                Error::refused(if given { "backup_passphrase" } else { "file" }, refusal)
            }
            _ => e,
        })?;
    }
    Ok(c)
}

/// The file's schema version; `None` when it is no SQLite database at all.
fn schema_version(c: &Connection) -> Option<i64> {
    // A file that is not a database fails here, at its first read.
    c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).ok()?;
    c.pragma_query_value(None, "user_version", |r| r.get(0)).ok()
}

fn has_table(c: &Connection, table: &str) -> bool {
    c.query_row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |_| Ok(()))
        .optional()
        .is_ok_and(|found| found.is_some())
}

fn read_preview(c: &Connection, file: &Path, bytes: u64, version: i64) -> Result<BackupPreview> {
    let (clinic_name, time_zone): (String, String) =
        c.query_row("SELECT name, time_zone FROM clinic_settings", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let count = |sql: &str| -> Result<u64> { Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
    let zone: Option<chrono_tz::Tz> = time_zone.parse().ok();
    let local_date = |secs: Option<i64>| -> Result<Option<NaiveDate>> {
        Ok(match (secs, zone) {
            (Some(secs), Some(zone)) => Some(from_ts(secs)?.with_timezone(&zone).date_naive()),
            (Some(secs), None) => Some(from_ts(secs)?.date_naive()),
            _ => None,
        })
    };
    let (first, last): (Option<i64>, Option<i64>) =
        c.query_row("SELECT min(starts_at), max(starts_at) FROM appointments", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let last_change: Option<i64> = c.query_row("SELECT max(at) FROM audit_log", [], |r| r.get(0))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let named = parse_backup_file_name(&name);
    Ok(BackupPreview {
        path: file.display().to_string(),
        bytes,
        taken_at: named.map(|(at, _)| at),
        reason: named.map(|(_, reason)| reason),
        clinic_name,
        time_zone,
        schema_version: version as u32,
        needs_upgrade: version < SCHEMA_VERSION,
        patients: count("SELECT count(*) FROM patients")?,
        appointments: count("SELECT count(*) FROM appointments")?,
        open_tasks: if has_table(c, "tasks") { count("SELECT count(*) FROM tasks WHERE status = 'open'")? } else { 0 },
        staff: count("SELECT count(*) FROM staff")?,
        first_visit: local_date(first)?,
        last_visit: local_date(last)?,
        last_change_at: last_change.map(from_ts).transpose()?,
    })
}
