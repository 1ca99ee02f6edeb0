//! Encryption at rest with SQLCipher: a database may be encrypted with a passphrase the
//! administrator sets. Every connection is keyed before it reads anything; backups of an
//! encrypted database are encrypted with the same key. Encrypting, re-keying and decrypting
//! write the whole database anew (`sqlcipher_export`) into a file beside it, checked before it
//! takes the database's name, so a crash leaves the old file or the new one.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::{Error, Refusal, Result};

/// The shortest passphrase the app takes.
pub const PASSPHRASE_MIN: usize = 10;
/// What every SQLite file that is not encrypted starts with.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A passphrase as the administrator sets it: long enough, and never written anywhere.
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < PASSPHRASE_MIN {
        return Err(Error::refused("passphrase", Refusal::PassphraseTooShort { min: PASSPHRASE_MIN as u32 }));
    }
    if passphrase.chars().any(char::is_control) {
        return Err(Error::refused("passphrase", Refusal::PassphraseControl));
    }
    Ok(())
}

/// Whether the file at `path` looks encrypted: whole pages (SQLCipher writes nothing else into
/// the main file) that do not start as a plain SQLite file does, with a random salt rather than
/// text. Anything else that is not a plain database is damaged, and reported so when opened.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let length = file.metadata()?.len();
    if length == 0 || length % 512 != 0 {
        return Ok(false);
    }
    let mut salt = [0u8; 16];
    file.read_exact(&mut salt)?;
    let text = salt.iter().all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    Ok(&salt != PLAIN_HEADER && !text)
}

/// Whether `path` holds a plain (not encrypted) database already: a passphrase given for it
/// (one set for every command in the environment) is not used.
pub(super) fn is_plain(path: &Path) -> Result<bool> {
    let mut header = [0u8; 16];
    match std::fs::File::open(path) {
        Ok(mut file) => Ok(file.read_exact(&mut header).is_ok() && &header == PLAIN_HEADER),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Keys a connection just opened on `path` (before anything reads it) and checks the key:
/// an encrypted file without one, or with the wrong one, is refused as such, not as damaged.
pub(super) fn unlock(conn: &Connection, path: &Path, passphrase: Option<&str>) -> Result<()> {
    let encrypted = is_encrypted(path)?;
    match passphrase {
        None if encrypted => return Err(Error::refused("passphrase", Refusal::PassphraseNeeded)),
        None => return Ok(()),
        Some(key) => {
            // A wrong key is reported here, not also by SQLCipher's own log on standard error.
            conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
            conn.pragma_update(None, "key", key)?
        }
    }
    // The first read tells whether the key opens the file.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) && encrypted => {
            Err(Error::refused("passphrase", Refusal::WrongPassphrase))
        }
        Err(e) => Err(e.into()),
    }
}

/// SQLCipher 4's key derivation: PBKDF2-HMAC-SHA512 over the file's salt (its first 16 bytes).
const KDF_ROUNDS: u32 = 256_000;

/// The key SQLCipher would derive from `passphrase` for the encrypted file at `path`, as a raw
/// key for `PRAGMA key` (`x'…'`): derived once, it opens the writer and every reader, where the
/// passphrase itself costs one derivation (about 0.15 s) per connection. `None` for a file
/// that is not encrypted (yet).
pub(super) fn raw_key(path: &Path, passphrase: &str) -> Result<Option<String>> {
    if !is_encrypted(path)? {
        return Ok(None);
    }
    let mut salt = [0u8; 16];
    std::fs::File::open(path)?.read_exact(&mut salt)?;
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(passphrase.as_bytes(), &salt, KDF_ROUNDS, &mut key);
    let hex: String = key.iter().map(|b| format!("{b:02X}")).collect();
    Ok(Some(format!("x'{hex}'")))
}

/// Keys a new file's connection (a backup being written) as its source is keyed.
pub(super) fn key_new(conn: &Connection, passphrase: Option<&str>) -> Result<()> {
    if let Some(key) = passphrase {
        conn.pragma_update(None, "key", key)?;
    }
    Ok(())
}

/// Marks the database at `path` as open (a shared lock on `<file>.lock`, held as long as the
/// returned file is): a re-encryption waits for no one and is refused while any is held.
pub(super) fn hold_open(path: &Path) -> Result<std::fs::File> {
    let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(path))?;
    match lock.try_lock_shared() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

