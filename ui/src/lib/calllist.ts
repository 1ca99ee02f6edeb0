// Pure helpers of the call list: grouping rows for display, the outcomes a task kind allows
// (with their keys), which script a row reads, and the rows a scrolled window shows.
import type { CallListRow, CallSection, TaskKind, TaskOutcome } from "./bindings";

export const SECTIONS: CallSection[] = ["overdue", "today", "upcoming"];
export type KindGroup = "calls" | "messages" | "duties";

export function kindGroup(kind: TaskKind): KindGroup {
  if (kind === "call") return "calls";
  if (kind === "duty") return "duties";
  return "messages";
}

export type CallItem =
  | { type: "section"; section: CallSection; count: number }
  | { type: "group"; section: CallSection; group: KindGroup; count: number }
  | { type: "row"; row: CallListRow };

/** Sections in order, each grouped by kind (calls, messages, duties), rows by due time. */
export function callItems(rows: CallListRow[]): CallItem[] {
  const items: CallItem[] = [];
  for (const section of SECTIONS) {
    const inSection = rows.filter((r) => r.section === section);
    if (inSection.length === 0) continue;
    items.push({ type: "section", section, count: inSection.length });
    for (const group of ["calls", "messages", "duties"] as KindGroup[]) {
      const inGroup = inSection.filter((r) => kindGroup(r.kind) === group);
      if (inGroup.length === 0) continue;
      items.push({ type: "group", section, group, count: inGroup.length });
      for (const row of inGroup) items.push({ type: "row", row });
    }
  }
  return items;
}

const OUTCOMES: Record<TaskKind, TaskOutcome[]> = {
  call: ["confirmed", "reached", "voicemail", "no_answer", "wrong_number", "rescheduled", "declined"],
  sms: ["done", "confirmed", "rescheduled", "declined", "wrong_number"],
  email: ["done", "confirmed", "rescheduled", "declined", "wrong_number"],
  letter: ["done", "confirmed", "rescheduled", "declined", "wrong_number"],
  duty: ["done"],
};

/** The outcomes of a kind, in key order: key "1" is the first. */
export function outcomesFor(kind: TaskKind): TaskOutcome[] {
  return OUTCOMES[kind];
}

export function outcomeForKey(kind: TaskKind, key: string): TaskOutcome | null {
  const n = Number.parseInt(key, 10);
  return Number.isInteger(n) && n >= 1 ? (OUTCOMES[kind][n - 1] ?? null) : null;
}

const SCRIPTED = ["confirmation", "reminder", "follow_up_call", "recall", "booking"];

/** Which script a row reads: its stage's, or its kind's. */
export function scriptKey(row: Pick<CallListRow, "stage_key" | "kind">): string {
  return row.kind !== "duty" && SCRIPTED.includes(row.stage_key) ? row.stage_key : row.kind;
}

/** The row to select after `taskId` leaves or changes: the next one, else the previous. */
export function nextSelection(rows: CallListRow[], taskId: string): string | null {
  const i = rows.findIndex((r) => r.task_id === taskId);
  if (i < 0) return rows[0]?.task_id ?? null;
  return rows[i + 1]?.task_id ?? rows[i - 1]?.task_id ?? null;
}

/** The slice of items a scrolled list shows, with `overscan` extra on each side. */
export function visibleWindow(total: number, itemHeight: number, scrollTop: number, viewHeight: number, overscan = 6) {
  const first = Math.max(0, Math.floor(scrollTop / itemHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / itemHeight) + overscan);
  return { first, last, offset: first * itemHeight, height: total * itemHeight };
}
