//! Blocked periods: a provider's leave, training or sick days, a room's maintenance, the whole
//! clinic's training afternoon. Nothing is booked in them; adding one lists the coming visits
//! it hits, to be moved.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::resources::{insert_blocked_period, read_blocked_between_any};
use super::visits_to_move::{MoveScope, VisitToMove};
use super::{not_found, Actor, Entity, Store};
use crate::domain::access::Work;
use crate::domain::clinic::Minute;
use crate::domain::ids::new_id;
use crate::domain::limits::{self, check_length};
use crate::domain::resources::BlockedPeriod;
use crate::error::{Error, Refusal, Result};

/// The longest period one entry blocks (a year's leave is entered year by year).
pub const MAX_BLOCK_DAYS: u32 = 366;

/// A new blocked period as the form sends it: clinic-local times; one provider, one room, or
/// (neither) the whole clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BlockInput {
    pub provider_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    /// "2026-12-01T08:00", in the clinic's zone.
    pub from: String,
    pub to: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BlockAdded {
    pub period: BlockedPeriod,
    /// The coming visits of that provider or room (or of everyone) inside the period (each with the first reason
    /// it could not be booked now: the block, or hours changed before it).
    pub to_move: Vec<VisitToMove>,
}

impl Store {
    /// The blocked periods not yet over, by start.
    pub fn list_blocked_periods(&self) -> Result<Vec<BlockedPeriod>> {
        let now = self.now();
        self.read_db(|db| read_blocked_between_any(db, now, DateTime::<Utc>::MAX_UTC))
    }

    pub fn add_blocked_period(&self, actor: Actor, input: &BlockInput) -> Result<BlockAdded> {
        let reason = input.reason.trim();
        if reason.is_empty() {
            return Err(Error::refused("reason", Refusal::Required { what: "The reason".into() }));
        }
        check_length("reason", "The reason", reason, limits::REASON)?;
        if input.provider_id.is_some() && input.room_id.is_some() {
            return Err(Error::refused("provider_id", Refusal::ProviderOrRoom));
        }
        let now = self.now();
        let period = self.write(actor, Work::ClinicSetup, |w| {
            let calendar = w.calendar()?;
            let instant = |field: &str, what: &str, text: &str| -> Result<DateTime<Utc>> {
                if text.trim().is_empty() {
                    return Err(Error::refused(field, Refusal::Required { what: what.into() }));
                }
                let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
                    .map_err(|_| Error::refused(field, Refusal::BadStart { value: text.trim().into() }))?;
                let minute = (local.time().signed_duration_since(chrono::NaiveTime::MIN).num_minutes()) as Minute;
                calendar.to_utc(local.date(), minute).map_err(|e| match e {
                    Error::Refused { refusal, occurrence, .. } => {
                        Error::Refused { field: field.into(), refusal, occurrence }
                    }
                    other => other,
                })
            };
            let (starts_at, ends_at) =
                (instant("from", "The start", &input.from)?, instant("to", "The end", &input.to)?);
            if ends_at <= starts_at {
                return Err(Error::refused("to", Refusal::PeriodReversed));
            }
            if ends_at <= now {
                return Err(Error::refused("to", Refusal::PeriodOver));
            }
            if ends_at - starts_at > chrono::Duration::days(MAX_BLOCK_DAYS.into()) {
                return Err(Error::refused("to", Refusal::BlockTooLong { max: MAX_BLOCK_DAYS }));
            }
            let target = match (input.provider_id, input.room_id) {
                (Some(p), _) => Some(("providers", "provider", p)),
                (_, Some(r)) => Some(("rooms", "room", r)),
                _ => None, // the whole clinic
            };
            if let Some((table, entity, id)) = target {
                let found: bool = w
                    .db()
                    .query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"), &[&id])?
                    .get(0)?;
                if !found {
                    return Err(not_found(entity, id));
                }
            }
            let period = BlockedPeriod {
                id: new_id(),
                provider_id: input.provider_id,
                room_id: input.room_id,
                starts_at,
                ends_at,
                reason: reason.to_string(),
            };
            insert_blocked_period(w, &period)?;
            Ok(period)
        })?;
        let scope = MoveScope { provider_id: period.provider_id, room_id: period.room_id };
        let to_move = self
            .visits_to_move(scope)?
            .into_iter()
            .filter(|v| v.starts_at < period.ends_at && period.starts_at < v.ends_at)
            .collect();
        Ok(BlockAdded { period, to_move })
    }

    /// Ends a blocked period early by removing it (the provider is back from leave).
    pub fn remove_blocked_period(&self, actor: Actor, id: Uuid) -> Result<()> {
        self.write(actor, Work::ClinicSetup, |w| {
            if w.db().execute("DELETE FROM blocked_periods WHERE id = ?1", &[&id])? == 0 {
                return Err(not_found("blocked period", id));
            }
            w.audit(Entity::BlockedPeriods, id, "delete", "")
        })
    }
}
