// Generated from the Rust types by clinic-journey-core (src/bindings.rs). Do not edit:
// run `make bindings` after changing a type that crosses to the UI.

export type Refusal = { "reason": "required", what: string, } | { "reason": "too_long", what: string, max: number, length: number, } | { "reason": "has_digits", what: string, value: string, } | { "reason": "bad_date", value: string, } | { "reason": "future_date", value: string, } | { "reason": "before_1900", value: string, } | { "reason": "date_range", value: string, first: number, last: number, } | { "reason": "phone_character", value: string, character: string, } | { "reason": "phone_length", value: string, digits: number, } | { "reason": "bad_email", value: string, } | { "reason": "email_control" } | { "reason": "email_needed" } | { "reason": "unknown_channel", value: string, } | { "reason": "unknown_language", value: string, } | { "reason": "unknown_time_zone", value: string, } | { "reason": "bad_time", value: string, } | { "reason": "bad_start", value: string, } | { "reason": "bad_hours", value: string, weekday: number, } | { "reason": "unknown_weekday", value: string, } | { "reason": "bad_weekly_hours", value: string, } | { "reason": "hours_overlap", weekday: number, first: string, second: string, } | { "reason": "outside_clinic_hours", resource: string, weekday: number, hours: string, clinic: string, } | { "reason": "clinic_hours_every_week", weekday: number, } | { "reason": "bad_color", value: string, } | { "reason": "duplicate", value: string, } | { "reason": "out_of_range", what: string, value: number, min: number, max: number, } | { "reason": "not_positive", what: string, value: string, } | { "reason": "no_visit_to_rate", status: string, } | { "reason": "already_answered" } | { "reason": "measured_not_audited" } | { "reason": "not_a_png" } | { "reason": "bad_pin" } | { "reason": "wrong_pin", left: number, } | { "reason": "too_many_tries", seconds: number, } | { "reason": "no_kiosk" } | { "reason": "weights_not100", total: number, } | { "reason": "queue_unstable", utilisation: string, } | { "reason": "period_reversed" } | { "reason": "period_too_long", first: string, last: string, max: number, } | { "reason": "period_over" } | { "reason": "journey_in_use", journey: string, services: string, } | { "reason": "journey_retired", journey: string, } | { "reason": "provider_or_room" } | { "reason": "block_too_long", max: number, } | { "reason": "empty_period", from: string, to: string, } | { "reason": "past", date: string, time: string, } | { "reason": "closed_day", date: string, note: string, } | { "reason": "closed_weekday", date: string, } | { "reason": "clinic_hours", time: string, date: string, hours: string, } | { "reason": "resource_hours", resource: string, time: string, date: string, hours: string, } | { "reason": "resource_day_off", resource: string, time: string, date: string, } | { "reason": "blocked", resource: string, until: string, note: string, } | { "reason": "clinic_blocked", until: string, note: string, } | { "reason": "provider_busy", resource: string, patient: string, time: string, } | { "reason": "room_busy", resource: string, patient: string, provider: string, time: string, } | { "reason": "patient_busy", patient: string, provider: string, time: string, } | { "reason": "dst_gap", time: string, date: string, zone: string, } | { "reason": "count_range", max: number, } | { "reason": "no_rooms" } | { "reason": "status", patient: string, status: string, action: string, } | { "reason": "not_started", patient: string, } | { "reason": "cancel_reason_required" } | { "reason": "bad_rrule", value: string, why: string, } | { "reason": "rrule_endless" } | { "reason": "rrule_too_long", max: number, } | { "reason": "not_waiting", patient: string, } | { "reason": "not_today", patient: string, date: string, } | { "reason": "no_stage_for_column", template: string, } | { "reason": "no_visit_stages_to_move", template: string, } | { "reason": "task_closed", status: string, } | { "reason": "outcome_not_allowed", outcome: string, kind: string, } | { "reason": "nothing_to_confirm", status: string, } | { "reason": "room_inactive", room: string, } | { "reason": "inactive" } | { "reason": "template_name_required" } | { "reason": "template_name_too_long", max: number, } | { "reason": "stage_name_required", position: number, } | { "reason": "stage_name_too_long", position: number, max: number, } | { "reason": "step_text_required", stage: string, } | { "reason": "step_text_too_long", stage: string, max: number, } | { "reason": "rule_name_required", stage: string, } | { "reason": "rule_name_too_long", stage: string, max: number, } | { "reason": "no_stages" } | { "reason": "no_visit_stage" } | { "reason": "phase_order", stage: string, before: string, phase: string, } | { "reason": "standard_range", stage: string, } | { "reason": "step_standard_range", stage: string, step: string, } | { "reason": "role_on_patient_step", stage: string, step: string, } | { "reason": "rule_without_stage", rule: string, } | { "reason": "attempts_range", rule: string, } | { "reason": "retry_range", rule: string, } | { "reason": "before_event", rule: string, anchor: string, } | { "reason": "offset_range", rule: string, max: number, unit: string, } | { "reason": "at_time_range", rule: string, } | { "reason": "at_time_unit", rule: string, } | { "reason": "anchor_stage_missing", rule: string, } | { "reason": "stale_version", version: number, } | { "reason": "needs_overlay" } | { "reason": "file_exists", value: string, } | { "reason": "too_many_files", folder: string, name: string, } | { "reason": "no_folder", detail: string, } | { "reason": "pdf_failed", detail: string, } | { "reason": "already_closed", date: string, } | { "reason": "unreadable_file", detail: string, } | { "reason": "bad_date_line", line: number, value: string, } | { "reason": "no_closed_days" } | { "reason": "event_too_long", event: string, days: number, date: string, } | { "reason": "relative_folder", value: string, } | { "reason": "not_a_backup", value: string, } | { "reason": "damaged_backup", value: string, detail: string, } | { "reason": "restore_of_itself", value: string, } | { "reason": "backup_other_passphrase", value: string, } | { "reason": "backup_passphrase_wrong", value: string, } | { "reason": "no_rows_to_import" } | { "reason": "unknown_field", value: string, } | { "reason": "no_such_column", value: string, } | { "reason": "field_not_mapped", field: string, } | { "reason": "not_yes_or_no", value: string, } | { "reason": "bad_date_time", value: string, } | { "reason": "unknown_status", value: string, } | { "reason": "not_fhir", detail: string, } | { "reason": "unknown_provider", value: string, } | { "reason": "unknown_room", value: string, } | { "reason": "unknown_service", value: string, } | { "reason": "unknown_patient", value: string, } | { "reason": "ambiguous_patient", value: string, count: number, } | { "reason": "end_before_start", value: string, } | { "reason": "same_row_twice", value: string, line: number, } | { "reason": "overlaps_line", value: string, line: number, } | { "reason": "overlaps_visit", value: string, patient: string, } | { "reason": "visit_differs", value: string, } | { "reason": "row_width", count: number, expected: number, } | { "reason": "import_cancelled" } | { "reason": "no_file_chosen" } | { "reason": "feed_scope" } | { "reason": "sign_in_needed" } | { "reason": "role_may_not", role: string, work: string, } | { "reason": "pin_too_short", min: number, } | { "reason": "pin_control" } | { "reason": "wrong_sign_in_pin", name: string, left: number, } | { "reason": "no_pin_yet", name: string, } | { "reason": "staff_inactive", name: string, } | { "reason": "first_pin_for_admin" } | { "reason": "last_admin_pin", name: string, } | { "reason": "not_your_patient" } | { "reason": "passphrase_needed" } | { "reason": "wrong_passphrase" } | { "reason": "passphrase_too_short", min: number, } | { "reason": "passphrase_control" } | { "reason": "passphrases_differ" } | { "reason": "encryption_changing" } | { "reason": "database_in_use" } | { "reason": "not_encrypted" } | { "reason": "already_encrypted" } | { "reason": "not_empty" } | { "reason": "not_a_server_address", value: string, detail: string, } | { "reason": "server_unreachable", server: string, detail: string, } | { "reason": "server_sign_in_refused", server: string, role: string, } | { "reason": "role_not_of_this_clinic", server: string, role: string, } | { "reason": "no_server_database", server: string, database: string, } | { "reason": "server_without_tls", server: string, } | { "reason": "server_too_old", server: string, version: string, } | { "reason": "server_holds_a_clinic", server: string, clinic: string, } | { "reason": "server_rows_differ", table: string, expected: number, found: number, } | { "reason": "booked_meanwhile", resource: string, } | { "reason": "not_server_owner", role: string, } | { "reason": "bad_desk_name", value: string, max: number, } | { "reason": "desk_exists", name: string, } | { "reason": "no_such_desk", name: string, } | { "reason": "no_pg_dump", program: string, server: string, found: string, } | { "reason": "server_backup_failed", detail: string, } | { "reason": "no_clinic_on_server", server: string, } | { "reason": "not_on_server_yet" } | { "reason": "server_cut_off", server: string, since: string, };

