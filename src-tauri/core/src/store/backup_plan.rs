//! The clinic's backup plan: where copies go, how long they are kept, the daily copy, and how
//! the last one went, which the Backup page shows. A desk's own file is copied (SQLite's
//! backup); a clinic on its server is dumped by the desk (`pg_dump`, `server::backup`): the
//! daily dump by the desk that plans the clinic's day, into that desk's folder.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::backup::{backups_in, BackupFile, BackupMade, NameParser};
use super::{Actor, Entity, Store, Write};
use crate::db::Db;
use crate::domain::access::Work;
use crate::domain::backups::{
    backups_to_remove, daily_backup_due, parse_backup_file_name, parse_server_backup_file_name, BackupPlan,
    BackupReason,
};
use crate::error::{Error, ErrorBody, Refusal, Result};

/// What the Backup page shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BackupStatus {
    pub plan: BackupPlan,
    /// Where copies go: the plan's folder, or the default one.
    pub folder: String,
    pub default_folder: String,
    /// The folder is on the same disk as the database: a failing disk would take both.
    pub same_disk_as_database: bool,
    /// The last copy taken by hand or daily (not those taken before an upgrade or a restore).
    pub last: Option<BackupMade>,
    /// The last daily copy that failed, if none succeeded since.
    pub failure: Option<BackupFailure>,
    /// The backups in the folder, newest first.
    pub files: Vec<BackupFile>,
    /// The clinic is on its server: copies are dumps of it (restored on the server's PC with
    /// `pg_restore`, not from this page).
    pub on_server: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BackupFailure {
    pub at: DateTime<Utc>,
    pub error: ErrorBody,
}

impl Store {
    pub fn backup_plan(&self) -> Result<BackupPlan> {
        self.read_db(load_plan)
    }

    pub fn save_backup_plan(&self, actor: Actor, plan: &BackupPlan) -> Result<()> {
        let plan = BackupPlan { folder: plan.folder.trim().to_string(), ..plan.clone() };
        plan.validate()?;
        self.write(actor, Work::ClinicSetup, |w| {
            save_plan(w, &plan)?;
            w.audit(
                Entity::BackupPlan,
                uuid::Uuid::nil(),
                "plan",
                &format!("daily {}, keep {} days", plan.daily, plan.keep_days),
            )
        })
    }

    pub fn backup_status(&self) -> Result<BackupStatus> {
        let (plan, last, failure) = self.read_db(|db| {
            let plan = load_plan(db)?;
            let r = db.query_one(
                "SELECT last_at, last_path, last_bytes, failed_at, failure FROM backup_plan WHERE id = 'plan'",
                &[],
            )?;
            let last = match (r.get(0)?, r.get::<Option<String>>(1)?, r.get::<Option<u64>>(2)?) {
                (Some(taken_at), Some(path), Some(bytes)) => Some(BackupMade { path, bytes, taken_at }),
                _ => None,
            };
            let failure = match (r.get(3)?, r.get::<Option<String>>(4)?) {
                (Some(at), Some(text)) => Some(BackupFailure { at, error: failure_body(&text) }),
                _ => None,
            };
            Ok((plan, last, failure))
        })?;
        let default_folder = self.default_backup_folder()?;
        let folder = plan_folder(&plan, &default_folder);
        Ok(BackupStatus {
            // The server's disk is another PC's.
            same_disk_as_database: self.is_file() && same_disk(&folder, &default_folder),
            // A folder that cannot be read (a stick pulled out) lists nothing; the failure of
            // the copy that needed it says why.
            files: self.backups_in(&folder).unwrap_or_default(),
            on_server: !self.is_file(),
            folder: folder.display().to_string(),
            default_folder: default_folder.display().to_string(),
            plan,
            last,
            failure,
        })
    }

    /// Takes a copy into the plan's folder now, records it, and removes the copies the plan no
    /// longer keeps.
    pub fn back_up_now(&self, actor: Actor) -> Result<BackupMade> {
        self.check_work(actor, Work::ClinicSetup)?;
        self.back_up(actor, BackupReason::Manual)
    }

    /// The daily copy, when it is due (see `daily_backup_due`); a failure is recorded for the
    /// Backup page and tried again an hour later. A clinic with nothing in it yet (the set-up
    /// still to do) has nothing to copy.
    pub fn back_up_if_due(&self) -> Result<Option<BackupMade>> {
        // A clinic on its server is dumped once a day, by the desk that plans its day.
        if self.is_empty_clinic()? || !self.plans_here()? {
            return Ok(None);
        }
        let (plan, last_at, failed_at) = self.read_db(|db| {
            let r = db.query_one("SELECT last_at, failed_at FROM backup_plan WHERE id = 'plan'", &[])?;
            Ok((load_plan(db)?, r.get(0)?, r.get(1)?))
        })?;
        if !daily_backup_due(&plan, &self.calendar()?, self.now(), last_at, failed_at) {
            return Ok(None);
        }
        match self.back_up(Actor::Scheduler, BackupReason::Daily) {
            Ok(made) => Ok(Some(made)),
            Err(e) => {
                tracing::warn!(kind = e.kind(), "the daily backup failed: {e}");
                let stored = serde_json::to_string(&e.body()).map_err(|e| Error::Internal(e.to_string()))?;
                self.write(Actor::Scheduler, Work::ClinicSetup, |w| {
                    w.db().execute(
                        "UPDATE backup_plan SET failed_at = ?1, failure = ?2 WHERE id = 'plan'",
                        &[&w.now, &stored],
                    )?;
                    w.touch(Entity::BackupPlan);
                    Ok(())
                })?;
                Err(e)
            }
        }
    }

