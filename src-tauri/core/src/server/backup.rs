//! Backups of the clinic server's database, taken by a desk for the whole clinic: `pg_dump` in
//! its custom format (compressed; `pg_restore` puts it back, whole or a table at a time). The
//! dump is written under a temporary name and takes its final one only after `pg_restore
//! --list` has read it back; a dump that fails is removed, never left looking like a backup.
//! The password goes to `pg_dump` in its environment, never on its command line (which other
//! users of the PC can read).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use postgres::config::{Host, SslMode};
use serde::Serialize;
use ts_rs::TS;

use super::{connect, ServerAddress};
use crate::domain::backups::{server_backup_file_name, BackupReason};
use crate::error::{Error, Refusal, Result};

/// A backup of the server just taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServerBackupMade {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub taken_at: DateTime<Utc>,
    /// The tables whose rows the dump holds (read back from it).
    pub tables: u32,
    /// The `pg_dump` that took it, with its version.
    pub pg_dump: String,
}

/// Dumps the clinic's database on the server at `address` into `folder`.
pub fn dump(
    address: &ServerAddress,
    folder: &Path,
    taken_at: DateTime<Utc>,
    reason: BackupReason,
) -> Result<ServerBackupMade> {
    let server_major = server_major_version(address)?;
    let pg_dump = pg_program("pg_dump", server_major)?;
    let pg_restore = pg_program("pg_restore", server_major)?;
    std::fs::create_dir_all(folder)
        .map_err(|e| Error::refused("folder", Refusal::NoFolder { detail: format!("{}: {e}", folder.display()) }))?;
    let path = (1..=100)
        .map(|copy| folder.join(server_backup_file_name(taken_at, reason, copy)))
        .find(|path| !path.exists())
        .ok_or_else(|| {
            Error::refused(
                "folder",
                Refusal::TooManyFiles {
                    folder: folder.display().to_string(),
                    name: server_backup_file_name(taken_at, reason, 1),
                },
            )
        })?;
    let partial = path.with_extension("dump.part");
    let taken = take_dump(address, &pg_dump.path, &pg_restore.path, &partial);
    let tables = match taken {
        Ok(tables) => tables,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, &path)?;
    Ok(ServerBackupMade {
        bytes: std::fs::metadata(&path)?.len(),
        path: path.display().to_string(),
        taken_at,
        tables,
        pg_dump: format!("{} {}", pg_dump.path.display(), pg_dump.version),
    })
}

/// Runs `pg_dump` into `partial` and reads it back; how many tables' rows it holds.
fn take_dump(address: &ServerAddress, pg_dump: &Path, pg_restore: &Path, partial: &Path) -> Result<u32> {
    let mut command = Command::new(pg_dump);
    command
        .arg("--format=custom")
        .arg("--no-password")
        .arg("--file")
        .arg(partial)
        .arg("--dbname")
        .arg(connection_string(address));
    let dumped = run(connection_environment(&mut command, address))?;
    if !dumped.status.success() {
        return Err(failed("pg_dump", &dumped));
    }
    let listed = run(Command::new(pg_restore).arg("--list").arg(partial))?;
    if !listed.status.success() {
        return Err(failed("pg_restore --list", &listed));
    }
    let tables = String::from_utf8_lossy(&listed.stdout).lines().filter(|l| l.contains(" TABLE DATA ")).count();
    if tables == 0 {
        return Err(Error::refused(
            "server",
            Refusal::ServerBackupFailed { detail: "the dump holds no table's rows".into() },
        ));
    }
    Ok(tables as u32)
}

fn run(command: &mut Command) -> Result<Output> {
    command.output().map_err(|e| {
        Error::refused("server", Refusal::ServerBackupFailed { detail: format!("{command:?} did not start: {e}") })
    })
}

/// The program's own words on why it failed: its first error line (the lines after it give
/// detail), else its last line. Never the password, which is not on its command line.
fn failed(program: &str, output: &Output) -> Error {
    let errors = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = errors.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let line = lines.iter().find(|l| l.contains("error:")).or(lines.last()).copied().unwrap_or("no message");
    // "pg_dump: error: query failed: ERROR:  permission denied …" → "query failed: …"
    let said = line.rsplit_once("error: ").map_or(line, |(_, said)| said);
    Error::refused("server", Refusal::ServerBackupFailed { detail: format!("{program}: {said}") })
}

/// The address as libpq's `key=value` connection string, values quoted (no password).
pub(super) fn connection_string(address: &ServerAddress) -> String {
    let config = address.config();
    let quoted = |value: &str| format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"));
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => String::new(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "host={} port={port} dbname={} user={} application_name='clinic-journey backup'",
        quoted(&host),
        quoted(address.database()),
        quoted(address.role())
    )
}

