//! Every reason the core refuses a request, as one closed enum with typed fields. The window
//! translates each variant with its fields (`ui/src/lib/i18n`, checked against
//! `REFUSAL_EXAMPLES` in the bindings); the English text here is what the CLI prints.
//!
//! Field values are the facts of the case (names, local times "09:00–09:30", ISO dates,
//! the domain's snake_case codes), never sentences, so every language can word them itself.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(
    Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, strum::EnumIter, strum::IntoStaticStr,
)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Refusal {
    // Form fields.
    #[error("{what} is required")]
    Required { what: String },
    #[error("{what} is too long: {length} characters, at most {max}")]
    TooLong { what: String, max: u32, length: u32 },
    #[error("{what} “{value}” contains digits")]
    HasDigits { what: String, value: String },
    #[error("“{value}” is not a real date in the form YYYY-MM-DD")]
    BadDate { value: String },
    #[error("Birth date {value} is in the future")]
    FutureDate { value: String },
    #[error("Birth date {value} is before 1900")]
    #[serde(rename = "before_1900")]
    #[strum(serialize = "before_1900")]
    Before1900 { value: String },
    #[error("{value} is outside the years {first}–{last}")]
    DateRange { value: String, first: i32, last: i32 },
    #[error("Phone “{value}” is not valid: “{character}” is not allowed, use digits, spaces, dashes or brackets")]
    PhoneCharacter { value: String, character: String },
    #[error("Phone “{value}” is not valid: it has {digits} digits, a phone number has 7 to 15")]
    PhoneLength { value: String, digits: u32 },
    #[error("Email “{value}” is not valid: it should look like name@example.com")]
    BadEmail { value: String },
    #[error("The email address contains a control character (a tab, a line break or similar)")]
    EmailControl,
    #[error("Email is the preferred channel, so an email address is needed")]
    EmailNeeded,
    #[error("Unknown contact channel “{value}”")]
    UnknownChannel { value: String },
    #[error("Unknown language “{value}”")]
    UnknownLanguage { value: String },
    #[error("“{value}” is not a known IANA time zone (e.g. Europe/Riga)")]
    UnknownTimeZone { value: String },
    #[error("“{value}” is not a time like 09:30")]
    BadTime { value: String },
    #[error("“{value}” is not a start like 2026-12-01T10:00")]
    BadStart { value: String },
    #[error("Working hours {value} on weekday {weekday} are not a valid span")]
    BadHours { value: String, weekday: u32 },
    #[error("“{value}” is not a day of the week: use mon, tue, wed, thu, fri, sat or sun")]
    UnknownWeekday { value: String },
    #[error("“{value}” is not weekly hours like “mon-fri 08:00-16:00, sat 09:00-13:00”")]
    BadWeeklyHours { value: String },
    #[error("On {}, {first} and {second} overlap", weekday_name(*weekday))]
    HoursOverlap { weekday: u32, first: String, second: String },
    #[error("{resource}'s hours {hours} on {} are outside the clinic's ({})", weekday_name(*weekday), clinic_hours(clinic))]
    OutsideClinicHours { resource: String, weekday: u32, hours: String, clinic: String },
    #[error("The clinic's hours on {} repeat every week: alternating weeks are for providers and rooms", weekday_name(*weekday))]
    ClinicHoursEveryWeek { weekday: u32 },
    #[error("“{value}” is not a colour like #2a9d8f")]
    BadColor { value: String },
    #[error("There is already one called “{value}”")]
    Duplicate { value: String },
    #[error("{what} {value} is out of range: {min} to {max}")]
    OutOfRange { what: String, value: u32, min: u32, max: u32 },
    #[error("{what} must be a number above 0, not {value}")]
    NotPositive { what: String, value: String },

    // Surveys.
    #[error("A survey is about a visit that took place; this one is {status}")]
    NoVisitToRate { status: String },
    #[error("This visit's survey has been answered already")]
    AlreadyAnswered,
    #[error("A measured standard is checked against the event log and tasks, not in an audit")]
    MeasuredNotAudited,
    #[error("The chart image is not a PNG picture")]
    NotAPng,

    // The kiosk.
    #[error("A kiosk PIN is 4 to 8 digits")]
    BadPin,
    #[error("That PIN is not the one set for this kiosk ({left} tries left)")]
    WrongPin { left: u32 },
    #[error("Too many wrong PINs: try again in {seconds} seconds")]
    TooManyTries { seconds: u32 },
    #[error("The kiosk is not showing a survey")]
    NoKiosk,
    #[error("The dimension weights must give each of the five dimensions its points, 100 in all, not {total}")]
    WeightsNot100 { total: u32 },

    // Queues.
    #[error("The servers cannot keep up: utilisation ρ = λ/(cμ) is {utilisation}, it must be below 1")]
    QueueUnstable { utilisation: String },

    // Periods.
    #[error("The period ends before it starts")]
    PeriodReversed,
    #[error("{first} to {last} is too long: search at most {max} days at a time")]
    PeriodTooLong { first: String, last: String, max: u32 },
    #[error("The period has already ended")]
    PeriodOver,
    #[error("“{journey}” is still followed by {services}: set those services to another journey first")]
    JourneyInUse { journey: String, services: String },
    #[error("The journey “{journey}” is retired: choose another one or bring it back first")]
    JourneyRetired { journey: String },
    #[error("A blocked period is for one provider, one room or the whole clinic, not both")]
    ProviderOrRoom,
    #[error("A blocked period lasts at most {max} days: enter a longer absence in parts")]
    BlockTooLong { max: u32 },
    #[error("The period must end after it starts ({from} to {to})")]
    EmptyPeriod { from: String, to: String },

    // Booking: the clinic's calendar and who is free.
    #[error("{} {time} has already passed", day(date))]
    Past { date: String, time: String },
    #[error("The clinic is closed on {} ({note})", day(date))]
    ClosedDay { date: String, note: String },
    #[error("The clinic is closed on {}s", weekday(date))]
    ClosedWeekday { date: String },
    #[error("{time} is outside the clinic's working hours on {} ({hours})", day(date))]
    ClinicHours { time: String, date: String, hours: String },
    #[error("{resource} is not available {time} on {} ({hours})", day(date))]
    ResourceHours { resource: String, time: String, date: String, hours: String },
    #[error("{resource} is not available {time} on {} (not working that day)", day(date))]
    ResourceDayOff { resource: String, time: String, date: String },
    #[error("{resource} is not available until {until} ({note})")]
    Blocked { resource: String, until: String, note: String },
    #[error("The whole clinic is blocked until {until} ({note})")]
    ClinicBlocked { until: String, note: String },
    #[error("{resource} already has {patient} {time}")]
    ProviderBusy { resource: String, patient: String, time: String },
    #[error("{resource} is taken {time} by {patient} with {provider}")]
    RoomBusy { resource: String, patient: String, provider: String, time: String },
    #[error("{patient} already has an appointment {time} with {provider}")]
    PatientBusy { patient: String, provider: String, time: String },
    #[error("{time} on {date} does not exist in {zone}: the clocks change that night; choose another time")]
    DstGap { time: String, date: String, zone: String },
    #[error("Ask for 1 to {max} slots")]
    CountRange { max: u32 },
    #[error("The clinic has no rooms yet")]
    NoRooms,

    // Appointments and series. `action` is an `AppointmentAction` code, or "move_on_board".
    #[error("{patient}'s appointment is {}; it can no longer {}", status_words(status), action_words(action))]
    Status { patient: String, status: String, action: String },
    #[error("{patient}'s appointment has not started yet; a no-show is marked from its start on")]
    NotStarted { patient: String },
    #[error("Say why the appointment is cancelled")]
    CancelReasonRequired,
    #[error("“{value}” is not a recurrence rule like FREQ=WEEKLY;COUNT=8 ({why})")]
    BadRrule { value: String, why: String },
    #[error("A series needs an end: a number of visits (COUNT) or a last date (UNTIL)")]
    RruleEndless,
    #[error("A series may have at most {max} visits")]
    RruleTooLong { max: u32 },
    #[error("{patient} is no longer waiting")]
    NotWaiting { patient: String },

    // The flow board.
    #[error("{patient}'s visit is on {}; only today's patients move on the flow board", day(date))]
    NotToday { patient: String, date: String },
    #[error("“{template}” has no stage for this column")]
    NoStageForColumn { template: String },
    #[error("“{template}” has no visit stages to move through")]
    NoVisitStagesToMove { template: String },

    // Tasks and the call list.
    #[error("This task is already closed ({status})")]
    TaskClosed { status: String },
    #[error("“{outcome}” is not an outcome of a {kind} task")]
    OutcomeNotAllowed { outcome: String, kind: String },
    #[error("There is no upcoming visit to confirm (the appointment is {status})")]
    NothingToConfirm { status: String },
    #[error("The room “{room}” is no longer in use; choose another home room")]
    RoomInactive { room: String },
    #[error("That staff member is no longer active")]
    Inactive,

    // The blueprint editor.
    #[error("The template needs a name")]
    TemplateNameRequired,
    #[error("The template's name is longer than {max} characters")]
    TemplateNameTooLong { max: u32 },
    #[error("Stage {position} needs a name")]
    StageNameRequired { position: u32 },
    #[error("Stage {position}'s name is longer than {max} characters")]
    StageNameTooLong { position: u32, max: u32 },
    #[error("“{stage}”: every step needs a text")]
    StepTextRequired { stage: String },
    #[error("“{stage}”: a step's text is longer than {max} characters")]
    StepTextTooLong { stage: String, max: u32 },
    #[error("“{stage}”: every reminder rule needs a name")]
    RuleNameRequired { stage: String },
    #[error("“{stage}”: a rule's name is longer than {max} characters")]
    RuleNameTooLong { stage: String, max: u32 },
    #[error("A blueprint needs at least one stage")]
    NoStages,
    #[error("A blueprint needs at least one visit stage: the flow board moves patients through them")]
    NoVisitStage,
    #[error("“{stage}” is a {phase} stage and cannot come after “{before}”")]
    PhaseOrder { stage: String, before: String, phase: String },
    #[error("“{stage}”: a standard time above a year is not plausible")]
    StandardRange { stage: String },
    #[error("“{stage}”: “{step}”: a standard time above a year is not plausible")]
    StepStandardRange { stage: String, step: String },
    #[error("“{stage}”: “{step}”: only staff duties have an owner role")]
    RoleOnPatientStep { stage: String, step: String },
    #[error("The rule “{rule}” belongs to no stage of this blueprint")]
    RuleWithoutStage { rule: String },
    #[error("“{rule}”: tries must be 1 to 10")]
    AttemptsRange { rule: String },
    #[error("“{rule}”: a retry comes 5 minutes to 7 days after a try")]
    RetryRange { rule: String },
    #[error("“{rule}”: a task cannot fall due before {anchor} happens")]
    BeforeEvent { rule: String, anchor: String },
    #[error("“{rule}”: at most {max} {unit} before or after")]
    OffsetRange { rule: String, max: u32, unit: String },
    #[error("“{rule}”: the time of day must be before midnight")]
    AtTimeRange { rule: String },
    #[error("“{rule}”: a time of day goes with an offset in days or months")]
    AtTimeUnit { rule: String },
    #[error("“{rule}” counts from a stage that is not in this blueprint")]
    AnchorStageMissing { rule: String },
    #[error("Version {version} was edited meanwhile; reload the blueprint to edit the newest version")]
    StaleVersion { version: u32 },
    #[error("--from and --to choose the overlay's period: add --overlay")]
    NeedsOverlay,

    // Files and the demo.
    #[error("{value} already exists; choose another name (or --force to replace it)")]
    FileExists { value: String },
    #[error("{folder} already holds 100 files named {name}")]
    TooManyFiles { folder: String, name: String },
    #[error("No Downloads folder to save into ({detail})")]
    NoFolder { detail: String },
    #[error("The PDF could not be made: {detail}")]
    PdfFailed { detail: String },
    #[error("The clinic is already closed on {}", day(date))]
    AlreadyClosed { date: String },
    #[error("The file could not be read: {detail}")]
    UnreadableFile { detail: String },
    #[error("Line {line}: “{value}” is not a date like 2026-12-25")]
    BadDateLine { line: u32, value: String },
    #[error("The file holds no closed days")]
    NoClosedDays,
    #[error("“{event}” from {date} lasts {days} days or more: one event closes the clinic for less than that")]
    EventTooLong { event: String, days: u32, date: String },
    #[error("“{value}” is not a full folder path (like /media/usb/backups or D:\\Backups)")]
    RelativeFolder { value: String },
    #[error("{value} is not a Clinic Journey backup")]
    NotABackup { value: String },
    #[error("{value} is damaged and cannot be restored: {detail}")]
    DamagedBackup { value: String, detail: String },
    #[error("{value} is the clinic's own database, not a copy of it")]
    RestoreOfItself { value: String },
    #[error("{value} was made under another passphrase than the clinic's: give that passphrase to restore it")]
    BackupOtherPassphrase { value: String },
    #[error("That passphrase does not open {value}")]
    BackupPassphraseWrong { value: String },

    // Imports (CSV, FHIR): each is a problem of one value of one row, or of the whole file.
    #[error("The file has no rows to import")]
    NoRowsToImport,
    #[error("“{value}” is not a field the import knows")]
    UnknownField { value: String },
    #[error("The file has no column “{value}”")]
    NoSuchColumn { value: String },
    #[error("No column of the file is chosen for {}", field.replace('_', " "))]
    FieldNotMapped { field: String },
    #[error("“{value}” is neither yes nor no")]
    NotYesOrNo { value: String },
    #[error("“{value}” is not a date and time like 2026-12-03 10:00")]
    BadDateTime { value: String },
    #[error("“{value}” is not an appointment status")]
    UnknownStatus { value: String },
    #[error("This is not a FHIR JSON or NDJSON file: {detail}")]
    NotFhir { detail: String },
    #[error("No provider “{value}” in the clinic (add them in Settings › Providers first)")]
    UnknownProvider { value: String },
    #[error("No room “{value}” in the clinic")]
    UnknownRoom { value: String },
    #[error("No service “{value}” in the clinic")]
    UnknownService { value: String },
    #[error("No patient “{value}” in the clinic or in the file")]
    UnknownPatient { value: String },
    #[error("{count} patients match “{value}”: give the birth date or phone to tell them apart")]
    AmbiguousPatient { value: String, count: u32 },
    #[error("The visit ends ({value}) before it starts")]
    EndBeforeStart { value: String },
    #[error("Line {line} has the same record (“{value}”) already")]
    SameRowTwice { value: String, line: u32 },
    #[error("At {value} it overlaps the visit on line {line} (same provider, room or patient)")]
    OverlapsLine { value: String, line: u32 },
    #[error("At {value} it overlaps {patient}'s visit already booked (same provider, room or patient)")]
    OverlapsVisit { value: String, patient: String },
    #[error("The clinic has this visit already, at another time or with another status (the visit is changed in the schedule, not by an import)")]
    VisitDiffers { value: String },
    #[error("The line has {count} values where the header has {expected} (a separator inside a value that is not in quotes?)")]
    RowWidth { count: u32, expected: u32 },
    #[error("The import was cancelled: nothing was imported")]
    ImportCancelled,
    #[error("Choose the file again: the one chosen before is no longer here")]
    NoFileChosen,
    #[error("A calendar file kept current is of the whole clinic, a provider or a room")]
    FeedScope,

    // Sign-in and roles.
    #[error("Sign in first: the clinic's data is shown to signed-in staff only")]
    SignInNeeded,
    #[error("Your role ({}) may not do this ({}): ask an administrator", role.replace('_', " "), work.replace('_', " "))]
    RoleMayNot { role: String, work: String },
    #[error("A PIN or password needs at least {min} characters")]
    PinTooShort { min: u32 },
    #[error("A PIN or password cannot hold a control character (a tab, a line break or similar)")]
    PinControl,
    #[error("That PIN is not {name}'s ({left} tries left before sign-in waits)")]
    WrongSignInPin { name: String, left: u32 },
    #[error("{name} has no PIN yet: an administrator sets one in Settings › Staff")]
    NoPinYet { name: String },
    #[error("{name} is no longer active here")]
    StaffInactive { name: String },
    #[error("The first PIN goes to an administrator, so that someone can manage sign-in")]
    FirstPinForAdmin,
    #[error("{name} is the last administrator with a PIN: give another administrator one first")]
    LastAdminPin { name: String },
    #[error("A clinician sees the patients booked with them; this patient is not")]
    NotYourPatient,

    // Encryption.
    #[error("The clinic's data is encrypted: enter its passphrase")]
    PassphraseNeeded,
    #[error("That passphrase does not open the clinic's data")]
    WrongPassphrase,
    #[error("A passphrase needs at least {min} characters")]
    PassphraseTooShort { min: u32 },
    #[error("A passphrase cannot hold a control character (a tab, a line break or similar)")]
    PassphraseControl,
    #[error("The two new passphrases differ")]
    PassphrasesDiffer,
    #[error("The clinic's data is being encrypted anew: try again in a moment")]
    EncryptionChanging,
    #[error("The clinic's data is open in the window or another command: close it first")]
    DatabaseInUse,
    #[error("The clinic's data is not encrypted")]
    NotEncrypted,
    #[error("The clinic's data is encrypted already: change its passphrase instead")]
    AlreadyEncrypted,
    #[error("The demo clinic can only be loaded into an empty database; this one already has providers or patients")]
    NotEmpty,

    // The clinic server.
    #[error("“{value}” is not a clinic server address like postgres://desk1@192.168.1.10:5432/clinic: {detail}")]
    NotAServerAddress { value: String, detail: String },
    #[error("The clinic server {server} does not answer ({detail}): check that its PC is on and the address and port are right")]
    ServerUnreachable { server: String, detail: String },
    #[error("The clinic server {server} refused the desk role “{role}”: check its name and password")]
    ServerSignInRefused { server: String, role: String },
    #[error("The clinic server {server} does not let the role “{role}” into this clinic's database")]
    RoleNotOfThisClinic { server: String, role: String },
    #[error("The clinic server {server} has no database “{database}”")]
    NoServerDatabase { server: String, database: String },
    #[error("The clinic server {server} does not offer an encrypted link (TLS): turn on ssl in its postgresql.conf")]
    ServerWithoutTls { server: String },
    #[error("The clinic server {server} runs PostgreSQL {version}; the clinic needs 15 or newer")]
    ServerTooOld { server: String, version: String },
    #[error(
        "The clinic server {server} holds a clinic already (“{clinic}”): a clinic moves only into an empty database"
    )]
    ServerHoldsAClinic { server: String, clinic: String },
    #[error("The server took {found} rows of {table} where this desk has {expected}: nothing was moved")]
    ServerRowsDiffer {
        table: String,
        #[ts(type = "number")]
        expected: u64,
        #[ts(type = "number")]
        found: u64,
    },
    #[error("Another desk has just booked this {resource} at that time: choose another time")]
    BookedMeanwhile { resource: String },
    #[error("The server role {role} may not set up desks: connect as the role that owns the clinic's database (with CREATEROLE)")]
    NotServerOwner { role: String },
    #[error("“{value}” is not a desk name: up to {max} lower-case letters, digits and dashes, like reception-2")]
    BadDeskName { value: String, max: u32 },
    #[error("A desk called “{name}” exists already")]
    DeskExists { name: String },
    #[error("No desk is called “{name}”")]
    NoSuchDesk { name: String },
    #[error(
        "This PC has no {program} for PostgreSQL {server} or newer (found: {found}): install the PostgreSQL client programs of the server's version"
    )]
    NoPgDump { program: String, server: String, found: String },
    #[error("The backup of the clinic server failed ({detail}): nothing was kept")]
    ServerBackupFailed { detail: String },
    #[error("The clinic server {server} holds no clinic yet: move a desk's clinic onto it first (clinic-journey server move)")]
    NoClinicOnServer { server: String },
    #[error("This part of the app does not work on the clinic server yet: use it on a desk's own file for now")]
    NotOnServerYet,
    #[error("No connection to the clinic server {server} since {since}: changes are paused until it answers again")]
    ServerCutOff {
        server: String,
        #[ts(type = "string")]
        since: chrono::DateTime<chrono::Utc>,
    },
}

