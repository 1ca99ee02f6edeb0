//! `export ics|csv|fhir` and `import csv|fhir`: the clinic's records in standard formats, and
//! patients and appointments from other systems (checked row by row, written all or nothing;
//! a refused import exits non-zero with its report), and `calendar-feeds` kept current.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use clinic_journey_core::interchange::csv_in::Mapping;
use clinic_journey_core::interchange::ics::PatientDetail;
use clinic_journey_core::interchange::import::{DuplicateChoice, ImportKind, ImportReport};
use clinic_journey_core::store::{ExportRequest, ExportScope, ImportFormat, ImportRequest, RecordsFormat};
use clinic_journey_core::{Actor, Store};
use uuid::Uuid;

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A calendar file (iCalendar) of the visits of the clinic, a provider, a room or a patient.
    Ics {
        #[command(flatten)]
        scope: ScopeArgs,
        /// How much of the patient each event shows.
        #[arg(long, value_enum, default_value = "initials")]
        detail: PatientDetail,
        /// Display alarms at the reminder times of the visits' rules.
        #[arg(long)]
        alarms: bool,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Patients, appointments, or tasks with each attempt, as CSV (UTF-8).
    Csv {
        #[arg(value_enum)]
        what: CsvExport,
        #[command(flatten)]
        out: OutArgs,
    },
    /// FHIR R4: Patient, Practitioner, Location, Appointment, Task, Communication.
    Fhir {
        /// One resource per line (NDJSON) instead of one collection Bundle.
        #[arg(long)]
        ndjson: bool,
        #[command(flatten)]
        out: OutArgs,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CsvExport {
    Patients,
    Appointments,
    Tasks,
}

#[derive(Debug, ClapArgs)]
pub struct ScopeArgs {
    /// Only this provider's visits (by name).
    #[arg(long, conflicts_with_all = ["room", "patient"])]
    provider: Option<String>,
    /// Only this room's visits (by name).
    #[arg(long, conflicts_with = "patient")]
    room: Option<String>,
    /// Only this patient's visits.
    #[arg(long)]
    patient: Option<Uuid>,
}

#[derive(Debug, ClapArgs)]
pub struct OutArgs {
    /// Write into this file (refused if it exists, unless --replace); standard output without.
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long, requires = "out")]
    replace: bool,
    /// Print what was written as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Patients or appointments from a CSV file (any encoding and separator).
    Csv {
        file: PathBuf,
        /// What the file holds.
        #[arg(long, value_enum, default_value = "patients")]
        kind: ImportKind,
        /// A JSON object of our field → the file's column; without it, the mapping remembered
        /// for files with this header, or one guessed from the header.
        #[arg(long)]
        mapping: Option<PathBuf>,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// FHIR R4 Patients and Appointments: a resource, a Bundle (e.g. Synthea's) or NDJSON.
    Fhir {
        file: PathBuf,
        #[command(flatten)]
        common: ImportArgs,
    },
    /// The mapping a CSV file would get (its columns, our fields), as JSON to edit for --mapping.
    Mapping {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "patients")]
        kind: ImportKind,
    },
}

#[derive(Debug, ClapArgs)]
pub struct ImportArgs {
    /// Check and report only; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// What to do with a patient the clinic seems to have already (same record, or same name
    /// and birth date; a shared phone with another name keeps both unless --choose says).
    #[arg(long, value_enum, default_value = "merge")]
    on_duplicate: DuplicateChoice,
    /// One line's own choice, as LINE=merge|skip|keep_both (repeatable).
    #[arg(long = "choose", value_parser = parse_choice)]
    choices: Vec<(u32, DuplicateChoice)>,
    #[arg(long)]
    json: bool,
}

