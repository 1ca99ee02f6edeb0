//! The backup plan's decisions: what a backup file is called (and so which files in a folder
//! are ours, of when and why), when the daily backup is due, and which old copies go.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::clinic::ClinicCalendar;
use crate::error::{Error, Refusal, Result};

/// Why a copy was taken: it shows in the file's name and in the list of backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    /// "Back up now", or `clinic-journey backup create`.
    Manual,
    Daily,
    /// Taken by the app before it upgraded the database to a new schema.
    BeforeUpgrade,
    /// What the clinic had before a restore replaced it.
    BeforeRestore,
}

impl BackupReason {
    const ALL: [BackupReason; 4] =
        [BackupReason::Manual, BackupReason::Daily, BackupReason::BeforeUpgrade, BackupReason::BeforeRestore];

    fn suffix(self) -> &'static str {
        match self {
            BackupReason::Manual => "",
            BackupReason::Daily => "-daily",
            BackupReason::BeforeUpgrade => "-before-upgrade",
            BackupReason::BeforeRestore => "-before-restore",
        }
    }
}

/// The names of a desk's copies of its file, and of dumps of the clinic server.
const FILE: (&str, &str) = ("clinic-journey-", ".sqlite3");
const SERVER: (&str, &str) = ("clinic-server-", ".dump");
const STAMP: &str = "%Y%m%d-%H%M%S";

/// `clinic-journey-20261202-161500-daily.sqlite3` (UTC); `copy` > 1 tells apart copies taken
/// within one second (`…-daily-2.sqlite3`).
pub fn backup_file_name(taken_at: DateTime<Utc>, reason: BackupReason, copy: u32) -> String {
    name_of(FILE, taken_at, reason, copy)
}

/// `clinic-server-20261203-221500-daily.dump` (UTC): a dump of the clinic server (`pg_dump`).
pub fn server_backup_file_name(taken_at: DateTime<Utc>, reason: BackupReason, copy: u32) -> String {
    name_of(SERVER, taken_at, reason, copy)
}

fn name_of((prefix, extension): (&str, &str), taken_at: DateTime<Utc>, reason: BackupReason, copy: u32) -> String {
    let number = if copy > 1 { format!("-{copy}") } else { String::new() };
    format!("{prefix}{}{}{number}{extension}", taken_at.format(STAMP), reason.suffix())
}

/// When and why a file named by `backup_file_name` was taken; `None` for any other file.
pub fn parse_backup_file_name(name: &str) -> Option<(DateTime<Utc>, BackupReason)> {
    parse_name(FILE, name)
}

/// When and why a dump named by `server_backup_file_name` was taken.
pub fn parse_server_backup_file_name(name: &str) -> Option<(DateTime<Utc>, BackupReason)> {
    parse_name(SERVER, name)
}

fn parse_name((prefix, extension): (&str, &str), name: &str) -> Option<(DateTime<Utc>, BackupReason)> {
    let rest = name.strip_prefix(prefix)?.strip_suffix(extension)?;
    let (stamp, rest) = (rest.get(..15)?, rest.get(15..)?);
    let taken_at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    // Without its copy number, if it has one.
    let rest = match rest.rsplit_once('-') {
        Some((head, n)) if n.parse::<u32>().is_ok_and(|n| n > 1) => head,
        _ => rest,
    };
    let reason = BackupReason::ALL.into_iter().find(|r| r.suffix() == rest)?;
    Some((taken_at, reason))
}

/// How the clinic backs itself up, as the administrator set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupPlan {
    /// The folder the copies go to (a USB stick, a network share); empty for the default
    /// folder beside the database.
    pub folder: String,
    /// Take a copy every day (the first time the app runs on a clinic day).
    pub daily: bool,
    /// Copies older than this many days are removed after each new one (the newest stays).
    pub keep_days: u32,
}

pub const KEEP_DAYS_MAX: u32 = 3650;
/// The longest folder path the plan takes.
pub const FOLDER_MAX: usize = 1000;

impl BackupPlan {
    pub fn validate(&self) -> Result<()> {
        if !(1..=KEEP_DAYS_MAX).contains(&self.keep_days) {
            return Err(Error::refused(
                "keep_days",
                Refusal::OutOfRange { what: "Days to keep".into(), value: self.keep_days, min: 1, max: KEEP_DAYS_MAX },
            ));
        }
        let folder = self.folder.trim();
        crate::domain::limits::check_length("folder", "The backup folder", folder, FOLDER_MAX)?;
        if !folder.is_empty() && !std::path::Path::new(folder).is_absolute() {
            return Err(Error::refused("folder", Refusal::RelativeFolder { value: folder.into() }));
        }
        Ok(())
    }
}

/// How long a failed daily backup waits before the next try.
pub const RETRY_AFTER: Duration = Duration::hours(1);