export type Occurrence = { number: number, of: number, date: string, };

export type ErrorBody = { kind: string, message: string, field: string | null, refusal: Refusal | null, occurrence: Occurrence | null, details: { [key in string]?: string }, };

export type Entity = "clinic_settings" | "staff" | "providers" | "rooms" | "blocked_periods" | "service_types" | "journey_templates" | "reminder_rules" | "patients" | "appointments" | "appointment_series" | "waitlist_entries" | "patient_journeys" | "stage_events" | "tasks" | "survey_responses" | "service_standards" | "backup_plan";

export type ChangeSource = "user" | "scheduler" | "import" | "demo" | "system" | "command_line" | "other_process" | "other_desk";

export type Change = { 
/**
 * What the write touched, e.g. ["appointments", "patient_journeys"].
 */
entities: Array<Entity>, source: ChangeSource, };

export type ClosedDaysAdded = { added: number, 
/**
 * Days the clinic had closed already (an import skips them).
 */
already_closed: number, booked: Array<BookedOnClosedDay>, };

export type BookedOnClosedDay = { appointment_id: string, starts_at: string, patient_name: string, provider_name: string, };

export type ClinicOverview = { settings: ClinicSettings, 
/**
 * No providers and no patients yet: the app offers the demo clinic.
 */
is_empty: boolean, 
/**
 * Today's date in the clinic's zone, and when it ends (screens move on then).
 */
today: string, day_ends_at: string, 
/**
 * The store's clock now: screens time their timers by it, not by the desk's own clock.
 */
now: string, schema_version: number, 
/**
 * Where the database file is (empty for an in-memory one, or on the clinic server).
 */
database_path: string, 
/**
 * The clinic server this desk works on (`desk@host:port/database`), if not on a file.
 */
clinic_server: string | null, 
/**
 * The longest text each kind of form field takes.
 */
limits: InputLimits, 
/**
 * The languages a patient or the clinic may be spoken to in, and the contact channels,
 * as the forms offer them.
 */
languages: Array<string>, channels: Array<Channel>, 
/**
 * The database is encrypted: exports say that their files are not.
 */
encrypted: boolean, };

export type SetupData = { settings: ClinicSettings, staff: Array<Staff>, providers: Array<Provider>, rooms: Array<Room>, services: Array<ServiceType>, 
/**
 * The journeys (the newest version of each); a retired one is shown only for a service
 * that still follows it.
 */
journeys: Array<JourneyChoice>, 
/**
 * The default journeys a new one may start from, in the clinic's content language.
 */
default_journeys: Array<JourneyChoice>, 
/**
 * The IANA zones a clinic may be in (by region, no legacy aliases), sorted.
 */
time_zones: Array<string>, roles: Array<Role>, 
/**
 * Which alternating week this one is, for "every other week, from this week".
 */
this_week: Weeks, };

export type JourneyChoice = { family_key: string, name: string, retired: boolean, };

export type MoveScope = { provider_id: string | null, room_id: string | null, };

export type VisitToMove = { appointment_id: string, starts_at: string, ends_at: string, patient_name: string, provider_name: string, 
/**
 * Why the visit could not be booked at its time today.
 */
refusal: Refusal, 
/**
 * The front desk already has a call to rebook it (`request_rebook_calls`).
 */
rebook_asked: boolean, };

export type RebookCalls = { 
/**
 * New call tasks on the call list.
 */
created: number, 
/**
 * Visits that already had an open call to rebook.
 */
already_asked: number, 
/**
 * Visits that no longer need moving (moved meanwhile, cancelled, or begun).
 */
not_needed: number, };

export type BlockInput = { provider_id: string | null, room_id: string | null, 
/**
 * "2026-12-01T08:00", in the clinic's zone.
 */
from: string, to: string, reason: string, };

export type BlockAdded = { period: BlockedPeriod, 
/**
 * The coming visits of that provider or room (or of everyone) inside the period (each with the first reason
 * it could not be booked now: the block, or hours changed before it).
 */
to_move: Array<VisitToMove>, };

export type JourneySource = { "from": "default", key: string, } | { "from": "copy", family_key: string, };

export type NewJourney = { name: string, source: JourneySource, };

export type JourneyRow = { family_key: string, name: string, 
/**
 * Its newest version.
 */
template_id: string, version: number, stages: number, rules: number, 
/**
 * The services that follow it (active or not), by name.
 */
services: Array<string>, 
/**
 * Patient journeys on any of its versions not yet complete.
 */
in_progress: number, retired: boolean, };

export type JourneyRules = { 
/**
 * Its newest version, whose stages the rules belong to.
 */
template: JourneyTemplate, rules: Array<ReminderRule>, 
/**
 * The services that follow it: the blueprint editor opens on one of them.
 */
services: Array<ServiceType>, };

export type AppointmentAction = "reschedule" | "cancel" | "no_show";

export type StartupProblem = { error: ErrorBody, database_path: string, 
/**
 * Where the log file that records it is.
 */
log_folder: string, };

export type ServerLink = { 
/**
 * `desk@host:port/database`.
 */
server: string, 
/**
 * Since when the server has not answered: the desk shows what it read before and makes
 * no changes until it answers again.
 */
cut_off_since: string | null, 
/**
 * When the desk last read from the server.
 */
last_read: string | null, };

export type ClinicServerPage = { 
/**
 * The server this desk works on (none: its own file).
 */
on_server: ServerForm | null, 
/**
 * Whether this desk may move its clinic onto a server: it works on its own file, has a
 * clinic there, and the person signed in sets the clinic up.
 */
may_move: boolean, };

export type ServerForm = { host: string, port: number, database: string, 
/**
 * The desk's role on the server.
 */
role: string, 
/**
 * Empty when it is not to change (a form filled from the saved choice).
 */
password: string, 
/**
 * The link left unencrypted (a server on this PC only, a test): not offered by default.
 */
without_tls: boolean, };

export type ServerCheck = { 
/**
 * `desk1@192.168.1.10:5432/clinic`
 */
server: string, 
/**
 * PostgreSQL's own version, e.g. "15.18".
 */
server_version: string, 
/**
 * The link is encrypted (TLS), and with which protocol.
 */
tls: string | null, 
/**
 * The schema version of the clinic there; none when the database is still empty.
 */
schema_version: number | null, 
/**
 * The clinic's name there, when it holds one.
 */
clinic: string | null, };

export type MovedToServer = { server: string, tables: Array<TableRows>, rows: number, };

export type TableRows = { table: string, rows: number, };

export type InputLimits = { name: number, email: number, reason: number, note: number, };

export type StageRemoval = { 
/**
 * The flow-board column that would be left without a stage (patients could no longer be
 * moved into it).
 */
board_column: FlowColumn | null, 
/**
 * How many of the stage's own reminder rules go with it.
 */
own_rules: number, 
/**
 * Other stages' rules that count from this stage's completion: while there are any, it
 * cannot be removed (a saved draft must not count from a stage it lacks).
 */
stranded_rules: Array<string>, 
/**
 * Whether it may be removed now.
 */
allowed: boolean, };

export type EditorChoices = { staff_lanes: Array<Lane>, anchors_allowing_before: Array<Anchor>, units_with_time_of_day: Array<OffsetUnit>, };

export type ExportFormat = "svg" | "html" | "pdf";

export type CallSheetFormat = "csv" | "html";

