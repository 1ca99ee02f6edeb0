#!/usr/bin/env bash
# Every export kind of a demo clinic, checked by the offline validators (tests/validators):
# FHIR R4 by fhir.resources, FHIR.js and Medplum; iCalendar by icalendar, vobject and the
# RFC 5545 line rules. Any error reported by any validator fails the run.
set -euo pipefail
app=${1:?usage: validate-exports.sh path/to/clinic-journey}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CLINIC_JOURNEY_DATA_DIR="$work/data" CLINIC_JOURNEY_NOW=2026-12-01T09:00:00Z
unset CLINIC_JOURNEY_AS CLINIC_JOURNEY_PIN

"$app" demo --patients 60 --days 10 >/dev/null
"$app" export fhir --ndjson --out "$work/clinic.ndjson"
"$app" export fhir --out "$work/clinic-bundle.json"
for detail in none initials full; do
  "$app" export ics --detail "$detail" --alarms --out "$work/clinic-$detail.ics"
done
provider=$("$app" providers list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["name"])')
"$app" export ics --provider "$provider" --out "$work/provider.ics"
for what in patients appointments tasks; do
  "$app" export csv "$what" --out "$work/$what.csv"
done

"$here/validators/validate-fhir" "$work/clinic.ndjson" "$work/clinic-bundle.json"
"$here/validators/validate-ics" "$work"/*.ics

# The CSV files parse with Python's csv module with the same number of fields on every line.
python3 - "$work"/*.csv <<'PY'
import csv, sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    widths = {len(r) for r in rows}
    assert len(rows) > 1 and len(widths) == 1, f"{path}: {len(rows)} rows, widths {widths}"
    print(f"{path}: {len(rows) - 1} rows of {widths.pop()} fields")
PY
echo "every export passed its validators"
