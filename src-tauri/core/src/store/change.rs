//! What a committed write announces: which entities changed and where the change came from,
//! so every open screen refreshes what it shows.

use serde::Serialize;
use ts_rs::TS;

use super::Actor;

/// What a write can change: each is named as its table (and its audit-log entity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    ClinicSettings,
    Staff,
    Providers,
    Rooms,
    BlockedPeriods,
    ServiceTypes,
    JourneyTemplates,
    ReminderRules,
    Patients,
    Appointments,
    AppointmentSeries,
    WaitlistEntries,
    PatientJourneys,
    StageEvents,
    Tasks,
    /// Survey answers (and the Kano features and SERVQUAL weights they are read with).
    SurveyResponses,
    /// Service standards (and the audits that check them).
    ServiceStandards,
    /// The backup plan and how its copies went.
    BackupPlan,
}

impl Entity {
    pub const ALL: [Entity; 18] = [
        Entity::ClinicSettings,
        Entity::Staff,
        Entity::Providers,
        Entity::Rooms,
        Entity::BlockedPeriods,
        Entity::ServiceTypes,
        Entity::JourneyTemplates,
        Entity::ReminderRules,
        Entity::Patients,
        Entity::Appointments,
        Entity::AppointmentSeries,
        Entity::WaitlistEntries,
        Entity::PatientJourneys,
        Entity::StageEvents,
        Entity::Tasks,
        Entity::SurveyResponses,
        Entity::ServiceStandards,
        Entity::BackupPlan,
    ];

    pub fn parse(text: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::ClinicSettings => "clinic_settings",
            Entity::Staff => "staff",
            Entity::Providers => "providers",
            Entity::Rooms => "rooms",
            Entity::BlockedPeriods => "blocked_periods",
            Entity::ServiceTypes => "service_types",
            Entity::JourneyTemplates => "journey_templates",
            Entity::ReminderRules => "reminder_rules",
            Entity::Patients => "patients",
            Entity::Appointments => "appointments",
            Entity::AppointmentSeries => "appointment_series",
            Entity::WaitlistEntries => "waitlist_entries",
            Entity::PatientJourneys => "patient_journeys",
            Entity::StageEvents => "stage_events",
            Entity::Tasks => "tasks",
            Entity::SurveyResponses => "survey_responses",
            Entity::ServiceStandards => "service_standards",
            Entity::BackupPlan => "backup_plan",
        }
    }
}

/// Where a change came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeSource {
    User,
    Scheduler,
    Import,
    Demo,
    System,
    CommandLine,
    /// Committed by another process on the same file (the command line, a script): which
    /// rows it touched is not known here, so every entity counts as changed.
    OtherProcess,
    /// Committed at another desk of the clinic server, which said what it touched.
    OtherDesk,
}

impl From<Actor> for ChangeSource {
    fn from(actor: Actor) -> Self {
        match actor {
            Actor::User => ChangeSource::User,
            Actor::Scheduler => ChangeSource::Scheduler,
            Actor::Import => ChangeSource::Import,
            Actor::Demo => ChangeSource::Demo,
            Actor::System => ChangeSource::System,
            Actor::CommandLine => ChangeSource::CommandLine,
        }
    }
}

/// Announced after each committed write, so open screens refresh without polling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Change {
    /// What the write touched, e.g. ["appointments", "patient_journeys"].
    pub entities: Vec<Entity>,
    pub source: ChangeSource,
}

impl Change {
    /// A write by another process, seen through the file's data version.
    pub fn from_other_process() -> Self {
        Change { entities: Entity::ALL.to_vec(), source: ChangeSource::OtherProcess }
    }
}
