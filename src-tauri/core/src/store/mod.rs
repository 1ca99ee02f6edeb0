//! The SQLite store: one connection owned here (one writer), every multi-row change in one
//! transaction, every write audited and announced as one change event.

#[cfg(test)]
mod access_tests;
mod appointments;
mod audit;
mod backup;
mod backup_plan;
#[cfg(test)]
mod backup_tests;
mod blocked_periods;
mod blueprint;
mod booking;
mod call_list_cache;
mod change;
mod closed_days;
mod day_forecast;
pub mod encryption;
#[cfg(test)]
mod encryption_tests;
mod exports;
mod flow;
mod imports;
mod insight_figures;
mod insights;
#[cfg(test)]
mod interchange_tests;
mod journey_admin;
mod journeys;
mod kept_reads;
mod move_to_server;
mod patients;
mod planning;
mod rebook_calls;
mod reminders;
mod resources;
mod restore;
mod schedule;
mod schema;
mod seed;
mod server_desk;
mod services;
mod settings;
mod setup;
mod sign_in;
mod standards;
mod surveys;
mod tasks;
mod templates;
mod visits_to_move;
mod waitlist;

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::db::Db;
use crate::domain::access::{SignedIn, Work};
use crate::domain::backups::BackupReason;
use crate::error::{Error, Result};

pub use appointments::{AppointmentListItem, CancelOutcome, SeriesRequest};
#[cfg(test)]
pub(crate) use audit::changes_of;
pub(crate) use audit::{captured_tables as audit_captured_tables, forget_captured, prepare_capture_table};
pub use audit::{AuditLogEntry, AuditLogQuery, FieldChange, PatientDataFile};
pub use backup::{BackupFile, BackupMade};
pub use backup_plan::{BackupFailure, BackupStatus};
pub use blocked_periods::{BlockAdded, BlockInput};
pub use blueprint::{Blueprint, Drawing, DrawingRequest, Duty, RoleDuties, TemplateVersion};
pub use change::{Change, ChangeSource, Entity};
pub use closed_days::{BookedOnClosedDay, ClosedDaysAdded};
pub use day_forecast::{DayForecasts, StageTiming};
pub use exports::{CalendarFeed, ExportFile, ExportRequest, ExportSaved, ExportScope, RecordsFormat};
pub use flow::JourneySummary;
pub use imports::{ImportFormat, ImportRequest};
pub use insights::{Insights, InsightsQuery, KanoFeatureResult, NpsMonth, Rates, StageInsight, StandardCompliance};
pub use journey_admin::{JourneyRow, JourneyRules, JourneySource, NewJourney};
pub use move_to_server::{MovedToServer, TableRows};
#[cfg(test)]
pub(crate) use patients::{read_patients_page, PageQuery};
pub use patients::{PatientListItem, PatientPage};
pub use planning::{insert_task_row, PlanSummary, INSERT_TASK};
pub use rebook_calls::RebookCalls;
pub use restore::{BackupPreview, Restored};
pub use schedule::schedule_on;
pub use schema::SCHEMA_VERSION;
pub use server_desk::{ClinicServerPage, ServerLink};
pub use setup::{JourneyChoice, SetupData};
pub use sign_in::{SignInState, StaffToSignIn};
pub use standards::{AuditCheck, AuditInput, AuditVisit, StageChoice, StandardsSetup};
pub use surveys::{KanoFeature, KanoInput, KioskSurvey, SurveyInput, SurveyRecorded};
pub use tasks::{call_list_on, OutcomeRequest, OutcomeResult};
#[cfg(test)]
pub(crate) use templates::{read_current_templates, read_service_types};
pub use visits_to_move::{MoveScope, VisitToMove};