impl Refusal {
    /// The stable name the window translates it by (`serde`'s tag).
    pub fn reason(&self) -> &'static str {
        self.into()
    }

    /// The broad kind of refusal, which the CLI's JSON and the tests report.
    pub fn kind(&self) -> &'static str {
        use Refusal::*;
        match self {
            ClosedDay { .. } | ClosedWeekday { .. } => "closed_day",
            ClinicHours { .. } | ResourceHours { .. } | ResourceDayOff { .. } => "outside_hours",
            Blocked { .. } | ProviderBusy { .. } | RoomBusy { .. } | PatientBusy { .. } | BookedMeanwhile { .. } => {
                "slot_taken"
            }
            _ => "invalid",
        }
    }

    /// One of each variant (fields at their defaults), for the test that every language has
    /// a message for every reason.
    pub fn examples() -> Vec<Refusal> {
        <Refusal as strum::IntoEnumIterator>::iter().collect()
    }
}

/// "Tue 01 Dec 2026" for an ISO date in an English message.
pub(crate) fn day(iso: &str) -> String {
    iso.parse::<chrono::NaiveDate>().map_or_else(|_| iso.to_string(), |d| d.format("%a %d %b %Y").to_string())
}

/// "Tuesday" for a weekday number (1 = Monday … 7 = Sunday).
fn weekday_name(weekday: u32) -> &'static str {
    const NAMES: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    weekday.checked_sub(1).and_then(|i| NAMES.get(i as usize)).copied().unwrap_or("that day")
}

