//! A desk's connection to the clinic server, and what "Test connection" reports of it.

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use postgres::error::SqlState;
use postgres::Client;
use postgres_openssl::MakeTlsConnector;
use serde::Serialize;
use ts_rs::TS;

use super::address::ServerAddress;
use super::schema;
use crate::error::{Error, Refusal, Result};

/// The oldest PostgreSQL the clinic server runs on (the schema uses its features).
pub const OLDEST_SERVER_VERSION: u32 = 15;

/// What a desk found at the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServerCheck {
    /// `desk1@192.168.1.10:5432/clinic`
    pub server: String,
    /// PostgreSQL's own version, e.g. "15.18".
    pub server_version: String,
    /// The link is encrypted (TLS), and with which protocol.
    pub tls: Option<String>,
    /// The schema version of the clinic there; none when the database is still empty.
    pub schema_version: Option<u32>,
    /// The clinic's name there, when it holds one.
    pub clinic: Option<String>,
}

/// Connects as the desk's role; every failure is a refusal that says what to check.
pub fn connect(address: &ServerAddress) -> Result<Client> {
    let tls = tls_connector(address)?;
    let client = address.config().connect(tls).map_err(|e| connect_error(address, &e))?;
    Ok(client)
}

/// Connects and reports what is there: the server's version, the link's encryption, and the
/// clinic it holds. A server older than PostgreSQL 15 is refused.
pub fn check(address: &ServerAddress) -> Result<ServerCheck> {
    let mut client = connect(address)?;
    let server_number: i32 = client.query_one("SELECT current_setting('server_version_num')::int", &[])?.get(0);
    let server_version: String = client.query_one("SHOW server_version", &[])?.get(0);
    let major = u32::try_from(server_number / 10_000).unwrap_or(0);
    if major < OLDEST_SERVER_VERSION {
        return Err(Error::refused(
            "server",
            Refusal::ServerTooOld { server: address.to_string(), version: server_version },
        ));
    }
    let tls: Option<String> = client
        .query_opt("SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl", &[])?
        .map(|row| row.get(0));
    let schema_version = schema::version(&mut client)?.map(|v| u32::try_from(v).unwrap_or(u32::MAX));
    let clinic = match schema_version {
        Some(_) => client.query_opt("SELECT name FROM clinic_settings", &[])?.map(|row| row.get(0)),
        None => None,
    };
    Ok(ServerCheck { server: address.to_string(), server_version, tls, schema_version, clinic })
}

fn tls_connector(address: &ServerAddress) -> Result<MakeTlsConnector> {
    let tls_error = |e: openssl::error::ErrorStack| {
        Error::refused("server", Refusal::ServerUnreachable { server: address.to_string(), detail: e.to_string() })
    };
    let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(tls_error)?;
    let proven = address.authority().is_some();
    match address.authority() {
        Some(certificate) => builder.set_ca_file(certificate).map_err(tls_error)?,
        None => builder.set_verify(SslVerifyMode::NONE),
    }
    let mut connector = MakeTlsConnector::new(builder.build());
    connector.set_callback(move |configuration, _host| {
        configuration.set_verify_hostname(proven);
        Ok(())
    });
    Ok(connector)
}

/// A failed connection, as what the person at the desk can check.
fn connect_error(address: &ServerAddress, e: &postgres::Error) -> Error {
    let server = address.to_string();
    let refusal = match e.code() {
        Some(code) if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
            Refusal::ServerSignInRefused { server, role: address.role().to_string() }
        }
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => {
            Refusal::RoleNotOfThisClinic { server, role: address.role().to_string() }
        }
        Some(code) if *code == SqlState::INVALID_CATALOG_NAME => {
            Refusal::NoServerDatabase { server, database: address.database().to_string() }
        }
        Some(_) => return Error::Server(server_error(e)),
        None if e.to_string().contains("does not support TLS") => Refusal::ServerWithoutTls { server },
        None => Refusal::ServerUnreachable { server, detail: plain_cause(e) },
    };
    Error::refused("server", refusal)
}

/// The innermost cause ("Connection refused (os error 111)"), without the client's wrapping.
fn plain_cause(e: &postgres::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

/// What the server said, for `Error::Server`; a link that broke off is said as the client
/// says it ("error communicating with the server"), without the TLS library's error codes.
pub(crate) fn server_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string().split(": ").next().unwrap_or_default().to_string(),
    }
}
