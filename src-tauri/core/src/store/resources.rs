//! Staff, providers and rooms, their weekly availability and blocked periods.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::settings::read_settings;
use super::Entity;
use super::{not_found, Actor, Store, Write};
use crate::db::{Db, DbRow};
use crate::domain::access::Work;
use crate::domain::clinic::{MinuteRange, WeekdayHours, Weeks};
use crate::domain::ids::new_id;
use crate::domain::limits::{self, check_length};
use crate::domain::resources::{BlockedPeriod, Provider, ProviderInput, Role, Room, RoomInput, Staff, StaffInput};
use crate::domain::weekly_hours::{check_weekly_hours, check_within_clinic};
use crate::error::{Error, Refusal, Result};

impl Store {
    pub fn list_providers(&self) -> Result<Vec<Provider>> {
        self.read_kept(|| "providers".into(), || self.read_db(read_providers))
    }

    pub fn list_rooms(&self) -> Result<Vec<Room>> {
        self.read_kept(|| "rooms".into(), || self.read_db(read_rooms))
    }

    pub fn list_staff(&self) -> Result<Vec<Staff>> {
        self.read_db(|db| {
            db.query_map(
                "SELECT id, name, role, active, login_secret_hash IS NOT NULL FROM staff ORDER BY name, id",
                &[],
                |r| {
                    Ok(Staff {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        role: r.get_enum(2, Role::parse)?,
                        active: r.get(3)?,
                        has_pin: r.get(4)?,
                    })
                },
            )
        })
    }

    pub fn create_staff(&self, actor: Actor, input: &StaffInput) -> Result<Staff> {
        let staff = Staff {
            id: new_id(),
            name: resource_name("name", &input.name, "Name")?,
            role: input.role,
            active: input.active,
            has_pin: false,
        };
        self.write(actor, Work::ClinicSetup, |w| {
            refuse_duplicate(w.db(), "staff", staff.id, &staff.name)?;
            insert_staff(w, &staff)
        })?;
        Ok(staff)
    }

    /// Renames a staff member, changes their role, or (`active: false`) takes them off the lists.
    pub fn update_staff(&self, actor: Actor, id: Uuid, input: &StaffInput) -> Result<Staff> {
        let name = resource_name("name", &input.name, "Name")?;
        let staff = self.write(actor, Work::ClinicSetup, |w| {
            let has_pin: bool = w
                .db()
                .query_opt("SELECT login_secret_hash IS NOT NULL FROM staff WHERE id = ?1", &[&id])?
                .ok_or_else(|| not_found("staff member", id))?
                .get(0)?;
            w.db().execute(
                "UPDATE staff SET name = ?2, role = ?3, active = ?4, updated_at = ?5 WHERE id = ?1",
                &[&id, &name, &input.role.as_str(), &input.active, &w.now],
            )?;
            refuse_duplicate(w.db(), "staff", id, &name)?;
            // Someone must still be able to manage sign-in.
            super::sign_in::check_an_administrator_signs_in(w.db(), &name)?;
            w.audit(Entity::Staff, id, "update", &name)?;
            Ok(Staff { id, name: name.clone(), role: input.role, active: input.active, has_pin })
        })?;
        Ok(staff)
    }

    pub fn create_room(&self, actor: Actor, input: &RoomInput) -> Result<Room> {
        let mut room = Room {
            id: new_id(),
            name: resource_name("name", &input.name, "Room name")?,
            active: input.active,
            availability: vec![],
        };
        self.write(actor, Work::ClinicSetup, |w| {
            room.availability = checked_availability(w.db(), &room.name, &input.availability)?;
            insert_room(w, &room)
        })?;
        Ok(room)
    }

    pub fn update_room(&self, actor: Actor, id: Uuid, input: &RoomInput) -> Result<Room> {
        let mut room = Room {
            id,
            name: resource_name("name", &input.name, "Room name")?,
            active: input.active,
            availability: vec![],
        };
        self.write(actor, Work::ClinicSetup, |w| {
            room.availability = checked_availability(w.db(), &room.name, &input.availability)?;
            let changed = w.db().execute(
                "UPDATE rooms SET name = ?2, active = ?3, updated_at = ?4 WHERE id = ?1",
                &[&id, &room.name, &room.active, &w.now],
            )?;
            if changed == 0 {
                return Err(not_found("room", id));
            }
            refuse_duplicate(w.db(), "rooms", id, &room.name)?;
            w.db().execute("DELETE FROM availability WHERE room_id = ?1", &[&id])?;
            insert_availability(w, None, Some(id), &room.availability)?;
            w.audit(Entity::Rooms, id, "update", &room.name)
        })?;
        Ok(room)
    }

