//! Where the clinic server is and how a desk signs in to it: a PostgreSQL address such as
//! `postgres://desk1@192.168.1.10:5432/clinic`, its password kept apart (never shown, never
//! on a command line), and encryption (TLS) required unless the address says otherwise.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::Config;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Refusal, Result};

/// How long a desk waits for the server to answer a connection before saying it does not.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A clinic server as the window's form asks for it, piece by piece.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServerForm {
    pub host: String,
    pub port: u16,
    pub database: String,
    /// The desk's role on the server.
    pub role: String,
    /// Empty when it is not to change (a form filled from the saved choice).
    pub password: String,
    /// The link left unencrypted (a server on this PC only, a test): not offered by default.
    pub without_tls: bool,
}

impl ServerForm {
    /// The address the form describes, as `parse` checks it.
    pub fn address(&self) -> Result<ServerAddress> {
        let host = self.host.trim();
        // An IPv6 address is written in brackets, so that its colons are not the port's.
        let host = if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_string() };
        let tls = if self.without_tls { "?sslmode=disable" } else { "" };
        let text = format!("postgres://{}@{host}:{}/{}{tls}", self.role.trim(), self.port, self.database.trim());
        ServerAddress::parse(&text, Some(&self.password))
    }

    /// The form of `address` (no password: it is never shown).
    pub fn of(address: &ServerAddress) -> ServerForm {
        let host = match address.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        };
        ServerForm {
            host,
            port: address.config.get_ports().first().copied().unwrap_or(5432),
            database: address.database().to_string(),
            role: address.role().to_string(),
            password: String::new(),
            without_tls: !address.encrypted(),
        }
    }
}

#[derive(Clone)]
pub struct ServerAddress {
    config: Config,
    /// The certificate of the authority that signed the server's certificate: with it the
    /// desk checks whom it talks to; without it the link is encrypted but the server unproven
    /// (as PostgreSQL's own `sslmode=require`).
    authority: Option<PathBuf>,
}

impl ServerAddress {
    /// Reads an address (`postgres://role@host:port/database?sslmode=…` or PostgreSQL's
    /// `host=… dbname=…` form). `password` is the desk role's, given apart from the address.
    pub fn parse(text: &str, password: Option<&str>) -> Result<ServerAddress> {
        let text = text.trim();
        let refuse = |detail: &str| {
            Error::refused("server", Refusal::NotAServerAddress { value: text.to_string(), detail: detail.to_string() })
        };
        if text.is_empty() {
            return Err(refuse("the address is empty"));
        }
        let is_url = text.starts_with("postgres://") || text.starts_with("postgresql://");
        if !is_url && !text.contains('=') {
            return Err(refuse("it should start with postgres://"));
        }
        if let Some(port) = url_port(text).filter(|p| p.parse::<u16>().is_err()) {
            return Err(refuse(&format!("the port “{port}” is not a number from 1 to 65535")));
        }
        let mut config = Config::from_str(text).map_err(|e| refuse(&e.to_string()))?;
        if config.get_hosts().is_empty() {
            return Err(refuse("it names no server (host)"));
        }
        if config.get_dbname().is_none() {
            return Err(refuse("it names no database (…/clinic at the end)"));
        }
        if config.get_user().is_none() {
            return Err(refuse("it names no desk role (desk1@ before the host)"));
        }
        // A link left unencrypted is the address's own choice (`sslmode=disable`), never a
        // fallback: PostgreSQL's default `prefer` would quietly talk in clear text.
        if !text.contains("sslmode") {
            config.ssl_mode(SslMode::Require);
        }
        if let Some(password) = password.filter(|p| !p.is_empty()) {
            config.password(password);
        }
        config.connect_timeout(CONNECT_TIMEOUT).application_name("clinic-journey");
        Ok(ServerAddress { config, authority: None })
    }

