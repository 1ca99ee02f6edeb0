import { describe, expect, it } from "vitest";
import type { ReminderRule, Stage } from "./bindings";
import { en } from "./i18n/en";
import { ru } from "./i18n/ru";
import { translate } from "./i18n/index.svelte";
import { describeRule, durationText, newRule } from "./rules";

const tEn = (key: string, params?: Record<string, string | number>) => translate(en, key, params);
const tRu = (key: string, params?: Record<string, string | number>) => translate(ru, key, params);

const stage = (key: string, name: string): Stage => ({
  id: `id-${key}`,
  key,
  phase: "visit",
  name,
  description: "",
  owner_role: "front_desk",
  standard_minutes: 5,
  standard_basis: "duration",
  cells: [],
});
const stages = [stage("confirmation", "Confirmation"), stage("check_out", "Check-out")];
const rule = (extra: Partial<ReminderRule> = {}): ReminderRule => ({ ...newRule(stages[0], "Confirmation call"), ...extra });

describe("rule summaries", () => {
  it("say when, what, for whom and how often in English", () => {
    const text = describeRule(rule({ offset_amount: -2, offset_unit: "working_days", at_time: null, max_attempts: 3, retry_minutes: 120 }), stages, tEn);
    expect(text).toBe("Call · 2 working days before the visit starts · Front desk · up to 3 tries, every 2 h");
  });

  it("name the stage a rule counts from, the time of day, and singular units", () => {
    const followUp = rule({ anchor: "stage_completed", anchor_stage_key: "check_out", offset_amount: 1, offset_unit: "days", at_time: 600, max_attempts: 1 });
    expect(describeRule(followUp, stages, tEn)).toBe("Call · 1 day after “Check-out” is completed, at 10:00 · Front desk · one try");
  });

  it("say an hour offset without a time of day, and mark rules that are off", () => {
    const text = describeRule(rule({ offset_amount: -3, offset_unit: "hours", at_time: null, active: false }), stages, tEn);
    expect(text).toContain("3 hours before the visit starts ·");
    expect(text).not.toContain("10:00");
    expect(text.endsWith("· off")).toBe(true);
  });

  it("read naturally in Russian", () => {
    const text = describeRule(rule({ offset_amount: -2, offset_unit: "working_days", at_time: null, follow_preferred_channel: true }), stages, tRu);
    expect(text).toBe("Удобным пациенту способом · за 2 раб. дн. до начала визита · Регистратура · до 3 попыток, каждые 2 ч");
  });
});

describe("rule helpers", () => {
  it("format retry intervals in the largest whole unit", () => {
    expect([45, 120, 1440, 90].map((m) => durationText(m, tEn))).toEqual(["45 min", "2 h", "1 d", "90 min"]);
  });
});