// Row writers the demo generator (and later, import) composes inside one transaction.
pub(crate) use booking::insert_appointment;
pub(crate) use journeys::{insert_journey, insert_stage_event};
pub(crate) use patients::insert_patient;
pub(crate) use resources::{insert_blocked_period, insert_provider, insert_room, insert_staff};
pub(crate) use settings::write_settings;
// Engine-neutral (see `db`): tested on both engines until the store runs on the server.
#[cfg(test)]
pub(crate) use resources::{read_blocked_between, read_blocked_between_any, read_providers, read_rooms};
#[cfg(test)]
pub(crate) use settings::{read_settings, write_settings_rows};

/// Who made a change; written to the audit log and to stage events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User,
    Scheduler,
    Import,
    Demo,
    System,
    /// The `clinic-journey` command line (its writes reach open windows as another process's).
    CommandLine,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::User => "user",
            Actor::Scheduler => "scheduler",
            Actor::Import => "import",
            Actor::Demo => "demo",
            Actor::System => "system",
            Actor::CommandLine => "command_line",
        }
    }
}

/// Who a write acts as, decided when it starts: the staff member signed in at this desk (or
/// in the command line), the desk itself while the clinic has no sign-in yet, or the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acting {
    Staff(SignedIn),
    /// No staff member has a PIN yet: whoever is at the desk runs the clinic, as before.
    Desk,
    /// The scheduler, the demo, an upgrade: the app's own work.
    App,
}

/// What the app shell shows about the open database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClinicOverview {
    pub settings: crate::domain::clinic::ClinicSettings,
    /// No providers and no patients yet: the app offers the demo clinic.
    pub is_empty: bool,
    /// Today's date in the clinic's zone, and when it ends (screens move on then).
    pub today: NaiveDate,
    pub day_ends_at: DateTime<Utc>,
    /// The store's clock now: screens time their timers by it, not by the desk's own clock.
    pub now: DateTime<Utc>,
    pub schema_version: u32,
    /// Where the database file is (empty for an in-memory one, or on the clinic server).
    pub database_path: String,
    /// The clinic server this desk works on (`desk@host:port/database`), if not on a file.
    pub clinic_server: Option<String>,
    /// The longest text each kind of form field takes.
    pub limits: crate::domain::limits::InputLimits,
    /// The languages a patient or the clinic may be spoken to in, and the contact channels,
    /// as the forms offer them.
    pub languages: Vec<String>,
    pub channels: Vec<crate::domain::patient::Channel>,
    /// The database is encrypted: exports say that their files are not.
    pub encrypted: bool,
}

/// How long a write waits for a lock another program holds before it reports `Busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the window could not open its database, shown in place of the app with what to do.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupProblem {
    pub error: crate::error::ErrorBody,
    pub database_path: String,
    /// Where the log file that records it is.
    pub log_folder: String,
}

type ChangeListener = Box<dyn Fn(&Change) + Send + Sync>;
type Clock = Box<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub struct Store {
    engine: Engine,
    listener: Mutex<Option<ChangeListener>>,
    clock: Clock,
    /// What the call list read, kept between reads (see `call_list_cache`).
    call_list_cache: call_list_cache::CallListCache,
    /// The file's data version when the store last looked (`other_process_committed`).
    seen_data_version: Mutex<Option<i64>>,
    /// The passphrase the file is encrypted with (SQLCipher), kept to key backups.
    passphrase: Option<String>,
    /// Held while the store is open: no re-encryption replaces the file meanwhile.
    _open: Option<std::fs::File>,
    /// The staff member signed in through this store (the desk's window, or `--as NAME`).
    signed_in: Mutex<Option<SignedIn>>,
    /// The desk's own folder (its app data): where a clinic server's backups go by default.
    desk_folder: Option<std::path::PathBuf>,
}

/// Where the clinic's data is.
enum Engine {
    /// The embedded SQLite file.
    File {
        /// Read-only connections on the same file: WAL lets screens read while a write (a full
        /// re-plan at midnight) holds the writer. Declared first so they close first: the last
        /// connection to close checkpoints the WAL into the file, and only the writer can.
        readers: Vec<Mutex<Connection>>,
        /// The one writer (and the reader of an in-memory database).
        writer: Mutex<Connection>,
    },
    /// The clinic server, through this desk's connection.
    Server(Box<server_desk::ServerDesk>),
}