    pub fn create_provider(&self, actor: Actor, input: &ProviderInput) -> Result<Provider> {
        let mut provider = provider_from(new_id(), input)?;
        self.write(actor, Work::ClinicSetup, |w| {
            refuse_duplicate(w.db(), "providers", provider.id, &provider.name)?;
            check_home_room(w.db(), provider.home_room_id)?;
            provider.availability = checked_availability(w.db(), &provider.name, &input.availability)?;
            insert_provider(w, &provider)
        })?;
        Ok(provider)
    }

    pub fn update_provider(&self, actor: Actor, id: Uuid, input: &ProviderInput) -> Result<Provider> {
        let mut provider = provider_from(id, input)?;
        self.write(actor, Work::ClinicSetup, |w| {
            check_home_room(w.db(), provider.home_room_id)?;
            provider.availability = checked_availability(w.db(), &provider.name, &input.availability)?;
            let changed = w.db().execute(
                "UPDATE providers SET name = ?2, specialty = ?3, home_room_id = ?4, active = ?5, updated_at = ?6
                 WHERE id = ?1",
                &[&id, &provider.name, &provider.specialty, &provider.home_room_id, &provider.active, &w.now],
            )?;
            if changed == 0 {
                return Err(not_found("provider", id));
            }
            refuse_duplicate(w.db(), "providers", id, &provider.name)?;
            provider.staff_id = w.db().query_one("SELECT staff_id FROM providers WHERE id = ?1", &[&id])?.get(0)?;
            w.db().execute("DELETE FROM availability WHERE provider_id = ?1", &[&id])?;
            insert_availability(w, Some(id), None, &provider.availability)?;
            w.audit(Entity::Providers, id, "update", &provider.name)
        })?;
        Ok(provider)
    }
}

fn provider_from(id: Uuid, input: &ProviderInput) -> Result<Provider> {
    let specialty = input.specialty.trim();
    check_length("specialty", "Specialty", specialty, limits::NAME)?;
    Ok(Provider {
        id,
        name: resource_name("name", &input.name, "Provider name")?,
        specialty: specialty.to_string(),
        staff_id: None,
        home_room_id: input.home_room_id,
        active: input.active,
        availability: vec![],
    })
}

/// A name as it is stored: trimmed, present, not too long.
pub(super) fn resource_name(field: &str, text: &str, label: &str) -> Result<String> {
    let name = text.trim();
    if name.is_empty() {
        return Err(Error::refused(field, Refusal::Required { what: label.into() }));
    }
    check_length(field, label, name, limits::NAME)?;
    Ok(name.to_string())
}

/// Two staff members, providers, rooms or services of the same name (ignoring case) would be
/// mixed up on every list and call sheet.
pub(super) fn refuse_duplicate(db: &Db, table: &str, id: Uuid, name: &str) -> Result<()> {
    let names = db.query_map(&format!("SELECT name FROM {table} WHERE id <> ?1"), &[&id], |r| r.get::<String>(0))?;
    let wanted = name.to_lowercase();
    for other in names {
        if other.to_lowercase() == wanted {
            return Err(Error::refused("name", Refusal::Duplicate { value: other }));
        }
    }
    Ok(())
}

/// Weekly hours as given, checked span by span and against the clinic's own hours.
fn checked_availability(db: &Db, resource: &str, hours: &[WeekdayHours]) -> Result<Vec<WeekdayHours>> {
    let hours = check_weekly_hours("availability", hours.to_vec())?;
    let clinic = read_settings(db)?.working_hours;
    check_within_clinic("availability", resource, &hours, &clinic)?;
    Ok(hours)
}

fn check_home_room(db: &Db, room: Option<Uuid>) -> Result<()> {
    let Some(room) = room else { return Ok(()) };
    let found: Option<(String, bool)> = match db.query_opt("SELECT name, active FROM rooms WHERE id = ?1", &[&room])? {
        Some(r) => Some((r.get(0)?, r.get(1)?)),
        None => None,
    };
    match found {
        None => Err(not_found("room", room)),
        Some((name, false)) => Err(Error::refused("home_room_id", Refusal::RoomInactive { room: name })),
        Some(_) => Ok(()),
    }
}

pub(crate) fn insert_staff(w: &mut Write, s: &Staff) -> Result<()> {
    w.db().execute(
        "INSERT INTO staff (id, name, role, active, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        &[&s.id, &s.name, &s.role.as_str(), &s.active, &w.now],
    )?;
    w.audit(Entity::Staff, s.id, "create", "")
}

pub(crate) fn insert_room(w: &mut Write, room: &Room) -> Result<()> {
    refuse_duplicate(w.db(), "rooms", room.id, &room.name)?;
    w.db().execute(
        "INSERT INTO rooms (id, name, active, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        &[&room.id, &room.name, &room.active, &w.now],
    )?;
    insert_availability(w, None, Some(room.id), &room.availability)?;
    w.audit(Entity::Rooms, room.id, "create", "")
}

