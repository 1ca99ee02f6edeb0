//! Where the database and logs live: `--data-dir`, else `CLINIC_JOURNEY_DATA_DIR` (clap reads
//! both), else the OS app-data folder (the same one Tauri's `app_data_dir` names).

use std::path::{Path, PathBuf};

pub const APP_IDENTIFIER: &str = "app.clinicjourney.desktop";
const DATABASE_FILE: &str = "clinic-journey.sqlite3";

pub fn resolve(explicit: Option<PathBuf>) -> PathBuf {
    explicit.unwrap_or_else(|| dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(APP_IDENTIFIER))
}

pub fn database(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

pub fn logs(dir: &Path) -> PathBuf {
    dir.join("logs")
}

/// The name a running window holds for its database (a D-Bus name on Linux): one window per
/// database file, while other data folders run beside it.
pub fn instance_id(database: &Path) -> String {
    let path = database.canonicalize().unwrap_or_else(|_| database.to_path_buf());
    let key = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, path.to_string_lossy().as_bytes()).simple();
    format!("{APP_IDENTIFIER}.db_{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_instance_name_per_database_file() {
        let a = instance_id(Path::new("/srv/clinic/a/clinic-journey.sqlite3"));
        assert_eq!(a, instance_id(Path::new("/srv/clinic/a/clinic-journey.sqlite3")));
        assert_ne!(a, instance_id(Path::new("/srv/clinic/b/clinic-journey.sqlite3")));
        // A D-Bus name: dot-separated elements of letters, digits and '_', none starting with a digit.
        assert!(
            a.split('.').all(|e| !e.is_empty()
                && !e.starts_with(|c: char| c.is_ascii_digit())
                && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')),
            "{a}"
        );
    }
}
