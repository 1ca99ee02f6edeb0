// Words and shapes for the import and export pages: our field names in the user's words, an
// export scope as a <select> value, and the problems of an import as a CSV report. What a file
// holds, needs or lacks is Rust's to say; this only renders it.
import type { ExportScope, ImportKind, RowProblem } from "./bindings";

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Our field's label for `kind`; without a kind (a FHIR file, a refusal) the patient's, then the visit's. */
export function fieldLabel(field: string, t: Translate, kind: ImportKind | null = null): string {
  for (const k of kind ? [kind] : (["patients", "appointments"] as const)) {
    const key = `interchange.fields.${k}.${field}`;
    const label = t(key);
    if (label !== key) return label;
  }
  return field.replaceAll("_", " ");
}

/** An export scope as the value of a <select> option ("clinic", "provider:ID", "room:ID"). */
export function scopeValue(scope: ExportScope): string {
  return scope.kind === "clinic" ? "clinic" : `${scope.kind}:${scope.id}`;
}

export function scopeOf(value: string): ExportScope {
  const [kind, id] = value.split(":", 2);
  if ((kind === "provider" || kind === "room" || kind === "patient") && id) return { kind, id };
  return { kind: "clinic" };
}

function csvField(raw: string): string {
  // A value from the imported file that a spreadsheet would run as a formula is shown as text.
  const text = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The problems of an import as a CSV file's text (UTF-8 with a byte-order mark, so that a
 * spreadsheet reads Cyrillic and Chinese right): line, column, value and the reason in words.
 */
export function problemsCsv(problems: RowProblem[], headers: [string, string, string, string], reason: (problem: RowProblem) => string): string {
  const rows = [headers, ...problems.map((p) => [String(p.line), p.column, p.value, reason(p)])];
  return "\ufeff" + rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
