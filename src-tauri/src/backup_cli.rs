//! `clinic-journey backup create|list|restore|plan`: the Backup page's work for scripts and
//! the machine's administrator, on the same store functions (and refusals) as the window.

use std::path::PathBuf;

use clap::Subcommand;
use clinic_journey_core::domain::backups::BackupPlan;
use clinic_journey_core::{Actor, Store};

use crate::cli::{failure, print_json, Failure};

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Copy the database now, checked, into the backup folder (or to exactly --out).
    Create {
        /// The file to write (refused if it exists).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The backups in the backup folder, newest first, and how the last one went.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Replace the clinic's data with a backup's; what it replaces is copied first. A backup
    /// made under another passphrase than the clinic's opens with
    /// $CLINIC_JOURNEY_BACKUP_PASSPHRASE.
    Restore {
        file: PathBuf,
        /// Only check the file and show what it holds.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the backup plan, or change what is given.
    Plan {
        /// The folder backups go to (a USB stick, a network share); "default" for the folder
        /// beside the database.
        #[arg(long)]
        folder: Option<String>,
        /// A copy every day: on or off.
        #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
        daily: Option<bool>,
        /// Copies older than this many days are removed (the newest always stays).
        #[arg(long)]
        keep_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

impl BackupCommand {
    pub fn json(&self) -> bool {
        match self {
            BackupCommand::Create { json, .. }
            | BackupCommand::List { json }
            | BackupCommand::Restore { json, .. }
            | BackupCommand::Plan { json, .. } => *json,
        }
    }
}

pub fn run(store: &Store, command: BackupCommand) -> Result<(), Failure> {
    let json = command.json();
    let fail = failure(json);
    match command {
        BackupCommand::Create { out, .. } => {
            let made = match out {
                Some(out) => store.backup_to_file(&out),
                None => store.back_up_now(Actor::CommandLine),
            }
            .map_err(&fail)?;
            if json {
                print_json(&made);
            } else {
                say!("Backup written and checked: {} ({} bytes)", made.path, made.bytes);
            }
        }
        BackupCommand::List { .. } => {
            let status = store.backup_status().map_err(&fail)?;
            if json {
                print_json(&status);
                return Ok(());
            }
            say!("Folder: {}", status.folder);
            if status.same_disk_as_database {
                say!("(on the same disk as the database: choose a USB stick or a network folder with `backup plan --folder`)");
            }
            if let Some(failure) = &status.failure {
                say!("The daily backup failed at {}: {}", failure.at.to_rfc3339(), failure.error.message);
            }
            if status.files.is_empty() {
                say!("No backups yet.");
            }
            for f in &status.files {
                say!("  {}  {:>12} bytes  {:?}  {}", f.taken_at.to_rfc3339(), f.bytes, f.reason, f.path);
            }
        }
        BackupCommand::Restore { file, dry_run, .. } => {
            // A backup made under another passphrase than the clinic's has now.
            let passphrase = std::env::var("CLINIC_JOURNEY_BACKUP_PASSPHRASE").ok().filter(|p| !p.is_empty());
            let passphrase = passphrase.as_deref();
            if dry_run {
                let preview = store.preview_backup_with(&file, passphrase).map_err(&fail)?;
                if json {
                    print_json(&preview);
                } else {
                    print_preview(&preview);
                    say!("Nothing was changed (--dry-run).");
                }
            } else {
                let restored = store.restore_backup_with(Actor::CommandLine, &file, passphrase).map_err(&fail)?;
                if json {
                    print_json(&restored);
                } else {
                    print_preview(&restored.preview);
                    say!("Restored. What the clinic had before is kept in {}", restored.saved_as.path);
                }
            }
        }
        BackupCommand::Plan { folder, daily, keep_days, .. } => {
            let mut plan = store.backup_plan().map_err(&fail)?;
            if folder.is_some() || daily.is_some() || keep_days.is_some() {
                plan = BackupPlan {
                    folder: folder.map_or(plan.folder, |f| if f == "default" { String::new() } else { f }),
                    daily: daily.unwrap_or(plan.daily),
                    keep_days: keep_days.unwrap_or(plan.keep_days),
                };
                store.save_backup_plan(Actor::CommandLine, &plan).map_err(&fail)?;
            }
            let folder = store.backup_folder().map_err(&fail)?;
            if json {
                print_json(&serde_json::json!({ "plan": plan, "folder": folder }));
            } else {
                say!("Folder:    {}", folder.display());
                say!("Daily:     {}", if plan.daily { "on" } else { "off" });
                say!("Keep:      {} days", plan.keep_days);
            }
        }
    }
    Ok(())
}

fn print_preview(p: &clinic_journey_core::store::BackupPreview) {
    say!("File:          {} ({} bytes)", p.path, p.bytes);
    if let Some(at) = p.taken_at {
        say!("Taken:         {}", at.to_rfc3339());
    }
    say!("Clinic:        {} ({})", p.clinic_name, p.time_zone);
    say!("Schema:        {}{}", p.schema_version, if p.needs_upgrade { " (upgraded when restored)" } else { "" });
    say!("Patients:      {}", p.patients);
    say!("Appointments:  {}", p.appointments);
    say!("Open tasks:    {}", p.open_tasks);
    say!("Staff:         {}", p.staff);
    match (p.first_visit, p.last_visit) {
        (Some(first), Some(last)) => say!("Visits:        {first} to {last}"),
        _ => say!("Visits:        none"),
    }
    if let Some(at) = p.last_change_at {
        say!("Last change:   {}", at.to_rfc3339());
    }
}
