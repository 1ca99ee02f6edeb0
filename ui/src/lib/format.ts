// Dates, times and names as the clinic reads them. Instants are shown in the clinic's zone.
import type { Locale } from "./i18n/index.svelte";

/** The BCP-47 tag Intl (and the page's `lang`) gets for each window language: Chinese is
 *  Simplified, as written in mainland China. */
export const LANGUAGE_TAGS: Record<Locale, string> = { en: "en", ru: "ru", uk: "uk", zh: "zh-CN" };

/** The tag for a window language; anything else (already a tag) passes through. */
export function languageTag(locale: string): string {
  return (LANGUAGE_TAGS as Record<string, string>)[locale] ?? locale;
}

// Building an Intl formatter loads ICU locale and zone data each time; a clinic's window uses a
// few dozen distinct ones, so each is built once and kept.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** The Intl.DateTimeFormat for a window language (or tag) and options, built once. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const tag = languageTag(locale);
  const key = `${tag}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(tag, options)));
  return format;
}

/** The Intl.NumberFormat for a window language (or tag) and options, built once. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const tag = languageTag(locale);
  const key = `${tag}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(tag, options)));
  return format;
}

/** A limit in minutes as people say it: "5 days", "4 hours", "90 minutes" (the largest whole unit). */
export function durationText(minutes: number, locale: string): string {
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, "day"] : minutes % 60 === 0 ? [minutes / 60, "hour"] : [minutes, "minute"];
  return numberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
}

const isChinese = (locale: string) => languageTag(locale).toLowerCase().startsWith("zh");

/** Whether the window's language writes and asks for the family name first (姓 before 名). */
export function familyNameFirst(locale: string): boolean {
  return isChinese(locale);
}

export function hhmm(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

export function parseHhmm(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [h, m] = [Number(match[1]), Number(match[2])];
  return h < 24 && m < 60 ? h * 60 + m : null;
}

/** Adds days to an ISO date ("2026-11-24"), calendar-wise, without time-zone drift. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

export function longDate(isoDate: string, locale: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  return dateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** "1 Dec, 10:00": a coming visit, in the clinic's zone, on the clinic's 24-hour clock. */
export function dayAndTimeIn(instant: string, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(
    new Date(instant),
  );
}

/** "Tue, 1 December 2026, 10:40": a visit's whole date and time, in the clinic's zone. */
export function fullDateAndTimeIn(instant: string, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(instant));
}

/** "1 Dec 2026": a past visit, in the clinic's zone. */
export function dateIn(instant: string, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone }).format(new Date(instant));
}

/** Whole years between a birth date and a day, both ISO dates. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number);
  const [ty, tm, td] = today.split("-").map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** "1 Dec 2026": a date whose year matters (a backup's first and last visit). */
export function dateWithYear(isoDate: string, locale: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  return dateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "12.4 MB": a file's size, in the window's language. */
export function fileSize(bytes: number, locale: string): string {
  const [unit, size] = bytes >= 1e9 ? ["gigabyte", bytes / 1e9] : bytes >= 1e6 ? ["megabyte", bytes / 1e6] : ["kilobyte", Math.max(bytes / 1e3, 0.1)];
  return numberFormat(locale, { style: "unit", unit, maximumFractionDigits: 1 }).format(size);
}

/** "Tue 1 Dec": a date in a list of choices. */
export function shortDate(isoDate: string, locale: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  return dateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Monday of the week of an ISO date. */
export function mondayOf(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(isoDate, -weekday);
}

function parts(instant: string, timeZone: string, locale: string, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of dateTimeFormat(locale, { ...options, timeZone }).formatToParts(new Date(instant))) out[part.type] = part.value;
  return out;
}

/** The clinic-local calendar date of an instant, as YYYY-MM-DD. */
export function isoDateIn(instant: string, timeZone: string): string {
  const p = parts(instant, timeZone, "en-GB", { year: "numeric", month: "2-digit", day: "2-digit" });
  return `${p.year}-${p.month}-${p.day}`;
}

/** "Tue 01 Dec": the day of an instant in the clinic's zone, compact and in a fixed order
 *  ("12月01日周二" in Chinese, whose month and day need their 月 and 日). */
export function shortDayIn(instant: string, timeZone: string, locale: string): string {
  const options: Intl.DateTimeFormatOptions = { weekday: "short", day: "2-digit", month: "short" };
  if (isChinese(locale)) return dateTimeFormat(locale, { ...options, timeZone }).format(new Date(instant));
  const p = parts(instant, timeZone, locale, options);
  return `${p.weekday} ${p.day} ${p.month}`;
}

/** "10:00": the 24-hour clock time of an instant in the clinic's zone. */
export function timeIn(instant: string, timeZone: string, locale: string): string {
  const p = parts(instant, timeZone, locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return `${p.hour}:${p.minute}`;
}

/** "Tue 01 Dec 10:00": a visit or a due time on a list row, in the clinic's zone. */
export function shortDayTimeIn(instant: string, timeZone: string, locale: string): string {
  return `${shortDayIn(instant, timeZone, locale)} ${timeIn(instant, timeZone, locale)}`;
}

/** "Tuesday, 1 December": a date as said aloud, in the clinic's zone and the user's language. */
export function spokenDateIn(instant: string, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone }).format(new Date(instant));
}

// Names written in Chinese characters (or Japanese or Korean script) put the family name first
// with no space, whatever the window's language.
const EAST_ASIAN_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** "Anna Petrova", "张伟": a person's name as a sentence or a picker shows it. In the Chinese
 *  window family names come first ("Petrova Anna"), as on a Chinese form. */
export function personName(given: string, family: string, locale: string): string {
  const [g, f] = [given.trim(), family.trim()];
  if (EAST_ASIAN_SCRIPT.test(g + f)) return f + g;
  return (familyNameFirst(locale) ? [f, g] : [g, f]).filter(Boolean).join(" ");
}

/** "Petrova, Anna", "张伟": a name in a list sorted by family name. */
export function personNameFamilyFirst(given: string, family: string): string {
  const [g, f] = [given.trim(), family.trim()];
  if (EAST_ASIAN_SCRIPT.test(g + f)) return f + g;
  return [f, g].filter(Boolean).join(", ");
}