export type DemoSummary = { patients: number, providers: number, rooms: number, appointments: number, stage_events: number, tasks: number, };

export type MinuteRange = { start: number, end: number, };

export type Weeks = "every" | "odd" | "even";

export type WeekdayHours = { weekday: number, span: MinuteRange, 
/**
 * Every week, or (a provider's or room's hours) every other week.
 */
weeks: Weeks, };

export type ClosedDay = { date: string, reason: string, yearly: boolean, };

export type ClinicSettings = { name: string, address: string, phone: string, 
/**
 * IANA zone, e.g. "Europe/Riga".
 */
time_zone: string, default_language: string, working_hours: Array<WeekdayHours>, closed_days: Array<ClosedDay>, 
/**
 * No calls or messages inside this span (may wrap midnight).
 */
quiet_hours: MinuteRange | null, };

export type Channel = "phone" | "sms" | "email" | "letter";

export type Patient = { id: string, given_name: string, family_name: string, birth_date: string | null, phone: string, phone_alt: string | null, email: string | null, preferred_channel: Channel, preferred_language: string, consent_reminders: boolean, do_not_contact: boolean, notes: string, created_at: string, updated_at: string, };

export type PatientInput = { given_name: string, family_name: string, 
/**
 * "YYYY-MM-DD" or empty.
 */
birth_date: string, phone: string, phone_alt: string, email: string, preferred_channel: string, preferred_language: string, consent_reminders: boolean, do_not_contact: boolean, notes: string, };

export type PatientListItem = { patient: Patient, last_visit: string | null, next_visit: string | null, };

export type PatientPage = { items: Array<PatientListItem>, 
/**
 * Where `items` start in the whole sorted list.
 */
offset: number, 
/**
 * How many patients match in all (the page may show fewer).
 */
total: number, };

export type Role = "admin" | "front_desk" | "clinician" | "back_office";

export type Staff = { id: string, name: string, role: Role, active: boolean, 
/**
 * They have a PIN or password, so they can sign in.
 */
has_pin: boolean, };

export type Provider = { id: string, name: string, 
/**
 * e.g. "General practitioner".
 */
specialty: string, staff_id: string | null, 
/**
 * The room the provider usually works in, offered first when booking.
 */
home_room_id: string | null, active: boolean, 
/**
 * Weekly availability in clinic-local time; empty means "the clinic's working hours".
 */
availability: Array<WeekdayHours>, };

export type Room = { id: string, name: string, active: boolean, 
/**
 * Weekly availability in clinic-local time; empty means "the clinic's working hours".
 */
availability: Array<WeekdayHours>, };

export type StaffInput = { name: string, role: Role, active: boolean, };

export type RoomInput = { name: string, active: boolean, 
/**
 * Empty: the clinic's working hours.
 */
availability: Array<WeekdayHours>, };

export type ProviderInput = { name: string, specialty: string, home_room_id: string | null, active: boolean, 
/**
 * Empty: the clinic's working hours.
 */
availability: Array<WeekdayHours>, };

export type BlockedPeriod = { id: string, provider_id: string | null, room_id: string | null, starts_at: string, ends_at: string, reason: string, };

export type Phase = "pre_visit" | "visit" | "post_visit";

export type Lane = "physical_evidence" | "patient_action" | "front_office" | "back_office" | "support_process";

export type StandardBasis = "duration" | "lead_time";

export type BlueprintCell = { id: string, lane: Lane, text: string, owner_role: Role | null, standard_minutes: number | null, fail_point: string | null, wait_point: string | null, };

export type Stage = { id: string, 
/**
 * Stable key across versions, e.g. "check_in"; the flow board maps visit stages by it.
 */
key: string, phase: Phase, name: string, description: string, owner_role: Role, standard_minutes: number, standard_basis: StandardBasis, cells: Array<BlueprintCell>, };

export type JourneyTemplate = { id: string, family_key: string, name: string, description: string, version: number, created_at: string, stages: Array<Stage>, };

export type ServiceType = { id: string, name: string, duration_minutes: number, 
/**
 * Hex colour of its appointments on the schedule.
 */
color: string, 
/**
 * The template family it follows; new journeys take its newest version.
 */
template_family_key: string, active: boolean, };

export type ServiceInput = { name: string, duration_minutes: number, 
/**
 * "#2a9d8f".
 */
color: string, 
/**
 * The journey (template family) its visits follow.
 */
template_family_key: string, active: boolean, };

export type StageEventKind = "entered" | "started" | "completed" | "skipped";

export type StageEvent = { id: string, journey_id: string, stage_id: string, kind: StageEventKind, at: string, 
/**
 * Who recorded it: "user", "scheduler", "import" or "demo".
 */
actor: string, };

export type PatientJourney = { id: string, patient_id: string, service_type_id: string, template_id: string, appointment_id: string | null, current_stage_id: string | null, started_at: string, completed_at: string | null, };

export type StageTaskCounts = { 
/**
 * Open now.
 */
open: number, 
/**
 * Open and past their due time now.
 */
overdue: number, 
/**
 * Failed (every attempt used, wrong number) within the period: a fail-point hit.
 */
failed: number, };

export type StageFigures = { stage_key: string, patients_now: number, 
/**
 * Finished passes in the period that the times are taken from.
 */
samples: number, median_minutes: number | null, p90_minutes: number | null, standard_minutes: number, standard_basis: StandardBasis, 
/**
 * Median ÷ standard (1.0 = on standard); none without samples or a standard.
 */
median_to_standard: number | null, open_tasks: number, overdue_tasks: number, fail_hits: number, 
/**
 * Every standard of the stage over the period, its standard time included (the store
 * adds the clinic's own standards and audits).
 */
compliance: Compliance, };

export type BlueprintOverlay = { from: string, to: string, 
/**
 * In the template's stage order.
 */
stages: Array<StageFigures>, 
/**
 * The stage whose median most exceeds its standard (with enough samples), if any does.
 */
bottleneck: string | null, };

export type DutyFilter = { "type": "all" } | { "type": "front_office" } | { "type": "back_office" } | { "type": "role", "role": Role };

export type BlueprintLabels = { title: string, 
/**
 * In `Lane` order.
 */
lanes: [string, string, string, string, string], 
/**
 * Interaction, visibility, internal interaction.
 */
lines: [string, string, string], 
/**
 * Pre-visit, visit, post-visit.
 */
phases: [string, string, string], 
/**
 * Owner-role names in `Role` order: admin, front desk, clinician, back office.
 */
roles: [string, string, string, string], fail_point: string, wait_point: string, bottleneck: string, 
/**
 * "{n} now" and the like; `{}` is replaced by the figure.
 */
patients_now: string, median_p90: string, standard: string, tasks: string, fail_hits: string, 
/**
 * "{} met": the share of the stage's standard checks met (compliance).
 */
compliance: string, no_data: string, 
/**
 * Units of times: minutes, hours, days.
 */
units: [string, string, string], };

export type TemplateDraft = { based_on: string, name: string, description: string, stages: Array<Stage>, rules: Array<ReminderRule>, };

export type TemplateVersion = { template_id: string, version: number, created_at: string, journeys_in_progress: number, };

export type Blueprint = { service: ServiceType, 
/**
 * The newest version: what new journeys follow and what an edit starts from.
 */
template: JourneyTemplate, rules: Array<ReminderRule>, 
/**
 * Newest first.
 */
versions: Array<TemplateVersion>, 
/**
 * What the editor may offer for steps and rules.
 */
editor: EditorChoices, };

export type DrawingRequest = { service_type_id: string, filter: DutyFilter, labels: BlueprintLabels, overlay_from: string | null, overlay_to: string | null, };

export type Drawing = { svg: string, overlay: BlueprintOverlay | null, };

export type Duty = { patient_name: string, 
/**
 * When the duty is due: the visit's start for its steps, the task's due time for a task.
 */
due_at: string, 
/**
 * The visit the duty is about (a follow-up call may be about an earlier day's visit).
 */
appointment_start: string, provider_name: string, stage_name: string, text: string, lane: Lane, standard_minutes: number | null, 
/**
 * The stage is completed for this visit (or the task is done).
 */
done: boolean, 
/**
 * A task from a reminder rule (a call, message or duty), not a blueprint step.
 */
task_kind: TaskKind | null, };

