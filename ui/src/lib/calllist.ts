// Pure helpers of the Today screen's call list: flattening sections and kinds into display
// items, the windowing of the virtualised list, the outcomes a task kind allows (with their
// keys), which script a row reads, what the keyboard does, and where the selection goes next.
import type { CallListRow, CallSection, TaskKind, TaskOutcome } from "./bindings";

export const SECTIONS: readonly CallSection[] = ["overdue", "today", "upcoming"];
export const KINDS: readonly TaskKind[] = ["call", "sms", "email", "letter", "duty"];

/** Calls, messages (SMS, e-mail, letter) and duties: the groups inside each section. */
export type KindGroup = "calls" | "messages" | "duties";
export const KIND_GROUPS: readonly KindGroup[] = ["calls", "messages", "duties"];

export function kindGroup(kind: TaskKind): KindGroup {
  if (kind === "call") return "calls";
  if (kind === "duty") return "duties";
  return "messages";
}

// ---- Display items ------------------------------------------------------------------------

export type CallItem =
  | { type: "section"; key: string; section: CallSection; count: number }
  | { type: "group"; key: string; section: CallSection; group: KindGroup; count: number }
  | { type: "row"; key: string; row: CallListRow };

/** Fixed heights (px) of the list's three kinds of line; the windowing relies on them. */
export const ITEM_HEIGHTS: Readonly<Record<CallItem["type"], number>> = { section: 40, group: 30, row: 58 };

/**
 * The list as drawn: each non-empty section with its count, inside it each non-empty kind
 * group with its count, and the group's rows in the order the server sent them (by due time).
 */
export function callItems(rows: readonly CallListRow[]): CallItem[] {
  const items: CallItem[] = [];
  for (const section of SECTIONS) {
    const inSection = rows.filter((r) => r.section === section);
    if (inSection.length === 0) continue;
    items.push({ type: "section", key: `s:${section}`, section, count: inSection.length });
    for (const group of KIND_GROUPS) {
      const inGroup = inSection.filter((r) => kindGroup(r.kind) === group);
      if (inGroup.length === 0) continue;
      items.push({ type: "group", key: `g:${section}:${group}`, section, group, count: inGroup.length });
      for (const row of inGroup) items.push({ type: "row", key: row.task_id, row });
    }
  }
  return items;
}

/** The task ids in display order (what ↑/↓ walk through). */
export function rowIds(items: readonly CallItem[]): string[] {
  return items.flatMap((i) => (i.type === "row" ? [i.key] : []));
}

/** Rows whose patient name or phone contains every typed word (digits match across spaces). */
export function searchRows(rows: readonly CallListRow[], text: string): CallListRow[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const name = r.patient_name.toLowerCase();
    const digits = r.phone.replace(/\D/g, "");
    return words.every((w) => name.includes(w) || r.phone.toLowerCase().includes(w) || (/^\+?\d+$/.test(w) && digits.includes(w.replace("+", ""))));
  });
}

// ---- Windowing ----------------------------------------------------------------------------

/** Where each item starts: `tops[i]`, with `tops[items.length]` the total height. */
export function itemTops(items: readonly CallItem[], heights: Readonly<Record<CallItem["type"], number>> = ITEM_HEIGHTS): number[] {
  const tops = new Array<number>(items.length + 1);
  tops[0] = 0;
  for (let i = 0; i < items.length; i++) tops[i + 1] = tops[i] + heights[items[i].type];
  return tops;
}

/** The index of the item under pixel `y` (clamped to the list). */
function itemAt(tops: readonly number[], y: number): number {
  const count = tops.length - 1;
  if (count <= 0) return 0;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export type ListWindow = { first: number; last: number; height: number };

/**
 * The items a scrolled list draws: those overlapping `[scrollTop, scrollTop + viewHeight)`
 * plus `overscan` on each side; `last` is exclusive. `height` is the whole list's height.
 */
export function visibleWindow(tops: readonly number[], scrollTop: number, viewHeight: number, overscan = 4): ListWindow {
  const count = tops.length - 1;
  const height = tops[count] ?? 0;
  if (count <= 0) return { first: 0, last: 0, height };
  const top = Math.max(0, Math.min(scrollTop, height));
  const bottom = Math.max(top, top + Math.max(0, viewHeight) - 1);
  const first = Math.max(0, itemAt(tops, top) - overscan);
  const last = Math.min(count, itemAt(tops, bottom) + 1 + overscan);
  return { first, last, height };
}

/** The scroll position that brings `[top, bottom)` into view, moving as little as possible. */
export function revealScroll(top: number, bottom: number, scrollTop: number, viewHeight: number): number {
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewHeight) return Math.max(0, Math.min(top, bottom - viewHeight));
  return scrollTop;
}

// ---- Outcomes and keys --------------------------------------------------------------------

// Which outcomes a task takes, and until when "confirmed" and a move apply, come with each row
// from Rust (`CallListRow.outcomes`, `confirm_until`, `move_until`); these only render them.