/// Whether the daily backup should run now: none yet on this clinic day (in the clinic's
/// zone) and no failed try within the last hour.
pub fn daily_backup_due(
    plan: &BackupPlan,
    calendar: &ClinicCalendar,
    now: DateTime<Utc>,
    last_at: Option<DateTime<Utc>>,
    failed_at: Option<DateTime<Utc>>,
) -> bool {
    let today = calendar.local_date(now);
    plan.daily
        && last_at.is_none_or(|at| calendar.local_date(at) < today)
        && failed_at.is_none_or(|at| now - at >= RETRY_AFTER || at > now)
}

/// Of the backups in a folder (when each was taken), those to remove: older than `keep_days`,
/// never the newest one.
pub fn backups_to_remove<T: Clone>(files: &[(DateTime<Utc>, T)], keep_days: u32, now: DateTime<Utc>) -> Vec<T> {
    let newest = files.iter().map(|(at, _)| *at).max();
    let cutoff = now - Duration::days(i64::from(keep_days));
    files.iter().filter(|(at, _)| *at < cutoff && Some(*at) != newest).map(|(_, file)| file.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn every_name_reads_back_as_the_moment_and_reason_it_was_made_with() {
        let taken = at(2026, 12, 2, 16, 15);
        for reason in BackupReason::ALL {
            for copy in [1, 2, 17] {
                let name = backup_file_name(taken, reason, copy);
                assert_eq!(parse_backup_file_name(&name), Some((taken, reason)), "{name}");
            }
        }
        assert_eq!(backup_file_name(taken, BackupReason::Daily, 1), "clinic-journey-20261202-161500-daily.sqlite3");
        assert_eq!(backup_file_name(taken, BackupReason::Manual, 2), "clinic-journey-20261202-161500-2.sqlite3");
    }

    #[test]
    fn files_not_named_by_the_app_are_not_backups() {
        for name in [
            "clinic.sqlite3",
            "clinic-journey-20261202-161500.sqlite3-wal",
            "clinic-journey-20261302-161500.sqlite3",
            "clinic-journey-20261202-161500-weekly.sqlite3",
            "clinic-journey-20261202-161500-1.sqlite3",
            "clinic-journey-20261202-161500.partial",
            "clinic-journey-2026.sqlite3",
            "clinic-journey-20261202-16150é.sqlite3",
        ] {
            assert_eq!(parse_backup_file_name(name), None, "{name}");
        }
    }

    fn riga() -> ClinicCalendar {
        ClinicCalendar::new(&crate::domain::clinic::ClinicSettings::new_clinic("Test", "Europe/Riga", "en")).unwrap()
    }

    #[test]
    fn the_daily_backup_is_due_once_per_clinic_day_and_retries_an_hour_after_a_failure() {
        let plan = BackupPlan { folder: String::new(), daily: true, keep_days: 14 };
        let cal = riga();
        // 23:30 UTC on 1 December is 01:30 on 2 December in Riga: a new clinic day.
        let now = at(2026, 12, 1, 23, 30);
        assert!(daily_backup_due(&plan, &cal, now, None, None));
        assert!(daily_backup_due(&plan, &cal, now, Some(at(2026, 12, 1, 21, 0)), None), "yesterday's, Riga time");
        assert!(!daily_backup_due(&plan, &cal, now, Some(at(2026, 12, 1, 22, 30)), None), "00:30 today, Riga time");
        assert!(!daily_backup_due(&plan, &cal, now, None, Some(at(2026, 12, 1, 23, 0))), "failed half an hour ago");
        assert!(daily_backup_due(&plan, &cal, now, None, Some(at(2026, 12, 1, 22, 30))), "failed an hour ago");
        let off = BackupPlan { daily: false, ..plan };
        assert!(!daily_backup_due(&off, &cal, now, None, None));
    }

    #[test]
    fn old_copies_go_but_the_newest_always_stays() {
        let now = at(2026, 12, 20, 12, 0);
        let files = vec![(at(2026, 12, 1, 1, 0), "a"), (at(2026, 12, 6, 1, 0), "b"), (at(2026, 12, 19, 1, 0), "c")];
        assert_eq!(backups_to_remove(&files, 15, now), vec!["a"]);
        assert_eq!(backups_to_remove(&files, 1, now), vec!["a", "b"]);
        // A clinic closed for a month still has its last copy.
        assert_eq!(backups_to_remove(&files[..2], 1, now), vec!["a"]);
    }

    #[test]
    fn a_plan_keeps_days_within_range_and_an_absolute_folder() {
        let plan = BackupPlan { folder: "/media/usb/backups".into(), daily: true, keep_days: 30 };
        plan.validate().unwrap();
        BackupPlan { folder: String::new(), ..plan.clone() }.validate().unwrap();
        let zero = BackupPlan { keep_days: 0, ..plan.clone() }.validate().unwrap_err();
        assert_eq!(zero.reason(), Some("out_of_range"));
        let relative = BackupPlan { folder: "backups".into(), ..plan }.validate().unwrap_err();
        assert_eq!(relative.reason(), Some("relative_folder"));
    }
}