export type RoleDuties = { role: Role, duties: Array<Duty>, 
/**
 * Sum of the standard minutes of the duties still to do.
 */
minutes_to_do: number, };

export type AppointmentStatus = "proposed" | "booked" | "confirmed" | "arrived" | "in_progress" | "fulfilled" | "cancelled" | "noshow" | "waitlist";

export type Appointment = { id: string, patient_id: string, provider_id: string, room_id: string, service_type_id: string, starts_at: string, ends_at: string, status: AppointmentStatus, cancel_reason: string | null, notes: string, 
/**
 * The recurring series this is one occurrence of, and which one (1-based).
 */
series_id: string | null, series_index: number | null, created_at: string, updated_at: string, };

export type BookingRequest = { patient_id: string, service_type_id: string, provider_id: string, room_id: string, date: string, 
/**
 * "HH:MM", clinic-local.
 */
start_time: string, notes: string, };

export type RescheduleRequest = { appointment_id: string, provider_id: string, room_id: string, date: string, 
/**
 * "HH:MM", clinic-local.
 */
start_time: string, };

export type SeriesRequest = { booking: BookingRequest, 
/**
 * e.g. "FREQ=WEEKLY;COUNT=8".
 */
rrule: string, };

export type AppointmentListItem = { appointment: Appointment, patient_name: string, provider_name: string, room_name: string, service_name: string, 
/**
 * Clinic-local date and "HH:MM" of the start.
 */
date: string, start_time: string, };

export type ScheduleSpan = "day" | "week";

export type ScheduleBy = "provider" | "room";

export type ScheduleQuery = { date: string, span: ScheduleSpan, by: ScheduleBy, 
/**
 * The provider or room of a week view; the first one when absent.
 */
resource_id: string | null, };

export type ScheduleView = { query: ScheduleQuery, 
/**
 * The provider or room a week view shows.
 */
resource_id: string | null, time_zone: string, 
/**
 * The span of the day the grid draws (working hours widened to fit every booking).
 */
frame: MinuteRange, columns: Array<ScheduleColumn>, entries: Array<ScheduleEntry>, };

export type ScheduleColumn = { date: string, resource_id: string, title: string, subtitle: string, 
/**
 * Why the clinic is closed that day, if it is ("closed_weekday" for a weekend).
 */
closed_reason: string | null, 
/**
 * When the column's provider or room can be booked that day (clinic-local).
 */
available: Array<MinuteRange>, };

export type ScheduleEntry = { appointment_id: string, 
/**
 * Index into `columns`.
 */
column: number, patient_id: string, patient_name: string, patient_phone: string, provider_id: string, provider_name: string, room_id: string, room_name: string, service_type_id: string, service_name: string, service_color: string, status: AppointmentStatus, series_index: number | null, notes: string, starts_at: string, ends_at: string, date: string, 
/**
 * Clinic-local minutes since midnight, for placing the card.
 */
start_minute: number, end_minute: number, 
/**
 * What the front desk may do with it (its status decides; see `AppointmentAction`).
 */
allowed: Array<AppointmentAction>, 
/**
 * From when a no-show may be marked (its start), when its status allows one.
 */
no_show_from: string | null, };

export type PartOfDay = "morning" | "afternoon" | "evening";

export type SlotQuery = { service_type_id: string, provider_id: string | null, 
/**
 * Skip slots this patient could not take (they are booked elsewhere then).
 */
patient_id: string | null, part_of_day: PartOfDay | null, 
/**
 * First local date to search; today (from now on) when absent.
 */
from_date: string | null, 
/**
 * Last local date to search, inclusive.
 */
to_date: string | null, 
/**
 * No slot starts before this instant (e.g. "from 14:00 today").
 */
after: string | null, count: number, };

export type FreeSlot = { provider_id: string, provider_name: string, room_id: string, room_name: string, date: string, 
/**
 * Clinic-local "HH:MM", what a booking request takes.
 */
start_time: string, starts_at: string, ends_at: string, };

export type WaitlistStatus = "waiting" | "booked" | "removed";

export type NewWaitlistEntry = { patient_id: string, service_type_id: string, 
/**
 * A particular provider, or anyone.
 */
provider_id: string | null, earliest_date: string, latest_date: string, part_of_day: PartOfDay | null, notes: string, };

export type WaitlistEntry = { id: string, patient_id: string, patient_name: string, patient_phone: string, service_type_id: string, service_name: string, provider_id: string | null, provider_name: string | null, earliest_date: string, latest_date: string, part_of_day: PartOfDay | null, notes: string, status: WaitlistStatus, created_at: string, };

export type FreedSlot = { provider_id: string, room_id: string, date: string, 
/**
 * "HH:MM", clinic-local.
 */
start_time: string, start_minute: number, length_minutes: number, };

export type CancelOutcome = { appointment: Appointment, freed: FreedSlot, offers: Array<WaitlistEntry>, };

export type FlowColumn = "booked" | "arrived" | "waiting" | "with_clinician" | "check_out" | "done";

export type FlowCard = { appointment_id: string, journey_id: string, patient_id: string, patient_name: string, provider_name: string, room_name: string, service_name: string, service_color: string, status: AppointmentStatus, starts_at: string, ends_at: string, column: FlowColumn, stage_name: string, 
/**
 * When the patient entered the stage they are in; the card's timer runs from it.
 */
since: string | null, 
/**
 * The stage's standard time; the timer turns amber and red past it.
 */
standard_minutes: number | null, 
/**
 * Where the card's buttons move it: the next and the previous column its journey has a
 * stage for (a move elsewhere is refused, see `plan_move`).
 */
next_column: FlowColumn | null, previous_column: FlowColumn | null, 
/**
 * From when the timer shows amber (past the standard) and red (past half as long again);
 * none without a standard.
 */
amber_at: string | null, red_at: string | null, };

export type FlowColumnSummary = { column: FlowColumn, count: number, 
/**
 * Median minutes today's patients have spent in this column so far (finished passes and
 * the running ones); none for "booked" and "done".
 */
median_minutes: number | null, };

export type FlowBoard = { date: string, now: string, columns: Array<FlowColumnSummary>, cards: Array<FlowCard>, 
/**
 * Today's no-shows, listed under the board.
 */
no_shows: Array<FlowCard>, 
/**
 * How many of the cards are patients in the building now.
 */
in_clinic: number, 
/**
 * When the board changes by time alone: a minute on while a running stage counts into a
 * column's median, else when the day ends. Writes announce every other change.
 */
stale_at: string, };

export type StageState = "done" | "current" | "skipped" | "upcoming";

export type TimelineStage = { stage_id: string, key: string, name: string, phase: Phase, state: StageState, entered_at: string | null, completed_at: string | null, 
/**
 * Minutes from entering to completing (or to now, while in it); visit stages only.
 */
minutes: number | null, standard_minutes: number, standard_basis: StandardBasis, over_standard: boolean, 
/**
 * When a stage still ahead (or the current one) is due.
 */
due_at: string | null, };

export type TimelineEvent = { at: string, stage_name: string, kind: StageEventKind, actor: string, };

export type TimelineAppointment = { id: string, starts_at: string, ends_at: string, status: AppointmentStatus, provider_name: string, room_name: string, cancel_reason: string | null, created_at: string, };

export type JourneyTimeline = { journey_id: string, patient_id: string, patient_name: string, service_name: string, service_color: string, template_name: string, template_version: number, started_at: string, completed_at: string | null, appointment: TimelineAppointment | null, stages: Array<TimelineStage>, 
/**
 * Everything that happened, oldest first.
 */
events: Array<TimelineEvent>, 
/**
 * The next stage due, if any: the current one, else the first upcoming.
 */
next_stage_id: string | null, };

export type JourneySummary = { journey_id: string, appointment_id: string | null, service_name: string, service_color: string, starts_at: string | null, status: AppointmentStatus | null, current_stage: string | null, };

