//! A desk's write to the clinic server, done exactly once however the link behaves. Each write
//! carries an id the desk makes before it starts; its transaction first records that id in
//! `applied_writes` (`ON CONFLICT DO NOTHING`). When the link fails, during the write or while
//! the reply to its COMMIT is on its way back, the desk connects again and tries once more: a
//! write the server had committed finds its id there and is not done twice (the value the
//! first attempt computed is returned); one it had not committed left nothing (the server
//! rolls back what a lost connection had begun) and is done now. Were the first attempt's
//! commit still finishing on the server, the second waits on its id's key until it has.

use std::thread::sleep;
use std::time::Duration;

use chrono::Utc;
use postgres::Transaction;
use uuid::Uuid;

use super::{DeskLink, ServerAddress};
use crate::db::Statements;
use crate::error::Result;

/// How long a desk keeps trying to reach the server again before it reports the write as not
/// done (the window then says the desk is cut off).
const RECONNECT_WAITS: [Duration; 4] =
    [Duration::from_millis(100), Duration::from_millis(300), Duration::from_millis(600), Duration::from_secs(1)];

/// A link that fails again and again is reported after this many tries.
const MOST_TRIES: u32 = 4;

/// How long a write's id is kept: far longer than any retry takes.
const KEPT_FOR_SECONDS: i64 = 7 * 24 * 3600;

/// What became of a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied<T> {
    /// Committed now.
    Now(T),
    /// Committed by an earlier attempt whose reply was lost (its value, when this call made it).
    Earlier(Option<T>),
}

/// Runs `work` in a transaction on `link` (with the statements its connection prepared) and
/// commits it, exactly once under `write_id`: reconnecting to `address` (replacing `link`) and
/// trying again when the link fails. A refusal or other error inside `work` rolls it back and
/// is returned as it is.
pub fn write_once<T>(
    link: &mut DeskLink,
    address: &ServerAddress,
    desk: &str,
    write_id: Uuid,
    mut work: impl FnMut(&mut Transaction, &Statements) -> Result<T>,
) -> Result<Applied<T>> {
    let mut computed = None;
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt(link, desk, write_id, &mut work, &mut computed) {
            Ok(applied) => return Ok(applied),
            Err(_) if tries < MOST_TRIES && link.is_lost() => {
                // The link failed: the server rolled back what was not committed. Reach it
                // again and try once more; the write's id says whether it had been committed.
                *link = reconnect(address)?;
            }
            Err(e) => return Err(e),
        }
    }
}

fn attempt<T>(
    link: &mut DeskLink,
    desk: &str,
    write_id: Uuid,
    work: &mut impl FnMut(&mut Transaction, &Statements) -> Result<T>,
    computed: &mut Option<T>,
) -> Result<Applied<T>> {
    let mut tx = link.client.transaction()?;
    let now = Utc::now().timestamp();
    // One round trip: ids older than a week go, this write's comes (or is found there).
    let recorded = tx.execute(
        "WITH old AS (DELETE FROM applied_writes WHERE at < CAST($3 AS BIGINT) - CAST($4 AS BIGINT))
         INSERT INTO applied_writes (id, desk, at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        &[&write_id.to_string(), &desk, &now, &KEPT_FOR_SECONDS],
    )?;
    if recorded == 0 {
        tx.rollback()?;
        return Ok(Applied::Earlier(computed.take()));
    }
    let value = work(&mut tx, &link.statements)?;
    // Kept until the commit is known: if its reply is lost, the next attempt returns it.
    *computed = Some(value);
    tx.commit()?;
    Ok(Applied::Now(computed.take().expect("the value was just kept")))
}

/// Connects again, waiting a little longer before each try.
pub(crate) fn reconnect(address: &ServerAddress) -> Result<DeskLink> {
    let mut last = None;
    for wait in RECONNECT_WAITS {
        sleep(wait);
        match DeskLink::connect(address) {
            Ok(link) => return Ok(link),
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("at least one try"))
}