pub(crate) fn insert_provider(w: &mut Write, p: &Provider) -> Result<()> {
    w.db().execute(
        "INSERT INTO providers (id, name, specialty, staff_id, home_room_id, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        &[&p.id, &p.name, &p.specialty, &p.staff_id, &p.home_room_id, &p.active, &w.now],
    )?;
    insert_availability(w, Some(p.id), None, &p.availability)?;
    w.audit(Entity::Providers, p.id, "create", "")
}

fn insert_availability(
    w: &mut Write,
    provider: Option<Uuid>,
    room: Option<Uuid>,
    hours: &[WeekdayHours],
) -> Result<()> {
    for h in hours {
        w.db().execute(
            "INSERT INTO availability (id, provider_id, room_id, weekday, opens, closes, weeks)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[&new_id(), &provider, &room, &h.weekday, &h.span.start, &h.span.end, &h.weeks.as_str()],
        )?;
    }
    Ok(())
}

pub(crate) fn insert_blocked_period(w: &mut Write, b: &BlockedPeriod) -> Result<()> {
    w.db().execute(
        "INSERT INTO blocked_periods (id, provider_id, room_id, starts_at, ends_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[&b.id, &b.provider_id, &b.room_id, &b.starts_at, &b.ends_at, &b.reason],
    )?;
    w.audit(Entity::BlockedPeriods, b.id, "create", &b.reason)
}

/// Every blocked period that overlaps `[from, to)`, by start.
pub(crate) fn read_blocked_between_any(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<BlockedPeriod>> {
    db.query(
        "SELECT id, provider_id, room_id, starts_at, ends_at, reason FROM blocked_periods
         WHERE starts_at < ?2 AND ends_at > ?1 ORDER BY starts_at, id",
        &[&from, &to],
    )?
    .iter()
    .map(blocked_period_from)
    .collect()
}

fn blocked_period_from(r: &DbRow) -> Result<BlockedPeriod> {
    Ok(BlockedPeriod {
        id: r.get(0)?,
        provider_id: r.get(1)?,
        room_id: r.get(2)?,
        starts_at: r.get(3)?,
        ends_at: r.get(4)?,
        reason: r.get(5)?,
    })
}

/// Blocked periods of a provider, a room or the whole clinic that overlap `[from, to)`.
pub(crate) fn read_blocked_between(
    db: &Db,
    provider: Uuid,
    room: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<BlockedPeriod>> {
    db.query(
        "SELECT id, provider_id, room_id, starts_at, ends_at, reason FROM blocked_periods
         WHERE (provider_id = ?1 OR room_id = ?2 OR (provider_id IS NULL AND room_id IS NULL))
           AND starts_at < ?4 AND ends_at > ?3
         ORDER BY starts_at, id",
        &[&provider, &room, &from, &to],
    )?
    .iter()
    .map(blocked_period_from)
    .collect()
}

/// Everyone's weekly hours in one read, by provider or room id (each by weekday and opening).
fn all_availability(db: &Db, column: &str) -> Result<HashMap<Uuid, Vec<WeekdayHours>>> {
    let sql = format!(
        "SELECT {column}, weekday, opens, closes, weeks FROM availability WHERE {column} IS NOT NULL
         ORDER BY {column}, weekday, opens"
    );
    let mut hours: HashMap<Uuid, Vec<WeekdayHours>> = HashMap::new();
    for r in db.query(&sql, &[])? {
        hours.entry(r.get(0)?).or_default().push(WeekdayHours {
            weekday: r.get(1)?,
            span: MinuteRange { start: r.get(2)?, end: r.get(3)? },
            weeks: r.get_enum(4, Weeks::parse)?,
        });
    }
    Ok(hours)
}

/// Every provider with their weekly hours, by name.
pub(crate) fn read_providers(db: &Db) -> Result<Vec<Provider>> {
    let mut hours = all_availability(db, "provider_id")?;
    db.query("SELECT id, name, specialty, staff_id, home_room_id, active FROM providers ORDER BY lower(name), id", &[])?
        .iter()
        .map(|r| {
            let id = r.get(0)?;
            Ok(Provider {
                id,
                name: r.get(1)?,
                specialty: r.get(2)?,
                staff_id: r.get(3)?,
                home_room_id: r.get(4)?,
                active: r.get(5)?,
                availability: hours.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Every room with its weekly hours, by name.
pub(crate) fn read_rooms(db: &Db) -> Result<Vec<Room>> {
    let mut hours = all_availability(db, "room_id")?;
    db.query("SELECT id, name, active FROM rooms ORDER BY lower(name), id", &[])?
        .iter()
        .map(|r| {
            let id = r.get(0)?;
            Ok(Room { id, name: r.get(1)?, active: r.get(2)?, availability: hours.remove(&id).unwrap_or_default() })
        })
        .collect()
}