/// A write in progress, the unit of work: the transaction, who is writing, and what it
/// changed. Before commit the store re-plans the tasks of every patient whose rows changed
/// (`planning::plan_changes`), once for the whole write; no writer calls the planner.
pub struct Write<'a, 'tx> {
    /// The write's transaction: on the embedded file, or on the clinic server.
    db: Db<'a, 'tx>,
    pub actor: Actor,
    /// The staff member the audit log names.
    pub acting: Acting,
    pub now: DateTime<Utc>,
    touched: BTreeSet<Entity>,
    /// Rows changed (patients, appointments, journeys, tasks), whose patients are re-planned.
    changed: BTreeSet<(Entity, Uuid)>,
    /// Re-plan every appointment instead (the demo clinic, an import).
    plan_everything: bool,
    /// Visits and patients changed, for the call list's cache (kept past planning).
    visit_changes: call_list_cache::VisitChanges,
    /// The clinic's calendar, read once per write (again after the settings change).
    calendar: Option<std::rc::Rc<crate::domain::clinic::ClinicCalendar>>,
}

impl<'a, 'tx> Write<'a, 'tx> {
    pub(crate) fn new(db: Db<'a, 'tx>, actor: Actor, acting: Acting, now: DateTime<Utc>) -> Self {
        Write {
            db,
            actor,
            acting,
            now,
            touched: BTreeSet::new(),
            changed: BTreeSet::new(),
            plan_everything: false,
            visit_changes: call_list_cache::VisitChanges::default(),
            calendar: None,
        }
    }

    /// The write's transaction for code written for either engine.
    pub fn db(&self) -> &Db<'a, 'tx> {
        &self.db
    }

