import { describe, expect, it } from "vitest";
import { en } from "./en";
import { LOCALES, translate } from "./index.svelte";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message files", () => {
  const reference = leaves(en as unknown as Tree);

  for (const [code, messages] of Object.entries(LOCALES)) {
    it(`${code} has every English key, no more, none empty, with the same placeholders`, () => {
      const own = leaves(messages as unknown as Tree);
      expect([...own.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [key, text] of own) {
        expect(text.trim(), `${code}:${key}`).not.toBe("");
        expect(placeholders(text), `${code}:${key}`).toEqual(placeholders(reference.get(key)!));
      }
    });
  }

  it("fills placeholders and shows unknown keys as themselves", () => {
    expect(translate(en, "patients.countAll", { total: 9 })).toBe("Found: 9");
    expect(translate(LOCALES.ru, "setup.readySummary", { staff: 1, providers: 2, rooms: 1, services: 3 })).toBe("Сотрудников: 1, врачей: 2, кабинетов: 1, услуг: 3.");
    expect(translate(LOCALES.zh, "patients.countAll", { total: 9 })).toBe("共找到9名");
    expect(translate(en, "no.such.key")).toBe("no.such.key");
    expect(translate(en, "booking.minutes")).toBe("{minutes} min");
  });
});
