//! Command-line tasks of the same binary (for scripting, tests and set-up).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use clinic_journey_core::demo::{load_demo, DemoOptions};
use clinic_journey_core::domain::appointment::BookingRequest;
use clinic_journey_core::domain::clinic::hhmm;
use clinic_journey_core::domain::slots::{PartOfDay, SlotQuery};
use clinic_journey_core::domain::typed_values::{parse_from, parse_start};
use clinic_journey_core::{Actor, Error, Refusal, Store};
use uuid::Uuid;

use crate::data_dir;

#[derive(Debug, Parser)]
#[command(name = "clinic-journey", version, about = "Plan and run the whole patient journey of a small clinic")]
pub struct Args {
    /// Folder of the database and logs (default: the OS app-data folder).
    #[arg(long, global = true, env = "CLINIC_JOURNEY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Start the clock at this instant (RFC 3339) and let it run on from there: for demos,
    /// training and tests ("the flow board at 10:30 on a Tuesday").
    #[arg(long, global = true, env = "CLINIC_JOURNEY_NOW")]
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,

    /// Act as this staff member (their PIN from $CLINIC_JOURNEY_PIN, or typed at the terminal).
    /// Needed once staff have PINs; before that the command line runs the clinic.
    #[arg(long = "as", global = true, env = "CLINIC_JOURNEY_AS", value_name = "NAME")]
    pub as_staff: Option<String>,

    /// Work on the clinic server instead of this PC's own file: postgres://DESK@HOST:PORT/DATABASE,
    /// encrypted (TLS) unless it ends in ?sslmode=disable; the desk role's password from
    /// $CLINIC_JOURNEY_SERVER_PASSWORD. The `server` commands take the server from here too.
    #[arg(long, global = true, env = "CLINIC_JOURNEY_SERVER", value_name = "ADDRESS")]
    pub server: Option<String>,

    /// The certificate (PEM) of the authority that signed the server's: the desk then checks
    /// that it talks to that server, not only that the link is encrypted.
    #[arg(long, global = true, env = "CLINIC_JOURNEY_SERVER_CA", value_name = "FILE")]
    pub server_ca: Option<PathBuf>,

    /// Print the time from start to the first painted window with data, then quit.
    #[arg(long)]
    pub measure_startup: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Args {
    /// The clinic server asked for, if any.
    pub fn server_args(&self) -> crate::server_cli::ServerArgs {
        crate::server_cli::ServerArgs { server: self.server.clone(), server_ca: self.server_ca.clone(), chosen: None }
    }
}

/// Where a desk's clinic is: this PC's own file, or the clinic server.
pub enum Place {
    File(PathBuf),
    Server(Box<clinic_journey_core::server::ServerAddress>),
}

impl Place {
    /// The server when one is given, else the file in `dir`.
    pub fn of(dir: &Path, server: &crate::server_cli::ServerArgs) -> clinic_journey_core::Result<Place> {
        Ok(if server.any() { Place::Server(Box::new(server.address()?)) } else { Place::File(data_dir::database(dir)) })
    }

