//! `clinic-journey server check|move`: the clinic server, one PostgreSQL database on the
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
    /// Move this desk's clinic onto an empty server database (administrators): every row in one
    /// transaction, each table's row count compared before it is kept. This desk's file stays as it is.
    Move {
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
            ServerCommand::Check { json, .. } | ServerCommand::Move { json, .. } => *json,
        }
    }
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

pub fn run(store: &Store, command: ServerCommand) -> Result<(), Failure> {
    match command {
        ServerCommand::Check { server, json } => check(&server, json),
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
