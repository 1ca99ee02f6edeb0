// Weekly hours as the forms show them: weekdays 1 = Monday … 7 = Sunday, by name in the
// window's language (clock times: `hhmm` / `parseHhmm` in format.ts).
import type { WeekdayHours, Weeks } from "./bindings";
import { dateTimeFormat } from "./format";

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** "Monday" in the given locale (1 January 2024 was a Monday). */
export function weekdayName(weekday: number, locale: string, width: "long" | "short" = "long"): string {
  return dateTimeFormat(locale, { weekday: width, timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, weekday)));
}

/** The spans of one weekday, in order. */
export function spansOf(hours: readonly WeekdayHours[], weekday: number): WeekdayHours[] {
  return hours.filter((h) => h.weekday === weekday).sort((a, b) => a.span.start - b.span.start);
}

/** "Every other week, from this week": alternating weeks named by where this week falls (Rust
 *  says which alternating week this one is). */
export function weeksLabel(weeks: Weeks, thisWeek: Weeks, t: (key: string) => string): string {
  if (weeks === "every") return t("settings.hours.weeksOf.every");
  return t(weeks === thisWeek ? "settings.hours.weeksOf.thisWeek" : "settings.hours.weeksOf.nextWeek");
}
