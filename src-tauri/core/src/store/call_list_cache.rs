//! What the call list read, kept between reads: the visits it shows with their patients, and
//! the open tasks of the last list asked for. The front desk reloads the list after every
//! outcome it records, and again when it comes back to Today or the clock moves on; each write
//! says which visits and patients it changed, so a reload looks up only those instead of every
//! visit on the list, and reads no tasks at all when nothing was committed since.
//!
//! Kept correct by four rules:
//! - a committed write forgets the visits and patients it changed (`Write::changed`), and
//!   everything after a bulk load or a change of provider or service names;
//! - every committed write forgets the open tasks (whatever it changed: planning, outcomes,
//!   rules all write tasks);
//! - a commit by another process (the command line, a script) forgets everything as soon as
//!   the store notices it (`Store::other_process_committed`, checked every second by the app);
//! - a read that began before a write's commit never stores what it read (the generation).

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use rustc_hash::{FxHashMap, FxHashSet};
use uuid::Uuid;

use super::Entity;
use crate::domain::appointment::AppointmentStatus;
use crate::domain::patient::Channel;
use crate::domain::reminders::TaskKind;
use crate::domain::resources::Role;
use crate::domain::tasks::{TaskOutcome, TaskPurpose};

/// A visit a call-list row is about, with its patient's contact details.
#[derive(Debug)]
pub(super) struct CallListVisit {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub provider_name: Arc<str>,
    pub service_name: Arc<str>,
    pub patient_id: Uuid,
    pub patient_name: Arc<str>,
    pub family_name: String,
    pub phone: Arc<str>,
    pub email: Option<Arc<str>>,
    pub preferred_channel: Channel,
    pub language: Arc<str>,
}

/// An open task as the call list reads it, before its visit is looked up.
#[derive(Debug)]
pub(super) struct OpenTask {
    pub id: Uuid,
    pub kind: TaskKind,
    pub role: Role,
    pub purpose: TaskPurpose,
    /// Its rule's name and stage key.
    pub rule: Option<(Arc<str>, Arc<str>)>,
    pub due_at: DateTime<Utc>,
    /// Left out of a list once passed: kept tasks are filtered by the time of each read.
    pub expires_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    pub max_attempts: u32,
    pub last_outcome: Option<TaskOutcome>,
    pub note: String,
    pub assignee_id: Option<Uuid>,
    pub appointment_id: Uuid,
}

/// Which open tasks a list asked for: due before `until`, of a kind, role or assignee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OpenTasksQuery {
    pub until: DateTime<Utc>,
    pub kind: Option<TaskKind>,
    pub role: Option<Role>,
    pub assignee_id: Option<Uuid>,
}

/// More visits than a day's list and the week after it hold; past this the cache starts over
/// rather than grow with every date the desk looks at.
const MOST_VISITS: usize = 20_000;

/// What a committed write changed, as the cache needs to know it.
#[derive(Debug, Default)]
pub(super) struct VisitChanges {
    pub appointments: FxHashSet<Uuid>,
    pub patients: FxHashSet<Uuid>,
    /// A bulk load, or names every row shows (providers, services) changed.
    pub everything: bool,
}

impl VisitChanges {
    pub fn record(&mut self, entity: Entity, id: Uuid) {
        match entity {
            Entity::Appointments => {
                self.appointments.insert(id);
            }
            Entity::Patients => {
                self.patients.insert(id);
            }
            Entity::Providers | Entity::ServiceTypes => self.everything = true,
            _ => {}
        }
    }

    fn is_empty(&self) -> bool {
        !self.everything && self.appointments.is_empty() && self.patients.is_empty()
    }
}

#[derive(Default)]
pub(super) struct CallListCache {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Moves on with every forgetting: a read started under an older one stores nothing.
    generation: u64,
    visits: FxHashMap<Uuid, Arc<CallListVisit>>,
    open_tasks: Option<(OpenTasksQuery, Arc<[OpenTask]>)>,
}

impl CallListCache {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The visits of `ids` it knows, the ids it does not, and the generation to store under.
    pub fn lookup(&self, ids: &[Uuid]) -> (FxHashMap<Uuid, Arc<CallListVisit>>, Vec<Uuid>, u64) {
        let state = self.state();
        let mut known = FxHashMap::default();
        let mut missing = Vec::new();
        for id in ids {
            match state.visits.get(id) {
                Some(visit) => {
                    known.insert(*id, visit.clone());
                }
                None => missing.push(*id),
            }
        }
        (known, missing, state.generation)
    }

    /// Keeps visits read under `generation`, unless something was forgotten since.
    pub fn store(&self, generation: u64, visits: impl IntoIterator<Item = Arc<CallListVisit>>) {
        let mut state = self.state();
        if state.generation != generation {
            return;
        }
        if state.visits.len() > MOST_VISITS {
            state.visits.clear();
        }
        state.visits.extend(visits.into_iter().map(|v| (v.id, v)));
    }

    /// The open tasks kept for `query`, and the generation to store under otherwise.
    pub fn open_tasks(&self, query: &OpenTasksQuery) -> (Option<Arc<[OpenTask]>>, u64) {
        let state = self.state();
        let kept = state.open_tasks.as_ref().filter(|(asked, _)| asked == query).map(|(_, tasks)| tasks.clone());
        (kept, state.generation)
    }

    /// Keeps the open tasks read under `generation` (in place of any others), unless something
    /// was forgotten since.
    pub fn store_open_tasks(&self, generation: u64, query: OpenTasksQuery, tasks: Arc<[OpenTask]>) {
        let mut state = self.state();
        if state.generation == generation {
            state.open_tasks = Some((query, tasks));
        }
    }

    /// After a commit: forgets the open tasks, and the visits and patients it changed.
    pub fn forget(&self, changes: &VisitChanges) {
        let mut state = self.state();
        state.generation += 1;
        state.open_tasks = None;
        if changes.is_empty() {
            return;
        }
        if changes.everything {
            state.visits.clear();
        } else {
            state.visits.retain(|id, visit| {
                !changes.appointments.contains(id) && !changes.patients.contains(&visit.patient_id)
            });
        }
    }

    pub fn forget_everything(&self) {
        self.forget(&VisitChanges { everything: true, ..VisitChanges::default() });
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.state().visits.len()
    }
}