export type Anchor = "booking_made" | "appointment_start" | "appointment_end" | "stage_completed" | "no_show";

export type OffsetUnit = "minutes" | "hours" | "days" | "working_days" | "months";

export type TaskKind = "call" | "sms" | "email" | "letter" | "duty";

export type ReminderRule = { id: string, 
/**
 * The stage whose work the task is; doing the task completes that stage.
 */
stage_id: string, 
/**
 * What the front desk reads as the reason, e.g. "Confirmation call".
 */
name: string, anchor: Anchor, anchor_stage_key: string | null, 
/**
 * Negative: before the anchor.
 */
offset_amount: number, offset_unit: OffsetUnit, 
/**
 * For day-based offsets: this local time instead of the anchor's wall time.
 */
at_time: number | null, kind: TaskKind, 
/**
 * Use the patient's preferred channel instead of `kind`.
 */
follow_preferred_channel: boolean, role: Role, first_visit_only: boolean, unconfirmed_only: boolean, 
/**
 * Only patients who consent to reminders (and nobody marked "do not contact").
 */
requires_consent: boolean, 
/**
 * Only patients who prefer this channel.
 */
only_channel: Channel | null, max_attempts: number, retry_minutes: number, 
/**
 * Move the due time into working hours, out of quiet hours and closed days.
 */
snap: boolean, active: boolean, };

export type TaskStatus = "open" | "done" | "failed" | "cancelled";

export type TaskPurpose = "rule" | "rebook";

export type TaskOutcome = "confirmed" | "reached" | "done" | "voicemail" | "no_answer" | "wrong_number" | "rescheduled" | "declined";

export type Task = { id: string, purpose: TaskPurpose, 
/**
 * The rule that planned it; none for a call to rebook.
 */
rule_id: string | null, appointment_id: string, journey_id: string, patient_id: string, kind: TaskKind, role: Role, assignee_id: string | null, due_at: string, expires_at: string | null, status: TaskStatus, attempts: number, max_attempts: number, retry_minutes: number, last_outcome: TaskOutcome | null, note: string, created_at: string, updated_at: string, closed_at: string | null, };

export type CallSection = "overdue" | "today" | "upcoming";

export type CallListQuery = { date: string, kind: TaskKind | null, role: Role | null, assignee_id: string | null, 
/**
 * How many days after `date` the "upcoming" part covers (default 7).
 */
upcoming_days: number | null, };

export type CallListRow = { task_id: string, section: CallSection, kind: TaskKind, role: Role, purpose: TaskPurpose, 
/**
 * Why this call is made, in the clinic's content language: the rule's name
 * ("Confirmation call"), or the words for a visit that needs a new time.
 */
reason: string, stage_key: string, due_at: string, attempts: number, max_attempts: number, last_outcome: TaskOutcome | null, note: string, assignee_id: string | null, assignee_name: string | null, patient_id: string, patient_name: string, phone: string, email: string | null, preferred_channel: Channel, 
/**
 * The language the patient is spoken to in: the call script is read out in it.
 */
patient_language: string, appointment_id: string, appointment_start: string, appointment_status: AppointmentStatus, provider_name: string, service_name: string, 
/**
 * The outcomes this task accepts, in the order of their number keys.
 */
outcomes: Array<TaskOutcome>, 
/**
 * "confirmed" is accepted until this instant (see `confirm_until`).
 */
confirm_until: string | null, 
/**
 * "rescheduled" moves the visit until this instant, else books a new one (`move_until`).
 */
move_until: string | null, 
/**
 * The feedback task: its call records the patient's survey answers.
 */
records_survey: boolean, };

export type CallList = { date: string, 
/**
 * Overdue first, then today's, then upcoming; each by due time.
 */
rows: Array<CallListRow>, overdue: number, today: number, upcoming: number, 
/**
 * When `date` ends in the clinic's zone: from then on a fresh list is for the next day.
 */
stale_at: string, };

export type OutcomeRequest = { task_id: string, outcome: TaskOutcome, note: string, };

export type OutcomeResult = { task: Task, appointment: Appointment, };

export type PlanSummary = { 
/**
 * The appointments looked at: a full plan skips those whose inputs did not change.
 */
appointments: number, created: number, moved: number, cancelled: number, unchanged: number, };

export type SurveySource = "staff" | "kiosk";

export type ServqualAnswer = { item: number, expectation: number, perception: number, };

export type SurveyAnswers = { nps: number | null, csat: number | null, servqual: Array<ServqualAnswer>, comment: string, };

export type Dimension = "tangibles" | "reliability" | "responsiveness" | "assurance" | "empathy";

export type Measured = { answers: number, 
/**
 * None below `MIN_ANSWERS`.
 */
value: number | null, };

export type Nps = { 
/**
 * % promoters − % detractors, −100…+100.
 */
score: Measured, promoters: number, passives: number, detractors: number, };

export type DimensionGap = { dimension: Dimension, 
/**
 * Patients who answered at least one of its items.
 */
answers: number, expectation: number | null, perception: number | null, 
/**
 * Mean of its items' mean P − E; negative is a shortfall. None below `MIN_ANSWERS`.
 */
gap: number | null, 
/**
 * Its share of the 100 points, when the clinic weights the dimensions.
 */
weight: number | null, };

export type Servqual = { dimensions: Array<DimensionGap>, 
/**
 * Mean of the dimension gaps (or their weighted mean), when every dimension has one.
 */
overall: number | null, 
/**
 * The dimension with the largest shortfall.
 */
worst: Dimension | null, };

export type KanoAnswer = "like" | "must_be" | "neutral" | "live_with" | "dislike";

export type KanoCategory = "attractive" | "one_dimensional" | "must_be" | "indifferent" | "reverse" | "questionable";

export type KanoResult = { answers: number, attractive: number, one_dimensional: number, must_be: number, indifferent: number, reverse: number, questionable: number, 
/**
 * The most frequent category.
 */
category: KanoCategory | null, 
/**
 * Better = (A + O)/(A + O + M + I); Worse = −(O + M)/(A + O + M + I). None below
 * `MIN_ANSWERS` or without an A, O, M or I answer.
 */
better: number | null, worse: number | null, };

export type KanoFeature = { id: string, name: string, active: boolean, };

export type KanoInput = { feature_id: string, functional: KanoAnswer, dysfunctional: KanoAnswer, };

export type SurveyInput = { appointment_id: string, source: SurveySource, answers: SurveyAnswers, kano: Array<KanoInput>, };

export type SurveyRecorded = { id: string, 
/**
 * The feedback task it answered, now closed.
 */
task_closed: string | null, };

export type KioskSurvey = { appointment_id: string, given_name: string, provider_name: string, visit_start: string, 
/**
 * The patient's language: the kiosk speaks it.
 */
language: string, clinic_name: string, kano_features: Array<KanoFeature>, };

export type StandardKind = "measured" | "checked";

export type Measure = "stage_time" | "task_on_time";

export type AuditKind = "supervisor" | "mystery_shopper";

export type StandardInput = { 
/**
 * The journey (template family) and stage it belongs to.
 */
family_key: string, stage_key: string, kind: StandardKind, text: string, measure: Measure | null, limit_minutes: number | null, 
/**
 * The limit counts the clinic's working hours only ("2 working hours").
 */
working_time: boolean, };

export type StandardEdit = { text: string, 
/**
 * Ignored for a checked standard.
 */
limit_minutes: number | null, working_time: boolean, };

export type Standard = { id: string, family_key: string, stage_key: string, kind: StandardKind, text: string, measure: Measure | null, limit_minutes: number | null, working_time: boolean, active: boolean, };

export type Compliance = { checks: number, met: number, 
/**
 * met ÷ checks; none without checks.
 */
share: number | null, 
/**
 * At or above the 90 % line.
 */
holds_line: boolean | null, };

export type AuditCheck = { standard_id: string, met: boolean, note: string, };

export type AuditInput = { auditor: string, kind: AuditKind, note: string, checks: Array<AuditCheck>, };

export type AuditVisit = { id: string, at: string, auditor: string, kind: AuditKind, checks: number, met: number, };

export type StageChoice = { family_key: string, journey: string, stage_key: string, name: string, };

