//! `clinic-journey staff|rooms|providers|services|patients …`: a clinic's people, places and
//! services, for scripted set-up, on the same store functions (and refusals) as the window.

use clap::Subcommand;
use clinic_journey_core::domain::journey::ServiceInput;
use clinic_journey_core::domain::patient::PatientInput;
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
    /// Set a staff member's PIN (from $CLINIC_JOURNEY_NEW_PIN, or typed at the terminal), or
    /// remove it. The first PIN goes to an administrator and turns sign-in on.
    Pin {
        #[arg(long)]
        name: String,
        #[arg(long)]
        remove: bool,
        #[arg(long)]
        json: bool,
    },
    /// How long the window may sit unused before it locks (1 to 240 minutes).
    IdleLock {
        #[arg(long)]
        minutes: u32,
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

#[derive(Debug, Subcommand)]
pub enum ServicesCommand {
    /// Add a service the clinic books.
    Add {
        #[arg(long)]
        name: String,
        /// Length of a visit in minutes (5 to 720).
        #[arg(long)]
        duration: u32,
        /// Its colour on the schedule.
        #[arg(long, default_value = "#2a9d8f")]
        color: String,
        /// The journey its visits follow (a key that `services list` shows, e.g. first_consultation).
        #[arg(long)]
        journey: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PatientsCommand {
    /// Add a patient.
    Add {
        #[arg(long)]
        given_name: String,
        #[arg(long)]
        family_name: String,
        #[arg(long)]
        phone: String,
        /// YYYY-MM-DD.
        #[arg(long, default_value = "")]
        birth_date: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "phone")]
        channel: String,
        /// The language the clinic speaks with them in (default: the clinic's).
        #[arg(long)]
        language: Option<String>,
        /// They agreed to reminders by phone, text or e-mail.
        #[arg(long)]
        consent_reminders: bool,
        #[arg(long)]
        json: bool,
    },
    /// The patients by family name in the clinic language's alphabetical order: --limit of
    /// them from --offset on.
    List {
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long)]
        json: bool,
    },
    /// Patients whose name, phone or e-mail match (diacritics and case ignored).
    Find {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Everything the clinic holds about a patient, as one JSON file to give them (administrators).
    Export {
        id: Uuid,
        /// The file to write (refused if it exists); standard output without it.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Erase a patient on their request: nothing identifies them any more, their visits stay
    /// as counts (administrators).
    Erase {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
}

impl ServicesCommand {
    pub fn json(&self) -> bool {
        match self {
            ServicesCommand::Add { json, .. } | ServicesCommand::List { json } => *json,
        }
    }
}

impl PatientsCommand {
    pub fn json(&self) -> bool {
        match self {
            PatientsCommand::Add { json, .. }
            | PatientsCommand::List { json, .. }
            | PatientsCommand::Find { json, .. }
            | PatientsCommand::Erase { json, .. } => *json,
            PatientsCommand::Export { .. } => false,
        }
    }
}

impl StaffCommand {
    pub fn json(&self) -> bool {
        match self {
            StaffCommand::Add { json, .. }
            | StaffCommand::List { json }
            | StaffCommand::Pin { json, .. }
            | StaffCommand::IdleLock { json, .. } => *json,
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
                    let pin = if s.has_pin { "PIN" } else { "no PIN" };
                    say!("{:<28} {:<12} {:<8} {:<7} {}", s.name, s.role.as_str(), active_word(s.active), pin, s.id);
                }
            }
        }
        StaffCommand::Pin { name, remove, json } => crate::access_cli::set_pin(store, &name, remove, json)?,
        StaffCommand::IdleLock { minutes, json } => crate::access_cli::set_idle_lock(store, minutes, json)?,
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

pub fn run_services(store: &Store, command: ServicesCommand) -> Result<(), Failure> {
    match command {
        ServicesCommand::Add { name, duration, color, journey, json } => {
            let input =
                ServiceInput { name, duration_minutes: duration, color, template_family_key: journey, active: true };
            let service = store.create_service(Actor::CommandLine, &input).map_err(failure(json))?;
            if json {
                print_json(&service);
            } else {
                say!("Added {} ({} min): {}", service.name, service.duration_minutes, service.id);
            }
        }
        ServicesCommand::List { json } => {
            let services = store.list_service_types().map_err(failure(json))?;
            if json {
                print_json(&services);
            } else {
                for s in &services {
                    say!(
                        "{:<28} {:>4} min  {}  {:<22} {:<8} {}",
                        s.name,
                        s.duration_minutes,
                        s.color,
                        s.template_family_key,
                        active_word(s.active),
                        s.id
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn run_patients(store: &Store, command: PatientsCommand) -> Result<(), Failure> {
    let (query, offset, limit, json) = match command {
        PatientsCommand::Add {
            given_name,
            family_name,
            phone,
            birth_date,
            email,
            channel,
            language,
            consent_reminders,
            json,
        } => {
            let preferred_language = match language {
                Some(language) => language,
                None => store.get_settings().map_err(failure(json))?.default_language,
            };
            let input = PatientInput {
                given_name,
                family_name,
                birth_date,
                phone,
                email,
                preferred_channel: channel,
                preferred_language,
                consent_reminders,
                ..PatientInput::default()
            };
            let patient = store.create_patient(Actor::CommandLine, &input).map_err(failure(json))?;
            if json {
                print_json(&patient);
            } else {
                say!("Added {} {}: {}", patient.given_name, patient.family_name, patient.id);
            }
            return Ok(());
        }
        PatientsCommand::List { limit, offset, json } => (String::new(), offset, limit, json),
        PatientsCommand::Find { query, limit, json } => (query, 0, limit, json),
        PatientsCommand::Export { id, out } => return crate::access_cli::export_patient(store, id, out),
        PatientsCommand::Erase { id, json } => return crate::access_cli::erase_patient(store, id, json),
    };
    let page = store.patients_page(&query, offset, limit).map_err(failure(json))?;
    if json {
        print_json(&page);
    } else {
        for item in &page.items {
            let p = &item.patient;
            let born = p.birth_date.map(|d| d.to_string()).unwrap_or_default();
            say!("{:<32} {:<18} {:<12} {}", format!("{} {}", p.family_name, p.given_name), p.phone, born, p.id);
        }
        say!("{} of {} patients", page.items.len(), page.total);
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
