import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { api, ApiError } from "./api";
import { describeError } from "./errors";
import { en } from "./i18n/en";
import { translate } from "./i18n/index.svelte";

const t = (key: string, params?: Record<string, string | number>) => translate(en, key, params);
const has = (key: string) => translate(en, key) !== key;

afterEach(() => clearMocks());

describe("api", () => {
  it("sends the command's arguments under their Rust names", async () => {
    let seen: { cmd: string; args: unknown } | null = null;
    mockIPC((cmd, args) => {
      seen = { cmd, args };
      return { items: [], total: 0, offset: 100 };
    });
    await api.listPatients("petrova", 100, 50);
    expect(seen).toEqual({ cmd: "list_patients", args: { query: "petrova", offset: 100, limit: 50 } });
  });

  it("turns a refusal into an ApiError that reads well in the user's language", async () => {
    mockIPC(() => {
      throw {
        kind: "slot_taken",
        message: "Dr Ivanova already has Anna Petrova 10:00–10:30",
        field: null,
        refusal: { reason: "provider_busy", resource: "Dr Ivanova", patient: "Anna Petrova", time: "10:00–10:30" },
        occurrence: null,
        details: {},
      };
    });
    const error = await api.markNoShow("0193a1f0-0000-7000-8000-000000000001").catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.body.kind).toBe("slot_taken");
    expect(describeError(error, t, has)).toBe("Dr Ivanova already has Anna Petrova 10:00–10:30.");
  });

  it("words the other kinds by their kind, and a series refusal names its visit", async () => {
    mockIPC(() => {
      throw { kind: "not_found", message: "room 1 was not found", field: null, refusal: null, occurrence: null, details: { entity: "room", id: "1" } };
    });
    const error = await api.listRooms().catch((e) => e);
    expect(describeError(error, t, has)).toBe("That record no longer exists; it may have been removed on another desk.");
    mockIPC(() => {
      throw {
        kind: "closed_day",
        message: "Visit 6 of 6 (Tue 05 Jan 2027): The clinic is closed on Tue 05 Jan 2027 (Inventory)",
        field: "",
        refusal: { reason: "closed_day", date: "2027-01-05", note: "Inventory" },
        occurrence: { number: 6, of: 6, date: "2027-01-05" },
        details: {},
      };
    });
    const series = await api.listRooms().catch((e) => e);
    expect(describeError(series, t, has)).toBe("Visit 6 of 6 (2027-01-05): The clinic is closed on 2027-01-05 (Inventory).");
    mockIPC(() => {
      throw "plain failure";
    });
    const plain = await api.listRooms().catch((e) => e);
    expect(plain.body).toEqual({ kind: "internal", message: "plain failure", field: null, refusal: null, occurrence: null, details: {} });
  });
});