export type StandardsSetup = { standards: Array<Standard>, stages: Array<StageChoice>, kano_features: Array<KanoFeature>, 
/**
 * The clinic's 100 points across the SERVQUAL dimensions; empty when unweighted.
 */
servqual_weights: Array<[Dimension, number]>, };

export type InsightsQuery = { 
/**
 * Clinic-local days, both included.
 */
from: string, to: string, provider_id: string | null, service_type_id: string | null, };

export type Rates = { 
/**
 * Visits that fell due (came, or were missed).
 */
visits_due: number, 
/**
 * Missed ÷ due.
 */
no_show: Measured, 
/**
 * Cancelled less than a day before the visit ÷ booked (due or cancelled).
 */
late_cancel: Measured, 
/**
 * Due visits whose confirmation stage was completed ÷ due visits of journeys with one.
 */
confirmed: Measured, 
/**
 * Follow-up tasks (after the visit) done ÷ those done, failed or overdue.
 */
follow_up_done: Measured, 
/**
 * Of those done, done within a day of falling due.
 */
follow_up_on_time: Measured, 
/**
 * Recall tasks after which the patient booked again ÷ recall tasks that fell due.
 */
recall_return: Measured, };

export type StageInsight = { family_key: string, journey: string, stage_key: string, name: string, phase: Phase, samples: number, 
/**
 * Whole minutes (each pass rounded up).
 */
median_minutes: number | null, p90_minutes: number | null, standard_minutes: number, 
/**
 * Every standard of the stage pooled, its standard time included.
 */
compliance: Compliance, };

export type StandardCompliance = { 
/**
 * None for a stage's standard time (not a row of its own).
 */
standard: Standard | null, family_key: string, stage_key: string, compliance: Compliance, };

export type NpsMonth = { 
/**
 * "2026-11".
 */
month: string, nps: Nps, };

export type KanoFeatureResult = { feature: KanoFeature, result: KanoResult, };

export type Insights = { query: InsightsQuery, 
/**
 * Figures from fewer answers or cases than this are not given.
 */
min_answers: number, rates: Rates, stages: Array<StageInsight>, standards: Array<StandardCompliance>, compliance: Compliance, surveys: number, nps: Nps, nps_by_month: Array<NpsMonth>, csat: Measured, servqual: Servqual, kano: Array<KanoFeatureResult>, };

export type InsightsTable = "rates" | "stages" | "standards" | "nps" | "servqual" | "kano";

export type Estimate = { mean: number, ci_low: number, ci_high: number, p5: number, p95: number, };

export type PlanChange = { "kind": "extra_staff", role: Role, count: number, from: string, to: string, } | { "kind": "stage_minutes", stage_key: string, minutes: number, } | { "kind": "move_visits", provider_id: string, from: string, by_minutes: number, };

export type Scenario = { name: string, changes: Array<PlanChange>, };

export type StageForecast = { journey: string, journey_name: string, stage_key: string, name: string, role: Role, 
/**
 * Over replications: each replication's median and 90th-percentile wait, minutes.
 */
wait_median: Estimate, wait_p90: Estimate, 
/**
 * Time-average number of patients waiting for it over the clinic's day.
 */
queue_length: Estimate, };

export type PoolForecast = { name: string, role: Role, 
/**
 * The provider, for a provider's own pool.
 */
provider_id: string | null, people: number, utilisation: Estimate, };

export type Bottleneck = { journey: string, stage_key: string, name: string, 
/**
 * Share of replications in which it had the longest mean wait (0–1).
 */
share: number, wait_p90: Estimate, };

export type DayForecast = { scenario: string | null, visits: number, replications: number, seed: bigint, stages: Array<StageForecast>, pools: Array<PoolForecast>, bottleneck: Bottleneck | null, 
/**
 * Counted patients on average still unserved when everyone has gone home.
 */
unserved: number, };

export type StageTiming = { stage_key: string, 
/**
 * Timed passes in the history window; below `MIN_HISTORY` the standard time is used.
 */
samples: number, from_history: boolean, mean_minutes: number, };

export type DayForecasts = { date: string, plan: DayForecast, scenarios: Array<DayForecast>, timings: Array<StageTiming>, no_show_rate: number, 
/**
 * Active staff per role on duty in the clinic's hours (no staff hours are kept yet).
 */
staff: Array<[Role, number]>, };

export type BackupReason = "manual" | "daily" | "before_upgrade" | "before_restore";

export type BackupPlan = { 
/**
 * The folder the copies go to (a USB stick, a network share); empty for the default
 * folder beside the database.
 */
folder: string, 
/**
 * Take a copy every day (the first time the app runs on a clinic day).
 */
daily: boolean, 
/**
 * Copies older than this many days are removed after each new one (the newest stays).
 */
keep_days: number, };

export type BackupMade = { path: string, bytes: number, taken_at: string, };

export type BackupFile = { path: string, name: string, bytes: number, taken_at: string, reason: BackupReason, };

export type BackupFailure = { at: string, error: ErrorBody, };

export type BackupStatus = { plan: BackupPlan, 
/**
 * Where copies go: the plan's folder, or the default one.
 */
folder: string, default_folder: string, 
/**
 * The folder is on the same disk as the database: a failing disk would take both.
 */
same_disk_as_database: boolean, 
/**
 * The last copy taken by hand or daily (not those taken before an upgrade or a restore).
 */
last: BackupMade | null, 
/**
 * The last daily copy that failed, if none succeeded since.
 */
failure: BackupFailure | null, 
/**
 * The backups in the folder, newest first.
 */
files: Array<BackupFile>, 
/**
 * The clinic is on its server: copies are dumps of it (restored on the server's PC with
 * `pg_restore`, not from this page).
 */
on_server: boolean, };

export type RecordsFormat = "ics" | "csv_patients" | "csv_appointments" | "csv_tasks" | "fhir_bundle" | "fhir_ndjson";

export type ExportScope = { "kind": "clinic" } | { "kind": "provider", "id": string } | { "kind": "room", "id": string } | { "kind": "patient", "id": string };

export type ExportRequest = { format: RecordsFormat, scope: ExportScope, 
/**
 * Calendar files: how much of the patient an event shows.
 */
detail: PatientDetail, 
/**
 * Calendar files: display alarms at the reminder times.
 */
alarms: boolean, };

export type CalendarFeed = { id: string, folder: string, scope: ExportScope, detail: PatientDetail, alarms: boolean, 
/**
 * The file's full path.
 */
file: string, written_at: string | null, };

export type ExportSaved = { path: string, count: number, };

export type ImportProgress = { done: number, total: number, };

export type ImportFormat = "csv" | "fhir";

export type ImportRequest = { format: ImportFormat, 
/**
 * What a CSV file holds (a FHIR file says so itself).
 */
kind: ImportKind, 
/**
 * A CSV file's columns for our fields; none: the one remembered for this header, or a guess.
 */
mapping: { [key in string]?: string } | null, 
/**
 * What to do with patients the clinic seems to have already.
 */
on_duplicate: DuplicateChoice, 
/**
 * The user's choice for single rows, by line.
 */
choices: { [key in number]?: DuplicateChoice }, dry_run: boolean, };

export type PatientDetail = "none" | "initials" | "full";

export type ImportKind = "patients" | "appointments";

export type DuplicateChoice = "merge" | "skip" | "keep_both";

export type DuplicateReason = "same_record" | "name_and_birth_date" | "phone";

export type RowProblem = { 
/**
 * Line of the file (1 = the header of a CSV file; the line of the resource in NDJSON; the
 * entry's position, from 1, in a Bundle).
 */
line: number, 
/**
 * The file's column (or the FHIR element) the value came from; "" for the whole row.
 */
column: string, value: string, reason: Refusal, };

export type DuplicateRow = { line: number, name: string, existing_id: string, existing_name: string, reason: DuplicateReason, choice: DuplicateChoice, };

export type SampleRow = { line: number, values: Array<[string, string]>, };

