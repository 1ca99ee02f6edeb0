//! Writing export files (call sheets, CSV, blueprints): each is written whole to a temporary
//! file beside its target and then renamed into place, so a reader never sees half a file, and
//! an existing file is never replaced unless the user asked for exactly that.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::domain::clinic::ClinicCalendar;
use crate::error::{Error, Refusal, Result};

/// `stem` with the clinic-local date and time of `now`: "call-list-2026-12-01-1042".
pub fn stamped(stem: &str, calendar: &ClinicCalendar, now: DateTime<Utc>) -> String {
    let (date, minute) = calendar.local_minute(now);
    format!("{stem}-{date}-{:02}{:02}", minute / 60, minute % 60)
}

/// Writes `bytes` into `folder` as `name.extension`, or `name-2.extension` (and so on) when
/// that name is taken; returns the path written.
pub fn write_unique(folder: &Path, name: &str, extension: &str, bytes: &[u8]) -> Result<PathBuf> {
    std::fs::create_dir_all(folder)?;
    for n in 1..=100 {
        let file = if n == 1 { format!("{name}.{extension}") } else { format!("{name}-{n}.{extension}") };
        let path = folder.join(file);
        match write_new(&path, bytes, false) {
            Err(e) if matches!(e.refusal(), Some(Refusal::FileExists { .. })) => continue,
            other => return other.map(|()| path),
        }
    }
    Err(Error::refused("folder", Refusal::TooManyFiles { folder: folder.display().to_string(), name: name.into() }))
}

/// Writes `bytes` to `path`; an existing file there is refused unless `replace` is set (then
/// it is replaced in one step, never truncated first).
pub fn write_new(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temporary = tempfile::Builder::new().prefix(".clinic-journey-").suffix(".part").tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    let persisted = if replace { temporary.persist(path) } else { temporary.persist_noclobber(path) };
    match persisted {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Error::refused("out", Refusal::FileExists { value: path.display().to_string() }))
        }
        Err(e) => Err(e.error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_export_gets_its_own_name_and_nothing_is_left_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_unique(dir.path(), "call-list-2026-12-01-1042", "csv", b"first").unwrap();
        let second = write_unique(dir.path(), "call-list-2026-12-01-1042", "csv", b"second").unwrap();
        assert_eq!(first.file_name().unwrap(), "call-list-2026-12-01-1042.csv");
        assert_eq!(second.file_name().unwrap(), "call-list-2026-12-01-1042-2.csv");
        assert_eq!(std::fs::read(&first).unwrap(), b"first", "the first export was not overwritten");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporary file stays behind: {names:?}");
    }

    #[test]
    fn an_existing_file_is_refused_unless_replacing_was_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sheet.html");
        std::fs::write(&path, "kept").unwrap();
        let err = write_new(&path, b"new", false).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept");
        write_new(&path, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn the_stamp_is_the_clinic_local_date_and_time() {
        use crate::domain::clinic::ClinicSettings;
        let calendar = ClinicCalendar::new(&ClinicSettings::new_clinic("Test", "Europe/Riga", "en")).unwrap();
        let now = "2026-12-01T08:42:59Z".parse().unwrap();
        assert_eq!(stamped("call-list", &calendar, now), "call-list-2026-12-01-1042");
    }
}
