//! The coming visits a change of hours has stranded: after the clinic's working hours, a
//! provider's or a room's availability, or the closed days change, every visit still to happen
//! is checked again exactly as a new booking would be, and those that would now be refused are
//! listed with why, to be moved instead of silently kept outside the hours.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::booking::{check_slot_among, Resources, Slot};
use super::resources::{read_providers, read_rooms};
use super::settings::read_calendar;
use super::Store;
use crate::error::{Error, Refusal, Result};

/// Which visits to look at: one provider's, one room's, or (neither) all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MoveScope {
    pub provider_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VisitToMove {
    pub appointment_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub patient_name: String,
    pub provider_name: String,
    /// Why the visit could not be booked at its time today.
    pub refusal: Refusal,
    /// The front desk already has a call to rebook it (`request_rebook_calls`).
    pub rebook_asked: bool,
}

impl Store {
    pub fn visits_to_move(&self, scope: MoveScope) -> Result<Vec<VisitToMove>> {
        let now = self.now();
        self.read_patient_db(|db| {
            let calendar = read_calendar(db)?;
            let resources = Resources { providers: read_providers(db)?, rooms: read_rooms(db)? };
            let coming = db.query_map(
                "SELECT a.id, a.patient_id, a.provider_id, a.room_id, a.starts_at, a.ends_at,
                   person_name(p.given_name, p.family_name), v.name,
                   EXISTS (SELECT 1 FROM tasks t WHERE t.appointment_id = a.id AND t.purpose = 'rebook' AND t.status = 'open')
                 FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN providers v ON v.id = a.provider_id
                 WHERE a.starts_at >= ?1 AND a.status IN ('proposed', 'booked', 'confirmed')
                   AND (CAST(?2 AS TEXT) IS NULL OR a.provider_id = ?2) AND (CAST(?3 AS TEXT) IS NULL OR a.room_id = ?3)
                 ORDER BY a.starts_at",
                &[&now, &scope.provider_id, &scope.room_id],
                |r| {
                    Ok((
                        Slot { patient_id: r.get(1)?, provider_id: r.get(2)?, room_id: r.get(3)? },
                        (r.get(0)?, r.get(4)?, r.get(5)?),
                        (r.get::<String>(6)?, r.get::<String>(7)?, r.get::<bool>(8)?),
                    ))
                },
            )?;
            let mut to_move = Vec::new();
            for (slot, (id, start, end), (patient_name, provider_name, rebook_asked)) in coming {
                let refusal = match check_slot_among(db, &calendar, now, &resources, &slot, start, end, Some(id)) {
                    Ok(()) => continue,
                    Err(Error::Refused { refusal, .. }) => *refusal,
                    // The provider or room was taken off the lists.
                    Err(Error::NotFound { .. }) => Refusal::Inactive,
                    Err(other) => return Err(other),
                };
                to_move.push(VisitToMove {
                    appointment_id: id,
                    starts_at: start,
                    ends_at: end,
                    patient_name,
                    provider_name,
                    refusal,
                    rebook_asked,
                });
            }
            Ok(to_move)
        })
    }
}
