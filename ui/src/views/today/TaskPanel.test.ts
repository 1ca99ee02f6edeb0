import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import TaskPanel from "./TaskPanel.svelte";
import type { CallListRow } from "../../lib/bindings";

afterEach(() => cleanup());

function row(patient_language: string): CallListRow {
  return {
    task_id: "t1", purpose: "rule", reason: "Confirmation call", stage_key: "confirmation",
    kind: "call", role: "front_desk", section: "today", due_at: "2026-11-30T08:00:00Z", attempts: 0, max_attempts: 3,
    last_outcome: null, note: "", assignee_id: null, assignee_name: null, patient_id: "p1", patient_name: "Олена Гнатюк",
    phone: "+380 67 000 0001", email: null, preferred_channel: "phone", patient_language, appointment_id: "a1",
    appointment_start: "2026-12-02T08:00:00Z", appointment_status: "booked", provider_name: "Dr Ivanova",
    service_name: "First consultation", outcomes: ["confirmed", "no_answer"], confirm_until: "2026-12-02T08:00:00Z",
    move_until: null, records_survey: false,
  } as unknown as CallListRow;
}

function open(r: CallListRow) {
  render(TaskPanel, { props: { row: r, staff: [], busy: false, onoutcome: vi.fn(), onassign: vi.fn() } });
}

describe("TaskPanel", () => {
  it("reads the call script in the patient's language, and says so when it is not the window's", () => {
    open(row("uk"));
    expect(screen.getByTestId("task-script").textContent).toMatch(/^Олена Гнатюк, добрий день! .*Чи зможете ви прийти\?$/);
    expect(screen.getByTestId("script-language").textContent).toBe("in Ukrainian");
    cleanup();
    open(row("en"));
    expect(screen.getByTestId("task-script").textContent).toMatch(/confirm/i);
    expect(screen.queryByTestId("script-language")).toBeNull();
    cleanup();
    // Latvian has no window of its own: the window's language.
    open(row("lv"));
    expect(screen.queryByTestId("script-language")).toBeNull();
  });

  it("on a call to rebook reads the rebooking words and offers only the outcomes Rust sends", () => {
    open({ ...row("en"), purpose: "rebook", stage_key: "", reason: "Visit needs a new time", outcomes: ["rescheduled", "voicemail", "no_answer", "wrong_number", "declined"], confirm_until: null });
    expect(screen.getByTestId("task-script").textContent).toMatch(/can no longer see you with Dr Ivanova .* another time\?$/);
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Visit needs a new time");
    expect(screen.queryByTestId("outcome-confirmed")).toBeNull();
    expect(screen.getAllByRole("button").filter((b) => b.dataset.testid?.startsWith("outcome-")).map((b) => b.dataset.testid)).toEqual([
      "outcome-rescheduled",
      "outcome-voicemail",
      "outcome-no_answer",
      "outcome-wrong_number",
      "outcome-declined",
    ]);
  });
});
