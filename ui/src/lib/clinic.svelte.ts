// What every screen needs about the clinic: its settings, today's date, whether it is empty;
// and which screen is open.
import { api } from "./api";
import type { ClinicOverview, KioskSurvey } from "./bindings";
import { timeIn } from "./format";

export type View = "today" | "schedule" | "flow" | "patients" | "journey" | "blueprint" | "insights" | "settings" | "setup";

export const clinic = $state<{
  overview: ClinicOverview | null;
  view: View;
  bookFor: string | null;
  /**
   * An appointment the schedule opens on arrival, on its clinic-local date (after
   * "rescheduled" on the call list, straight on the move form when `reschedule`).
   */
  openAppointment: { id: string; date: string; reschedule: boolean } | null;
  /** The journey the Journey screen shows, and the screen to go back to. */
  journeyId: string | null;
  journeyFrom: View;
  /** The service whose blueprint the Blueprint screen opens on (from Settings). */
  blueprintService: string | null;
  /** While the window is a patient's kiosk, its survey (Rust holds the lock and the PIN). */
  kiosk: KioskSurvey | null;
}>({
  overview: null,
  view: "today",
  bookFor: null,
  openAppointment: null,
  journeyId: null,
  journeyFrom: "schedule",
  blueprintService: null,
  kiosk: null,
});

// How far the clinic's clock (the store's) is from this desk's: timers run on the clinic's.
let clockOffset = 0;

export async function refreshOverview(): Promise<void> {
  clinic.overview = await api.clinicOverview();
  clockOffset = new Date(clinic.overview.now).getTime() - Date.now();
}

/** The clinic's "now" (normally the desk's clock; a set time in demos and tests). */
export function clinicNow(): Date {
  return new Date(Date.now() + clockOffset);
}

/** "10:42": an instant as the clinic's time of day (the desk's zone before the overview is in). */
export function clinicTime(instant: string): string {
  const zone = clinic.overview?.settings.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return timeIn(instant, zone, "en");
}

/** Opens the schedule with the booking form ready for this patient. */
export function bookVisitFor(patientId: string): void {
  clinic.bookFor = patientId;
  clinic.view = "schedule";
}

/** Opens one patient journey's timeline; "Back" returns to the screen it was opened from. */
export function openJourney(journeyId: string): void {
  clinic.journeyFrom = clinic.view === "journey" ? clinic.journeyFrom : clinic.view;
  clinic.journeyId = journeyId;
  clinic.view = "journey";
}

/** Opens the schedule on an appointment's day with its dialog, ready to move it. */
export function rescheduleAppointment(appointmentId: string, date: string): void {
  clinic.openAppointment = { id: appointmentId, date, reschedule: true };
  clinic.view = "schedule";
}

/** Opens the blueprint editor on a service's journey. */
export function openBlueprint(serviceId: string): void {
  clinic.blueprintService = serviceId;
  clinic.view = "blueprint";
}

/** What an export adds to its "saved" notice: an encrypted clinic's files leave its encryption. */
export function exportNote(translate: (key: string) => string): string {
  return clinic.overview?.encrypted ? ` ${translate("app.exportNotEncrypted")}` : "";
}
