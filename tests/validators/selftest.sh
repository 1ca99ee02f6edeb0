#!/usr/bin/env bash
# Self-test of validate-fhir and validate-ics: the good samples must pass, and each broken file
# written below must be reported by (at least) the validators named with it. Prints which
# validators caught what, so a validator that silently stops checking shows up here.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
VALIDATORS='fhir\.resources|fhir\.js|medplum|raw|icalendar|vobject'

good() { # TOOL FILE: must pass
  if out=$("$here/$1" "$2" 2>&1); then
    echo "ok    $(basename "$2"): passes"
  else
    echo "FAIL  $(basename "$2"): a good sample was rejected:"; echo "$out" | sed 's/^/      /'; failed=1
  fi
}

bad() { # TOOL FILE PATTERN EXPECTED...: must fail, the report must match PATTERN (the problem
        # itself, not some other one), and every EXPECTED validator must be among the reporters
  local tool=$1 file=$2 pattern=$3 out caught missing=""; shift 3
  out=$("$here/$tool" "$file" 2>/dev/null) && { echo "FAIL  $(basename "$file"): passed"; failed=1; return; }
  caught=$(grep -oE ": ($VALIDATORS): " <<<"$out" | tr -d ': ' | sort -u | xargs)
  for v in "$@"; do [[ " $caught " == *" $v "* ]] || missing+=" $v"; done
  if [ -z "$missing" ] && grep -qE "$pattern" <<<"$out"; then
    echo "ok    $(basename "$file"): caught by: $caught"
  else
    echo "FAIL  $(basename "$file"): caught by: ${caught:-none}; expected: $*; pattern: $pattern"
    echo "$out" | sed 's/^/      /'; failed=1
  fi
}

echo "== FHIR"
good validate-fhir "$here/samples/bundle-collection.json"
good validate-fhir "$here/samples/patients.ndjson"

# Line 2 of an NDJSON: an unknown property (every validator must refuse it; FHIR.js only
# with errorOnUnexpected).
{ head -n1 "$here/samples/patients.ndjson"
  echo '{"resourceType":"Patient","id":"p2","favouriteColour":"green","gender":"male"}'; } > "$tmp/unknown-property.ndjson"
bad validate-fhir "$tmp/unknown-property.ndjson" 'line 2 Patient/p2: .*favouriteColour' fhir.resources fhir.js medplum

# A status outside the required value set: only FHIR.js checks bindings (fhir.resources 6.4.0
# takes any code; Medplum's core validator does no terminology).
cat > "$tmp/appointment-status.json" <<'J'
{"resourceType":"Appointment","id":"a1","status":"booked-ish","start":"2026-03-09T09:00:00+01:00",
 "end":"2026-03-09T09:30:00+01:00","participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}
J
bad validate-fhir "$tmp/appointment-status.json" 'booked-ish' fhir.js

# An impossible date: FHIR.js's date regexes are not anchored, so "2026-13-45" passes there.
cat > "$tmp/bad-date.json" <<'J'
{"resourceType":"Patient","id":"p3","birthDate":"2026-13-45"}
J
bad validate-fhir "$tmp/bad-date.json" 'birthDate' fhir.resources medplum

# A Bundle entry whose resource has no resourceType.
cat > "$tmp/entry-without-type.json" <<'J'
{"resourceType":"Bundle","id":"b1","type":"collection","entry":[
 {"fullUrl":"urn:uuid:6f1c2a4e-8d3b-4c1e-9a57-2f0b1d3e4a01","resource":{"resourceType":"Patient","id":"p1"}},
 {"fullUrl":"urn:uuid:c2d3e4f5-a6b7-4c8d-9e0f-a1b2c3d4e507","resource":{"id":"p2","name":[{"family":"Nguyen"}]}}]}
J
bad validate-fhir "$tmp/entry-without-type.json" 'entry\[1\]' fhir.resources fhir.js medplum

echo "== iCalendar"
good validate-ics "$here/samples/appointments.ics"
ics() { printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 "PRODID:-//Clinic Journey//selftest//EN" BEGIN:VEVENT "$@" END:VEVENT END:VCALENDAR; }
EVENT=(UID:e1@clinic-journey DTSTAMP:20260302T170000Z DTSTART:20260309T080000Z DTEND:20260309T083000Z SEQUENCE:0 STATUS:CONFIRMED)
ics "${EVENT[@]}" SUMMARY:Checkup > "$tmp/minimal.ics"
good validate-ics "$tmp/minimal.ics" # the base of the broken ones below
# icalendar and vobject both read these three without complaint: only the raw rules catch them.
ics "${EVENT[@]}" SUMMARY:Checkup | sed 's/\r$//' > "$tmp/lf-only.ics"
bad validate-ics "$tmp/lf-only.ics" 'not CRLF' raw
ics "${EVENT[@]}" "SUMMARY:$(printf 'x%.0s' {1..72})" > "$tmp/long-line.ics" # 8 + 72 = 80 octets
bad validate-ics "$tmp/long-line.ics" ':11: raw: line is 80 octets' raw
ics "${EVENT[@]}" $'SUMMARY:Zo\xc3\r\n \xab' > "$tmp/split-character.ics" # ë = C3 AB, folded between
bad validate-ics "$tmp/split-character.ics" ':11: raw: not UTF-8' raw
ics "${EVENT[@]:1}" SUMMARY:Checkup > "$tmp/no-uid.ics"
bad validate-ics "$tmp/no-uid.ics" 'no UID' raw icalendar vobject

[ $failed = 0 ] && echo "selftest: all passed" || { echo "selftest: FAILED"; exit 1; }
