// The only place that calls the Rust side. Types come from the generated bindings.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  EncryptionChange,
  AuditLogEntry,
  AuditLogQuery,
  SignedIn,
  SignInState,
  BackupMade,
  BackupPlan,
  BackupPreview,
  BackupStatus,
  Restored,
  Blueprint,
  Drawing,
  DrawingRequest,
  RoleDuties,
  StageRemoval,
  ReminderRule,
  Stage,
  StartupProblem,
  ServerLink,
  Appointment,
  BookingRequest,
  CallList,
  CallSheetFormat,
  ExportFormat,
  CallListQuery,
  CancelOutcome,
  Change,
  ClinicOverview,
  ClinicSettings,
  ClosedDay,
  ClosedDaysAdded,
  DemoSummary,
  ErrorBody,
  FlowBoard,
  FlowColumn,
  FreeSlot,
  JourneySummary,
  JourneyTimeline,
  NewWaitlistEntry,
  OutcomeRequest,
  OutcomeResult,
  Patient,
  PatientInput,
  PatientPage,
  Provider,
  ProviderInput,
  RescheduleRequest,
  Room,
  RoomInput,
  ScheduleQuery,
  ScheduleView,
  SeriesRequest,
  ServiceInput,
  ServiceType,
  SetupData,
  MoveScope,
  BlockAdded,
  BlockInput,
  BlockedPeriod,
  JourneyRow,
  JourneyRules,
  NewJourney,
  JourneyTemplate,
  VisitToMove,
  RebookCalls,
  Insights,
  InsightsQuery,
  InsightsTable,
  DayForecasts,
  Scenario,
  SurveyInput,
  SurveyRecorded,
  SurveyAnswers,
  KanoInput,
  KioskSurvey,
  KanoFeature,
  Standard,
  StandardEdit,
  StandardInput,
  StandardsSetup,
  Dimension,
  AuditInput,
  AuditVisit,
  SlotQuery,
  Staff,
  StaffInput,
  Task,
  TemplateDraft,
  WaitlistEntry,
  CalendarFeed,
  ExportRequest,
  ExportSaved,
  ExportScope,
  ImportKind,
  ImportProgress,
  ImportReport,
  ImportRequest,
  MappingProposal,
  PatientDetail,
} from "./bindings";

/** A refusal from the Rust side, carrying its `{ kind, message, field, details }`. */
export class ApiError extends Error {
  readonly body: ErrorBody;
  constructor(body: ErrorBody) {
    super(body.message);
    this.body = body;
  }
}

function toErrorBody(raw: unknown): ErrorBody {
  if (raw && typeof raw === "object" && "kind" in raw && "message" in raw) {
    const body = raw as Partial<ErrorBody>;
    return {
      kind: String(body.kind),
      message: String(body.message),
      field: body.field ?? null,
      refusal: body.refusal ?? null,
      occurrence: body.occurrence ?? null,
      details: body.details ?? {},
    };
  }
  return { kind: "internal", message: String(raw), field: null, refusal: null, occurrence: null, details: {} };
}

// `args` is named arguments, or raw bytes sent as the request body (a file as it is on disk).
async function call<T>(command: string, args: InvokeArgs = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw new ApiError(toErrorBody(raw));
  }
}