export type ImportReport = { rows: number, patients_added: number, patients_merged: number, patients_skipped: number, appointments_added: number, 
/**
 * Rows already in the clinic as they are (the same id and values): left alone.
 */
appointments_unchanged: number, 
/**
 * Resources of other types in a FHIR file, by type, left out (e.g. Synthea's Encounters).
 */
ignored: { [key in string]?: number }, problems: Array<RowProblem>, duplicates: Array<DuplicateRow>, 
/**
 * The first rows as they will be stored.
 */
sample: Array<SampleRow>, 
/**
 * Whether it was written (false for a dry run or a file with problems).
 */
applied: boolean, };

export type Separator = "comma" | "semicolon" | "tab" | "bar";

export type MappingProposal = { kind: ImportKind, columns: Array<string>, fields: Array<string>, 
/**
 * What the import needs mapped: each list is a field and the fields that may stand in for
 * it (the first name, or the full name).
 */
required: Array<Array<string>>, mapping: { [key in string]?: string }, 
/**
 * Whether the mapping is the one remembered for files with this header.
 */
remembered: boolean, encoding: string, separator: Separator, rows: number, 
/**
 * The first rows as the file has them.
 */
first_rows: Array<Array<string>>, };

export type BackupPreview = { path: string, bytes: number, 
/**
 * When and why it was taken, for a file named by the app.
 */
taken_at: string | null, reason: BackupReason | null, clinic_name: string, time_zone: string, schema_version: number, 
/**
 * Made by an earlier version: it is upgraded after the restore.
 */
needs_upgrade: boolean, patients: number, appointments: number, open_tasks: number, staff: number, 
/**
 * The first and last visit, in the clinic's dates.
 */
first_visit: string | null, last_visit: string | null, 
/**
 * The last change the file records.
 */
last_change_at: string | null, };

export type Restored = { preview: BackupPreview, saved_as: BackupMade, };

export type Work = "clinic_setup" | "journeys" | "standards" | "standard_audits" | "patients" | "bookings" | "flow" | "calls" | "surveys" | "records";

export type SignedIn = { staff_id: string, name: string, role: Role, };

export type SignInState = { 
/**
 * Some active staff member has a PIN: the clinic's data is for signed-in staff only.
 */
required: boolean, signed_in: SignedIn | null, 
/**
 * Who can sign in here (active, with a PIN), by name.
 */
staff: Array<StaffToSignIn>, 
/**
 * The window locks after this long without a key press or a click.
 */
idle_lock_minutes: number, 
/**
 * What the person at the desk may do (everything while the clinic has no sign-in).
 */
allowed_work: Array<Work>, };

export type StaffToSignIn = { id: string, name: string, role: Role, };

export type AuditLogQuery = { staff: string | null, patient: string | null, from: string | null, to: string | null, 
/**
 * At most this many rows, newest first (0: 500).
 */
limit: number, };

export type AuditLogEntry = { at: string, 
/**
 * Who: the staff member's name then (empty for the desk before sign-in and the app).
 */
staff_name: string, 
/**
 * Where it came from: user, command_line, scheduler, demo, system, import.
 */
source: string, entity: Entity, entity_id: string, action: string, detail: string, patient_id: string | null, 
/**
 * The patient's name now (after erasure, the name it was replaced with).
 */
patient_name: string | null, changes: Array<FieldChange>, 
/**
 * What this row recorded about its patient was erased on request.
 */
erased: boolean, };

export type FieldChange = { field: string, before: string | null, after: string | null, };

export type EncryptionChange = { 
/**
 * The passphrase the clinic opens with now (when it is encrypted).
 */
current: string | null, 
/**
 * The new passphrase, typed twice; `None` stores the data plain again.
 */
new: string | null, repeat: string | null, };

