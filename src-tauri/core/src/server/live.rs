//! Live between desks: a write committed on the clinic server says what it touched on the
//! `clinic_changes` channel (`pg_notify` inside the write's transaction, so it is heard only
//! if and when the write commits), and every desk listens and turns what it hears into the
//! change events its screens already refresh by.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;
use serde::{Deserialize, Serialize};

use super::{connect, ServerAddress};
use crate::db::Db;
use crate::error::{Error, Refusal, Result};
use crate::store::{Change, ChangeSource, Entity};

/// The server's channel for the clinic's changes.
pub const CHANNEL: &str = "clinic_changes";

/// What one desk tells the others of a committed write.
#[derive(Debug, Serialize, Deserialize)]
struct Notice {
    /// The desk that wrote: it told its own screens already, and skips its own notices.
    desk: String,
    entities: Vec<String>,
}

/// Tells the other desks, inside the write's transaction, what it changed.
pub fn announce(tx: &Db, desk: &str, change: &Change) -> Result<()> {
    let notice =
        Notice { desk: desk.to_string(), entities: change.entities.iter().map(|e| e.as_str().into()).collect() };
    let payload = serde_json::to_string(&notice).map_err(|e| Error::Internal(e.to_string()))?;
    tx.execute("SELECT pg_notify(?1, ?2)", &[&CHANNEL, &payload])?;
    Ok(())
}

/// A desk's ear on the server: its own connection, listening on the clinic's channel. When the
/// link goes it says since when (the desk shows it is cut off and pauses its writes), keeps
/// trying to reach the server, and once back tells every screen to read again: what other
/// desks committed meanwhile was not heard.
pub struct ChangeFeed {
    address: ServerAddress,
    desk: String,
    /// None while cut off.
    client: Option<Client>,
    cut_off_since: Option<DateTime<Utc>>,
    /// When the server last answered; a link quiet for long is asked whether it is still there
    /// (a pulled cable ends no connection by itself).
    last_answer: Instant,
}

/// How long a quiet link goes unchecked.
const CHECK_QUIET_LINK_AFTER: Duration = Duration::from_secs(5);

impl ChangeFeed {
    pub fn listen(address: &ServerAddress, desk: &str) -> Result<ChangeFeed> {
        Ok(ChangeFeed {
            client: Some(listening(address)?),
            address: address.clone(),
            desk: desk.to_string(),
            cut_off_since: None,
            last_answer: Instant::now(),
        })
    }

    /// Since when the desk has been cut off from the server (None while it is connected).
    pub fn cut_off_since(&self) -> Option<DateTime<Utc>> {
        self.cut_off_since
    }

    /// The other desks' changes heard within `wait` (none if nothing was committed), merged
    /// into one; every entity once the link is back after a cut. A link that goes meanwhile
    /// is no error: `cut_off_since` says so. A server that refuses this desk on its return
    /// (its role removed) is.
    pub fn next(&mut self, wait: Duration) -> Result<Option<Change>> {
        let Some(client) = self.client.as_mut() else {
            return self.reconnect(wait);
        };
        let heard = match hear(client, &self.desk, wait) {
            Ok(heard) => heard,
            Err(_) => {
                self.lose();
                return Ok(None);
            }
        };
        if heard.is_some() {
            self.last_answer = Instant::now();
        } else if self.last_answer.elapsed() >= CHECK_QUIET_LINK_AFTER {
            if client.is_valid(Duration::from_secs(2)).is_err() {
                self.lose();
            } else {
                self.last_answer = Instant::now();
            }
        }
        Ok(heard)
    }

    fn lose(&mut self) {
        self.client = None;
        self.cut_off_since = Some(Utc::now());
    }

    fn reconnect(&mut self, wait: Duration) -> Result<Option<Change>> {
        let started = Instant::now();
        match listening(&self.address) {
            Ok(client) => {
                // Listening before the screens read again: nothing committed after is missed.
                self.client = Some(client);
                self.cut_off_since = None;
                self.last_answer = Instant::now();
                Ok(Some(Change { entities: Entity::ALL.to_vec(), source: ChangeSource::OtherDesk }))
            }
            Err(e) if matches!(e.refusal(), Some(Refusal::ServerUnreachable { .. })) => {
                std::thread::sleep(wait.saturating_sub(started.elapsed()));
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

fn listening(address: &ServerAddress) -> Result<Client> {
    let mut client = connect(address)?;
    client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
    Ok(client)
}

/// What other desks said within `wait`, merged: whatever else has arrived with the first
/// notice comes with it, so a screen refreshes once.
fn hear(client: &mut Client, desk: &str, wait: Duration) -> Result<Option<Change>> {
    let mut entities = std::collections::BTreeSet::new();
    let mut notifications = client.notifications();
    let first = notifications.timeout_iter(wait).next()?;
    let Some(first) = first else { return Ok(None) };
    let mut heard = vec![first];
    while let Some(more) = notifications.iter().next()? {
        heard.push(more);
    }
    for notification in heard {
        // A notice that is not ours (another program on the channel) says nothing we can use.
        let Ok(notice) = serde_json::from_str::<Notice>(notification.payload()) else { continue };
        if notice.desk != desk {
            entities.extend(notice.entities.iter().filter_map(|e| Entity::parse(e)));
        }
    }
    Ok((!entities.is_empty())
        .then(|| Change { entities: entities.into_iter().collect(), source: ChangeSource::OtherDesk }))
}
