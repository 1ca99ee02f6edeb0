// An export of an encrypted clinic says that its file is not encrypted; Rust tells whether the
// clinic is (the overview's `encrypted`).
import { describe, expect, it } from "vitest";
import type { ClinicOverview } from "./bindings";
import { clinic, exportNote } from "./clinic.svelte";

describe("the note on an export", () => {
  it("is there exactly when the clinic is encrypted", () => {
    const key = (k: string) => k;
    clinic.overview = { encrypted: true } as ClinicOverview;
    expect(exportNote(key)).toBe(" app.exportNotEncrypted");
    clinic.overview = { encrypted: false } as ClinicOverview;
    expect(exportNote(key)).toBe("");
    clinic.overview = null;
    expect(exportNote(key)).toBe("");
  });
});