export const REFUSAL_EXAMPLES: Refusal[] = [
  {
    "reason": "required",
    "what": ""
  },
  {
    "reason": "too_long",
    "what": "",
    "max": 0,
    "length": 0
  },
  {
    "reason": "has_digits",
    "what": "",
    "value": ""
  },
  {
    "reason": "bad_date",
    "value": ""
  },
  {
    "reason": "future_date",
    "value": ""
  },
  {
    "reason": "before_1900",
    "value": ""
  },
  {
    "reason": "date_range",
    "value": "",
    "first": 0,
    "last": 0
  },
  {
    "reason": "phone_character",
    "value": "",
    "character": ""
  },
  {
    "reason": "phone_length",
    "value": "",
    "digits": 0
  },
  {
    "reason": "bad_email",
    "value": ""
  },
  {
    "reason": "email_control"
  },
  {
    "reason": "email_needed"
  },
  {
    "reason": "unknown_channel",
    "value": ""
  },
  {
    "reason": "unknown_language",
    "value": ""
  },
  {
    "reason": "unknown_time_zone",
    "value": ""
  },
  {
    "reason": "bad_time",
    "value": ""
  },
  {
    "reason": "bad_start",
    "value": ""
  },
  {
    "reason": "bad_hours",
    "value": "",
    "weekday": 0
  },
  {
    "reason": "unknown_weekday",
    "value": ""
  },
  {
    "reason": "bad_weekly_hours",
    "value": ""
  },
  {
    "reason": "hours_overlap",
    "weekday": 0,
    "first": "",
    "second": ""
  },
  {
    "reason": "outside_clinic_hours",
    "resource": "",
    "weekday": 0,
    "hours": "",
    "clinic": ""
  },
  {
    "reason": "clinic_hours_every_week",
    "weekday": 0
  },
  {
    "reason": "bad_color",
    "value": ""
  },
  {
    "reason": "duplicate",
    "value": ""
  },
  {
    "reason": "out_of_range",
    "what": "",
    "value": 0,
    "min": 0,
    "max": 0
  },
  {
    "reason": "not_positive",
    "what": "",
    "value": ""
  },
  {
    "reason": "no_visit_to_rate",
    "status": ""
  },
  {
    "reason": "already_answered"
  },
  {
    "reason": "measured_not_audited"
  },
  {
    "reason": "not_a_png"
  },
  {
    "reason": "bad_pin"
  },
  {
    "reason": "wrong_pin",
    "left": 0
  },
  {
    "reason": "too_many_tries",
    "seconds": 0
  },
  {
    "reason": "no_kiosk"
  },
  {
    "reason": "weights_not100",
    "total": 0
  },
  {
    "reason": "queue_unstable",
    "utilisation": ""
  },
  {
    "reason": "period_reversed"
  },
  {
    "reason": "period_too_long",
    "first": "",
    "last": "",
    "max": 0
  },
  {
    "reason": "period_over"
  },
  {
    "reason": "journey_in_use",
    "journey": "",
    "services": ""
  },
  {
    "reason": "journey_retired",
    "journey": ""
  },
  {
    "reason": "provider_or_room"
  },
  {
    "reason": "block_too_long",
    "max": 0
  },
  {
    "reason": "empty_period",
    "from": "",
    "to": ""
  },
  {
    "reason": "past",
    "date": "",
    "time": ""
  },
  {
    "reason": "closed_day",
    "date": "",
    "note": ""
  },
  {
    "reason": "closed_weekday",
    "date": ""
  },
  {
    "reason": "clinic_hours",
    "time": "",
    "date": "",
    "hours": ""
  },
  {
    "reason": "resource_hours",
    "resource": "",
    "time": "",
    "date": "",
    "hours": ""
  },
  {
    "reason": "resource_day_off",
    "resource": "",
    "time": "",
    "date": ""
  },
  {
    "reason": "blocked",
    "resource": "",
    "until": "",
    "note": ""
  },
  {
    "reason": "clinic_blocked",
    "until": "",
    "note": ""
  },
  {
    "reason": "provider_busy",
    "resource": "",
    "patient": "",
    "time": ""
  },
  {
    "reason": "room_busy",
    "resource": "",
    "patient": "",
    "provider": "",
    "time": ""
  },
  {
    "reason": "patient_busy",
    "patient": "",
    "provider": "",
    "time": ""
  },
  {
    "reason": "dst_gap",
    "time": "",
    "date": "",
    "zone": ""
  },
  {
    "reason": "count_range",
    "max": 0
  },
  {
    "reason": "no_rooms"
  },
  {
    "reason": "status",
    "patient": "",
    "status": "",
    "action": ""
  },
  {
    "reason": "not_started",
    "patient": ""
  },
  {
    "reason": "cancel_reason_required"
  },
  {
    "reason": "bad_rrule",
    "value": "",
    "why": ""
  },
  {
    "reason": "rrule_endless"
  },
  {
    "reason": "rrule_too_long",
    "max": 0
  },
  {
    "reason": "not_waiting",
    "patient": ""
  },
  {
    "reason": "not_today",
    "patient": "",
    "date": ""
  },
  {
    "reason": "no_stage_for_column",
    "template": ""
  },
  {
    "reason": "no_visit_stages_to_move",
    "template": ""
  },
  {
    "reason": "task_closed",
    "status": ""
  },
  {
    "reason": "outcome_not_allowed",
    "outcome": "",
    "kind": ""
  },
  {
    "reason": "nothing_to_confirm",
    "status": ""
  },
  {
    "reason": "room_inactive",
    "room": ""
  },
  {
    "reason": "inactive"
  },
  {
    "reason": "template_name_required"
  },
  {
    "reason": "template_name_too_long",
    "max": 0
  },
  {
    "reason": "stage_name_required",
    "position": 0
  },
  {
    "reason": "stage_name_too_long",
    "position": 0,
    "max": 0
  },
  {
    "reason": "step_text_required",
    "stage": ""
  },
  {
    "reason": "step_text_too_long",
    "stage": "",
    "max": 0
  },
  {
    "reason": "rule_name_required",
    "stage": ""
  },
  {
    "reason": "rule_name_too_long",
    "stage": "",
    "max": 0
  },
  {
    "reason": "no_stages"
  },
  {
    "reason": "no_visit_stage"
  },
  {
    "reason": "phase_order",
    "stage": "",
    "before": "",
    "phase": ""
  },
  {
    "reason": "standard_range",
    "stage": ""
  },
  {
    "reason": "step_standard_range",
    "stage": "",
    "step": ""
  },
  {
    "reason": "role_on_patient_step",
    "stage": "",
    "step": ""
  },
  {
    "reason": "rule_without_stage",
    "rule": ""
  },
  {
    "reason": "attempts_range",
    "rule": ""
  },
  {
    "reason": "retry_range",
    "rule": ""
  },
  {
    "reason": "before_event",
    "rule": "",
    "anchor": ""
  },
  {
    "reason": "offset_range",
    "rule": "",
    "max": 0,
    "unit": ""
  },
  {
    "reason": "at_time_range",
    "rule": ""
  },
  {
    "reason": "at_time_unit",
    "rule": ""
  },
  {
    "reason": "anchor_stage_missing",
    "rule": ""
  },
  {
    "reason": "stale_version",
    "version": 0
  },
  {
    "reason": "needs_overlay"
  },
  {
    "reason": "file_exists",
    "value": ""
  },
  {
    "reason": "too_many_files",
    "folder": "",
    "name": ""
  },
  {
    "reason": "no_folder",
    "detail": ""
  },
  {
    "reason": "pdf_failed",
    "detail": ""
  },
  {
    "reason": "already_closed",
    "date": ""
  },
  {
    "reason": "unreadable_file",
    "detail": ""
  },
  {
    "reason": "bad_date_line",
    "line": 0,
    "value": ""
  },
  {
    "reason": "no_closed_days"
  },
  {
    "reason": "event_too_long",
    "event": "",
    "days": 0,
    "date": ""
  },
  {
    "reason": "relative_folder",
    "value": ""
  },
  {
    "reason": "not_a_backup",
    "value": ""
  },
  {
    "reason": "damaged_backup",
    "value": "",
    "detail": ""
  },
  {
    "reason": "restore_of_itself",
    "value": ""
  },
  {
    "reason": "backup_other_passphrase",
    "value": ""
  },
  {
    "reason": "backup_passphrase_wrong",
    "value": ""
  },
  {
    "reason": "no_rows_to_import"
  },
  {
    "reason": "unknown_field",
    "value": ""
  },
  {
    "reason": "no_such_column",
    "value": ""
  },
  {
    "reason": "field_not_mapped",
    "field": ""
  },
  {
    "reason": "not_yes_or_no",
    "value": ""
  },
  {
    "reason": "bad_date_time",
    "value": ""
  },
  {
    "reason": "unknown_status",
    "value": ""
  },
  {
    "reason": "not_fhir",
    "detail": ""
  },
  {
    "reason": "unknown_provider",
    "value": ""
  },
  {
    "reason": "unknown_room",
    "value": ""
  },
  {
    "reason": "unknown_service",
    "value": ""
  },
  {
    "reason": "unknown_patient",
    "value": ""
  },
  {
    "reason": "ambiguous_patient",
    "value": "",
    "count": 0
  },
  {
    "reason": "end_before_start",
    "value": ""
  },
  {
    "reason": "same_row_twice",
    "value": "",
    "line": 0
  },
  {
    "reason": "overlaps_line",
    "value": "",
    "line": 0
  },
  {
    "reason": "overlaps_visit",
    "value": "",
    "patient": ""
  },
  {
    "reason": "visit_differs",
    "value": ""
  },
  {
    "reason": "row_width",
    "count": 0,
    "expected": 0
  },
  {
    "reason": "import_cancelled"
  },
  {
    "reason": "no_file_chosen"
  },
  {
    "reason": "feed_scope"
  },
  {
    "reason": "sign_in_needed"
  },
  {
    "reason": "role_may_not",
    "role": "",
    "work": ""
  },
  {
    "reason": "pin_too_short",
    "min": 0
  },
  {
    "reason": "pin_control"
  },
  {
    "reason": "wrong_sign_in_pin",
    "name": "",
    "left": 0
  },
  {
    "reason": "no_pin_yet",
    "name": ""
  },
  {
    "reason": "staff_inactive",
    "name": ""
  },
  {
    "reason": "first_pin_for_admin"
  },
  {
    "reason": "last_admin_pin",
    "name": ""
  },
  {
    "reason": "not_your_patient"
  },
  {
    "reason": "passphrase_needed"
  },
  {
    "reason": "wrong_passphrase"
  },
  {
    "reason": "passphrase_too_short",
    "min": 0
  },
  {
    "reason": "passphrase_control"
  },
  {
    "reason": "passphrases_differ"
  },
  {
    "reason": "encryption_changing"
  },
  {
    "reason": "database_in_use"
  },
  {
    "reason": "not_encrypted"
  },
  {
    "reason": "already_encrypted"
  },
  {
    "reason": "not_empty"
  },
  {
    "reason": "not_a_server_address",
    "value": "",
    "detail": ""
  },
  {
    "reason": "server_unreachable",
    "server": "",
    "detail": ""
  },
  {
    "reason": "server_sign_in_refused",
    "server": "",
    "role": ""
  },
  {
    "reason": "role_not_of_this_clinic",
    "server": "",
    "role": ""
  },
  {
    "reason": "no_server_database",
    "server": "",
    "database": ""
  },
  {
    "reason": "server_without_tls",
    "server": ""
  },
  {
    "reason": "server_too_old",
    "server": "",
    "version": ""
  },
  {
    "reason": "server_holds_a_clinic",
    "server": "",
    "clinic": ""
  },
  {
    "reason": "server_rows_differ",
    "table": "",
    "expected": 0,
    "found": 0
  },
  {
    "reason": "booked_meanwhile",
    "resource": ""
  },
  {
    "reason": "not_server_owner",
    "role": ""
  },
  {
    "reason": "bad_desk_name",
    "value": "",
    "max": 0
  },
  {
    "reason": "desk_exists",
    "name": ""
  },
  {
    "reason": "no_such_desk",
    "name": ""
  },
  {
    "reason": "no_pg_dump",
    "program": "",
    "server": "",
    "found": ""
  },
  {
    "reason": "server_backup_failed",
    "detail": ""
  },
  {
    "reason": "no_clinic_on_server",
    "server": ""
  },
  {
    "reason": "not_on_server_yet"
  },
  {
    "reason": "server_cut_off",
    "server": "",
    "since": "1970-01-01T00:00:00Z"
  }
];
