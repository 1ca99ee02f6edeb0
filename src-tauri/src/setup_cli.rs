//! `clinic-journey staff|rooms|providers …`: a clinic's people and places, for scripted set-up,
//! on the same store functions (and refusals) as the window.

use clap::Subcommand;
use clinic_journey_core::domain::resources::{ProviderInput, Role, RoomInput, StaffInput};
use clinic_journey_core::domain::weekly_hours::{format_weekly_hours, parse_weekly_hours};
use clinic_journey_core::{Actor, Error, Store};
use uuid::Uuid;

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: Role,
        #[arg(long)]
        json: bool,
    },
    /// Every staff member, active or not.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoomsCommand {
    /// Add a room.
    Add {
        #[arg(long)]
        name: String,
        /// Weekly hours, e.g. "mon-fri 08:00-16:00, sat 09:00-13:00" (default: the clinic's).
        #[arg(long, default_value = "")]
        availability: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProvidersCommand {
    /// Add a provider (a clinician who is booked).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        specialty: String,
        /// The room they usually work in: its name or id.
        #[arg(long)]
        home_room: Option<String>,
        /// Weekly hours, e.g. "mon-fri 08:00-16:00, sat 09:00-13:00" (default: the clinic's).
        #[arg(long, default_value = "")]
        availability: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

impl StaffCommand {
    pub fn json(&self) -> bool {
        match self {
            StaffCommand::Add { json, .. } | StaffCommand::List { json } => *json,
        }
    }
}

impl RoomsCommand {
    pub fn json(&self) -> bool {
        match self {
            RoomsCommand::Add { json, .. } | RoomsCommand::List { json } => *json,
        }
    }
}

impl ProvidersCommand {
    pub fn json(&self) -> bool {
        match self {
            ProvidersCommand::Add { json, .. } | ProvidersCommand::List { json } => *json,
        }
    }
}

pub fn run_staff(store: &Store, command: StaffCommand) -> Result<(), Failure> {
    match command {
        StaffCommand::Add { name, role, json } => {
            let staff = store
                .create_staff(Actor::CommandLine, &StaffInput { name, role, active: true })
                .map_err(failure(json))?;
            if json {
                print_json(&staff);
            } else {
                say!("Added {} ({}): {}", staff.name, staff.role.as_str(), staff.id);
            }
        }
        StaffCommand::List { json } => {
            let staff = store.list_staff().map_err(failure(json))?;
            if json {
                print_json(&staff);
            } else {
                for s in &staff {
                    say!("{:<28} {:<12} {:<8} {}", s.name, s.role.as_str(), active_word(s.active), s.id);
                }
            }
        }
    }
    Ok(())
}

pub fn run_rooms(store: &Store, command: RoomsCommand) -> Result<(), Failure> {
    match command {
        RoomsCommand::Add { name, availability, json } => {
            let availability = parse_weekly_hours("availability", &availability).map_err(failure(json))?;
            let room = store
                .create_room(Actor::CommandLine, &RoomInput { name, active: true, availability })
                .map_err(failure(json))?;
            if json {
                print_json(&room);
            } else {
                say!("Added {}: {}", room.name, room.id);
            }
        }
        RoomsCommand::List { json } => {
            let rooms = store.list_rooms().map_err(failure(json))?;
            if json {
                print_json(&rooms);
            } else {
                for r in &rooms {
                    say!("{:<20} {:<8} {:<40} {}", r.name, active_word(r.active), hours_text(&r.availability), r.id);
                }
            }
        }
    }
    Ok(())
}

pub fn run_providers(store: &Store, command: ProvidersCommand) -> Result<(), Failure> {
    match command {
        ProvidersCommand::Add { name, specialty, home_room, availability, json } => {
            let home_room_id = home_room.map(|room| room_id(store, &room)).transpose().map_err(failure(json))?;
            let availability = parse_weekly_hours("availability", &availability).map_err(failure(json))?;
            let input = ProviderInput { name, specialty, home_room_id, active: true, availability };
            let provider = store.create_provider(Actor::CommandLine, &input).map_err(failure(json))?;
            if json {
                print_json(&provider);
            } else {
                say!("Added {}: {}", provider.name, provider.id);
            }
        }
        ProvidersCommand::List { json } => {
            let providers = store.list_providers().map_err(failure(json))?;
            if json {
                print_json(&providers);
            } else {
                for p in &providers {
                    say!(
                        "{:<24} {:<20} {:<8} {:<40} {}",
                        p.name,
                        p.specialty,
                        active_word(p.active),
                        hours_text(&p.availability),
                        p.id
                    );
                }
            }
        }
    }
    Ok(())
}

/// A room given by its id or its name (ignoring case).
fn room_id(store: &Store, room: &str) -> clinic_journey_core::Result<Uuid> {
    if let Ok(id) = room.parse::<Uuid>() {
        return Ok(id);
    }
    let wanted = room.trim().to_lowercase();
    store
        .list_rooms()?
        .into_iter()
        .find(|r| r.name.to_lowercase() == wanted)
        .map(|r| r.id)
        .ok_or_else(|| Error::NotFound { entity: "room", id: format!("“{}”", room.trim()) })
}

fn active_word(active: bool) -> &'static str {
    if active {
        "active"
    } else {
        "inactive"
    }
}

fn hours_text(hours: &[clinic_journey_core::domain::clinic::WeekdayHours]) -> String {
    if hours.is_empty() {
        "the clinic's hours".into()
    } else {
        format_weekly_hours(hours)
    }
}
