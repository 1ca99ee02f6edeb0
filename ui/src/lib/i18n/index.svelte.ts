// The UI language: every visible string goes through `t`. The choice is kept on this desk.
import { en, type Messages } from "./en";
import { ru } from "./ru";
import { uk } from "./uk";

export const LOCALES = { en, ru, uk } satisfies Record<string, Messages>;
export type Locale = keyof typeof LOCALES;
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", ru: "Русский", uk: "Українська" };

const STORAGE_KEY = "clinic-journey.locale";

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved && saved in LOCALES ? (saved as Locale) : "en";
}

const state = $state({ locale: initialLocale() });

export function locale(): Locale {
  return state.locale;
}

export function setLocale(next: Locale): void {
  state.locale = next;
  globalThis.localStorage?.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
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
