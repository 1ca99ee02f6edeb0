// What every screen needs about the clinic: its settings, today's date, whether it is empty;
// and which screen is open.
import { api } from "./api";
import type { ClinicOverview } from "./bindings";

export type View = "patients" | "schedule";

export const clinic = $state<{ overview: ClinicOverview | null; view: View; bookFor: string | null }>({
  overview: null,
  view: "schedule",
  bookFor: null,
});

export async function refreshOverview(): Promise<void> {
  clinic.overview = await api.clinicOverview();
}

/** Opens the schedule with the booking form ready for this patient. */
export function bookVisitFor(patientId: string): void {
  clinic.bookFor = patientId;
  clinic.view = "schedule";
}
