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
use serde::Serialize;
use ts_rs::TS;

use super::kept_reads::KeptReads;
use super::{Acting, Actor, Change, Engine, Entity, Store, Write, SCHEMA_VERSION};
use crate::db::Db;
use crate::domain::ids::new_id;
use crate::error::{Error, Refusal, Result};
use crate::server::write_once::{reconnect, write_once, Applied};
use crate::server::{live, DeskLink, PlanningRole, ServerAddress};

/// The advisory lock every desk's write takes first (`pg_advisory_xact_lock`).
const WRITES_LOCK: i64 = 0x636c_696e_6963_0003;

pub(super) struct ServerDesk {
    address: ServerAddress,
    /// The desk's role and this store's own mark: its change notices carry it, and it skips
    /// its own (its screens were told at once).
    name: String,
    link: Mutex<DeskLink>,
    /// The scheduler's role (one desk of the clinic plans), once asked for: its own connection.
    planning: Mutex<Option<PlanningRole>>,
    /// Since when the desk's change feed has not reached the server (its listener says).
    cut_off_since: Mutex<Option<DateTime<Utc>>>,
    /// When the desk last read from the server: what its screens show is as of then.
    last_read: Mutex<Option<DateTime<Utc>>>,
    /// The front desk's screens as last read, for while the server does not answer.
    kept_reads: KeptReads,
    /// Runs once just before the next write's COMMIT is sent (tests lose its reply).
    #[cfg(test)]
    before_commit: Mutex<Option<Box<dyn FnOnce() + Send>>>,
}

/// The Settings page of the clinic server: where this desk works, and what it may do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClinicServerPage {
    /// The server this desk works on (none: its own file).
    pub on_server: Option<crate::server::ServerForm>,
    /// Whether this desk may move its clinic onto a server: it works on its own file, has a
    /// clinic there, and the person signed in sets the clinic up.
    pub may_move: bool,
}

/// The desk's link to the clinic server, as the window's banner shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServerLink {
    /// `desk@host:port/database`.
    pub server: String,
    /// Since when the server has not answered: the desk shows what it read before and makes
    /// no changes until it answers again.
    pub cut_off_since: Option<DateTime<Utc>>,
    /// When the desk last read from the server.
    pub last_read: Option<DateTime<Utc>>,
}

