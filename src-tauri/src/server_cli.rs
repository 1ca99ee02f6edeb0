//! `clinic-journey server check|move|desks|backup`: the clinic server, one PostgreSQL database on the
//! practice's own network. The address comes from `--server` or $CLINIC_JOURNEY_SERVER (which
//! also make every other command work on the server); the desk role's password only from
//! $CLINIC_JOURNEY_SERVER_PASSWORD (a command line is visible to every user of the PC).

use std::path::PathBuf;

use clap::Subcommand;
use clinic_journey_core::domain::backups::BackupReason;
use clinic_journey_core::server::{self, ServerAddress, ServerForm};
use clinic_journey_core::{Actor, Store};

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Test the connection: the server's version, whether the link is encrypted, the clinic it holds.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// The desks' own server roles, set up from the role that owns the clinic's database.
    Desks {
        #[command(subcommand)]
        command: DesksCommand,
    },
    /// Back the clinic server's database up into FOLDER with pg_dump (custom format, read back
    /// before it is kept; `pg_restore` puts it back). Needs the PostgreSQL client programs of
    /// the server's version or newer on this PC.
    Backup {
        /// Where the dump goes: clinic-server-YYYYMMDD-HHMMSS.dump (UTC).
        #[arg(long, value_name = "FOLDER")]
        folder: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Move this desk's clinic onto an empty server database (administrators): every row in one
    /// transaction, each table's row count compared before it is kept. This desk's file stays as it is.
    Move {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DesksCommand {
    /// The desks made for the clinic's database.
    List {
        #[arg(long)]
        json: bool,
    },
    /// A role for a new desk, with a generated password printed once (give it to that desk).
    Add {
        /// Lower-case letters, digits and dashes: reception, room-2.
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Retire a desk: its role is dropped and it can no longer reach the clinic.
    Remove {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

/// The clinic server named by the global `--server` / $CLINIC_JOURNEY_SERVER (and
/// `--server-ca` / $CLINIC_JOURNEY_SERVER_CA); the desk role's password only from
/// $CLINIC_JOURNEY_SERVER_PASSWORD.
#[derive(Debug, Clone, Default)]
pub struct ServerArgs {
    pub server: Option<String>,
    pub server_ca: Option<PathBuf>,
    /// The server chosen in the window (Settings › Clinic server), when none is given here.
    pub chosen: Option<ServerForm>,
}

impl ServerArgs {
    /// Whether a server is given or chosen.
    pub fn any(&self) -> bool {
        self.server.is_some() || self.chosen.is_some()
    }

    /// The address given, or refused as missing.
    pub fn address(&self) -> clinic_journey_core::Result<ServerAddress> {
        if let (None, Some(chosen)) = (&self.server, &self.chosen) {
            return chosen.address();
        }
        let Some(server) = &self.server else {
            return Err(clinic_journey_core::Error::refused(
                "server",
                clinic_journey_core::Refusal::NotAServerAddress {
                    value: String::new(),
                    detail: "give it with --server or CLINIC_JOURNEY_SERVER".into(),
                },
            ));
        };
        let password = std::env::var("CLINIC_JOURNEY_SERVER_PASSWORD").ok();
        let address = ServerAddress::parse(server, password.as_deref())?;
        Ok(match &self.server_ca {
            Some(certificate) => address.with_authority(certificate.clone()),
            None => address,
        })
    }
}

impl ServerCommand {
    pub fn json(&self) -> bool {
        match self {
            ServerCommand::Check { json } | ServerCommand::Move { json } | ServerCommand::Backup { json, .. } => *json,
            ServerCommand::Desks { command } => match command {
                DesksCommand::List { json, .. }
                | DesksCommand::Add { json, .. }
                | DesksCommand::Remove { json, .. } => *json,
            },
        }
    }

    /// Whether the command works on the server alone, with no clinic of this desk's open.
    pub fn needs_no_store(&self) -> bool {
        !matches!(self, ServerCommand::Move { .. })
    }
}

/// `server desks …`: run on the administrator's connection to the server.
pub fn desks(args: &ServerArgs, command: DesksCommand) -> Result<(), Failure> {
    let json = match &command {
        DesksCommand::List { json } | DesksCommand::Add { json, .. } | DesksCommand::Remove { json, .. } => *json,
    };
    let fail = failure(json);
    let address = args.address().map_err(&fail)?;
    let mut client = server::connect(&address).map_err(&fail)?;
    match &command {
        DesksCommand::List { .. } => {
            let desks = server::desks(&mut client).map_err(&fail)?;
            if json {
                print_json(&desks);
            } else if desks.is_empty() {
                say!("No desks yet: `clinic-journey server desks add NAME` makes one.");
            } else {
                for desk in desks {
                    say!("{}\t(role {})", desk.name, desk.role);
                }
            }
        }
        DesksCommand::Add { name, .. } => {
            let desk = server::add_desk(&mut client, name).map_err(&fail)?;
            if json {
                print_json(&desk);
            } else {
                say!("Desk “{}” may now connect as role {}.", desk.name, desk.role);
                say!("Its password (shown this once): {}", desk.password.unwrap_or_default());
            }
        }
        DesksCommand::Remove { name, .. } => {
            server::remove_desk(&mut client, name).map_err(&fail)?;
            if json {
                print_json(&serde_json::json!({ "removed": name }));
            } else {
                say!("Desk “{name}” can no longer reach the clinic server.");
            }
        }
    }
    Ok(())
}

/// `server check` needs no clinic of this desk's: it runs before the store opens.
pub fn check(args: &ServerArgs, json: bool) -> Result<(), Failure> {
    let fail = failure(json);
    let found = server::check(&args.address().map_err(&fail)?).map_err(&fail)?;
    if json {
        print_json(&found);
        return Ok(());
    }
    let link = match &found.tls {
        Some(protocol) => format!("encrypted link ({protocol})"),
        None => "link NOT encrypted".to_string(),
    };
    say!("Clinic server {}: PostgreSQL {}, {link}", found.server, found.server_version);
    match (&found.clinic, found.schema_version) {
        (Some(clinic), Some(version)) => say!("It holds the clinic “{clinic}” (schema {version})."),
        (None, Some(version)) => say!("It holds an empty clinic (schema {version})."),
        _ => say!("Its database is empty: `clinic-journey server move` moves this desk's clinic there."),
    }
    Ok(())
}

/// `server backup`: a dump of the whole clinic on the server, taken from this desk.
pub fn backup(args: &ServerArgs, folder: &std::path::Path, json: bool) -> Result<(), Failure> {
    let fail = failure(json);
    let address = args.address().map_err(&fail)?;
    let made = server::backup::dump(&address, folder, chrono::Utc::now(), BackupReason::Manual).map_err(&fail)?;
    if json {
        print_json(&made);
    } else {
        say!(
            "Backed the clinic server up: {} ({} bytes, {} tables, read back whole) with {}.",
            made.path,
            made.bytes,
            made.tables,
            made.pg_dump
        );
    }
    Ok(())
}

/// The commands that need no clinic of this desk's, run before its store opens.
pub fn run_without_store(args: &ServerArgs, command: ServerCommand) -> Result<(), Failure> {
    match command {
        ServerCommand::Check { json } => check(args, json),
        ServerCommand::Desks { command } => desks(args, command),
        ServerCommand::Backup { folder, json } => backup(args, &folder, json),
        ServerCommand::Move { .. } => unreachable!("a move reads this desk's clinic"),
    }
}

pub fn run(store: &Store, args: &ServerArgs, command: ServerCommand) -> Result<(), Failure> {
    match command {
        ServerCommand::Check { .. } | ServerCommand::Desks { .. } | ServerCommand::Backup { .. } => {
            run_without_store(args, command)
        }
        ServerCommand::Move { json } => {
            let fail = failure(json);
            let address = args.address().map_err(&fail)?;
            let moved = store.move_to_server(Actor::CommandLine, &address).map_err(&fail)?;
            if json {
                print_json(&moved);
            } else {
                say!(
                    "Moved the clinic onto {}: {} rows in {} tables, each table's count checked. This desk's own file is unchanged.",
                    moved.server,
                    moved.rows,
                    moved.tables.len()
                );
            }
            Ok(())
        }
    }
}
