//! Staff, providers and rooms, their weekly availability and blocked periods.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use uuid::Uuid;

use super::Entity;
use super::{enum_at, opt_uuid_at, time_at, ts, uuid_at, Actor, Store, Write};
use crate::domain::clinic::{MinuteRange, WeekdayHours};
use crate::domain::ids::new_id;
use crate::domain::resources::{BlockedPeriod, Provider, Role, Room, Staff};
use crate::error::{Error, Refusal, Result};

impl Store {
    pub fn list_providers(&self) -> Result<Vec<Provider>> {
        self.read(load_providers)
    }

    pub fn list_rooms(&self) -> Result<Vec<Room>> {
        self.read(load_rooms)
    }

    pub fn list_staff(&self) -> Result<Vec<Staff>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT id, name, role, active FROM staff ORDER BY name")?;
            let rows = stmt.query_map([], |r| {
                Ok(Staff { id: uuid_at(r, 0)?, name: r.get(1)?, role: enum_at(r, 2, Role::parse)?, active: r.get(3)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    pub fn create_room(&self, actor: Actor, name: &str) -> Result<Room> {
        let room =
            Room { id: new_id(), name: required("name", name, "Room name")?, active: true, availability: vec![] };
        self.write(actor, |w| insert_room(w, &room))?;
        Ok(room)
    }

    pub fn create_provider(
        &self,
        actor: Actor,
        name: &str,
        specialty: &str,
        home_room_id: Option<Uuid>,
    ) -> Result<Provider> {
        let provider = Provider {
            id: new_id(),
            name: required("name", name, "Provider name")?,
            specialty: specialty.trim().to_string(),
            staff_id: None,
            home_room_id,
            active: true,
            availability: vec![],
        };
        self.write(actor, |w| insert_provider(w, &provider))?;
        Ok(provider)
    }
}

fn required(field: &str, text: &str, label: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::refused(field, Refusal::Required { what: label.into() }));
    }
    Ok(text.to_string())
}

pub(crate) fn insert_staff(w: &mut Write, s: &Staff) -> Result<()> {
    w.tx.execute(
        "INSERT INTO staff (id, name, role, active, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        (s.id.to_string(), &s.name, s.role.as_str(), s.active, ts(w.now)),
    )?;
    w.audit(Entity::Staff, s.id, "create", "")
}

pub(crate) fn insert_room(w: &mut Write, room: &Room) -> Result<()> {
    let taken: bool =
        w.tx.query_row("SELECT EXISTS (SELECT 1 FROM rooms WHERE name = ?1)", [&room.name], |r| r.get(0))?;
    if taken {
        return Err(Error::refused("name", Refusal::Duplicate { value: room.name.clone() }));
    }
    w.tx.execute(
        "INSERT INTO rooms (id, name, active, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        (room.id.to_string(), &room.name, room.active, ts(w.now)),
    )?;
    insert_availability(w, None, Some(room.id), &room.availability)?;
    w.audit(Entity::Rooms, room.id, "create", "")
}

pub(crate) fn insert_provider(w: &mut Write, p: &Provider) -> Result<()> {
    w.tx.execute(
        "INSERT INTO providers (id, name, specialty, staff_id, home_room_id, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        (
            p.id.to_string(),
            &p.name,
            &p.specialty,
            p.staff_id.map(|i| i.to_string()),
            p.home_room_id.map(|i| i.to_string()),
            p.active,
            ts(w.now),
        ),
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
    let mut stmt = w.tx.prepare(
        "INSERT INTO availability (id, provider_id, room_id, weekday, opens, closes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for h in hours {
        stmt.execute((
            new_id().to_string(),
            provider.map(|i| i.to_string()),
            room.map(|i| i.to_string()),
            h.weekday,
            h.span.start,
            h.span.end,
        ))?;
    }
    Ok(())
}

pub(crate) fn insert_blocked_period(w: &mut Write, b: &BlockedPeriod) -> Result<()> {
    w.tx.execute(
        "INSERT INTO blocked_periods (id, provider_id, room_id, starts_at, ends_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (
            b.id.to_string(),
            b.provider_id.map(|i| i.to_string()),
            b.room_id.map(|i| i.to_string()),
            ts(b.starts_at),
            ts(b.ends_at),
            &b.reason,
        ),
    )?;
    w.audit(Entity::BlockedPeriods, b.id, "create", &b.reason)
}

/// Blocked periods of a provider or a room that overlap `[from, to)`.
pub(super) fn blocked_between(
    c: &Connection,
    provider: Uuid,
    room: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<BlockedPeriod>> {
    let mut stmt = c.prepare(
        "SELECT id, provider_id, room_id, starts_at, ends_at, reason FROM blocked_periods
         WHERE (provider_id = ?1 OR room_id = ?2) AND starts_at < ?4 AND ends_at > ?3",
    )?;
    let rows = stmt.query_map((provider.to_string(), room.to_string(), ts(from), ts(to)), |r| {
        Ok(BlockedPeriod {
            id: uuid_at(r, 0)?,
            provider_id: opt_uuid_at(r, 1)?,
            room_id: opt_uuid_at(r, 2)?,
            starts_at: time_at(r, 3)?,
            ends_at: time_at(r, 4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn availability_of(c: &Connection, column: &str, id: Uuid) -> Result<Vec<WeekdayHours>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT weekday, opens, closes FROM availability WHERE {column} = ?1 ORDER BY weekday, opens"
    ))?;
    let rows = stmt.query_map([id.to_string()], |r| {
        Ok(WeekdayHours { weekday: r.get(0)?, span: MinuteRange { start: r.get(1)?, end: r.get(2)? } })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(super) fn load_providers(c: &Connection) -> Result<Vec<Provider>> {
    let mut stmt = c.prepare(
        "SELECT id, name, specialty, staff_id, home_room_id, active FROM providers ORDER BY name COLLATE NOCASE",
    )?;
    let providers = stmt
        .query_map([], |r| {
            Ok(Provider {
                id: uuid_at(r, 0)?,
                name: r.get(1)?,
                specialty: r.get(2)?,
                staff_id: opt_uuid_at(r, 3)?,
                home_room_id: opt_uuid_at(r, 4)?,
                active: r.get(5)?,
                availability: vec![],
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    providers
        .into_iter()
        .map(|p| Ok(Provider { availability: availability_of(c, "provider_id", p.id)?, ..p }))
        .collect()
}

pub(super) fn load_rooms(c: &Connection) -> Result<Vec<Room>> {
    let mut stmt = c.prepare("SELECT id, name, active FROM rooms ORDER BY name COLLATE NOCASE")?;
    let rooms = stmt
        .query_map([], |r| Ok(Room { id: uuid_at(r, 0)?, name: r.get(1)?, active: r.get(2)?, availability: vec![] }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rooms.into_iter().map(|room| Ok(Room { availability: availability_of(c, "room_id", room.id)?, ..room })).collect()
}
