// Generated from the Rust types by clinic-journey-core (src/bindings.rs). Do not edit:
// run `make bindings` after changing a type that crosses to the UI.

export type ErrorBody = { kind: string, message: string, field: string | null, details: { [key in string]?: string }, };

export type Change = { 
/**
 * Tables the write touched, e.g. ["appointments", "patient_journeys"].
 */
entities: Array<string>, actor: string, };

export type ClinicOverview = { settings: ClinicSettings, 
/**
 * No providers and no patients yet: the app offers the demo clinic.
 */
is_empty: boolean, 
/**
 * Today's date in the clinic's zone.
 */
today: string, schema_version: number, 
/**
 * Where the database file is (empty for an in-memory one).
 */
database_path: string, };

export type DemoSummary = { patients: number, providers: number, rooms: number, appointments: number, stage_events: number, };

export type MinuteRange = { start: number, end: number, };

export type WeekdayHours = { weekday: number, span: MinuteRange, };

export type ClosedDay = { date: string, reason: string, };

export type ClinicSettings = { name: string, 
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
 * How many patients match in all (the page may show fewer).
 */
total: number, };

export type Role = "admin" | "front_desk" | "clinician" | "back_office";

export type Staff = { id: string, name: string, role: Role, active: boolean, };

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

export type StageEventKind = "entered" | "started" | "completed" | "skipped";

export type StageEvent = { id: string, journey_id: string, stage_id: string, kind: StageEventKind, at: string, 
/**
 * Who recorded it: "user", "scheduler", "import" or "demo".
 */
actor: string, };

export type PatientJourney = { id: string, patient_id: string, service_type_id: string, template_id: string, appointment_id: string | null, current_stage_id: string | null, started_at: string, completed_at: string | null, };

export type AppointmentStatus = "proposed" | "booked" | "confirmed" | "arrived" | "in_progress" | "fulfilled" | "cancelled" | "noshow" | "waitlist";

export type Appointment = { id: string, patient_id: string, provider_id: string, room_id: string, service_type_id: string, starts_at: string, ends_at: string, status: AppointmentStatus, cancel_reason: string | null, notes: string, created_at: string, updated_at: string, };

export type BookingRequest = { patient_id: string, service_type_id: string, provider_id: string, room_id: string, date: string, 
/**
 * "HH:MM", clinic-local.
 */
start_time: string, notes: string, };

export type ScheduleDay = { date: string, time_zone: string, 
/**
 * Why the clinic is closed that day, if it is.
 */
closed_reason: string | null, opening_hours: Array<MinuteRange>, 
/**
 * The span of the day the grid draws (working hours widened to fit every booking).
 */
frame: MinuteRange, columns: Array<ProviderColumn>, entries: Array<ScheduleEntry>, };

export type ProviderColumn = { provider_id: string, name: string, specialty: string, 
/**
 * When the provider can be booked that day (clinic-local).
 */
available: Array<MinuteRange>, };

export type ScheduleEntry = { appointment_id: string, patient_id: string, patient_name: string, patient_phone: string, provider_id: string, room_id: string, room_name: string, service_name: string, service_color: string, status: AppointmentStatus, starts_at: string, ends_at: string, 
/**
 * Clinic-local minutes since midnight, for placing the card.
 */
start_minute: number, end_minute: number, };