fn lock_path(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.lock", path.display()))
}

/// Writes the database at `path` anew with `to` as its passphrase (`None`: not encrypted),
/// opening it with `from`. Refused while the database is open anywhere (the window, another
/// command): their connections would go on writing into the old file. The new file is checked
/// (integrity, the same rows in every table) before it replaces the old one.
pub fn change_encryption(path: &Path, from: Option<&str>, to: Option<&str>) -> Result<()> {
    if let Some(new) = to {
        check_new_passphrase(new)?;
    }
    let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(lock_path(path))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => return Err(Error::refused("", Refusal::DatabaseInUse)),
        Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
    }
    let next = PathBuf::from(format!("{}.encrypting", path.display()));
    let _ = std::fs::remove_file(&next);
    let written = export(path, from, &next, to).and_then(|counts| {
        let check = Connection::open(&next)?;
        unlock(&check, &next, to)?;
        let verdict: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict != "ok" {
            return Err(Error::Corrupt(format!("the re-encrypted copy failed its check: {verdict}")));
        }
        if row_counts(&check)? != counts {
            return Err(Error::Internal("the re-encrypted copy does not hold every row".into()));
        }
        Ok(())
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&next);
        return Err(e);
    }
    // The old file had its WAL written into it and closed: only the file itself is replaced.
    std::fs::rename(&next, path)?;
    tracing::info!(encrypted = to.is_some(), "the database was written anew with its new encryption");
    Ok(())
}

/// Copies every table of `path` into `next` with SQLCipher's export; the row counts it copied.
fn export(path: &Path, from: Option<&str>, next: &Path, to: Option<&str>) -> Result<Vec<(String, i64)>> {
    let source = Connection::open(path)?;
    unlock(&source, path, from)?;
    source.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let version: i64 = source.pragma_query_value(None, "user_version", |r| r.get(0))?;
    source.execute("ATTACH DATABASE ?1 AS next KEY ?2", (next.display().to_string(), to.unwrap_or("")))?;
    source.query_row("SELECT sqlcipher_export('next')", [], |_| Ok(()))?;
    // The export copies the schema and rows, not the version number.
    source.execute_batch(&format!("PRAGMA next.user_version = {version};"))?;
    source.execute_batch("DETACH DATABASE next;")?;
    // The new file is one file (no WAL yet): the store sets WAL when it opens it.
    row_counts(&source)
}

fn row_counts(c: &Connection) -> Result<Vec<(String, i64)>> {
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables
        .into_iter()
        .map(|t| Ok((t.clone(), c.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))?)))
        .collect()
}

/// What the administrator asks of the clinic's encryption from the window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
pub struct EncryptionChange {
    /// The passphrase the clinic opens with now (when it is encrypted).
    pub current: Option<String>,
    /// The new passphrase, typed twice; `None` stores the data plain again.
    pub new: Option<String>,
    pub repeat: Option<String>,
}

impl super::Store {
    /// Checks a change of encryption before the window closes the database for it: only for
    /// who may set the clinic up, with the passphrase it opens with now, a new one long enough
    /// and typed the same twice. Enabling needs a new passphrase, disabling an encrypted clinic.
    pub fn check_encryption_change(&self, actor: super::Actor, change: &EncryptionChange) -> Result<()> {
        self.check_work(actor, crate::domain::access::Work::ClinicSetup)?;
        match (self.passphrase.as_deref(), change.new.as_deref()) {
            (Some(own), _) if change.current.as_deref() != Some(own) => {
                return Err(Error::refused("current_passphrase", Refusal::WrongPassphrase));
            }
            (None, None) => return Err(Error::refused("", Refusal::NotEncrypted)),
            _ => {}
        }
        if let Some(new) = change.new.as_deref() {
            check_new_passphrase(new).map_err(|e| match e {
                Error::Refused { refusal, .. } => Error::refused("new_passphrase", *refusal),
                other => other,
            })?;
            if change.repeat.as_deref() != Some(new) {
                return Err(Error::refused("repeat_passphrase", Refusal::PassphrasesDiffer));
            }
        }
        Ok(())
    }

    /// Carries the person signed in over to this store: the window's, opened again on the same
    /// database after its encryption changed (nobody else calls it).
    pub fn resume_sign_in(&self, member: Option<crate::domain::access::SignedIn>) {
        self.set_signed_in(member);
    }
}
