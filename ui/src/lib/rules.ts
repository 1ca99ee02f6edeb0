// Reminder rules as the blueprint editor shows them: a one-line summary in the user's
// language and a sensible new rule.
import type { ReminderRule, Stage } from "./bindings";
import { hhmm } from "./format";

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** "45 min", "2 h", "1 d": a retry interval. */
export function durationText(minutes: number, t: Translate): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return t("blueprint.rules.short.d", { n: minutes / 1440 });
  if (minutes >= 60 && minutes % 60 === 0) return t("blueprint.rules.short.h", { n: minutes / 60 });
  return t("blueprint.rules.short.min", { n: minutes });
}

/** "Call · 2 working days before the visit starts, at 10:00 · Front desk · up to 3 tries, every 2 h". */
export function describeRule(rule: ReminderRule, stages: Stage[], t: Translate): string {
  const amount = Math.abs(rule.offset_amount);
  const stage = stages.find((s) => s.key === rule.anchor_stage_key)?.name ?? rule.anchor_stage_key ?? "?";
  const when = t(`blueprint.rules.summary.${rule.offset_amount < 0 ? "before" : "after"}`, {
    amount,
    unit: t(`blueprint.rules.units.${rule.offset_unit}.${amount === 1 ? 0 : 1}`),
    anchor: t(`blueprint.rules.anchors.${rule.anchor}`, { stage }),
  });
  // The editor drops a time of day a unit does not take, and Rust refuses one on save.
  const at = rule.at_time !== null ? t("blueprint.rules.summary.at", { time: hhmm(rule.at_time) }) : "";
  const kind = rule.follow_preferred_channel && rule.kind !== "duty" ? t("blueprint.rules.preferredShort") : t(`today.kinds.${rule.kind}`);
  const tries =
    rule.max_attempts > 1
      ? t("blueprint.rules.summary.tries", { count: rule.max_attempts, every: durationText(rule.retry_minutes, t) })
      : t("blueprint.rules.summary.once");
  const parts = [kind, `${when}${at}`, t(`today.roles.${rule.role}`), tries];
  if (!rule.active) parts.push(t("blueprint.rules.summary.inactive"));
  return parts.join(" · ");
}

/** A new rule for `stage`: a call a day before the visit at 10:00, as most clinics start. */
export function newRule(stage: Stage, name: string): ReminderRule {
  return {
    id: crypto.randomUUID(),
    stage_id: stage.id,
    name,
    anchor: "appointment_start",
    anchor_stage_key: null,
    offset_amount: -1,
    offset_unit: "days",
    at_time: 10 * 60,
    kind: "call",
    follow_preferred_channel: false,
    role: "front_desk",
    first_visit_only: false,
    unconfirmed_only: false,
    requires_consent: true,
    only_channel: null,
    max_attempts: 3,
    retry_minutes: 120,
    snap: true,
    active: true,
  };
}
