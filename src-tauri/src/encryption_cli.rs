//! `clinic-journey encryption status|enable|rekey|disable`: encryption at rest (SQLCipher) of
//! the clinic's database. Passphrases come from the environment, never from the command line
//! (which other users of the computer can see): `CLINIC_JOURNEY_PASSPHRASE` opens the database
//! (for every command), `CLINIC_JOURNEY_NEW_PASSPHRASE` is the one to set.

use std::path::Path;

use clap::Subcommand;
use clinic_journey_core::store::encryption::{change_encryption, check_new_passphrase, is_encrypted};
use clinic_journey_core::{Error, Refusal, Store};

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum EncryptionCommand {
    /// Whether the database is encrypted.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Encrypt the database with $CLINIC_JOURNEY_NEW_PASSPHRASE (at least 10 characters).
    Enable {
        #[arg(long)]
        json: bool,
    },
    /// Change the passphrase: from $CLINIC_JOURNEY_PASSPHRASE to $CLINIC_JOURNEY_NEW_PASSPHRASE.
    Rekey {
        #[arg(long)]
        json: bool,
    },
    /// Store the database unencrypted again (opened with $CLINIC_JOURNEY_PASSPHRASE).
    Disable {
        #[arg(long)]
        json: bool,
    },
}

impl EncryptionCommand {
    pub fn json(&self) -> bool {
        match self {
            EncryptionCommand::Status { json }
            | EncryptionCommand::Enable { json }
            | EncryptionCommand::Rekey { json }
            | EncryptionCommand::Disable { json } => *json,
        }
    }
}

/// The passphrase that opens the database, from the environment.
pub fn passphrase() -> Option<String> {
    std::env::var("CLINIC_JOURNEY_PASSPHRASE").ok().filter(|p| !p.is_empty())
}

/// Runs with no store open: the database file is written anew and replaces the old one.
pub fn run(database: &Path, command: EncryptionCommand) -> Result<(), Failure> {
    let json = command.json();
    let fail = failure(json);
    let encrypted = is_encrypted(database).map_err(&fail)?;
    let current = passphrase();
    let new = || {
        let new = std::env::var("CLINIC_JOURNEY_NEW_PASSPHRASE").unwrap_or_default();
        if new.is_empty() {
            let what = "The new passphrase ($CLINIC_JOURNEY_NEW_PASSPHRASE)".to_string();
            return Err(Error::refused("new_passphrase", Refusal::Required { what }));
        }
        check_new_passphrase(&new)?;
        Ok(new)
    };
    // The database opens with what it is given (and is brought up to date) before it is
    // written anew; the store closes again before the file is replaced.
    let opened = |key: Option<&str>| Store::open_with_passphrase(database, key).map(drop);
    let after = match command {
        EncryptionCommand::Status { .. } => encrypted,
        EncryptionCommand::Enable { .. } => {
            if encrypted {
                return Err(fail(Error::refused("", Refusal::AlreadyEncrypted)));
            }
            let new = new().map_err(&fail)?;
            opened(None).map_err(&fail)?;
            change_encryption(database, None, Some(&new)).map_err(&fail)?;
            true
        }
        EncryptionCommand::Rekey { .. } | EncryptionCommand::Disable { .. } => {
            if !encrypted {
                return Err(fail(Error::refused("", Refusal::NotEncrypted)));
            }
            let Some(current) = current else {
                return Err(fail(Error::refused("passphrase", Refusal::PassphraseNeeded)));
            };
            let new = match command {
                EncryptionCommand::Rekey { .. } => Some(new().map_err(&fail)?),
                _ => None,
            };
            opened(Some(&current)).map_err(&fail)?;
            change_encryption(database, Some(&current), new.as_deref()).map_err(&fail)?;
            new.is_some()
        }
    };
    if json {
        print_json(&serde_json::json!({ "encrypted": after, "database": database }));
    } else if after {
        say!("{} is encrypted. Backups taken from now on are encrypted with the same passphrase;", database.display());
        say!("copies taken before stay as they were.");
    } else {
        say!("{} is not encrypted.", database.display());
    }
    Ok(())
}