/** The outcomes a row accepts, each with the number key that records it. */
export function outcomesFor(row: Pick<CallListRow, "outcomes">): { outcome: TaskOutcome; key: string }[] {
  return row.outcomes.map((outcome, i) => ({ outcome, key: String(i + 1) }));
}

/**
 * Whether "confirmed" applies to a row now: until the instant Rust gives. The button stays in
 * its place, so the number keys never shift, but is disabled.
 */
export function canConfirm(row: Pick<CallListRow, "confirm_until">, now: Date): boolean {
  return row.confirm_until !== null && now.getTime() < new Date(row.confirm_until).getTime();
}

/** The outcome a number key records for a row, if any. */
export function outcomeForKey(row: Pick<CallListRow, "outcomes">, key: string): TaskOutcome | null {
  return outcomesFor(row).find((o) => o.key === key)?.outcome ?? null;
}

// ---- Scripts ------------------------------------------------------------------------------

/** Stages with their own words, per way of reaching the patient; others use the default. */
const SCRIPTED: Readonly<Record<"call" | "message" | "duty", readonly string[]>> = {
  call: ["confirmation", "reminder", "follow_up_call", "recall", "booking", "pre_op_instructions"],
  message: ["confirmation", "reminder", "recall", "booking", "intake_forms", "feedback_survey"],
  duty: [],
};

export type ScriptMode = "call" | "message" | "duty";

export function scriptMode(kind: TaskKind): ScriptMode {
  return kind === "call" ? "call" : kind === "duty" ? "duty" : "message";
}

/** The message key (under `today.scripts`) of what to say, send or do for a row. */
export function scriptKey(row: Pick<CallListRow, "stage_key" | "kind" | "purpose">): string {
  const mode = scriptMode(row.kind);
  if (row.purpose === "rebook" && mode === "call") return "call.rebook";
  return `${mode}.${SCRIPTED[mode].includes(row.stage_key) ? row.stage_key : "default"}`;
}

// ---- Selection ----------------------------------------------------------------------------

/**
 * After `taskId` was handled (or vanished), the row to select in the new list `after`:
 * the first row that followed it before and is still there, else the nearest one before it,
 * else the new list's first row. A task still open after a retry is passed over too.
 */
export function nextSelection(before: readonly string[], after: readonly string[], taskId: string): string | null {
  const present = new Set(after);
  const i = before.indexOf(taskId);
  if (i >= 0) {
    for (let j = i + 1; j < before.length; j++) if (present.has(before[j]) && before[j] !== taskId) return before[j];
    for (let j = i - 1; j >= 0; j--) if (present.has(before[j]) && before[j] !== taskId) return before[j];
  }
  return after.find((id) => id !== taskId) ?? (present.has(taskId) ? taskId : null);
}

/** One step up or down from `current` (the first row when nothing is selected). */
export function moveSelection(ids: readonly string[], current: string | null, step: number): string | null {
  if (ids.length === 0) return null;
  const i = current === null ? -1 : ids.indexOf(current);
  if (i < 0) return step < 0 ? ids[ids.length - 1] : ids[0];
  return ids[Math.min(ids.length - 1, Math.max(0, i + step))];
}

// ---- Keyboard -----------------------------------------------------------------------------

export type KeyAction =
  | { type: "move"; step: number }
  | { type: "outcome"; key: string }
  | { type: "note" }
  | { type: "filter" };

export type KeyPress = { key: string; target: { tagName?: string; isContentEditable?: boolean } | null; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean };

/** True while the person is typing: then the list's keys are left alone. */
export function isTyping(target: KeyPress["target"]): boolean {
  if (!target) return false;
  return target.isContentEditable === true || ["INPUT", "TEXTAREA", "SELECT"].includes((target.tagName ?? "").toUpperCase());
}

/** What a key press does on the call list, or null to leave it to the browser. */
export function keyAction(press: KeyPress): KeyAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey || isTyping(press.target)) return null;
  switch (press.key) {
    case "ArrowDown":
    case "j":
      return { type: "move", step: 1 };
    case "ArrowUp":
    case "k":
      return { type: "move", step: -1 };
    case "n":
      return { type: "note" };
    case "/":
      return { type: "filter" };
  }
  return /^[1-7]$/.test(press.key) ? { type: "outcome", key: press.key } : null;
}

// ---- After "rescheduled" ------------------------------------------------------------------

export type RescheduleStep = { type: "reschedule"; appointmentId: string } | { type: "book"; patientId: string };

/**
 * Where "rescheduled" leads: a visit still to come is moved (its dialog opens on the
 * schedule); a past, missed or cancelled one is replaced by booking a new visit.
 */
export function rescheduleStep(row: Pick<CallListRow, "appointment_id" | "move_until" | "patient_id">, now: Date): RescheduleStep {
  const movable = row.move_until !== null && now.getTime() < new Date(row.move_until).getTime();
  return movable ? { type: "reschedule", appointmentId: row.appointment_id } : { type: "book", patientId: row.patient_id };
}