    /// Checks the server's certificate against this authority's (`--server-ca FILE`).
    pub fn with_authority(mut self, certificate: PathBuf) -> ServerAddress {
        self.authority = Some(certificate);
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn authority(&self) -> Option<&std::path::Path> {
        self.authority.as_deref()
    }

    pub fn role(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    /// Whether the address asks for an encrypted link (anything but `sslmode=disable`).
    pub fn encrypted(&self) -> bool {
        self.config.get_ssl_mode() != SslMode::Disable
    }
}

/// The port of a `postgres://role@host:port/…` address, as written (none when not given).
fn url_port(text: &str) -> Option<&str> {
    let rest = text.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // An IPv6 host is in brackets: its colons are not the port's.
    let after_host = host_port.rsplit_once(']').map_or(host_port, |(_, p)| p);
    after_host.rsplit_once(':').map(|(_, port)| port)
}

/// `desk1@192.168.1.10:5432/clinic`: what screens, logs and refusals show (no password).
impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        write!(f, "{}@{host}:{port}/{}", self.role(), self.database())
    }
}

/// Debug shows what Display shows: a password never reaches a log.
impl fmt::Debug for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerAddress({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal_detail(text: &str) -> String {
        match ServerAddress::parse(text, None).unwrap_err().refusal() {
            Some(Refusal::NotAServerAddress { detail, .. }) => detail.clone(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn an_address_names_server_database_and_desk_and_requires_encryption_by_default() {
        let address = ServerAddress::parse(" postgres://desk1@192.168.1.10:5433/clinic ", Some("s3cret")).unwrap();
        assert_eq!(address.to_string(), "desk1@192.168.1.10:5433/clinic");
        assert_eq!(address.config().get_ssl_mode(), SslMode::Require);
        assert!(address.encrypted());
        assert_eq!(address.config().get_password(), Some(&b"s3cret"[..]));
        assert!(!format!("{address:?}").contains("s3cret"));

        let plain = ServerAddress::parse("postgres://desk1@localhost/clinic?sslmode=disable", None).unwrap();
        assert!(!plain.encrypted());
        let key_value = ServerAddress::parse("host=10.0.0.2 user=desk2 dbname=clinic", None).unwrap();
        assert_eq!(key_value.to_string(), "desk2@10.0.0.2:5432/clinic");
    }

    #[test]
    fn an_address_that_misses_a_part_says_which() {
        assert_eq!(refusal_detail(""), "the address is empty");
        assert_eq!(refusal_detail("192.168.1.10"), "it should start with postgres://");
        assert_eq!(
            refusal_detail("postgres://desk1@10.0.0.2:54a/clinic"),
            "the port “54a” is not a number from 1 to 65535"
        );
        assert!(ServerAddress::parse("postgres://desk1@[::1]:5433/clinic", None).is_ok());
        assert_eq!(refusal_detail("postgres://desk1@10.0.0.2"), "it names no database (…/clinic at the end)");
        assert_eq!(refusal_detail("postgres://10.0.0.2/clinic"), "it names no desk role (desk1@ before the host)");
    }

    #[test]
    fn a_form_makes_the_address_it_shows_and_its_own_refusals() {
        let form = ServerForm {
            host: " 192.168.1.10 ".into(),
            port: 5433,
            database: "clinic".into(),
            role: "reception".into(),
            password: "s3cret".into(),
            without_tls: false,
        };
        let address = form.address().unwrap();
        assert_eq!(address.to_string(), "reception@192.168.1.10:5433/clinic");
        assert!(address.encrypted());
        assert_eq!(address.config().get_password(), Some(&b"s3cret"[..]));
        assert_eq!(
            ServerForm::of(&address),
            ServerForm { host: "192.168.1.10".into(), password: String::new(), ..form.clone() }
        );
        let ipv6 = ServerForm { host: "::1".into(), without_tls: true, ..form.clone() }.address().unwrap();
        assert!(!ipv6.encrypted());
        assert_eq!(ServerForm::of(&ipv6).host, "::1");
        let no_database = ServerForm { database: " ".into(), ..form }.address().unwrap_err();
        assert!(matches!(no_database.refusal(), Some(Refusal::NotAServerAddress { .. })), "{no_database}");
    }
}
