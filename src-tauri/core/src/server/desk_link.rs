//! A desk's connection to the clinic server and what belongs to that one connection: the
//! statements it has prepared and its session's temporary table of captured changes (the
//! audit's, see `store::audit`). A new connection (after the link failed) starts both afresh.

use std::time::Duration;

use postgres::Client;

use super::{connect, ServerAddress};
use crate::db::{Db, Statements};
use crate::error::Result;

pub struct DeskLink {
    pub client: Client,
    pub statements: Statements,
}

impl DeskLink {
    /// Connects and readies the session for the store's writes.
    pub fn connect(address: &ServerAddress) -> Result<DeskLink> {
        let mut client = connect(address)?;
        let mut tx = client.transaction()?;
        crate::store::prepare_capture_table(&Db::postgres(&mut tx))?;
        tx.commit()?;
        Ok(DeskLink { client, statements: Statements::default() })
    }

    /// Whether the connection is gone (after an error: it came from the link, not from what
    /// was asked). The client may not have noticed yet, so the server is asked once.
    pub fn is_lost(&mut self) -> bool {
        self.client.is_closed() || self.client.is_valid(Duration::from_secs(2)).is_err()
    }
}
