//! Staff and the bookable resources: providers (clinicians) and rooms, with weekly availability
//! and blocked periods.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::clinic::WeekdayHours;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum Role {
    Admin,
    FrontDesk,
    Clinician,
    BackOffice,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::FrontDesk, Role::Clinician, Role::BackOffice];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::FrontDesk => "front_desk",
            Role::Clinician => "clinician",
            Role::BackOffice => "back_office",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Staff {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// They have a PIN or password, so they can sign in.
    pub has_pin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Provider {
    pub id: Uuid,
    pub name: String,
    /// e.g. "General practitioner".
    pub specialty: String,
    pub staff_id: Option<Uuid>,
    /// The room the provider usually works in, offered first when booking.
    pub home_room_id: Option<Uuid>,
    pub active: bool,
    /// Weekly availability in clinic-local time; empty means "the clinic's working hours".
    pub availability: Vec<WeekdayHours>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Room {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
    /// Weekly availability in clinic-local time; empty means "the clinic's working hours".
    pub availability: Vec<WeekdayHours>,
}

/// A staff member as the set-up and Settings forms (and `staff add`) send one. People with
/// history are never deleted: `active: false` takes them off the lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StaffInput {
    pub name: String,
    pub role: Role,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RoomInput {
    pub name: String,
    pub active: bool,
    /// Empty: the clinic's working hours.
    pub availability: Vec<WeekdayHours>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderInput {
    pub name: String,
    pub specialty: String,
    pub home_room_id: Option<Uuid>,
    pub active: bool,
    /// Empty: the clinic's working hours.
    pub availability: Vec<WeekdayHours>,
}

/// A provider's or room's absence (holiday, maintenance), or with neither the whole clinic's
/// (a training afternoon), in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BlockedPeriod {
    pub id: Uuid,
    pub provider_id: Option<Uuid>,
    pub room_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
}

impl BlockedPeriod {
    pub fn is_clinic_wide(&self) -> bool {
        self.provider_id.is_none() && self.room_id.is_none()
    }
}
