// Turns an error from the Rust side into words in the user's language: a refusal by its
// typed reason and fields, the other kinds by their kind.
import { ApiError } from "./api";
import type { ErrorBody, Refusal } from "./bindings";
import type { en } from "./i18n/en";
import { fieldLabel } from "./interchange";
import { clinicTime } from "./clinic.svelte";

type Translate = (key: string, params?: Record<string, string | number>) => string;
type Has = (key: string) => boolean;

// Every reason Rust can send has a message, and every message is for such a reason: this
// line stops compiling when the two drift apart (the message test checks each language).
type ReasonKey = keyof typeof en.errors.reasons;
const exhaustive: [Exclude<Refusal["reason"], ReasonKey>, Exclude<ReasonKey, Refusal["reason"]>] extends [never, never]
  ? true
  : never = true;
void exhaustive;

export function errorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) return error.body;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "internal", message, field: null, refusal: null, occurrence: null, details: {} };
}

/** A refusal in words, its fields filled into the reason's message. */
export function describeRefusal(refusal: Refusal, t: Translate): string {
  const { reason, ...fields } = refusal;
  const words = fields as Record<string, string | number>;
  // A role refusal names a role and a kind of work by their codes: each in the user's words.
  if (refusal.reason === "role_may_not") {
    words.role = t(`today.roles.${refusal.role}`);
    words.work = t(`access.work.${refusal.work}`);
  }
  // An import's field is named as the mapping step labels it.
  if (refusal.reason === "field_not_mapped") words.field = fieldLabel(refusal.field, t);
  // An instant is shown as the clinic's time of day.
  if (refusal.reason === "server_cut_off") words.since = clinicTime(refusal.since);
  return t(`errors.reasons.${reason}`, words);
}

export function describeError(error: unknown, t: Translate, has: Has): string {
  const body = errorBody(error);
  if (body.refusal) {
    const message = describeRefusal(body.refusal, t);
    return body.occurrence ? t("errors.occurrence", { ...body.occurrence, message }) : message;
  }
  const details: Record<string, string> = { message: body.message };
  for (const [key, value] of Object.entries(body.details)) if (value !== undefined) details[key] = value;
  if (has(`errors.${body.kind}`)) return t(`errors.${body.kind}`, details);
  return body.message;
}

/** Where a form shows a refusal: beside the field Rust names, when the form has it. */
export function placeError(error: unknown, fields: readonly string[], t: Translate, has: Has): { field: string | null; message: string } {
  const body = errorBody(error);
  return { field: body.field && fields.includes(body.field) ? body.field : null, message: describeError(error, t, has) };
}
