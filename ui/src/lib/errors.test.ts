import { describe, expect, it } from "vitest";
import { REFUSAL_EXAMPLES, type Refusal } from "./bindings";
import { describeRefusal } from "./errors";
import { LOCALES, translate } from "./i18n/index.svelte";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

describe("refusal messages", () => {
  it("the examples from Rust cover many reasons, each once", () => {
    const reasons = REFUSAL_EXAMPLES.map((r) => r.reason);
    expect(new Set(reasons).size).toBe(reasons.length);
    expect(reasons.length).toBeGreaterThan(70);
  });

  for (const [code, messages] of Object.entries(LOCALES)) {
    it(`${code} words every reason Rust sends, using only that reason's fields`, () => {
      for (const refusal of REFUSAL_EXAMPLES) {
        const key = `errors.reasons.${refusal.reason}`;
        const template = translate(messages, key);
        expect(template, `${code}: no message for ${refusal.reason}`).not.toBe(key);
        for (const name of placeholders(template)) expect(Object.keys(refusal), `${code}:${key} {${name}}`).toContain(name);
        const t = (k: string, p?: Record<string, string | number>) => translate(messages, k, p);
        expect(describeRefusal(refusal, t)).not.toMatch(/\{\w+\}/);
      }
    });
  }

  it("fills each refusal's own fields: a limit of 500 says 500", () => {
    const tooLong: Refusal = { reason: "step_text_too_long", stage: "Check-in", max: 500 };
    const en = (k: string, p?: Record<string, string | number>) => translate(LOCALES.en, k, p);
    const ru = (k: string, p?: Record<string, string | number>) => translate(LOCALES.ru, k, p);
    expect(describeRefusal(tooLong, en)).toBe("“Check-in”: a step's text is too long (at most 500 characters).");
    expect(describeRefusal({ reason: "too_long", what: "The notes", max: 1000, length: 1001 }, en)).toBe("Too long: at most 1000 characters.");
    expect(describeRefusal({ reason: "needs_overlay" }, ru)).toContain("живыми показателями");
  });
});

describe("role refusals", () => {
  it("name the role and the work in the user's words, in every language", () => {
    const refusal: Refusal = { reason: "role_may_not", role: "front_desk", work: "journeys" };
    for (const [code, messages] of Object.entries(LOCALES)) {
      const t = (k: string, p?: Record<string, string | number>) => translate(messages, k, p);
      const text = describeRefusal(refusal, t);
      expect(text, code).toContain(translate(messages, "today.roles.front_desk"));
      expect(text, code).toContain(translate(messages, "access.work.journeys"));
      expect(text, code).not.toContain("front_desk");
    }
  });
});
