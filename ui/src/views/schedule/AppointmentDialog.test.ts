import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import AppointmentDialog from "./AppointmentDialog.svelte";
import type { AppointmentAction, ScheduleEntry } from "../../lib/bindings";

afterEach(() => cleanup());

const START = "2026-12-01T08:00:00Z";

function entry(allowed: AppointmentAction[], noShowFrom: string | null, status: ScheduleEntry["status"] = "booked"): ScheduleEntry {
  return {
    appointment_id: "a1", column: 0, patient_id: "p1", patient_name: "Anna Petrova", patient_phone: "+371 2000 0001",
    provider_id: "d1", provider_name: "Dr Elena Ivanova", room_id: "r1", room_name: "Room 1", service_type_id: "s1",
    service_name: "First consultation", service_color: "#2f7d7a", status, series_index: null, notes: "",
    starts_at: START, ends_at: "2026-12-01T08:40:00Z", date: "2026-12-01", start_minute: 600, end_minute: 640,
    allowed, no_show_from: noShowFrom,
  };
}

function open(e: ScheduleEntry, now: string) {
  render(AppointmentDialog, { props: { entry: e, providers: [], rooms: [], now: new Date(now), onclose: vi.fn(), ondone: vi.fn() } });
}

const shown = (id: string) => screen.queryByTestId(id) !== null;

describe("AppointmentDialog", () => {
  it("shows a button exactly for each action Rust allows, whatever the status says", () => {
    // An arrived patient: Rust allows only a cancellation (the window used to hide it).
    open(entry(["cancel"], null, "arrived"), "2026-12-01T08:10:00Z");
    expect([shown("appointment-reschedule"), shown("appointment-noshow"), shown("appointment-cancel")]).toEqual([false, false, true]);
    cleanup();
    // A proposed visit: moving and cancelling, never a no-show (the window used to offer one).
    open(entry(["reschedule", "cancel"], null, "proposed"), "2026-12-01T08:10:00Z");
    expect([shown("appointment-reschedule"), shown("appointment-noshow"), shown("appointment-cancel")]).toEqual([true, false, true]);
    cleanup();
    open(entry([], null, "fulfilled"), "2026-12-01T08:10:00Z");
    expect([shown("appointment-reschedule"), shown("appointment-noshow"), shown("appointment-cancel")]).toEqual([false, false, false]);
  });

  it("enables a no-show from the instant Rust gives, not before", () => {
    open(entry(["reschedule", "cancel", "no_show"], START), "2026-12-01T07:59:00Z");
    expect((screen.getByTestId("appointment-noshow") as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    open(entry(["reschedule", "cancel", "no_show"], START), START);
    expect((screen.getByTestId("appointment-noshow") as HTMLButtonElement).disabled).toBe(false);
  });
});