/// The password, TLS and time-out as libpq reads them from the environment: the link is
/// encrypted as the desk's own (and proven with the clinic's certificate when it has one).
pub(super) fn connection_environment<'c>(command: &'c mut Command, address: &ServerAddress) -> &'c mut Command {
    let config = address.config();
    if let Some(password) = config.get_password() {
        command.env("PGPASSWORD", String::from_utf8_lossy(password).as_ref());
    }
    let mode = match (config.get_ssl_mode(), address.authority()) {
        (SslMode::Disable, _) => "disable",
        (_, Some(_)) => "verify-full",
        (SslMode::Prefer, None) => "prefer",
        (_, None) => "require",
    };
    command.env("PGSSLMODE", mode).env("PGCONNECT_TIMEOUT", "5");
    if let Some(authority) = address.authority() {
        command.env("PGSSLROOTCERT", authority);
    }
    command
}

fn server_major_version(address: &ServerAddress) -> Result<u32> {
    let mut client = connect(address)?;
    let number: String = client.query_one("SHOW server_version_num", &[])?.get(0);
    Ok(number.parse::<u32>().map(|n| n / 10_000).unwrap_or_default())
}

/// A PostgreSQL client program found on this desk, with its version.
pub(super) struct PgProgram {
    pub path: PathBuf,
    pub version: String,
}

/// The newest `name` on this desk, if it can read the server's major version (a `pg_dump`
/// older than the server refuses to dump it): where Debian, Windows and macOS installers put
/// each major version, a build from source, then the folders of `PATH`.
pub(super) fn pg_program(name: &str, server_major: u32) -> Result<PgProgram> {
    let mut found: Vec<(u32, PgProgram)> = candidates(name)
        .into_iter()
        .filter_map(|path| {
            let output = Command::new(&path).arg("--version").output().ok()?;
            // "pg_dump (PostgreSQL) 17.7 (Debian 17.7-1.pgdg13+1)"
            let text = String::from_utf8_lossy(&output.stdout);
            let version = text.split_whitespace().nth(2)?.to_string();
            let major = version.split('.').next()?.parse().ok()?;
            Some((major, PgProgram { path, version }))
        })
        .collect();
    // The newest first; of equal ones the first found (the program itself before a wrapper
    // on PATH).
    found.sort_by_key(|(major, _)| std::cmp::Reverse(*major));
    let mut versions: Vec<String> = found.iter().map(|(_, p)| p.version.clone()).collect();
    versions.dedup();
    match found.into_iter().next() {
        Some((major, program)) if major >= server_major => Ok(program),
        _ => Err(Error::refused(
            "server",
            Refusal::NoPgDump { program: name.into(), server: server_major.to_string(), found: versions.join(", ") },
        )),
    }
}

fn candidates(name: &str) -> Vec<PathBuf> {
    let file = if cfg!(windows) { format!("{name}.exe") } else { name.to_string() };
    // One folder per major version (Debian, the Windows and macOS installers).
    let versioned = ["/usr/lib/postgresql", "C:\\Program Files\\PostgreSQL", "/Library/PostgreSQL"]
        .iter()
        .flat_map(|root| std::fs::read_dir(root).into_iter().flatten().flatten())
        .map(|version| version.path().join("bin").join(&file));
    // A build from source installs into one folder.
    let from_source = std::iter::once(PathBuf::from("/usr/local/pgsql/bin").join(&file));
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join(&file)).collect::<Vec<_>>())
        .unwrap_or_default();
    versioned.chain(from_source).chain(on_path).filter(|path| path.is_file()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_is_named_for_when_it_was_taken() {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 3, 22, 15, 0).unwrap();
        assert_eq!(server_backup_file_name(at, BackupReason::Manual, 1), "clinic-server-20261203-221500.dump");
        assert_eq!(server_backup_file_name(at, BackupReason::Manual, 2), "clinic-server-20261203-221500-2.dump");
        let daily = server_backup_file_name(at, BackupReason::Daily, 2);
        assert_eq!(daily, "clinic-server-20261203-221500-daily-2.dump");
        let parsed = crate::domain::backups::parse_server_backup_file_name(&daily);
        assert_eq!(parsed, Some((at, BackupReason::Daily)));
        assert_eq!(crate::domain::backups::parse_backup_file_name(&daily), None, "not a copy of a file");
    }

    #[test]
    fn the_connection_string_quotes_its_values_and_holds_no_password() {
        let address = ServerAddress::parse("postgres://desk1@10.0.0.2:5433/clinic's", Some("s3cret")).unwrap();
        let text = connection_string(&address);
        assert_eq!(
            text,
            "host='10.0.0.2' port=5433 dbname='clinic\\'s' user='desk1' application_name='clinic-journey backup'"
        );
        assert!(!text.contains("s3cret"));
    }
}