/// What a part of the store not yet moved onto the server answers there.
pub(super) fn not_on_server_yet() -> Error {
    Error::refused("", Refusal::NotOnServerYet)
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
            // This store's own (a UUID v7 ends in random digits): a window and the command line
            // on one PC share the desk's role, and each must hear the other's changes.
            name: format!("{desk}#{}", &new_id().simple().to_string()[24..]),
            link: Mutex::new(link),
            planning: Mutex::new(None),
            cut_off_since: Mutex::new(None),
            last_read: Mutex::new(None),
            kept_reads: KeptReads::default(),
            #[cfg(test)]
            before_commit: Mutex::new(None),
        }))))
    }

    /// The clinic server this desk works on, as the Settings form shows it (no password).
    pub fn server_form(&self) -> Option<crate::server::ServerForm> {
        let Engine::Server(desk) = &self.engine else { return None };
        Some(crate::server::ServerForm::of(&desk.address))
    }

    /// What the Clinic server page offers this desk now.
    pub fn clinic_server_page(&self) -> Result<ClinicServerPage> {
        // Moving needs a clinic of this desk's own to move, and someone who sets the clinic up.
        let may_move = self.is_file()
            && !self.is_empty_clinic()?
            && self.check_work(Actor::User, crate::domain::access::Work::ClinicSetup).is_ok();
        Ok(ClinicServerPage { on_server: self.server_form(), may_move })
    }

    /// The clinic server this desk works on (none: its own file).
    pub(crate) fn server_address(&self) -> Option<&ServerAddress> {
        match &self.engine {
            Engine::Server(desk) => Some(&desk.address),
            Engine::File { .. } => None,
        }
    }

    /// The desk's own folder (its app data), where its backups of the clinic server go unless
    /// the backup plan names another.
    pub fn with_desk_folder(mut self, folder: &std::path::Path) -> Self {
        self.desk_folder = Some(folder.to_path_buf());
        self
    }

    /// The link to the clinic server (none for a desk on its own file).
    pub fn server_link(&self) -> Option<ServerLink> {
        let Engine::Server(desk) = &self.engine else { return None };
        Some(ServerLink {
            server: desk.address.to_string(),
            cut_off_since: *lock(&desk.cut_off_since),
            last_read: *lock(&desk.last_read),
        })
    }

    /// Runs `hook` once, just before the next write's COMMIT goes to the server.
    #[cfg(test)]
    pub(super) fn before_next_commit(&self, hook: impl FnOnce() + Send + 'static) {
        if let Engine::Server(desk) = &self.engine {
            *lock(&desk.before_commit) = Some(Box::new(hook));
        }
    }

    /// Takes note of what the desk's change feed says of the link (`None`: it answers): while
    /// cut off, writes are refused at once instead of each waiting out its own retries.
    pub fn note_cut_off(&self, since: Option<DateTime<Utc>>) {
        if let Engine::Server(desk) = &self.engine {
            *lock(&desk.cut_off_since) = since;
        }
    }

    /// Whether this desk runs the clinic's scheduler (re-plans at the day's turn): always on
    /// the file; on the server the one desk holding the planning role, taken when no other
    /// desk holds it (and taken over when that desk goes away).
    pub fn plans_here(&self) -> Result<bool> {
        let Engine::Server(desk) = &self.engine else { return Ok(true) };
        let mut planning = lock(&desk.planning);
        if planning.is_none() {
            *planning = Some(PlanningRole::connect(&desk.address)?);
        }
        let held = planning.as_mut().map(PlanningRole::try_take).transpose();
        if held.is_err() {
            // The link went, and the role with it: asked again on a new connection next time.
            *planning = None;
        }
        Ok(held?.unwrap_or(false))
    }

    /// A listener for what the other desks commit (the window's live refresh), for a desk on
    /// the clinic server; none on the file (its own writes are announced directly).
    pub fn listen_to_other_desks(&self) -> Result<Option<live::ChangeFeed>> {
        match &self.engine {
            Engine::File { .. } => Ok(None),
            Engine::Server(desk) => Ok(Some(live::ChangeFeed::listen(&desk.address, &desk.name)?)),
        }
    }
}

impl ServerDesk {
    pub(super) fn address(&self) -> &ServerAddress {
        &self.address
    }

    fn link(&self) -> MutexGuard<'_, DeskLink> {
        lock(&self.link)
    }

    pub(super) fn kept_reads(&self) -> &KeptReads {
        &self.kept_reads
    }

    /// The desk's listener found the server not answering (and has not heard it since).
    pub(super) fn is_cut_off(&self) -> bool {
        lock(&self.cut_off_since).is_some()
    }

    /// The desk's connection is gone (and could not be made again for the last read).
    pub(super) fn link_lost(&self) -> bool {
        self.link().is_lost()
    }

    /// Runs `f` on one read-only snapshot of the clinic, read at `now`. A connection lost
    /// meanwhile (the server restarted, the cable was out) is made again for this read.
    pub(super) fn read<T>(&self, now: DateTime<Utc>, mut f: impl FnMut(&Db) -> Result<T>) -> Result<T> {
        let mut link = self.link();
        let value = match snapshot(&mut link, &mut f) {
            Err(_) if link.is_lost() => {
                *link = reconnect(&self.address)?;
                snapshot(&mut link, &mut f)?
            }
            read => read?,
        };
        *lock(&self.last_read) = Some(now);
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
        if let Some(since) = *lock(&self.cut_off_since) {
            return Err(Error::refused("", Refusal::ServerCutOff { server: self.address.to_string(), since }));
        }
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
            #[cfg(test)]
            if let Some(hook) = lock(&self.before_commit).take() {
                hook();
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

fn snapshot<T>(link: &mut DeskLink, f: &mut impl FnMut(&Db) -> Result<T>) -> Result<T> {
    let DeskLink { client, statements } = link;
    let mut tx = client.build_transaction().read_only(true).isolation_level(IsolationLevel::RepeatableRead).start()?;
    let value = f(&Db::postgres_prepared(&mut tx, statements))?;
    tx.commit()?;
    Ok(value)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
