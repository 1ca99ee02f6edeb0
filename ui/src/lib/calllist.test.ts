import { describe, expect, it } from "vitest";
import type { CallListRow } from "./bindings";
import {
  callItems,
  canConfirm,
  itemTops,
  keyAction,
  moveSelection,
  nextSelection,
  outcomeForKey,
  outcomesFor,
  rescheduleStep,
  revealScroll,
  rowIds,
  scriptKey,
  searchRows,
  visibleWindow,
} from "./calllist";

const row = (task_id: string, section: CallListRow["section"], kind: CallListRow["kind"], extra: Partial<CallListRow> = {}) =>
  ({ task_id, section, kind, stage_key: "confirmation", patient_name: "Anna Berg", phone: "+371 2000 1234", ...extra }) as CallListRow;

const label = (i: ReturnType<typeof callItems>[number]) =>
  i.type === "row" ? i.row.task_id : `${i.type}:${i.type === "group" ? i.group : i.section}:${i.count}`;

describe("call list items", () => {
  it("orders sections, then kinds inside each, with their counts", () => {
    const items = callItems([row("a", "today", "sms"), row("b", "overdue", "call"), row("c", "today", "call"), row("d", "today", "duty")]);
    expect(items.map(label)).toEqual([
      "section:overdue:1", "group:calls:1", "b",
      "section:today:3", "group:calls:1", "c", "group:messages:1", "a", "group:duties:1", "d",
    ]);
    expect(rowIds(items)).toEqual(["b", "c", "a", "d"]);
  });

  it("finds rows by every typed word, in names or phone digits", () => {
    const rows = [row("a", "today", "call"), row("b", "today", "call", { patient_name: "Boris Kalnins", phone: "+371 2999 0000" })];
    expect(searchRows(rows, "anna").map((r) => r.task_id)).toEqual(["a"]);
    expect(searchRows(rows, "boris kal").map((r) => r.task_id)).toEqual(["b"]);
    expect(searchRows(rows, "20001234").map((r) => r.task_id)).toEqual(["a"]);
    expect(searchRows(rows, "anna boris")).toEqual([]);
    expect(searchRows(rows, "  ")).toHaveLength(2);
  });
});

describe("windowing", () => {
  const items = callItems(Array.from({ length: 1000 }, (_, i) => row(`t${i}`, "today", "call")));
  const tops = itemTops(items, { section: 40, group: 30, row: 50 });

  it("places items by their own heights", () => {
    expect(tops.slice(0, 4)).toEqual([0, 40, 70, 120]);
    expect(tops[items.length]).toBe(40 + 30 + 1000 * 50);
  });

  it("draws only what is in view, plus the overscan", () => {
    const w = visibleWindow(tops, 5070, 500, 2);
    // y = 5070 is the start of row index 100 (item 102); 500 px show ten rows.
    expect(w).toEqual({ first: 100, last: 114, height: 50070 });
    expect(visibleWindow(tops, 0, 500, 0).first).toBe(0);
    expect(visibleWindow(tops, 999999, 500, 0).last).toBe(items.length);
    expect(visibleWindow([0], 0, 500)).toEqual({ first: 0, last: 0, height: 0 });
  });

  it("scrolls as little as possible to reveal a row", () => {
    expect(revealScroll(100, 150, 0, 400)).toBe(0);
    expect(revealScroll(500, 550, 0, 400)).toBe(150);
    expect(revealScroll(100, 150, 300, 400)).toBe(100);
  });
});

