//! The scheduler runs once per clinic, not once per desk: the desk holding the planning lock
//! (an advisory lock of its own connection's session) plans; the others ask now and then, and
//! one of them takes over when that desk goes away (its connection ends and the server frees
//! the lock with it).

use postgres::Client;

use super::{connect, ServerAddress};
use crate::error::Result;

/// Any number, the same on every desk: the clinic database's planning lock.
const PLANNING_LOCK: i64 = 0x636c_696e_6963_0002;

pub struct PlanningRole {
    client: Client,
    held: bool,
}

impl PlanningRole {
    /// A connection of its own: the lock lives and dies with it.
    pub fn connect(address: &ServerAddress) -> Result<PlanningRole> {
        Ok(PlanningRole { client: connect(address)?, held: false })
    }

    /// Whether this desk plans now: it takes the role if no other desk holds it. A link that
    /// has gone is an error (and the role is lost with it).
    pub fn try_take(&mut self) -> Result<bool> {
        if self.held {
            // Still ours while the session lives: ask the server, which would have freed it.
            self.held = self
                .client
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                        AND granted AND ((classid::bigint << 32) | objid::bigint) = $1)",
                    &[&PLANNING_LOCK],
                )?
                .get(0);
            return Ok(self.held);
        }
        self.held = self.client.query_one("SELECT pg_try_advisory_lock($1)", &[&PLANNING_LOCK])?.get(0);
        Ok(self.held)
    }
}
