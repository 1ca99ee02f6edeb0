//! The TypeScript definitions of every type that crosses to the UI, generated from the Rust
//! types with ts-rs into `ui/src/lib/bindings.ts`. A test fails when the committed file is
//! stale; `make bindings` rewrites it.

use ts_rs::TS;

use crate::blueprint_export::ExportFormat;
use crate::demo::DemoSummary;
use crate::domain::appointment::{
    Appointment, AppointmentAction, AppointmentStatus, BookingRequest, RescheduleRequest,
};
use crate::domain::call_sheet::CallSheetFormat;
use crate::domain::clinic::{ClinicSettings, ClosedDay, MinuteRange, WeekdayHours, Weeks};
use crate::domain::flow::{FlowBoard, FlowCard, FlowColumn, FlowColumnSummary};
use crate::domain::journey::{
    BlueprintCell, JourneyTemplate, Lane, PatientJourney, Phase, ServiceInput, ServiceType, Stage, StageEvent,
    StageEventKind, StandardBasis,
};
use crate::domain::limits::InputLimits;
use crate::domain::patient::{Channel, Patient, PatientInput};
use crate::domain::reminders::{Anchor, OffsetUnit, ReminderRule, TaskKind};
use crate::domain::resources::{BlockedPeriod, Provider, ProviderInput, Role, Room, RoomInput, Staff, StaffInput};
use crate::domain::schedule::{ScheduleBy, ScheduleColumn, ScheduleEntry, ScheduleQuery, ScheduleSpan, ScheduleView};
use crate::domain::slots::{FreeSlot, PartOfDay, SlotQuery};
use crate::domain::tasks::{
    CallList, CallListQuery, CallListRow, CallSection, Task, TaskOutcome, TaskPurpose, TaskStatus,
};
use crate::domain::timeline::{JourneyTimeline, StageState, TimelineAppointment, TimelineEvent, TimelineStage};
use crate::domain::waitlist::{FreedSlot, NewWaitlistEntry, WaitlistEntry, WaitlistStatus};
use crate::error::ErrorBody;
use crate::store::{
    AppointmentListItem, BookedOnClosedDay, CancelOutcome, Change, ChangeSource, ClinicOverview, ClinicServerPage,
    ClosedDaysAdded, Entity, JourneySummary, OutcomeRequest, OutcomeResult, PatientListItem, PatientPage, PlanSummary,
    SeriesRequest, ServerLink, StartupProblem,
};

/// Path of the generated file, relative to the core crate.
pub const BINDINGS_PATH: &str = "../../ui/src/lib/bindings.ts";