describe("outcomes and keys", () => {
  it("numbers the outcomes Rust sends with the row from 1", () => {
    const call = { outcomes: ["confirmed", "reached", "voicemail", "no_answer"] as CallListRow["outcomes"] };
    expect(outcomesFor(call).map((o) => o.key)).toEqual(["1", "2", "3", "4"]);
    expect(outcomeForKey(call, "1")).toBe("confirmed");
    expect(outcomeForKey(call, "4")).toBe("no_answer");
    expect(outcomeForKey({ outcomes: ["done"] }, "1")).toBe("done");
    expect(outcomeForKey({ outcomes: ["done"] }, "2")).toBeNull();
  });

  it("offers 'confirmed' until the instant Rust gives, and never without one", () => {
    const until = "2026-11-26T09:00:00Z";
    expect(canConfirm({ confirm_until: until }, new Date("2026-11-26T08:59:00Z"))).toBe(true);
    expect(canConfirm({ confirm_until: until }, new Date(until))).toBe(false);
    expect(canConfirm({ confirm_until: null }, new Date("2026-11-24T10:00:00Z"))).toBe(false);
  });

  it("leaves keys alone while typing or with modifiers", () => {
    const body = { tagName: "BODY" };
    expect(keyAction({ key: "j", target: body })).toEqual({ type: "move", step: 1 });
    expect(keyAction({ key: "ArrowUp", target: body })).toEqual({ type: "move", step: -1 });
    expect(keyAction({ key: "3", target: body })).toEqual({ type: "outcome", key: "3" });
    expect(keyAction({ key: "/", target: body })).toEqual({ type: "filter" });
    expect(keyAction({ key: "3", target: { tagName: "TEXTAREA" } })).toBeNull();
    expect(keyAction({ key: "j", target: { tagName: "input" } })).toBeNull();
    expect(keyAction({ key: "1", target: body, ctrlKey: true })).toBeNull();
    expect(keyAction({ key: "8", target: body })).toBeNull();
  });

  it("picks the script by kind and stage, falling back to the kind's default", () => {
    expect(scriptKey({ kind: "call", stage_key: "confirmation", purpose: "rule" })).toBe("call.confirmation");
    expect(scriptKey({ kind: "sms", stage_key: "intake_forms", purpose: "rule" })).toBe("message.intake_forms");
    expect(scriptKey({ kind: "call", stage_key: "intake_forms", purpose: "rule" })).toBe("call.default");
    expect(scriptKey({ kind: "duty", stage_key: "confirmation", purpose: "rule" })).toBe("duty.default");
  });

  it("reads the rebooking words on a call to rebook, which has no stage", () => {
    expect(scriptKey({ kind: "call", stage_key: "", purpose: "rebook" })).toBe("call.rebook");
  });
});

describe("selection", () => {
  it("moves to the next row after one is handled, else the one before", () => {
    expect(nextSelection(["a", "b", "c"], ["a", "c"], "b")).toBe("c");
    expect(nextSelection(["a", "b", "c"], ["a", "b"], "c")).toBe("b");
    // Still open after "no answer": the desk moves on to the next call.
    expect(nextSelection(["a", "b", "c"], ["a", "b", "c"], "a")).toBe("b");
    expect(nextSelection(["a"], ["a"], "a")).toBe("a");
    expect(nextSelection(["a"], [], "a")).toBeNull();
  });

  it("steps within the list and starts at an end", () => {
    expect(moveSelection(["a", "b"], null, 1)).toBe("a");
    expect(moveSelection(["a", "b"], null, -1)).toBe("b");
    expect(moveSelection(["a", "b"], "b", 1)).toBe("b");
    expect(moveSelection([], "a", 1)).toBeNull();
  });

  it("moves a visit still to come, and books anew for one that is past or missed", () => {
    const now = new Date("2026-11-24T10:00:00Z");
    const base = { appointment_id: "v", patient_id: "p", move_until: "2026-11-26T09:00:00Z" as string | null };
    expect(rescheduleStep(base, now)).toEqual({ type: "reschedule", appointmentId: "v" });
    expect(rescheduleStep({ ...base, move_until: null }, now)).toEqual({ type: "book", patientId: "p" });
    expect(rescheduleStep({ ...base, move_until: "2026-11-20T09:00:00Z" }, now)).toEqual({ type: "book", patientId: "p" });
  });
});
