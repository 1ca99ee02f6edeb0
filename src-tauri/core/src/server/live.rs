//! Live between desks: a write committed on the clinic server says what it touched on the
//! `clinic_changes` channel (`pg_notify` inside the write's transaction, so it is heard only
//! if and when the write commits), and every desk listens and turns what it hears into the
//! change events its screens already refresh by.

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, GenericClient};
use serde::{Deserialize, Serialize};

use super::{connect, ServerAddress};
use crate::error::{Error, Result};
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
pub fn announce(tx: &mut impl GenericClient, desk: &str, change: &Change) -> Result<()> {
    let notice =
        Notice { desk: desk.to_string(), entities: change.entities.iter().map(|e| e.as_str().into()).collect() };
    let payload = serde_json::to_string(&notice).map_err(|e| Error::Internal(e.to_string()))?;
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])?;
    Ok(())
}

/// A desk's ear on the server: its own connection, listening on the clinic's channel.
pub struct ChangeFeed {
    client: Client,
    desk: String,
}

impl ChangeFeed {
    pub fn listen(address: &ServerAddress, desk: &str) -> Result<ChangeFeed> {
        let mut client = connect(address)?;
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(ChangeFeed { client, desk: desk.to_string() })
    }

    /// The other desks' changes heard within `wait` (none if nothing was committed), merged
    /// into one per source. A link that has gone is an error: the desk then shows it is cut off.
    pub fn next(&mut self, wait: Duration) -> Result<Option<Change>> {
        let mut entities = std::collections::BTreeSet::new();
        let mut notifications = self.client.notifications();
        let first = notifications.timeout_iter(wait).next()?;
        let Some(first) = first else { return Ok(None) };
        let mut heard = vec![first];
        // Whatever else has arrived meanwhile comes with it: a screen refreshes once.
        while let Some(more) = notifications.iter().next()? {
            heard.push(more);
        }
        for notification in heard {
            // A notice that is not ours (another program on the channel) says nothing we can use.
            let Ok(notice) = serde_json::from_str::<Notice>(notification.payload()) else { continue };
            if notice.desk != self.desk {
                entities.extend(notice.entities.iter().filter_map(|e| Entity::parse(e)));
            }
        }
        Ok((!entities.is_empty())
            .then(|| Change { entities: entities.into_iter().collect(), source: ChangeSource::OtherDesk }))
    }
}