    /// The backups in the plan's folder, newest first.
    pub fn list_backups(&self) -> Result<Vec<BackupFile>> {
        self.backups_in(&self.backup_folder()?)
    }

    /// The copies of this clinic in `folder` (of its file, or dumps of its server), newest first.
    fn backups_in(&self, folder: &Path) -> Result<Vec<BackupFile>> {
        backups_in(folder, self.backup_names())
    }

    /// How this clinic's copies are named: copies of a desk's file, or dumps of the server.
    fn backup_names(&self) -> NameParser {
        if self.is_file() {
            parse_backup_file_name
        } else {
            parse_server_backup_file_name
        }
    }

    /// Where copies go now.
    pub fn backup_folder(&self) -> Result<PathBuf> {
        Ok(plan_folder(&self.backup_plan()?, &self.default_backup_folder()?))
    }

    /// `backups` beside the database file; for a clinic on its server, `server-backups` in the
    /// desk's own folder.
    fn default_backup_folder(&self) -> Result<PathBuf> {
        if self.is_file() {
            return self.read(default_folder_of);
        }
        self.desk_folder.as_ref().map(|desk| desk.join("server-backups")).ok_or_else(|| {
            Error::refused("folder", Refusal::NoFolder { detail: "this desk has no folder of its own".into() })
        })
    }

    fn back_up(&self, actor: Actor, reason: BackupReason) -> Result<BackupMade> {
        let plan = self.backup_plan()?;
        let folder = self.backup_folder()?;
        let made = match self.server_address() {
            None => self.backup_to(&folder, reason)?,
            Some(address) => {
                let dumped = crate::server::backup::dump(address, &folder, self.now(), reason)?;
                BackupMade { path: dumped.path, bytes: dumped.bytes, taken_at: dumped.taken_at }
            }
        };
        self.write(actor, Work::ClinicSetup, |w| {
            w.db().execute(
                "UPDATE backup_plan SET last_at = ?1, last_path = ?2, last_bytes = ?3, failed_at = NULL, failure = NULL
                 WHERE id = 'plan'",
                &[&made.taken_at, &made.path, &(made.bytes as i64)],
            )?;
            w.touch(Entity::BackupPlan);
            Ok(())
        })?;
        remove_old_copies(&folder, self.backup_names(), plan.keep_days, made.taken_at);
        Ok(made)
    }
}

/// Removes the copies the plan no longer keeps; a copy that cannot be removed stays (and is
/// tried again after the next backup).
fn remove_old_copies(folder: &Path, named: NameParser, keep_days: u32, now: DateTime<Utc>) {
    let files = match backups_in(folder, named) {
        Ok(files) => files,
        Err(e) => return tracing::warn!("could not list the backup folder: {e}"),
    };
    let dated: Vec<_> = files.into_iter().map(|f| (f.taken_at, f.path)).collect();
    for path in backups_to_remove(&dated, keep_days, now) {
        if let Err(e) = std::fs::remove_file(&path) {
            tracing::warn!("could not remove an old backup: {e}");
        }
    }
}

pub(super) fn load_plan(db: &Db) -> Result<BackupPlan> {
    let r = db.query_one("SELECT folder, daily, keep_days FROM backup_plan WHERE id = 'plan'", &[])?;
    Ok(BackupPlan { folder: r.get(0)?, daily: r.get(1)?, keep_days: r.get(2)? })
}

pub(super) fn save_plan(w: &mut Write, plan: &BackupPlan) -> Result<()> {
    w.db().execute(
        "UPDATE backup_plan SET folder = ?1, daily = ?2, keep_days = ?3, updated_at = ?4 WHERE id = 'plan'",
        &[&plan.folder, &plan.daily, &plan.keep_days, &w.now],
    )?;
    w.touch(Entity::BackupPlan);
    Ok(())
}

/// `backups` beside the database file (copies before an upgrade always go there: a USB stick
/// may be out when the new version first starts).
pub(super) fn default_folder_of(c: &Connection) -> Result<PathBuf> {
    match c.path().filter(|p| !p.is_empty()) {
        Some(path) => Ok(Path::new(path).parent().unwrap_or(Path::new(".")).join("backups")),
        None => Err(Error::refused("", Refusal::NoFolder { detail: "the database is in memory".into() })),
    }
}

fn plan_folder(plan: &BackupPlan, default: &Path) -> PathBuf {
    if plan.folder.is_empty() {
        default.to_path_buf()
    } else {
        PathBuf::from(&plan.folder)
    }
}

/// The failure as it was recorded (as a plain message, should a later version not read it).
fn failure_body(text: &str) -> ErrorBody {
    serde_json::from_str(text).unwrap_or_else(|_| Error::Internal(text.into()).body())
}

/// Whether `folder` (or the nearest folder above it that exists) is on the disk that holds
/// the default folder's parent, the database's folder.
fn same_disk(folder: &Path, default: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let device = |path: &Path| path.ancestors().find_map(|p| std::fs::metadata(p).ok()).map(|m| m.dev());
        let database_folder = default.parent().unwrap_or(default);
        device(folder).is_some() && device(folder) == device(database_folder)
    }
    #[cfg(not(unix))]
    {
        folder.components().next() == default.components().next()
    }
}