pub fn typescript() -> String {
    let declarations = [
        crate::refusal::Refusal::decl(),
        crate::refusal::Occurrence::decl(),
        ErrorBody::decl(),
        Entity::decl(),
        ChangeSource::decl(),
        Change::decl(),
        ClosedDaysAdded::decl(),
        BookedOnClosedDay::decl(),
        ClinicOverview::decl(),
        crate::store::SetupData::decl(),
        crate::store::JourneyChoice::decl(),
        crate::store::MoveScope::decl(),
        crate::store::VisitToMove::decl(),
        crate::store::RebookCalls::decl(),
        crate::store::BlockInput::decl(),
        crate::store::BlockAdded::decl(),
        crate::store::JourneySource::decl(),
        crate::store::NewJourney::decl(),
        crate::store::JourneyRow::decl(),
        crate::store::JourneyRules::decl(),
        AppointmentAction::decl(),
        StartupProblem::decl(),
        ServerLink::decl(),
        ClinicServerPage::decl(),
        crate::server::ServerForm::decl(),
        crate::server::ServerCheck::decl(),
        crate::store::MovedToServer::decl(),
        crate::store::TableRows::decl(),
        InputLimits::decl(),
        crate::domain::template_edit::StageRemoval::decl(),
        crate::domain::template_edit::EditorChoices::decl(),
        ExportFormat::decl(),
        CallSheetFormat::decl(),
        DemoSummary::decl(),
        MinuteRange::decl(),
        Weeks::decl(),
        WeekdayHours::decl(),
        ClosedDay::decl(),
        ClinicSettings::decl(),
        Channel::decl(),
        Patient::decl(),
        PatientInput::decl(),
        PatientListItem::decl(),
        PatientPage::decl(),
        Role::decl(),
        Staff::decl(),
        Provider::decl(),
        Room::decl(),
        StaffInput::decl(),
        RoomInput::decl(),
        ProviderInput::decl(),
        BlockedPeriod::decl(),
        Phase::decl(),
        Lane::decl(),
        StandardBasis::decl(),
        BlueprintCell::decl(),
        Stage::decl(),
        JourneyTemplate::decl(),
        ServiceType::decl(),
        ServiceInput::decl(),
        StageEventKind::decl(),
        StageEvent::decl(),
        PatientJourney::decl(),
        crate::domain::overlay::StageTaskCounts::decl(),
        crate::domain::overlay::StageFigures::decl(),
        crate::domain::overlay::BlueprintOverlay::decl(),
        crate::domain::blueprint_svg::DutyFilter::decl(),
        crate::domain::blueprint_svg::BlueprintLabels::decl(),
        crate::domain::template_edit::TemplateDraft::decl(),
        crate::store::TemplateVersion::decl(),
        crate::store::Blueprint::decl(),
        crate::store::DrawingRequest::decl(),
        crate::store::Drawing::decl(),
        crate::store::Duty::decl(),
        crate::store::RoleDuties::decl(),
        AppointmentStatus::decl(),
        Appointment::decl(),
        BookingRequest::decl(),
        RescheduleRequest::decl(),
        SeriesRequest::decl(),
        AppointmentListItem::decl(),
        ScheduleSpan::decl(),
        ScheduleBy::decl(),
        ScheduleQuery::decl(),
        ScheduleView::decl(),
        ScheduleColumn::decl(),
        ScheduleEntry::decl(),
        PartOfDay::decl(),
        SlotQuery::decl(),
        FreeSlot::decl(),
        WaitlistStatus::decl(),
        NewWaitlistEntry::decl(),
        WaitlistEntry::decl(),
        FreedSlot::decl(),
        CancelOutcome::decl(),
        FlowColumn::decl(),
        FlowCard::decl(),
        FlowColumnSummary::decl(),
        FlowBoard::decl(),
        StageState::decl(),
        TimelineStage::decl(),
        TimelineEvent::decl(),
        TimelineAppointment::decl(),
        JourneyTimeline::decl(),
        JourneySummary::decl(),
        Anchor::decl(),
        OffsetUnit::decl(),
        TaskKind::decl(),
        ReminderRule::decl(),
        TaskStatus::decl(),
        TaskPurpose::decl(),
        TaskOutcome::decl(),
        Task::decl(),
        CallSection::decl(),
        CallListQuery::decl(),
        CallListRow::decl(),
        CallList::decl(),
        OutcomeRequest::decl(),
        OutcomeResult::decl(),
        PlanSummary::decl(),
        // Service quality: surveys, standards, insights, the queue simulation.
        crate::domain::survey::SurveySource::decl(),
        crate::domain::survey::ServqualAnswer::decl(),
        crate::domain::survey::SurveyAnswers::decl(),
        crate::domain::survey::Dimension::decl(),
        crate::domain::survey::Measured::decl(),
        crate::domain::survey::Nps::decl(),
        crate::domain::survey::DimensionGap::decl(),
        crate::domain::survey::Servqual::decl(),
        crate::domain::survey::KanoAnswer::decl(),
        crate::domain::survey::KanoCategory::decl(),
        crate::domain::survey::KanoResult::decl(),
        crate::store::KanoFeature::decl(),
        crate::store::KanoInput::decl(),
        crate::store::SurveyInput::decl(),
        crate::store::SurveyRecorded::decl(),
        crate::store::KioskSurvey::decl(),
        crate::domain::standards::StandardKind::decl(),
        crate::domain::standards::Measure::decl(),
        crate::domain::standards::AuditKind::decl(),
        crate::domain::standards::StandardInput::decl(),
        crate::domain::standards::StandardEdit::decl(),
        crate::domain::standards::Standard::decl(),
        crate::domain::standards::Compliance::decl(),
        crate::store::AuditCheck::decl(),
        crate::store::AuditInput::decl(),
        crate::store::AuditVisit::decl(),
        crate::store::StageChoice::decl(),
        crate::store::StandardsSetup::decl(),
        crate::store::InsightsQuery::decl(),
        crate::store::Rates::decl(),
        crate::store::StageInsight::decl(),
        crate::store::StandardCompliance::decl(),
        crate::store::NpsMonth::decl(),
        crate::store::KanoFeatureResult::decl(),
        crate::store::Insights::decl(),
        crate::insights_csv::InsightsTable::decl(),
        crate::domain::simulation::Estimate::decl(),
        crate::domain::day_forecast::PlanChange::decl(),
        crate::domain::day_forecast::Scenario::decl(),
        crate::domain::day_forecast::StageForecast::decl(),
        crate::domain::day_forecast::PoolForecast::decl(),
        crate::domain::day_forecast::Bottleneck::decl(),
        crate::domain::day_forecast::DayForecast::decl(),
        crate::store::StageTiming::decl(),
        crate::store::DayForecasts::decl(),
        // Backups and restore.
        crate::domain::backups::BackupReason::decl(),
        crate::domain::backups::BackupPlan::decl(),
        crate::store::BackupMade::decl(),
        crate::store::BackupFile::decl(),
        crate::store::BackupFailure::decl(),
        crate::store::BackupStatus::decl(),
        crate::store::RecordsFormat::decl(),
        crate::store::ExportScope::decl(),
        crate::store::ExportRequest::decl(),
        crate::store::CalendarFeed::decl(),
        crate::store::ExportSaved::decl(),
        crate::interchange::import::ImportProgress::decl(),
        crate::store::ImportFormat::decl(),
        crate::store::ImportRequest::decl(),
        crate::interchange::ics::PatientDetail::decl(),
        crate::interchange::import::ImportKind::decl(),
        crate::interchange::import::DuplicateChoice::decl(),
        crate::interchange::import::DuplicateReason::decl(),
        crate::interchange::import::RowProblem::decl(),
        crate::interchange::import::DuplicateRow::decl(),
        crate::interchange::import::SampleRow::decl(),
        crate::interchange::import::ImportReport::decl(),
        crate::interchange::text_file::Separator::decl(),
        crate::interchange::csv_in::MappingProposal::decl(),
        crate::store::BackupPreview::decl(),
        crate::store::Restored::decl(),
        // Sign-in, roles and the audit log.
        crate::domain::access::Work::decl(),
        crate::domain::access::SignedIn::decl(),
        crate::store::SignInState::decl(),
        crate::store::StaffToSignIn::decl(),
        crate::store::AuditLogQuery::decl(),
        crate::store::AuditLogEntry::decl(),
        crate::store::FieldChange::decl(),
        crate::store::encryption::EncryptionChange::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by clinic-journey-core (src/bindings.rs). Do not edit:\n\
         // run `make bindings` after changing a type that crosses to the UI.\n\n",
    );
    for declaration in declarations {
        out.push_str("export ");
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    // One of each refusal, so the UI's tests can check every language words every reason.
    let examples = serde_json::to_string_pretty(&crate::refusal::Refusal::examples()).expect("refusals serialise");
    out.push_str(&format!("export const REFUSAL_EXAMPLES: Refusal[] = {examples};\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_bindings_are_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        let fresh = typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("write bindings");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == fresh, "{} is stale: run `make bindings` and commit it", path.display());
    }
}