    /// The embedded file's transaction, for the writes that run only there so far; refused on
    /// the clinic server.
    pub fn sqlite(&self) -> Result<&'a Connection> {
        match self.db {
            Db::Sqlite(c) => Ok(c),
            Db::Postgres(..) => Err(server_desk::not_on_server_yet()),
        }
    }

    /// The clinic's calendar as this write sees it, read from the settings once.
    pub fn calendar(&mut self) -> Result<std::rc::Rc<crate::domain::clinic::ClinicCalendar>> {
        if let Some(calendar) = &self.calendar {
            return Ok(calendar.clone());
        }
        let calendar = std::rc::Rc::new(settings::read_calendar(&self.db)?);
        self.calendar = Some(calendar.clone());
        Ok(calendar)
    }

    /// Appends to the audit log (who, whose record, the changed fields before and after) and
    /// marks the row as changed.
    pub fn audit(&mut self, entity: Entity, id: Uuid, action: &str, detail: &str) -> Result<()> {
        audit::append(self, entity, id, action, detail)?;
        self.changed(entity, id);
        Ok(())
    }

    /// Marks one row of `entity` as changed without an audit row (for rows derived from
    /// audited ones): open screens refresh, and its patient's tasks are re-planned.
    pub fn changed(&mut self, entity: Entity, id: Uuid) {
        self.touch(entity);
        self.visit_changes.record(entity, id);
        if entity == Entity::ClinicSettings {
            self.calendar = None;
        }
        if !self.plan_everything {
            self.changed.insert((entity, id));
        }
    }

    /// Marks `entity` as changed for the screens only (rows no plan depends on).
    pub fn touch(&mut self, entity: Entity) {
        self.touched.insert(entity);
    }

    /// Asks for every appointment to be re-planned before commit (a bulk load).
    pub fn plan_everything(&mut self) {
        self.plan_everything = true;
        self.visit_changes.everything = true;
        self.changed.clear();
    }

    /// What every write does last, inside its transaction: the rebooking calls its changes
    /// settle, its patients' tasks planned, the figures of the days it changed counted, the
    /// audit's captured rows used up.
    pub(crate) fn settle(&mut self) -> Result<()> {
        rebook_calls::settle_rebook_calls(self, false)?;
        self.plan_pending()?;
        insight_figures::count_dirty_days(self)?;
        forget_captured(self.db())
    }

    /// Plans what this write changed so far, now rather than at commit: for a write that goes
    /// on to read the tasks it caused (the demo's task history). The commit plans the rest.
    pub fn plan_pending(&mut self) -> Result<PlanSummary> {
        let changed = std::mem::take(&mut self.changed);
        let summary = planning::plan_changes(self, changed, self.plan_everything)?;
        self.plan_everything = false;
        Ok(summary)
    }
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with_passphrase(path, None)
    }

    /// Opens a database that may be encrypted: with its passphrase, or refused with
    /// `passphrase_needed` / `wrong_passphrase`.
    pub fn open_with_passphrase(path: &Path, passphrase: Option<&str>) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let open = encryption::hold_open(path)?;
        let passphrase = if encryption::is_plain(path)? { None } else { passphrase };
        // The key derived once for every connection (a new file: from the passphrase).
        let key = match passphrase {
            Some(p) => Some(encryption::raw_key(path, p)?.unwrap_or_else(|| p.to_string())),
            None => None,
        };
        let conn = Connection::open(path)?;
        // Before anything else touches the file: a lock held by another program is waited
        // out for a few seconds, then reported as busy.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        encryption::unlock(&conn, path, key.as_deref())?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let mut store = Self::on_connection(conn)?;
        store.passphrase = passphrase.map(str::to_string);
        store._open = Some(open);
        store.upgrade(true, |_| Ok(()))?;
        audit::prepare_capture(&*store.connection()?)?;
        if let Engine::File { readers, .. } = &mut store.engine {
            *readers =
                (0..READERS).map(|_| open_reader(path, key.as_deref()).map(Mutex::new)).collect::<Result<_>>()?;
        }
        Ok(store)
    }

    /// Whether the database is encrypted (opened with a passphrase).
    pub fn is_encrypted(&self) -> bool {
        self.passphrase.is_some()
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::from_connection(Connection::open_in_memory()?, |_| Ok(()))
    }

    /// `between_steps` runs inside the upgrade after its schema steps and before their data
    /// (tests make it fail, as a crash would).
    fn from_connection(conn: Connection, between_steps: impl FnOnce(&Write) -> Result<()>) -> Result<Store> {
        let store = Self::on_connection(conn)?;
        store.upgrade(true, between_steps)?;
        audit::prepare_capture(&*store.connection()?)?;
        Ok(store)
    }

    /// A store on `conn` as it is, not upgraded yet.
    fn on_connection(conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 32 MiB of page cache (SQLite's default is 2 MiB): planning writes index entries all
        // over a large database, and a small cache turns that into re-reads.
        conn.pragma_update(None, "cache_size", -32_768)?;
        // Planning reads every visit, through a memory map of the file (up to 1 GiB). Every
        // page a map touched stays counted as the app's memory, so `release_memory` unmaps it
        // after bulk work; the readers (screens) have no map at all.
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        prepare_functions(&conn)?;
        prepare_capture_table(&Db::Sqlite(&conn))?;
        Ok(Self::on_engine(Engine::File { readers: Vec::new(), writer: Mutex::new(conn) }))
    }

    fn on_engine(engine: Engine) -> Store {
        Store {
            engine,
            listener: Mutex::new(None),
            clock: Box::new(Utc::now),
            call_list_cache: call_list_cache::CallListCache::default(),
            seen_data_version: Mutex::new(None),
            passphrase: None,
            _open: None,
            signed_in: Mutex::new(None),
            desk_folder: None,
        }
    }

    /// Brings the database from the version it has to this app's in one transaction: the
    /// missing schema steps, the data they need (a new database's settings, journeys and
    /// rules; the default rules an older one lacks) and the version number. A crash or an
    /// error anywhere leaves the version it had, never a schema without its data. A database
    /// of the clinic's (not a new one) is first copied into its backup folder, when
    /// `backup_first`; if the copy cannot be made, nothing is upgraded.
    fn upgrade(&self, backup_first: bool, between_steps: impl FnOnce(&Write) -> Result<()>) -> Result<()> {
        let mut conn = self.connection()?;
        let found = schema::version(&conn)?;
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        if backup_first && found > 0 && conn.path().is_some_and(|p| !p.is_empty()) {
            let folder = backup_plan::default_folder_of(&conn)?;
            let key = self.passphrase.as_deref();
            let copy = backup::copy_to_folder(&conn, key, &folder, BackupReason::BeforeUpgrade, self.now())?;
            tracing::info!(from = found, "database copied before its upgrade to {}", copy.display());
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Tasks are planned by the first run after opening, not here.
        let mut write = Write::new(Db::Sqlite(&tx), Actor::System, Acting::App, self.now());
        schema::apply_steps(&tx, found)?;
        between_steps(&write)?;
        if found == 0 {
            seed::default_content(&mut write)?;
        } else {
            if found < schema::FIRST_WITH_RULES {
                seed::default_rules_after_upgrade(&mut write)?;
            }
            if found < schema::FIRST_WITH_FOLDED_SEARCH {
                patients::rebuild_search_keys(&mut write)?;
            }
        }
        // The figures the new version keeps are counted with it (schema 12: every day).
        insight_figures::count_dirty_days(&mut write)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        tracing::info!(from = found, to = SCHEMA_VERSION, "database upgraded");
        Ok(())
    }

    /// Replaces the clock (tests pin "now").
    pub fn with_clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn on_change(&self, listener: impl Fn(&Change) + Send + Sync + 'static) {
        *self.listener.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(listener));
    }

    /// The file's writer, recovered if a panic poisoned its lock (see `recovered`).
    fn connection(&self) -> Result<MutexGuard<'_, Connection>> {
        match &self.engine {
            Engine::File { writer, .. } => Ok(recovered(writer)),
            Engine::Server(_) => Err(server_desk::not_on_server_yet()),
        }
    }

    /// The file's writer lock itself (tests poison it).
    #[cfg(test)]
    fn writer_lock(&self) -> &Mutex<Connection> {
        match &self.engine {
            Engine::File { writer, .. } => writer,
            Engine::Server(_) => panic!("a server store has no writer of its own"),
        }
    }

    /// A free reader, else the first one to come free (the writer when there are none).
    fn reader(&self) -> Result<MutexGuard<'_, Connection>> {
        let Engine::File { readers, .. } = &self.engine else {
            return Err(server_desk::not_on_server_yet());
        };
        let free = readers.iter().find_map(|r| match r.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(_)) => Some(recovered(r)),
            Err(std::sync::TryLockError::WouldBlock) => None,
        });
        match (free, readers.first()) {
            (Some(guard), _) => Ok(guard),
            (None, Some(first)) => Ok(recovered(first)),
            (None, None) => self.connection(),
        }
    }

    /// Runs `f` on a read-only connection of the file (it never waits for a write in
    /// progress); refused on the clinic server (see `read_db`).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.reader()?;
        catch_panic(|| f(&conn))
    }

    /// Runs `f` on either engine: a read-only connection of the file, or one snapshot of the
    /// clinic server.
    pub(crate) fn read_db<T>(&self, mut f: impl FnMut(&Db) -> Result<T>) -> Result<T> {
        match &self.engine {
            Engine::File { .. } => self.read(|c| f(&Db::Sqlite(c))),
            Engine::Server(desk) => desk.read(self.now(), f),
        }
    }

    /// Whether the clinic's data is in this desk's own file (not on the clinic server).
    pub fn is_file(&self) -> bool {
        matches!(self.engine, Engine::File { .. })
    }

    /// Runs `f` in one immediate transaction; commits only if it succeeds, then announces it.
    /// A panic inside `f` rolls the transaction back and comes out as `Error::Internal`.
    /// `work` is what the write does: refused before anything changes when the staff member
    /// signed in may not do it (or nobody is, and the clinic has sign-in).
    pub(crate) fn write<T>(&self, actor: Actor, work: Work, f: impl FnMut(&mut Write) -> Result<T>) -> Result<T> {
        self.write_checked(
            actor,
            |db| {
                let acting = self.acting(db, actor)?;
                if let Acting::Staff(member) = &acting {
                    member.check(work)?;
                }
                Ok(acting)
            },
            f,
        )
    }

    /// `write` as someone checked elsewhere (a restore is written into the restored clinic,
    /// whose staff may not know who restores it).
    pub(crate) fn write_as<T>(
        &self,
        actor: Actor,
        acting: Acting,
        f: impl FnMut(&mut Write) -> Result<T>,
    ) -> Result<T> {
        self.write_checked(actor, |_| Ok(acting.clone()), f)
    }

    /// A write on the file, or on the clinic server (`server_desk::ServerDesk::write`), where
    /// `who` and `f` run again if the link failed before the write was known to be done.
    fn write_checked<T>(
        &self,
        actor: Actor,
        mut who: impl FnMut(&Db) -> Result<Acting>,
        mut f: impl FnMut(&mut Write) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        if let Engine::Server(desk) = &self.engine {
            let (value, touched) = desk.write(actor, now, who, f)?;
            if !touched.is_empty() {
                self.announce(&Change { entities: touched.into_iter().collect(), source: actor.into() });
            }
            return Ok(value);
        }
        let (value, touched, visit_changes) = {
            let mut conn = self.connection()?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let acting = who(&Db::Sqlite(&tx))?;
            let mut write = Write::new(Db::Sqlite(&tx), actor, acting, now);
            let value = catch_panic(|| {
                let value = f(&mut write)?;
                write.settle()?;
                Ok(value)
            })?;
            let Write { touched, visit_changes, .. } = write;
            tx.commit()?;
            (value, touched, visit_changes)
        };
        // Before the change is announced: the screens that reload then must see it.
        self.call_list_cache.forget(&visit_changes);
        if !touched.is_empty() {
            self.announce(&Change { entities: touched.into_iter().collect(), source: actor.into() });
        }
        Ok(value)
    }

    /// Who `actor` is in this store: a person (the window's user, the command line) is the
    /// staff member signed in, or the desk while the clinic has no sign-in; nobody signed in
    /// where the clinic has sign-in is refused.
    fn acting(&self, db: &Db, actor: Actor) -> Result<Acting> {
        // An import is a person's too: done as (and audited under) the staff member signed in.
        if !matches!(actor, Actor::User | Actor::CommandLine | Actor::Import) {
            return Ok(Acting::App);
        }
        if let Some(member) = self.signed_in() {
            // As the staff table has them now: a role changed meanwhile counts at once, and a
            // member made inactive or without a PIN (here or on another desk) is signed out.
            match sign_in::still_signs_in(db, member.staff_id)? {
                Some(role) => return Ok(Acting::Staff(SignedIn { role, ..member })),
                None => self.set_signed_in(None),
            }
        }
        if sign_in::required(db)? {
            return Err(Error::refused("", crate::error::Refusal::SignInNeeded));
        }
        Ok(Acting::Desk)
    }

    /// Refused unless `actor` may do `work` now (for work that is not a write of the store:
    /// restoring a backup, reading the audit log).
    pub(crate) fn check_work(&self, actor: Actor, work: Work) -> Result<Acting> {
        let acting = self.read_db(|db| self.acting(db, actor))?;
        if let Acting::Staff(member) = &acting {
            member.check(work)?;
        }
        Ok(acting)
    }

    /// Refused while the clinic has sign-in and nobody is signed in here: every read of
    /// patient data (names, contacts, visits, calls) goes through this first.
    pub(crate) fn read_patient_db<T>(&self, mut f: impl FnMut(&Db) -> Result<T>) -> Result<T> {
        self.read_db(|db| {
            self.acting(db, Actor::User)?;
            f(db)
        })
    }

    /// The clinician signed in here, whose reads show only their own patients and duties.
    pub(crate) fn clinician_scope(&self) -> Option<Uuid> {
        self.signed_in().filter(|m| m.role == crate::domain::resources::Role::Clinician).map(|m| m.staff_id)
    }

    /// Tells the window (the change listener) what a committed change touched.
    fn announce(&self, change: &Change) {
        if let Some(listener) = self.listener.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            listener(change);
        }
    }

    /// Whether the clinic has nothing of its own yet (no providers and no patients): the app
    /// then offers the demo clinic.
    pub fn is_empty_clinic(&self) -> Result<bool> {
        self.read_db(|db| {
            let n: i64 = db
                .query_one("SELECT (SELECT count(*) FROM providers) + (SELECT count(*) FROM patients)", &[])?
                .get(0)?;
            Ok(n == 0)
        })
    }

    pub fn overview(&self) -> Result<ClinicOverview> {
        let (database_path, clinic_server) = match &self.engine {
            Engine::File { .. } => (self.read(|c| Ok(c.path().unwrap_or_default().to_string()))?, None),
            Engine::Server(desk) => (String::new(), Some(desk.address().to_string())),
        };
        let calendar = self.calendar()?;
        let today = calendar.local_date(self.now());
        Ok(ClinicOverview {
            settings: self.get_settings()?,
            is_empty: self.read_kept(|| "is empty".into(), || self.is_empty_clinic())?,
            today,
            day_ends_at: calendar.day_bounds(today).1,
            now: self.now(),
            schema_version: SCHEMA_VERSION as u32,
            database_path,
            clinic_server,
            limits: crate::domain::limits::INPUT_LIMITS,
            languages: crate::domain::patient::LANGUAGES.iter().map(|l| l.to_string()).collect(),
            channels: crate::domain::patient::Channel::ALL.to_vec(),
            encrypted: self.is_encrypted(),
        })
    }

    /// SQLite's data version of the file as this store's connection sees it: it moves when
    /// another connection (another process) commits, never for this store's own writes.
    pub fn data_version(&self) -> Result<i64> {
        // On the writer: the readers would see this store's own commits as another's.
        let conn = self.connection()?;
        Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Whether another process (the command line, a script) committed to the file since the
    /// last look; if so, what the store kept between reads is forgotten. The first look only
    /// takes note.
    pub fn other_process_committed(&self) -> Result<bool> {
        // On the clinic server every commit is heard on its change feed instead.
        if !self.is_file() {
            return Ok(false);
        }
        let now = self.data_version()?;
        let mut seen = self.seen_data_version.lock().unwrap_or_else(PoisonError::into_inner);
        let committed = seen.is_some_and(|seen| seen != now);
        *seen = Some(now);
        if committed {
            self.call_list_cache.forget_everything();
        }
        Ok(committed)
    }

    /// Gives back what bulk work (the day's full re-plan reads every visit) left mapped and
    /// cached: the writer's map of the file and its page cache, and the page cache of each
    /// reader not in use. The OS keeps the file in its own cache, so what is read next comes
    /// back quickly.
    pub fn release_memory(&self) -> Result<()> {
        let Engine::File { readers, .. } = &self.engine else { return Ok(()) };
        let writer = self.connection()?;
        writer.pragma_update(None, "mmap_size", 0)?;
        writer.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        writer.execute_batch("PRAGMA shrink_memory")?;
        drop(writer);
        for reader in readers {
            if let Ok(reader) = reader.try_lock() {
                reader.execute_batch("PRAGMA shrink_memory")?;
            }
        }
        Ok(())
    }

    /// Writes the WAL into the main file (for backups and fixtures).
    pub fn checkpoint(&self) -> Result<()> {
        Ok(self.connection()?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?)
    }
}

