import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import BoardCard from "./BoardCard.svelte";
import type { FlowCard, FlowColumn } from "../../lib/bindings";

afterEach(() => cleanup());

function card(column: FlowColumn, previous: FlowColumn | null, next: FlowColumn | null): FlowCard {
  return {
    appointment_id: "a1", journey_id: "j1", patient_id: "p1", patient_name: "Anna Petrova", provider_name: "Dr Elena Ivanova",
    room_name: "Room 1", service_name: "First consultation", service_color: "#2f7d7a", status: "arrived",
    starts_at: "2026-12-01T08:00:00Z", ends_at: "2026-12-01T08:40:00Z", column, stage_name: "Check-in",
    since: "2026-12-01T07:58:00Z", standard_minutes: 5, previous_column: previous, next_column: next,
    amber_at: "2026-12-01T08:03:00Z", red_at: "2026-12-01T08:05:30Z",
  };
}

function show(c: FlowCard) {
  const onmove = vi.fn();
  render(BoardCard, { props: { card: c, now: new Date("2026-12-01T08:01:00Z"), zone: "Europe/Riga", busy: false, onmove, onjourney: vi.fn(), ondrag: vi.fn() } });
  return onmove;
}

describe("BoardCard", () => {
  it("moves on to the column Rust names, skipping one the journey does not have", async () => {
    // A clinic without a waiting room: from "arrived" the next step is "with clinician".
    const onmove = show(card("arrived", "booked", "with_clinician"));
    await fireEvent.click(screen.getByTestId("flow-advance"));
    expect(onmove).toHaveBeenCalledWith(expect.objectContaining({ appointment_id: "a1" }), "with_clinician");
    await fireEvent.click(screen.getByTestId("flow-back"));
    expect(onmove).toHaveBeenLastCalledWith(expect.anything(), "booked");
  });

  it("has no button where Rust gives no column", () => {
    show(card("done", "check_out", null));
    expect(screen.queryByTestId("flow-advance")).toBeNull();
    cleanup();
    show(card("booked", null, "arrived"));
    expect(screen.queryByTestId("flow-back")).toBeNull();
    expect(screen.getByTestId("flow-advance")).not.toBeNull();
  });
});
