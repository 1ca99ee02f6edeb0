// The UI language: every visible string goes through `t`. The choice is kept on this desk.
import { en, type Messages } from "./en";
import { ru } from "./ru";
import { uk } from "./uk";
import { zh } from "./zh";
import { languageTag } from "../format";

export const LOCALES = { en, ru, uk, zh } satisfies Record<string, Messages>;
export type Locale = keyof typeof LOCALES;
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", ru: "Русский", uk: "Українська", zh: "中文" };

const STORAGE_KEY = "clinic-journey.locale";

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved && saved in LOCALES ? (saved as Locale) : "en";
}

const state = $state({ locale: initialLocale() });
// The page's language from the start, not only after a change: it picks Chinese glyph forms
// and line breaking for the text the window shows.
if (globalThis.document) document.documentElement.lang = languageTag(state.locale);

export function locale(): Locale {
  return state.locale;
}

export function setLocale(next: Locale): void {
  state.locale = next;
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  document.documentElement.lang = languageTag(next);
}

/** Looks up a dotted key and fills `{name}` placeholders; an unknown key shows itself. */
export function translate(messages: Messages, key: string, params: Record<string, string | number> = {}): string {
  const found = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
  if (typeof found !== "string") return key;
  return found.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function has(key: string): boolean {
  return translate(LOCALES[state.locale], key) !== key;
}

export function t(key: string, params: Record<string, string | number> = {}): string {
  return translate(LOCALES[state.locale], key, params);
}
