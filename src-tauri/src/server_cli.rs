//! `clinic-journey server check|move|desks|backup`: the clinic server, one PostgreSQL database on the
//! practice's own network. The address comes from `--server` or $CLINIC_JOURNEY_SERVER; the
//! desk role's password only from $CLINIC_JOURNEY_SERVER_PASSWORD (a command line is visible
//! to every user of the PC).

use std::path::PathBuf;

use clap::Subcommand;
use clinic_journey_core::server::{self, ServerAddress};
use clinic_journey_core::{Actor, Store};

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Test the connection: the server's version, whether the link is encrypted, the clinic it holds.
    Check {
        #[command(flatten)]
        server: ServerArgs,
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
        #[command(flatten)]
        server: ServerArgs,
        /// Where the dump goes: clinic-server-YYYYMMDD-HHMMSS.dump (UTC).
        #[arg(long, value_name = "FOLDER")]
        folder: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Move this desk's clinic onto an empty server database (administrators): every row in one
    /// transaction, each table's row count compared before it is kept. This desk's file stays as it is.
    Move {
        #[command(flatten)]
        server: ServerArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DesksCommand {
    /// The desks made for the clinic's database.
    List {
        #[command(flatten)]
        server: ServerArgs,
        #[arg(long)]
        json: bool,
    },
    /// A role for a new desk, with a generated password printed once (give it to that desk).
    Add {
        /// Lower-case letters, digits and dashes: reception, room-2.
        name: String,
        #[command(flatten)]
        server: ServerArgs,
        #[arg(long)]
        json: bool,
    },
    /// Retire a desk: its role is dropped and it can no longer reach the clinic.
    Remove {
        name: String,
        #[command(flatten)]
        server: ServerArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// postgres://ROLE@HOST:PORT/DATABASE; the link is encrypted (TLS) unless it ends in ?sslmode=disable.
    #[arg(long, env = "CLINIC_JOURNEY_SERVER", value_name = "ADDRESS")]
    server: String,
    /// The certificate (PEM) of the authority that signed the server's: the desk then checks
    /// that it talks to that server, not only that the link is encrypted.
    #[arg(long, env = "CLINIC_JOURNEY_SERVER_CA", value_name = "FILE")]
    server_ca: Option<PathBuf>,
}

impl ServerArgs {
    fn address(&self) -> clinic_journey_core::Result<ServerAddress> {
        let password = std::env::var("CLINIC_JOURNEY_SERVER_PASSWORD").ok();
        let address = ServerAddress::parse(&self.server, password.as_deref())?;
        Ok(match &self.server_ca {
            Some(certificate) => address.with_authority(certificate.clone()),
            None => address,
        })
    }
}

impl ServerCommand {
    pub fn json(&self) -> bool {
        match self {
            ServerCommand::Check { json, .. }
            | ServerCommand::Move { json, .. }
            | ServerCommand::Backup { json, .. } => *json,
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
pub fn desks(command: DesksCommand) -> Result<(), Failure> {
    let (server, json) = match &command {
        DesksCommand::List { server, json }
        | DesksCommand::Add { server, json, .. }
        | DesksCommand::Remove { server, json, .. } => (server, *json),
    };
    let fail = failure(json);
    let address = server.address().map_err(&fail)?;
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
    let made = server::backup::dump(&address, folder, chrono::Utc::now()).map_err(&fail)?;
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
pub fn run_without_store(command: ServerCommand) -> Result<(), Failure> {
    match command {
        ServerCommand::Check { server, json } => check(&server, json),
        ServerCommand::Desks { command } => desks(command),
        ServerCommand::Backup { server, folder, json } => backup(&server, &folder, json),
        ServerCommand::Move { .. } => unreachable!("a move reads this desk's clinic"),
    }
}

pub fn run(store: &Store, command: ServerCommand) -> Result<(), Failure> {
    match command {
        ServerCommand::Check { .. } | ServerCommand::Desks { .. } | ServerCommand::Backup { .. } => {
            run_without_store(command)
        }
        ServerCommand::Move { server, json } => {
            let fail = failure(json);
            let address = server.address().map_err(&fail)?;
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