fn parse_choice(text: &str) -> Result<(u32, DuplicateChoice), String> {
    let (line, choice) = text.split_once('=').ok_or("give LINE=merge, LINE=skip or LINE=keep_both")?;
    let line = line.trim().parse().map_err(|_| format!("“{line}” is not a line number"))?;
    let choice = DuplicateChoice::from_str(choice.trim(), true)?;
    Ok((line, choice))
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// The calendar files kept current.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Keep a calendar file of the clinic, a provider or a room current in a folder.
    Add {
        /// A full folder path (a synced or shared folder that phones subscribe from).
        #[arg(long)]
        folder: PathBuf,
        #[arg(long, conflicts_with = "room")]
        provider: Option<String>,
        #[arg(long)]
        room: Option<String>,
        #[arg(long, value_enum, default_value = "initials")]
        detail: PatientDetail,
        #[arg(long)]
        alarms: bool,
        #[arg(long)]
        json: bool,
    },
    /// Stop keeping one current (its file stays).
    Remove {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
}

impl ExportCommand {
    pub fn json(&self) -> bool {
        match self {
            ExportCommand::Ics { out, .. } | ExportCommand::Csv { out, .. } | ExportCommand::Fhir { out, .. } => {
                out.json
            }
        }
    }
}

impl ImportCommand {
    pub fn json(&self) -> bool {
        match self {
            ImportCommand::Csv { common, .. } | ImportCommand::Fhir { common, .. } => common.json,
            ImportCommand::Mapping { .. } => true,
        }
    }
}

impl FeedsCommand {
    pub fn json(&self) -> bool {
        match self {
            FeedsCommand::List { json } | FeedsCommand::Add { json, .. } | FeedsCommand::Remove { json, .. } => *json,
        }
    }
}

fn scope(
    store: &Store,
    provider: Option<&str>,
    room: Option<&str>,
    patient: Option<Uuid>,
) -> Result<ExportScope, Failure> {
    let by_name = |names: Vec<(Uuid, String)>, wanted: &str, what: &str| {
        names
            .into_iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(wanted.trim()))
            .map(|(id, _)| id)
            .ok_or_else(|| Failure::from(format!("no {what} is called “{}”", wanted.trim())))
    };
    if let Some(name) = provider {
        let providers = store.list_providers().map_err(failure(false))?;
        return Ok(ExportScope::Provider(by_name(
            providers.into_iter().map(|p| (p.id, p.name)).collect(),
            name,
            "provider",
        )?));
    }
    if let Some(name) = room {
        let rooms = store.list_rooms().map_err(failure(false))?;
        return Ok(ExportScope::Room(by_name(rooms.into_iter().map(|r| (r.id, r.name)).collect(), name, "room")?));
    }
    Ok(patient.map_or(ExportScope::Clinic, ExportScope::Patient))
}

pub fn export(store: &Store, command: ExportCommand) -> Result<(), Failure> {
    let json = command.json();
    let (request, out) = match command {
        ExportCommand::Ics { scope: s, detail, alarms, out } => {
            let scope = scope(store, s.provider.as_deref(), s.room.as_deref(), s.patient)?;
            (ExportRequest { format: RecordsFormat::Ics, scope, detail, alarms }, out)
        }
        ExportCommand::Csv { what, out } => {
            let format = match what {
                CsvExport::Patients => RecordsFormat::CsvPatients,
                CsvExport::Appointments => RecordsFormat::CsvAppointments,
                CsvExport::Tasks => RecordsFormat::CsvTasks,
            };
            (ExportRequest { format, scope: ExportScope::Clinic, detail: PatientDetail::Full, alarms: false }, out)
        }
        ExportCommand::Fhir { ndjson, out } => {
            let format = if ndjson { RecordsFormat::FhirNdjson } else { RecordsFormat::FhirBundle };
            (ExportRequest { format, scope: ExportScope::Clinic, detail: PatientDetail::Full, alarms: false }, out)
        }
    };
    let file = store.export(Actor::CommandLine, &request).map_err(failure(json))?;
    match &out.out {
        Some(path) => {
            clinic_journey_core::export_files::write_new(path, &file.bytes, out.replace).map_err(failure(json))?;
            if json {
                print_json(&serde_json::json!({ "path": path, "count": file.count }));
            } else {
                say!("Wrote {} ({} records)", path.display(), file.count);
            }
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&file.bytes).and_then(|()| stdout.flush()).map_err(|e| Failure::from(e.to_string()))?;
        }
    }
    Ok(())
}

