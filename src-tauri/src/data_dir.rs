//! Where the database and logs live: `--data-dir`, else `CLINIC_JOURNEY_DATA_DIR` (clap reads
//! both), else the OS app-data folder (the same one Tauri's `app_data_dir` names).

use std::path::{Path, PathBuf};

pub const APP_IDENTIFIER: &str = "app.clinicjourney.desktop";
const DATABASE_FILE: &str = "clinic-journey.sqlite3";

pub fn resolve(explicit: Option<PathBuf>) -> PathBuf {
    explicit.unwrap_or_else(|| {
        dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(APP_IDENTIFIER)
    })
}

pub fn database(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

pub fn logs(dir: &Path) -> PathBuf {
    dir.join("logs")
}
