// Turns a refusal into words in the user's language, from its reason and details.
import { ApiError } from "./api";
import type { ErrorBody } from "./bindings";

type Translate = (key: string, params?: Record<string, string | number>) => string;
type Has = (key: string) => boolean;

export function errorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) return error.body;
  return { kind: "internal", message: error instanceof Error ? error.message : String(error), field: null, details: {} };
}

export function describeError(error: unknown, t: Translate, has: Has): string {
  const body = errorBody(error);
  const details: Record<string, string> = { message: body.message };
  for (const [key, value] of Object.entries(body.details)) if (value !== undefined) details[key] = value;
  const reason = details.reason;
  if (reason && has(`errors.reasons.${reason}`)) return t(`errors.reasons.${reason}`, details);
  if (body.kind !== "invalid" && has(`errors.${body.kind}`)) return t(`errors.${body.kind}`, details);
  return body.message;
}
