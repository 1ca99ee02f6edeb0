// The only place that calls the Rust side. Types come from the generated bindings.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  Appointment,
  BookingRequest,
  Change,
  ClinicOverview,
  DemoSummary,
  ErrorBody,
  Patient,
  PatientInput,
  PatientPage,
  Provider,
  Room,
  ScheduleDay,
  ServiceType,
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
    return { kind: String(body.kind), message: String(body.message), field: body.field ?? null, details: body.details ?? {} };
  }
  return { kind: "internal", message: String(raw), field: null, details: {} };
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw new ApiError(toErrorBody(raw));
  }
}

export const api = {
  clinicOverview: () => call<ClinicOverview>("clinic_overview"),
  loadDemoClinic: () => call<DemoSummary>("load_demo_clinic"),
  listPatients: (query: string, limit: number) => call<PatientPage>("list_patients", { query, limit }),
  getPatient: (id: string) => call<Patient>("get_patient", { id }),
  createPatient: (input: PatientInput) => call<Patient>("create_patient", { input }),
  updatePatient: (id: string, input: PatientInput) => call<Patient>("update_patient", { id, input }),
  listServiceTypes: () => call<ServiceType[]>("list_service_types"),
  listProviders: () => call<Provider[]>("list_providers"),
  listRooms: () => call<Room[]>("list_rooms"),
  scheduleDay: (date: string) => call<ScheduleDay>("schedule_day", { date }),
  bookAppointment: (request: BookingRequest) => call<Appointment>("book_appointment", { request }),
};

/** Calls `onChange` after every committed write, from any screen or desk process. */
export function onDataChanged(onChange: (change: Change) => void): Promise<UnlistenFn> {
  return listen<Change>("data-changed", (event) => onChange(event.payload));
}
