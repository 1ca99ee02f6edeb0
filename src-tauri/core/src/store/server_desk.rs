//! The store on the clinic server: a desk's reads (one snapshot each) and writes (the same unit
//! of work as on the file, done exactly once however the link behaves). Writes of all desks take
//! turns through one transaction-level advisory lock, as the file's single writer does: the
//! planner, the rebooking calls and the day figures each assume that no other write runs beside
//! theirs. A write holds it for a few milliseconds; a booking's clash check then sees every
//! booking committed before it (and the schema's exclusion constraints stand behind it).

use std::collections::BTreeSet;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use postgres::IsolationLevel;

use super::{Acting, Actor, Change, Engine, Entity, Store, Write, SCHEMA_VERSION};
use crate::db::Db;
use crate::domain::ids::new_id;
use crate::error::{Error, Refusal, Result};
use crate::server::write_once::{write_once, Applied};
use crate::server::{live, DeskLink, ServerAddress};

/// The advisory lock every desk's write takes first (`pg_advisory_xact_lock`).
const WRITES_LOCK: i64 = 0x636c_696e_6963_0003;

pub(super) struct ServerDesk {
    address: ServerAddress,
    /// The desk's name, which its change notices carry (it skips its own).
    name: String,
    link: Mutex<DeskLink>,
}

/// What a part of the store not yet moved onto the server answers there.
pub(super) fn not_on_server_yet() -> Error {
    Error::Internal("this part of the app does not work on the clinic server yet".into())
}

impl Store {
    /// Opens the clinic on its server as the desk `desk`. A server without a clinic is refused
    /// (a clinic comes there by `server move`); one of an older version of the app is brought
    /// up to this one's schema first (the desks starting at once take turns).
    pub fn open_server(address: &ServerAddress, desk: &str) -> Result<Store> {
        let mut link = DeskLink::connect(address)?;
        match crate::server::schema_version(&mut link.client)? {
            None | Some(0) => {
                return Err(Error::refused("server", Refusal::NoClinicOnServer { server: address.to_string() }));
            }
            Some(found) if found < SCHEMA_VERSION => {
                crate::server::migrate(&mut link.client)?;
            }
            Some(found) if found > SCHEMA_VERSION => {
                return Err(Error::DatabaseTooNew { found, supported: SCHEMA_VERSION });
            }
            Some(_) => {}
        }
        Ok(Store::on_engine(Engine::Server(Box::new(ServerDesk {
            address: address.clone(),
            name: desk.to_string(),
            link: Mutex::new(link),
        }))))
    }
}

impl ServerDesk {
    pub(super) fn address(&self) -> &ServerAddress {
        &self.address
    }

    fn link(&self) -> MutexGuard<'_, DeskLink> {
        self.link.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on one read-only snapshot of the clinic.
    pub(super) fn read<T>(&self, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        let mut link = self.link();
        let DeskLink { client, statements } = &mut *link;
        let mut tx =
            client.build_transaction().read_only(true).isolation_level(IsolationLevel::RepeatableRead).start()?;
        let value = f(&Db::postgres_prepared(&mut tx, statements))?;
        tx.commit()?;
        Ok(value)
    }

    /// The unit of work on the server: `who` decides who writes, `f` writes, the write settles
    /// as on the file (rebooking calls, planning, figures, audit), tells the other desks what
    /// it touched, and commits once. What it touched comes back for this desk's own screens.
    pub(super) fn write<T>(
        &self,
        actor: Actor,
        now: DateTime<Utc>,
        mut who: impl FnMut(&Db) -> Result<Acting>,
        mut f: impl FnMut(&mut Write) -> Result<T>,
    ) -> Result<(T, BTreeSet<Entity>)> {
        let mut link = self.link();
        let applied = write_once(&mut link, &self.address, &self.name, new_id(), |tx, statements| {
            let db = Db::postgres_prepared(tx, statements);
            db.execute("SELECT pg_advisory_xact_lock(?1)", &[&WRITES_LOCK])?;
            let acting = who(&db)?;
            let mut write = Write::new(db, actor, acting, now);
            let value = f(&mut write)?;
            write.settle()?;
            let touched = write.touched.clone();
            if !touched.is_empty() {
                let change = Change { entities: touched.iter().copied().collect(), source: actor.into() };
                live::announce(write.db(), &self.name, &change)?;
            }
            Ok((value, touched))
        })?;
        match applied {
            Applied::Now(done) | Applied::Earlier(Some(done)) => Ok(done),
            // Each write has an id of its own: only a write sent twice under one id lands here.
            Applied::Earlier(None) => Err(Error::Internal("a write was found done before it was sent".into())),
        }
    }
}