/// How many read-only connections a file database gets: the window's screens and the
/// scheduler's reads rarely overlap more than this on a 2-core desk.
const READERS: usize = 2;

/// Each reader's page cache, in KiB as SQLite takes it (negative: a size, not a page count).
const READER_CACHE_KIB: i64 = -2_000;

/// How much of the file the writer reads through a memory map.
const MMAP_SIZE: i64 = 1 << 30;

fn open_reader(path: &Path, passphrase: Option<&str>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    encryption::key_new(&conn, passphrase)?;
    // Without a map: the call list read as fast without one, and a map's touched pages would
    // stay counted as the app's memory. SQLite's default cache (2 MiB), not the writer's 32:
    // a reader's cache starts over after every write anyway (WAL), so a larger one only grew
    // the idle app by what the last screens read (the call list and insights benches read as
    // fast with 2 as with 32 MiB).
    conn.pragma_update(None, "cache_size", READER_CACHE_KIB)?;
    prepare_functions(&conn)?;
    Ok(conn)
}

/// What every connection's queries call besides SQL: `rarray(?)` (the call list passes the visits
/// it looks up as one array) and `person_name(given, family)` (names written by one rule).
fn prepare_functions(conn: &Connection) -> Result<()> {
    rusqlite::vtab::array::load_module(conn)?;
    conn.create_scalar_function(
        "person_name",
        2,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(crate::domain::patient::person_name(&ctx.get::<String>(0)?, &ctx.get::<String>(1)?)),
    )?;
    Ok(())
}

