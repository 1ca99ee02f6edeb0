// The flow board's columns in order (where a card's buttons move it comes with the card).
import type { FlowColumn } from "./bindings";
import { dateTimeFormat } from "./format";

export const FLOW_COLUMNS: readonly FlowColumn[] = ["booked", "arrived", "waiting", "with_clinician", "check_out", "done"];

/** "09:30": an instant's clock time in the clinic's zone. */
export function timeIn(instant: string, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(new Date(instant));
}

/** Cards by column, each column in the board's order (every column present, maybe empty). */
export function byColumn<T extends { column: FlowColumn }>(cards: readonly T[]): Record<FlowColumn, T[]> {
  const out = Object.fromEntries(FLOW_COLUMNS.map((c) => [c, [] as T[]])) as Record<FlowColumn, T[]>;
  for (const card of cards) out[card.column].push(card);
  return out;
}
