//! Journey templates (versioned) with their stages and blueprint cells, and the patient
//! journeys that follow them with their stage event log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::resources::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    PreVisit,
    Visit,
    PostVisit,
}

/// The blueprint's lanes, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    PhysicalEvidence,
    PatientAction,
    FrontOffice,
    BackOffice,
    SupportProcess,
}

/// Whether a standard time is how long a stage should take, or how soon it must happen after
/// the step before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StandardBasis {
    Duration,
    LeadTime,
}

text_enum!(Phase { PreVisit => "pre_visit", Visit => "visit", PostVisit => "post_visit" });
text_enum!(Lane {
    PhysicalEvidence => "physical_evidence",
    PatientAction => "patient_action",
    FrontOffice => "front_office",
    BackOffice => "back_office",
    SupportProcess => "support_process",
});
text_enum!(StandardBasis { Duration => "duration", LeadTime => "lead_time" });
text_enum!(StageEventKind { Entered => "entered", Started => "started", Completed => "completed", Skipped => "skipped" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BlueprintCell {
    pub id: Uuid,
    pub lane: Lane,
    pub text: String,
    pub owner_role: Option<Role>,
    pub standard_minutes: Option<u32>,
    pub fail_point: Option<String>,
    pub wait_point: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Stage {
    pub id: Uuid,
    /// Stable key across versions, e.g. "check_in"; the flow board maps visit stages by it.
    pub key: String,
    pub phase: Phase,
    pub name: String,
    pub description: String,
    pub owner_role: Role,
    pub standard_minutes: u32,
    pub standard_basis: StandardBasis,
    pub cells: Vec<BlueprintCell>,
}

/// One version of a journey template. Versions of one template share `family_key`; a saved
/// edit makes a new version, and journeys keep the version they started with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JourneyTemplate {
    pub id: Uuid,
    pub family_key: String,
    pub name: String,
    pub description: String,
    pub version: u32,
    pub created_at: DateTime<Utc>,
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServiceType {
    pub id: Uuid,
    pub name: String,
    pub duration_minutes: u32,
    /// Hex colour of its appointments on the schedule.
    pub color: String,
    /// The template family it follows; new journeys take its newest version.
    pub template_family_key: String,
    pub active: bool,
}

/// A service as the set-up and Settings forms (and `services add`) send one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServiceInput {
    pub name: String,
    pub duration_minutes: u32,
    /// "#2a9d8f".
    pub color: String,
    /// The journey (template family) its visits follow.
    pub template_family_key: String,
    pub active: bool,
}

/// The shortest and the longest visit a service may book.
pub const SERVICE_MINUTES: std::ops::RangeInclusive<u32> = 5..=720;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StageEventKind {
    Entered,
    Started,
    Completed,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StageEvent {
    pub id: Uuid,
    pub journey_id: Uuid,
    pub stage_id: Uuid,
    pub kind: StageEventKind,
    pub at: DateTime<Utc>,
    /// Who recorded it: "user", "scheduler", "import" or "demo".
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PatientJourney {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub service_type_id: Uuid,
    pub template_id: Uuid,
    pub appointment_id: Option<Uuid>,
    pub current_stage_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}