/// `mutex`'s connection, usable even after a panic elsewhere poisoned its lock: any
/// transaction the panic left open is rolled back, so one bad call never stops the store.
fn recovered(mutex: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    let conn = mutex.lock().unwrap_or_else(|poisoned| {
        tracing::error!("the store recovers a connection after a panic");
        mutex.clear_poison();
        poisoned.into_inner()
    });
    if !conn.is_autocommit() {
        if let Err(e) = conn.execute_batch("ROLLBACK") {
            tracing::error!("could not roll back a transaction left open: {e}");
        }
    }
    conn
}

/// Runs a store call, turning a panic in it into an error the caller can show (and a log line),
/// instead of unwinding through the command or the scheduler.
fn catch_panic<T>(call: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        tracing::error!(panic = %what, "a store call panicked; its transaction was rolled back");
        Err(Error::Internal(what))
    })
}

// ---- column conversions shared by the store modules ----

pub(crate) fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

pub(crate) fn from_ts(secs: i64) -> Result<DateTime<Utc>> {
    Utc.timestamp_opt(secs, 0).single().ok_or_else(|| Error::Corrupt(format!("timestamp {secs}")))
}

pub(crate) fn not_found(entity: &'static str, id: Uuid) -> Error {
    Error::NotFound { entity, id: id.to_string() }
}

pub(crate) trait OptionalRow<T> {
    fn found(self, entity: &'static str, id: Uuid) -> Result<T>;
}

impl<T> OptionalRow<T> for rusqlite::Result<T> {
    fn found(self, entity: &'static str, id: Uuid) -> Result<T> {
        self.optional()?.ok_or_else(|| not_found(entity, id))
    }
}

impl<T> OptionalRow<T> for Result<Option<T>> {
    fn found(self, entity: &'static str, id: Uuid) -> Result<T> {
        self?.ok_or_else(|| not_found(entity, id))
    }
}

#[cfg(test)]
mod blueprint_tests;
#[cfg(test)]
mod insight_figures_tests;
#[cfg(test)]
mod resource_tests;
#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod server_desk_tests;
#[cfg(test)]
mod server_setup_tests;
#[cfg(test)]
mod task_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod visit_tests;