/// The clinic's hours of a day as the message shows them: "closed that day" when it has none.
fn clinic_hours(hours: &str) -> &str {
    if hours.is_empty() {
        "closed that day"
    } else {
        hours
    }
}

/// "Tuesday" for an ISO date.
fn weekday(iso: &str) -> String {
    iso.parse::<chrono::NaiveDate>().map_or_else(|_| iso.to_string(), |d| d.format("%A").to_string())
}

/// How the English message names an appointment status code.
fn status_words(status: &str) -> &'static str {
    match status {
        "proposed" => "only proposed",
        "booked" => "booked",
        "confirmed" => "confirmed",
        "arrived" => "under way (the patient has arrived)",
        "in_progress" => "under way",
        "fulfilled" => "already done",
        "cancelled" => "cancelled",
        "noshow" => "marked a no-show",
        "waitlist" => "on the waitlist",
        _ => "in another state",
    }
}

/// "be moved", "be cancelled", "be marked a no-show" for the domain's action codes.
fn action_words(action: &str) -> &'static str {
    match action {
        "reschedule" => "be moved",
        "cancel" => "be cancelled",
        "no_show" => "be marked a no-show",
        "move_on_board" => "move on the flow board",
        _ => "be changed this way",
    }
}

/// Which visit of a series a refusal is about: the window says "Visit 3 of 8 (Tue 12 Jan)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Occurrence {
    pub number: u32,
    pub of: u32,
    pub date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_is_its_serde_tag_and_unique() {
        let examples = Refusal::examples();
        let mut reasons: Vec<&str> = examples.iter().map(Refusal::reason).collect();
        for example in &examples {
            let json = serde_json::to_value(example).unwrap();
            assert_eq!(json["reason"], example.reason());
        }
        let count = reasons.len();
        reasons.sort();
        reasons.dedup();
        assert_eq!(reasons.len(), count);
    }

    #[test]
    fn english_messages_carry_the_fields() {
        let refusal = Refusal::TooLong { what: "The notes".into(), max: 1000, length: 1003 };
        assert_eq!(refusal.to_string(), "The notes is too long: 1003 characters, at most 1000");
        let status =
            Refusal::Status { patient: "Anna Bērziņa".into(), status: "arrived".into(), action: "no_show".into() };
        assert_eq!(
            status.to_string(),
            "Anna Bērziņa's appointment is under way (the patient has arrived); it can no longer be marked a no-show"
        );
        assert_eq!(
            Refusal::ProviderBusy { resource: "Dr Ozola".into(), patient: "A".into(), time: "09:00–09:30".into() }
                .kind(),
            "slot_taken"
        );
    }
}
