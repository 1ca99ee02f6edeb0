import { describe, expect, it } from "vitest";
import type { RowProblem } from "./bindings";
import { en } from "./i18n/en";
import { translate } from "./i18n/index.svelte";
import { fieldLabel, problemsCsv, scopeOf, scopeValue } from "./interchange";

const t = (key: string, params?: Record<string, string | number>) => translate(en, key, params);

describe("the import and export helpers", () => {
  it("label a field by its kind, or by the patient's then the visit's", () => {
    expect(fieldLabel("phone", t, "appointments")).toBe("Patient's phone");
    expect(fieldLabel("phone", t)).toBe("Phone");
    expect(fieldLabel("provider", t)).toBe("Provider");
    expect(fieldLabel("shoe_size", t)).toBe("shoe size");
  });

  it("turn a scope into an option value and back", () => {
    for (const scope of [{ kind: "clinic" }, { kind: "provider", id: "v1" }, { kind: "room", id: "r2" }] as const) {
      expect(scopeOf(scopeValue(scope))).toEqual(scope);
    }
  });

  it("write the problems as CSV a spreadsheet reads: quoted where needed, with a byte-order mark", () => {
    const problems: RowProblem[] = [
      { line: 3, column: "Name, full", value: 'Anna "Ann" Bērziņa', reason: { reason: "no_rows_to_import" } },
      { line: 4, column: "DOB", value: "1980-13-01", reason: { reason: "bad_date", value: "1980-13-01" } },
    ];
    const text = problemsCsv(problems, ["Line", "Column", "Value", "Problem"], (p) => p.reason.reason);
    expect(text).toBe('\ufeffLine,Column,Value,Problem\r\n3,"Name, full","Anna ""Ann"" Bērziņa",no_rows_to_import\r\n4,DOB,1980-13-01,bad_date\r\n');
  });
});
