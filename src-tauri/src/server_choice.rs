//! The clinic server this desk works on when chosen in the window (Settings › Clinic server),
//! kept in its data folder between runs: `clinic-server.json`, readable by this user alone, as
//! it holds the desk role's password (the desk starts without asking for it). Without the file
//! the desk works on its own database file.

use std::io::Write;
use std::path::{Path, PathBuf};

use clinic_journey_core::server::ServerForm;

fn file(dir: &Path) -> PathBuf {
    dir.join("clinic-server.json")
}

/// The chosen server, if any (a file that cannot be read is logged and counts as none: the
/// desk opens its own file, and Settings offers the choice again).
pub fn load(dir: &Path) -> Option<ServerForm> {
    let text = std::fs::read_to_string(file(dir)).ok()?;
    match serde_json::from_str(&text) {
        Ok(form) => Some(form),
        Err(e) => {
            tracing::warn!("the chosen clinic server could not be read: {e}");
            None
        }
    }
}

/// Keeps `form` as the desk's server: written whole beside the old choice, then put in its place.
pub fn save(dir: &Path, form: &ServerForm) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let partial = dir.join("clinic-server.json.part");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options.open(&partial)?;
    out.write_all(serde_json::to_string_pretty(form).map_err(std::io::Error::other)?.as_bytes())?;
    out.sync_all()?;
    std::fs::rename(partial, file(dir))
}

/// Back to the desk's own file.
pub fn forget(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(file(dir)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_is_kept_for_this_user_alone_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), None);
        let form = ServerForm {
            host: "192.168.1.10".into(),
            port: 5432,
            database: "clinic".into(),
            role: "reception".into(),
            password: "s3cret".into(),
            without_tls: false,
        };
        save(dir.path(), &form).unwrap();
        assert_eq!(load(dir.path()), Some(form));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file(dir.path())).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        forget(dir.path()).unwrap();
        forget(dir.path()).unwrap();
        assert_eq!(load(dir.path()), None);
        std::fs::write(file(dir.path()), "not json").unwrap();
        assert_eq!(load(dir.path()), None);
    }
}
