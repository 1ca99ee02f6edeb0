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
      return { items: [], total: 0 };
    });
    await api.listPatients("petrova", 50);
    expect(seen).toEqual({ cmd: "list_patients", args: { query: "petrova", limit: 50 } });
  });

  it("turns a refusal into an ApiError that reads well in the user's language", async () => {
    mockIPC(() => {
      throw {
        kind: "slot_taken",
        message: "Dr Ivanova already has Anna Petrova 10:00–10:30",
        field: null,
        details: { reason: "provider_busy", resource: "Dr Ivanova", patient: "Anna Petrova", time: "10:00–10:30" },
      };
    });
    const error = await api.markNoShow("0193a1f0-0000-7000-8000-000000000001").catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.body.kind).toBe("slot_taken");
    expect(describeError(error, t, has)).toBe("Dr Ivanova already has Anna Petrova 10:00–10:30.");
  });

  it("falls back to the server's message when no reason is known", async () => {
    mockIPC(() => {
      throw { kind: "invalid", message: "Something specific", field: "x", details: {} };
    });
    const error = await api.listRooms().catch((e) => e);
    expect(describeError(error, t, has)).toBe("Something specific");
    mockIPC(() => {
      throw "plain failure";
    });
    const plain = await api.listRooms().catch((e) => e);
    expect(plain.body).toEqual({ kind: "internal", message: "plain failure", field: null, details: {} });
  });
});
