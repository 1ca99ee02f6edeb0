//! Who the command line acts as, and the commands about people's access and records:
//! `--as NAME` (the PIN from `$CLINIC_JOURNEY_PIN` or typed at the terminal), `staff pin`,
//! `staff idle-lock`, `audit list`, `patients export` and `patients erase`.
//!
//! Without `--as`, the command line acts as the machine's administrator while the clinic has no
//! sign-in (setting it up); once staff have PINs, every command names who gives it.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args as ClapArgs;
use clinic_journey_core::store::AuditLogQuery;
use clinic_journey_core::{Actor, Store};
use uuid::Uuid;

use crate::cli::{failure, print_json, warn_if_encrypted, Failure};

/// A secret from `variable`, else typed at the terminal (not shown), else refused: a script
/// must pass it in the environment, never on the command line where others can read it.
pub fn secret(variable: &str, prompt: &str) -> Result<String, Failure> {
    if let Some(value) = std::env::var(variable).ok().filter(|v| !v.is_empty()) {
        return Ok(value);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt)
            .map_err(|e| Failure::from(format!("the PIN could not be read: {e}")));
    }
    Err(Failure::from(format!("a PIN is needed: type it at a terminal, or set ${variable}")))
}

/// Signs in as `name` for this command.
pub fn sign_in(store: &Store, name: &str, json: bool) -> Result<(), Failure> {
    let pin = secret("CLINIC_JOURNEY_PIN", &format!("PIN for {name}: "))?;
    store.sign_in_by_name(name, &pin).map_err(failure(json))?;
    Ok(())
}

pub fn set_pin(store: &Store, name: &str, remove: bool, json: bool) -> Result<(), Failure> {
    let member = store
        .list_staff()
        .map_err(failure(json))?
        .into_iter()
        .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| Failure::from(format!("no staff member is called “{}”", name.trim())))?;
    let pin =
        if remove { None } else { Some(secret("CLINIC_JOURNEY_NEW_PIN", &format!("New PIN for {}: ", member.name))?) };
    store.set_staff_pin(Actor::CommandLine, member.id, pin.as_deref()).map_err(failure(json))?;
    if json {
        print_json(&serde_json::json!({ "staff": member.name, "has_pin": !remove }));
    } else if remove {
        say!("{} has no PIN now", member.name);
    } else {
        say!("{} signs in with the new PIN", member.name);
    }
    Ok(())
}

pub fn set_idle_lock(store: &Store, minutes: u32, json: bool) -> Result<(), Failure> {
    store.set_idle_lock_minutes(Actor::CommandLine, minutes).map_err(failure(json))?;
    if json {
        print_json(&serde_json::json!({ "idle_lock_minutes": minutes }));
    } else {
        say!("The window locks after {minutes} minutes without use");
    }
    Ok(())
}

/// `audit list`: who changed what, newest first.
#[derive(Debug, ClapArgs)]
pub struct AuditListArgs {
    /// Only what this staff member did.
    #[arg(long)]
    staff: Option<String>,
    /// Only what concerns this patient.
    #[arg(long)]
    patient: Option<Uuid>,
    /// From this clinic-local date on.
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Up to this clinic-local date (inclusive).
    #[arg(long)]
    to: Option<NaiveDate>,
    #[arg(long, default_value_t = 500)]
    limit: u32,
    /// As CSV (one line per changed field).
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn audit_list(store: &Store, args: AuditListArgs) -> Result<(), Failure> {
    let json = args.json;
    let query =
        AuditLogQuery { staff: args.staff, patient: args.patient, from: args.from, to: args.to, limit: args.limit };
    if args.csv {
        let text = store.audit_log_csv(Actor::CommandLine, &query).map_err(failure(false))?;
        print!("{text}");
        warn_if_encrypted(store);
        return Ok(());
    }
    let entries = store.audit_log(Actor::CommandLine, &query).map_err(failure(json))?;
    if json {
        print_json(&entries);
        return Ok(());
    }
    let calendar = store.calendar().map_err(failure(false))?;
    for e in &entries {
        let (date, minute) = calendar.local_minute(e.at);
        let who = if e.staff_name.is_empty() { e.source.as_str() } else { e.staff_name.as_str() };
        let fields: Vec<String> = e
            .changes
            .iter()
            .map(|c| {
                format!("{}: {} → {}", c.field, c.before.as_deref().unwrap_or("—"), c.after.as_deref().unwrap_or("—"))
            })
            .collect();
        say!(
            "{date} {}  {who:<20} {:<18} {:<10} {}{}{}",
            clinic_journey_core::domain::clinic::hhmm(minute),
            e.entity.as_str(),
            e.action,
            e.patient_name.as_deref().map(|p| format!("[{p}] ")).unwrap_or_default(),
            e.detail,
            if fields.is_empty() { String::new() } else { format!("  {}", fields.join("; ")) }
        );
    }
    Ok(())
}

/// `patients export ID`: everything held about a patient, as one JSON file for them.
pub fn export_patient(store: &Store, id: Uuid, out: Option<PathBuf>) -> Result<(), Failure> {
    let data = store.patient_data(Actor::CommandLine, id).map_err(failure(false))?;
    let text = serde_json::to_string_pretty(&data).expect("serialisable");
    match out {
        Some(path) => {
            clinic_journey_core::export_files::write_new(&path, text.as_bytes(), false).map_err(failure(false))?;
            say!("The patient's data is in {}", path.display());
        }
        None => say!("{text}"),
    }
    warn_if_encrypted(store);
    Ok(())
}

pub fn erase_patient(store: &Store, id: Uuid, json: bool) -> Result<(), Failure> {
    store.erase_patient(Actor::CommandLine, id).map_err(failure(json))?;
    if json {
        print_json(&serde_json::json!({ "erased": id }));
    } else {
        say!("Patient {id} is erased: their visits stay as counts, nothing identifies them");
    }
    Ok(())
}