pub fn import(store: &Store, command: ImportCommand) -> Result<(), Failure> {
    let read = |path: &PathBuf| {
        std::fs::read(path).map_err(|e| Failure::from(format!("{} could not be read: {e}", path.display())))
    };
    let (format, kind, file, mapping, common) = match command {
        ImportCommand::Mapping { file, kind } => {
            let proposal = store.import_mapping(Actor::CommandLine, kind, &read(&file)?).map_err(failure(true))?;
            print_json(&proposal);
            return Ok(());
        }
        ImportCommand::Csv { file, kind, mapping, common } => (ImportFormat::Csv, kind, file, mapping, common),
        ImportCommand::Fhir { file, common } => (ImportFormat::Fhir, ImportKind::Patients, file, None, common),
    };
    let mapping: Option<Mapping> =
        match mapping {
            Some(path) => Some(serde_json::from_slice(&read(&path)?).map_err(|e| {
                Failure::from(format!("{} is not a JSON object of field → column: {e}", path.display()))
            })?),
            None => None,
        };
    let request = ImportRequest {
        format,
        kind,
        mapping,
        on_duplicate: common.on_duplicate,
        choices: common.choices.into_iter().collect(),
        dry_run: common.dry_run,
    };
    let json = common.json;
    let report = store.import(Actor::CommandLine, &request, &read(&file)?, &|_, _| true).map_err(failure(json))?;
    if json {
        print_json(&report);
    } else {
        print_report(&report);
    }
    if !report.problems.is_empty() {
        return Err(Failure::from(format!(
            "nothing was imported: {} problems in {}",
            report.problems.len(),
            file.display()
        )));
    }
    Ok(())
}

fn print_report(r: &ImportReport) {
    let verb = if r.applied { "Imported" } else { "Would import" };
    say!(
        "{verb}: {} patients added, {} merged, {} skipped; {} appointments added ({} already here) — {} rows read",
        r.patients_added,
        r.patients_merged,
        r.patients_skipped,
        r.appointments_added,
        r.appointments_unchanged,
        r.rows
    );
    for (kind, n) in &r.ignored {
        say!("  left out: {n} {kind}");
    }
    for d in &r.duplicates {
        say!("  line {}: {} is like {} ({:?}) → {:?}", d.line, d.name, d.existing_name, d.reason, d.choice);
    }
    for p in &r.problems {
        say!(
            "  line {}, {}: “{}” — {}",
            p.line,
            if p.column.is_empty() { "row" } else { &p.column },
            p.value,
            p.reason
        );
    }
}

pub fn feeds(store: &Store, command: FeedsCommand) -> Result<(), Failure> {
    let json = command.json();
    match command {
        FeedsCommand::List { .. } => {
            let feeds = store.calendar_feeds(Actor::CommandLine).map_err(failure(json))?;
            if json {
                print_json(&feeds);
            }
            for f in feeds.iter().filter(|_| !json) {
                say!("{}  {}  {:?}  detail: {}", f.id, f.file, f.scope, f.detail.as_str());
            }
        }
        FeedsCommand::Add { folder, provider, room, detail, alarms, .. } => {
            let scope = scope(store, provider.as_deref(), room.as_deref(), None)?;
            let feed =
                store.add_calendar_feed(Actor::CommandLine, &folder, scope, detail, alarms).map_err(failure(json))?;
            if json {
                print_json(&feed);
            } else {
                say!("Kept current: {}", feed.file);
            }
        }
        FeedsCommand::Remove { id, .. } => {
            store.remove_calendar_feed(Actor::CommandLine, id).map_err(failure(json))?;
            if json {
                print_json(&serde_json::json!({ "removed": id }));
            } else {
                say!("No longer kept current: {id}");
            }
        }
    }
    Ok(())
}