export const api = {
  clinicOverview: () => call<ClinicOverview>("clinic_overview"),
  startupProblem: () => call<StartupProblem | null>("startup_problem"),
  serverLink: () => call<ServerLink | null>("server_link"),
  retryOpen: (passphrase: string | null = null) => call<StartupProblem | null>("retry_open", { passphrase }),
  loadDemoClinic: () => call<DemoSummary>("load_demo_clinic"),
  firstPaint: () => call<void>("first_paint"),
  callList: (query: CallListQuery) => call<CallList>("call_list", { query }),
  recordTaskOutcome: (request: OutcomeRequest) => call<OutcomeResult>("record_task_outcome", { request }),
  assignTask: (taskId: string, staffId: string | null) => call<Task>("assign_task", { taskId, staffId }),
  blueprint: (serviceTypeId: string) => call<Blueprint>("blueprint", { serviceTypeId }),
  blueprintDrawing: (request: DrawingRequest) => call<Drawing>("blueprint_drawing", { request }),
  saveBlueprint: (draft: TemplateDraft) => call<number>("save_blueprint", { draft }),
  stageRemoval: (stages: Stage[], rules: ReminderRule[], stageId: string) => call<StageRemoval>("stage_removal", { stages, rules, stageId }),
  roleDuties: (date: string) => call<RoleDuties[]>("role_duties", { date }),
  exportBlueprint: (request: DrawingRequest, format: ExportFormat) => call<string>("export_blueprint", { request, format }),
  listStaff: () => call<Staff[]>("list_staff"),
  exportCallList: (query: CallListQuery, format: CallSheetFormat) => call<string>("export_call_list", { query, format }),
  listPatients: (query: string, offset: number, limit: number) => call<PatientPage>("list_patients", { query, offset, limit }),
  getPatient: (id: string) => call<Patient>("get_patient", { id }),
  createPatient: (input: PatientInput) => call<Patient>("create_patient", { input }),
  updatePatient: (id: string, input: PatientInput) => call<Patient>("update_patient", { id, input }),
  listServiceTypes: () => call<ServiceType[]>("list_service_types"),
  listProviders: () => call<Provider[]>("list_providers"),
  listRooms: () => call<Room[]>("list_rooms"),
  scheduleView: (query: ScheduleQuery) => call<ScheduleView>("schedule_view", { query }),
  bookAppointment: (request: BookingRequest) => call<Appointment>("book_appointment", { request }),
  bookSeries: (request: SeriesRequest) => call<Appointment[]>("book_series", { request }),
  rescheduleAppointment: (request: RescheduleRequest) => call<Appointment>("reschedule_appointment", { request }),
  cancelAppointment: (id: string, reason: string) => call<CancelOutcome>("cancel_appointment", { id, reason }),
  markNoShow: (id: string) => call<Appointment>("mark_no_show", { id }),
  findSlots: (query: SlotQuery) => call<FreeSlot[]>("find_slots", { query }),
  listWaitlist: () => call<WaitlistEntry[]>("list_waitlist"),
  addToWaitlist: (entry: NewWaitlistEntry) => call<WaitlistEntry>("add_to_waitlist", { entry }),
  removeFromWaitlist: (id: string) => call<null>("remove_from_waitlist", { id }),
  bookFromWaitlist: (entryId: string, request: BookingRequest) => call<Appointment>("book_from_waitlist", { entryId, request }),
  setupData: () => call<SetupData>("setup_data"),
  saveClinicDetails: (settings: ClinicSettings) => call<null>("save_clinic_details", { settings }),
  removeClosedDay: (date: string) => call<null>("remove_closed_day", { date }),
  addClosedDay: (day: ClosedDay) => call<ClosedDaysAdded>("add_closed_day", { day }),
  importClosedDays: (name: string, text: string) => call<ClosedDaysAdded>("import_closed_days", { name, text }),
  createStaff: (input: StaffInput) => call<Staff>("create_staff", { input }),
  updateStaff: (id: string, input: StaffInput) => call<Staff>("update_staff", { id, input }),
  createProvider: (input: ProviderInput) => call<Provider>("create_provider", { input }),
  updateProvider: (id: string, input: ProviderInput) => call<Provider>("update_provider", { id, input }),
  createRoom: (input: RoomInput) => call<Room>("create_room", { input }),
  updateRoom: (id: string, input: RoomInput) => call<Room>("update_room", { id, input }),
  createService: (input: ServiceInput) => call<ServiceType>("create_service", { input }),
  updateService: (id: string, input: ServiceInput) => call<ServiceType>("update_service", { id, input }),
  visitsToMove: (scope: MoveScope) => call<VisitToMove[]>("visits_to_move", { scope }),
  requestRebookCalls: (appointmentIds: string[]) => call<RebookCalls>("request_rebook_calls", { appointmentIds }),
  listBlockedPeriods: () => call<BlockedPeriod[]>("list_blocked_periods"),
  addBlockedPeriod: (input: BlockInput) => call<BlockAdded>("add_blocked_period", { input }),
  removeBlockedPeriod: (id: string) => call<null>("remove_blocked_period", { id }),
  listJourneys: () => call<JourneyRow[]>("list_journeys"),
  createJourney: (input: NewJourney) => call<JourneyTemplate>("create_journey", { input }),
  renameJourney: (familyKey: string, name: string) => call<null>("rename_journey", { familyKey, name }),
  setJourneyRetired: (familyKey: string, retired: boolean) => call<null>("set_journey_retired", { familyKey, retired }),
  rulesOverview: () => call<JourneyRules[]>("rules_overview"),
  flowBoard: () => call<FlowBoard>("flow_board"),
  moveOnFlowBoard: (appointmentId: string, column: FlowColumn) => call<FlowBoard>("move_on_flow_board", { appointmentId, column }),
  journeyTimeline: (journeyId: string) => call<JourneyTimeline>("journey_timeline", { journeyId }),
  journeyOfAppointment: (appointmentId: string) => call<string>("journey_of_appointment", { appointmentId }),
  patientJourneys: (patientId: string) => call<JourneySummary[]>("patient_journeys", { patientId }),
  insights: (query: InsightsQuery) => call<Insights>("insights", { query }),
  exportInsightsTable: (query: InsightsQuery, table: InsightsTable) => call<string>("export_insights_table", { query, table }),
  exportChartPng: (table: InsightsTable, png: number[]) => call<string>("export_chart_png", { table, png }),
  forecastDay: (date: string, replications: number, seed: number, scenarios: Scenario[]) =>
    call<DayForecasts>("forecast_day", { date, replications, seed, scenarios }),
  recordSurvey: (input: SurveyInput) => call<SurveyRecorded>("record_survey", { input }),
  kioskSurvey: (appointmentId: string) => call<KioskSurvey>("kiosk_survey", { appointmentId }),
  startKiosk: (appointmentId: string, pin: string) => call<KioskSurvey>("start_kiosk", { appointmentId, pin }),
  kioskState: () => call<KioskSurvey | null>("kiosk_state"),
  submitKiosk: (answers: SurveyAnswers, kano: KanoInput[]) => call<SurveyRecorded>("submit_kiosk", { answers, kano }),
  endKiosk: (pin: string) => call<null>("end_kiosk", { pin }),
  listKanoFeatures: () => call<KanoFeature[]>("list_kano_features"),
  addKanoFeature: (name: string) => call<KanoFeature>("add_kano_feature", { name }),
  standardsSetup: () => call<StandardsSetup>("standards_setup"),
  setServqualWeights: (weights: [Dimension, number][] | null) => call<null>("set_servqual_weights", { weights }),
  addStandard: (input: StandardInput) => call<Standard>("add_standard", { input }),
  setStandardActive: (id: string, active: boolean) => call<Standard>("set_standard_active", { id, active }),
  updateStandard: (id: string, edit: StandardEdit) => call<Standard>("update_standard", { id, edit }),
  recordAudit: (input: AuditInput) => call<AuditVisit>("record_audit", { input }),
  backupStatus: () => call<BackupStatus>("backup_status"),
  saveBackupPlan: (plan: BackupPlan) => call<null>("save_backup_plan", { plan }),
  backUpNow: () => call<BackupMade>("back_up_now"),
  previewBackup: (path: string, passphrase: string | null = null) => call<BackupPreview>("preview_backup", { path, passphrase }),
  restoreBackup: (path: string, passphrase: string | null = null) => call<Restored>("restore_backup", { path, passphrase }),
  signInState: () => call<SignInState>("sign_in_state"),
  signIn: (staffId: string, pin: string) => call<SignedIn>("sign_in", { staffId, pin }),
  signOut: () => call<null>("sign_out"),
  setStaffPin: (staffId: string, pin: string | null) => call<null>("set_staff_pin", { staffId, pin }),
  setIdleLockMinutes: (minutes: number) => call<null>("set_idle_lock_minutes", { minutes }),
  auditLog: (query: AuditLogQuery) => call<AuditLogEntry[]>("audit_log", { query }),
  exportAuditLog: (query: AuditLogQuery) => call<string>("export_audit_log", { query }),
  exportPatientData: (id: string) => call<string>("export_patient_data", { id }),
  erasePatient: (id: string) => call<null>("erase_patient", { id }),
  changeEncryption: (change: EncryptionChange) => call<boolean>("change_encryption_now", { change }),
  exportFile: (request: ExportRequest) => call<ExportSaved>("export_file", { request }),
  calendarFeeds: () => call<CalendarFeed[]>("calendar_feeds"),
  addCalendarFeed: (folder: string, scope: ExportScope, detail: PatientDetail, alarms: boolean) =>
    call<CalendarFeed>("add_calendar_feed", { folder, scope, detail, alarms }),
  removeCalendarFeed: (id: string) => call<null>("remove_calendar_feed", { id }),
  /** Hands the picked file to Rust as its raw bytes (Rust finds the encoding); returns its size. */
  stageImportFile: (bytes: Uint8Array) => call<number>("stage_import_file", bytes),
  importMapping: (kind: ImportKind) => call<MappingProposal>("import_mapping", { kind }),
  runImport: (request: ImportRequest) => call<ImportReport>("run_import", { request }),
  cancelImport: () => call<null>("cancel_import"),
};

/** Calls `onChange` after every committed write, from any screen or desk process. */
export function onDataChanged(onChange: (change: Change) => void): Promise<UnlistenFn> {
  return listen<Change>("data-changed", (event) => onChange(event.payload));
}

/** Calls `onLink` when the desk's link to the clinic server goes or comes back. */
export function onServerLink(onLink: (link: ServerLink | null) => void): Promise<UnlistenFn> {
  return listen<ServerLink | null>("server-link", (event) => onLink(event.payload));
}

/** Calls `onProgress` as an import is written (records written of all it writes). */
export function onImportProgress(onProgress: (progress: ImportProgress) => void): Promise<UnlistenFn> {
  return listen<ImportProgress>("import-progress", (event) => onProgress(event.payload));
}