    /// What a screen or a log line calls it.
    pub fn describe(&self) -> String {
        match self {
            Place::File(path) => path.display().to_string(),
            Place::Server(address) => address.to_string(),
        }
    }
}

/// Opens the store, on a clock started at `now` when one is given. On the clinic server the
/// desk is the address's role (each desk has its own), and its own folder `dir` keeps its
/// backups of the server.
pub fn open_store(
    place: &Place,
    dir: &Path,
    now: Option<chrono::DateTime<chrono::FixedOffset>>,
    passphrase: Option<&str>,
) -> clinic_journey_core::Result<Store> {
    let store = match place {
        Place::File(path) => Store::open_with_passphrase(path, passphrase)?,
        Place::Server(address) => Store::open_server(address, address.role())?.with_desk_folder(dir),
    };
    Ok(match now {
        None => store,
        Some(start) => {
            let start = start.with_timezone(&chrono::Utc);
            let launched = std::time::Instant::now();
            store.with_clock(move || start + chrono::Duration::from_std(launched.elapsed()).unwrap_or_default())
        }
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty database with a realistic demo clinic.
    Demo {
        /// Number of patients.
        #[arg(long, default_value_t = 400)]
        patients: u32,
        /// Days of bookings before and after today.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// Seed of the generator: the same seed gives the same clinic.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show where the database is and what it holds.
    Info {
        #[arg(long)]
        json: bool,
    },
    /// List or book appointments.
    Appointments {
        #[command(subcommand)]
        command: AppointmentsCommand,
    },
    /// Service blueprints: export for the wall, duties of each role.
    Blueprint {
        #[command(subcommand)]
        command: crate::blueprint_cli::BlueprintCommand,
    },
    /// Reminder tasks and the call list.
    Tasks {
        #[command(subcommand)]
        command: crate::tasks_cli::TasksCommand,
    },
    /// The clinic's name, contact, time zone, language and hours.
    Clinic {
        #[command(subcommand)]
        command: crate::clinic_cli::ClinicCommand,
    },
    /// Days the clinic is closed, once or every year; import them from .ics or CSV.
    ClosedDays {
        #[command(subcommand)]
        command: crate::clinic_cli::ClosedDaysCommand,
    },
    /// The clinic's staff: who works here, in which role.
    Staff {
        #[command(subcommand)]
        command: crate::setup_cli::StaffCommand,
    },
    /// The clinic's rooms and their weekly hours.
    Rooms {
        #[command(subcommand)]
        command: crate::setup_cli::RoomsCommand,
    },
    /// The providers (clinicians who are booked), their home room and weekly hours.
    Providers {
        #[command(subcommand)]
        command: crate::setup_cli::ProvidersCommand,
    },
    /// The services the clinic books, their length and journey.
    Services {
        #[command(subcommand)]
        command: crate::setup_cli::ServicesCommand,
    },
    /// Add, list and find patients.
    Patients {
        #[command(subcommand)]
        command: crate::setup_cli::PatientsCommand,
    },
    /// Encryption at rest: status, enable, change the passphrase, disable.
    Encryption {
        #[command(subcommand)]
        command: crate::encryption_cli::EncryptionCommand,
    },
    /// Copies of the database: take one, list them, restore one, set the plan.
    Backup {
        #[command(subcommand)]
        command: crate::backup_cli::BackupCommand,
    },
    /// The clinic's records as iCalendar, CSV or FHIR R4 (administrators).
    Export {
        #[command(subcommand)]
        command: crate::interchange_cli::ExportCommand,
    },
    /// Patients and appointments from CSV or FHIR R4, checked row by row, all or nothing.
    Import {
        #[command(subcommand)]
        command: crate::interchange_cli::ImportCommand,
    },
    /// Calendar files kept current in a folder (phones and desktop calendars subscribe).
    CalendarFeeds {
        #[command(subcommand)]
        command: crate::interchange_cli::FeedsCommand,
    },
    /// The clinic server (PostgreSQL on the practice's network): test a connection, move this desk's clinic there.
    Server {
        #[command(subcommand)]
        command: crate::server_cli::ServerCommand,
    },
    /// The audit log: who changed what, when, in whose record (administrators).
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// How good the service was over a period: rates, stage times, standards, surveys.
    Insights(crate::insights_cli::InsightsArgs),
    /// Where a day will jam (`--date D`, with scenarios); `simulate queue` checks the engine on a
    /// plain M/M/c queue.
    Simulate(crate::simulate_cli::SimulateArgs),
    /// The next free slots for a service.
    Slots {
        /// Service type id.
        #[arg(long)]
        service: Uuid,
        /// Search from this date or date-time (clinic-local unless it carries an offset).
        #[arg(long)]
        from: Option<String>,
        /// Search up to this date (inclusive).
        #[arg(long)]
        to: Option<NaiveDate>,
        /// Only this provider.
        #[arg(long)]
        provider: Option<Uuid>,
        /// Only times this patient is free (not booked elsewhere then).
        #[arg(long)]
        patient: Option<Uuid>,
        #[arg(long, value_enum)]
        part_of_day: Option<PartOfDay>,
        #[arg(long, default_value_t = 10)]
        count: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Who changed what, newest first, with the changed fields before and after.
    List(crate::access_cli::AuditListArgs),
}

#[derive(Debug, Subcommand)]
pub enum AppointmentsCommand {
    /// Appointments starting on a date (clinic-local).
    List {
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        json: bool,
    },
    /// Book an appointment; a refusal exits non-zero with the same message as the app.
    Book {
        #[arg(long)]
        patient: Uuid,
        #[arg(long)]
        service: Uuid,
        #[arg(long)]
        provider: Uuid,
        /// The provider's home room when absent.
        #[arg(long)]
        room: Option<Uuid>,
        /// Start, e.g. 2026-12-01T10:00 (clinic-local) or 2026-12-01T08:00:00Z.
        #[arg(long)]
        start: String,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
}

/// How a failed command reports: a plain message, or the app's `{ kind, message, ... }` as JSON.
pub struct Failure {
    pub message: String,
    pub json: bool,
    pub body: Option<Box<clinic_journey_core::ErrorBody>>,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { message, json: false, body: None }
    }
}

pub fn failure(json: bool) -> impl Fn(Error) -> Failure {
    move |e| Failure { message: e.to_string(), json, body: Some(Box::new(e.body())) }
}
/// Writes a line to standard output. A reader that has gone away (`tasks list | head -1`)
/// ends the command quietly, as other command-line tools do, instead of a panic.
pub fn say(line: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: the output could not be written: {e}");
        std::process::exit(1);
    }
}

/// After an export of an encrypted clinic: the file written is not encrypted.
pub fn warn_if_encrypted(store: &Store) {
    if store.is_encrypted() {
        eprintln!(
            "note: this file is not encrypted: it leaves the clinic's encrypted store. Keep it safe and delete it when done."
        );
    }
}

pub fn print_json<T: serde::Serialize>(value: &T) {
    say!("{}", serde_json::to_string_pretty(value).expect("serialisable"));
}

impl Command {
    /// Whether the command was asked for JSON (a refusal's body is printed then too).
    fn json(&self) -> bool {
        use crate::blueprint_cli::BlueprintCommand as B;
        use crate::tasks_cli::TasksCommand as T;
        match self {
            Command::Demo { json, .. } | Command::Info { json } | Command::Slots { json, .. } => *json,
            Command::Appointments { command: AppointmentsCommand::List { json, .. } }
            | Command::Appointments { command: AppointmentsCommand::Book { json, .. } } => *json,
            Command::Blueprint { command: B::List { json } | B::Duties { json, .. } } => *json,
            Command::Blueprint { command: B::Export { .. } } => false,
            Command::Tasks { command: T::Plan { json } | T::List { json, .. } | T::Outcome { json, .. } } => *json,
            Command::Tasks { command: T::Export { .. } } => false,
            Command::Clinic { command } => command.json(),
            Command::ClosedDays { command } => command.json(),
            Command::Staff { command } => command.json(),
            Command::Rooms { command } => command.json(),
            Command::Providers { command } => command.json(),
            Command::Services { command } => command.json(),
            Command::Patients { command } => command.json(),
            Command::Simulate(args) => args.json(),
            Command::Insights(args) => args.json,
            Command::Backup { command } => command.json(),
            Command::Encryption { command } => command.json(),
            Command::Audit { command: AuditCommand::List(args) } => args.json,
            Command::Export { command } => command.json(),
            Command::Import { command } => command.json(),
            Command::CalendarFeeds { command } => command.json(),
            Command::Server { command } => command.json(),
        }
    }
}

pub fn run(
    command: Command,
    dir: &Path,
    server: &crate::server_cli::ServerArgs,
    now: Option<chrono::DateTime<chrono::FixedOffset>>,
    as_staff: Option<&str>,
) -> Result<(), Failure> {
    let command = match command {
        Command::Simulate(crate::simulate_cli::SimulateArgs { command: Some(queue), .. }) => {
            return crate::simulate_cli::run(queue);
        }
        Command::Encryption { command } => return crate::encryption_cli::run(&data_dir::database(dir), command),
        Command::Server { command } if command.needs_no_store() => {
            return crate::server_cli::run_without_store(server, command)
        }
        other => other,
    };
    let passphrase = crate::encryption_cli::passphrase();
    // A move reads this desk's own clinic, whatever the server: it is the clinic that moves.
    let place = match &command {
        Command::Server { .. } => Place::File(data_dir::database(dir)),
        _ => Place::of(dir, server).map_err(failure(command.json()))?,
    };
    let store = open_store(&place, dir, now, passphrase.as_deref()).map_err(failure(command.json()))?;
    if let Some(name) = as_staff {
        crate::access_cli::sign_in(&store, name, command.json())?;
    }
    match command {
        Command::Audit { command: AuditCommand::List(args) } => crate::access_cli::audit_list(&store, args)?,
        Command::Export { command } => crate::interchange_cli::export(&store, command)?,
        Command::Import { command } => crate::interchange_cli::import(&store, command)?,
        Command::CalendarFeeds { command } => crate::interchange_cli::feeds(&store, command)?,
        Command::Server { command } => crate::server_cli::run(&store, server, command)?,
        Command::Simulate(args) => crate::simulate_cli::run_day(&store, args)?,
        Command::Insights(args) => crate::insights_cli::run(&store, args)?,
        Command::Backup { command } => crate::backup_cli::run(&store, command)?,
        Command::Encryption { .. } => unreachable!("run before the store opens"),
        Command::Demo { patients, days, seed, json } => {
            let summary = load_demo(&store, &DemoOptions { patients, days, seed }).map_err(failure(json))?;
            store.checkpoint().map_err(failure(json))?;
            if json {
                say!("{}", serde_json::to_string_pretty(&summary).expect("serialisable"));
            } else {
                say!(
                    "Demo clinic loaded into {}: {} patients, {} providers, {} rooms, {} appointments, {} stage events, {} tasks",
                    dir.display(),
                    summary.patients,
                    summary.providers,
                    summary.rooms,
                    summary.appointments,
                    summary.stage_events,
                    summary.tasks
                );
            }
        }
        Command::Tasks { command } => crate::tasks_cli::run(&store, command)?,
        Command::Blueprint { command } => crate::blueprint_cli::run(&store, command)?,
        Command::Clinic { command } => crate::clinic_cli::run_clinic(&store, command)?,
        Command::ClosedDays { command } => crate::clinic_cli::run_closed_days(&store, command)?,
        Command::Staff { command } => crate::setup_cli::run_staff(&store, command)?,
        Command::Rooms { command } => crate::setup_cli::run_rooms(&store, command)?,
        Command::Providers { command } => crate::setup_cli::run_providers(&store, command)?,
        Command::Services { command } => crate::setup_cli::run_services(&store, command)?,
        Command::Patients { command } => crate::setup_cli::run_patients(&store, command)?,
        Command::Info { json } => {
            let overview = store.overview().map_err(failure(json))?;
            if json {
                say!("{}", serde_json::to_string_pretty(&overview).expect("serialisable"));
            } else {
                match &overview.clinic_server {
                    Some(server) => say!("Clinic server: {server}"),
                    None => say!("Database: {}", overview.database_path),
                }
                say!("Schema version: {}", overview.schema_version);
                say!("Clinic: {} ({})", overview.settings.name, overview.settings.time_zone);
                say!("Empty: {}", overview.is_empty);
            }
        }
        Command::Appointments { command: AppointmentsCommand::List { date, json } } => {
            let list = store.appointments_on(date).map_err(failure(json))?;
            if json {
                print_json(&list);
            } else {
                for item in &list {
                    say!(
                        "{}  {:<11} {:<24} {:<18} {:<10} {}  {}",
                        item.start_time,
                        item.appointment.status.as_str(),
                        item.patient_name,
                        item.provider_name,
                        item.room_name,
                        item.service_name,
                        item.appointment.id
                    );
                }
            }
        }
        Command::Appointments {
            command: AppointmentsCommand::Book { patient, service, provider, room, start, notes, json },
        } => {
            let calendar = store.calendar().map_err(failure(json))?;
            let (date, minute) = parse_start(&calendar, &start).map_err(failure(json))?;
            let room = match room {
                Some(room) => room,
                None => default_room(&store, provider).map_err(failure(json))?,
            };
            let request = BookingRequest {
                patient_id: patient,
                service_type_id: service,
                provider_id: provider,
                room_id: room,
                date,
                start_time: hhmm(minute),
                notes,
            };
            let appointment = store.book_appointment(Actor::CommandLine, &request).map_err(failure(json))?;
            if json {
                print_json(&appointment);
            } else {
                say!("Booked {} {} ({})", date, hhmm(minute), appointment.id);
            }
        }
        Command::Slots { service, from, to, provider, patient, part_of_day, count, json } => {
            let calendar = store.calendar().map_err(failure(json))?;
            let (from_date, after) =
                match from.as_deref().map(|f| parse_from(&calendar, f)).transpose().map_err(failure(json))? {
                    Some((date, after)) => (Some(date), after),
                    None => (None, None),
                };
            let query = SlotQuery {
                service_type_id: service,
                provider_id: provider,
                patient_id: patient,
                part_of_day,
                from_date,
                to_date: to,
                after,
                count,
            };
            let slots = store.find_slots(&query).map_err(failure(json))?;
            if json {
                print_json(&slots);
            } else {
                for slot in &slots {
                    say!("{} {}  {:<18} {}", slot.date, slot.start_time, slot.provider_name, slot.room_name);
                }
            }
        }
    }
    Ok(())
}

/// The provider's home room, else the first active room.
fn default_room(store: &Store, provider: Uuid) -> clinic_journey_core::Result<Uuid> {
    let home = store.list_providers()?.into_iter().find(|p| p.id == provider).and_then(|p| p.home_room_id);
    match home {
        Some(room) => Ok(room),
        None => store
            .list_rooms()?
            .into_iter()
            .find(|r| r.active)
            .map(|r| r.id)
            .ok_or_else(|| Error::refused("room", Refusal::NoRooms)),
    }
}
