"""Parse FHIR R4 export files with the fhir.resources (6.4.0, FHIR 4.0.1) pydantic models.

Usage: validate_fhir.py FILE...  (*.json: a Bundle or one resource; *.ndjson: one resource a line)
Prints one line per error, "FILE: RESOURCE: fhir.resources: PATH: MESSAGE", and exits 1 if any.
"""

import json
import sys

import fhir.resources
from fhir.resources import get_fhir_model_class
from pydantic import ValidationError

# 6.4.0's default modules are R4 (4.0.1); fail loudly if a different release slipped in.
assert fhir.resources.__fhir_version__ == "4.0.1", fhir.resources.__fhir_version__

NAME = "fhir.resources"


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError(f"duplicate JSON keys {sorted(dup)}")
    return dict(pairs)


def load(path):
    """Yield (where, resource): where is "" for .json, "line N" for .ndjson."""
    with open(path, encoding="utf-8") as f:
        if path.endswith(".ndjson"):
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        resource = json.loads(line, object_pairs_hook=no_duplicate_keys)
                    except ValueError as e:
                        raise ValueError(f"line {n}: {e}") from e  # and stop: the file is broken
                    yield f"line {n}", resource
        else:
            yield "", json.load(f, object_pairs_hook=no_duplicate_keys)


def label(resource, loc=()):
    """Type/id of the resource an error path points into (a Bundle entry's own, if inside one)."""
    name = f"{resource.get('resourceType', '?')}/{resource.get('id', '?')}"
    if resource.get("resourceType") == "Bundle" and len(loc) > 1 and loc[0] == "entry":
        try:
            inner = resource["entry"][loc[1]]["resource"]
            name += f" entry[{loc[1]}] {inner.get('resourceType', '?')}/{inner.get('id', '?')}"
        except (KeyError, IndexError, TypeError, AttributeError):
            name += f" entry[{loc[1]}]"
    return name


def check(resource):
    """Yield (loc, message) for every problem fhir.resources finds in one top-level resource."""
    if not isinstance(resource, dict) or "resourceType" not in resource:
        yield (), "no resourceType"
        return
    if resource["resourceType"] == "Bundle":
        if resource.get("type") not in ("collection", "transaction"):
            yield ("type",), f"export Bundles are 'collection' or 'transaction', not {resource.get('type')!r}"
        # fhir.resources quietly parses an entry without resourceType as the abstract
        # Resource (an entry {"id": "x"} passes), so that gap is checked here.
        for i, entry in enumerate(resource.get("entry") or []):
            inner = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(inner, dict) and "resourceType" not in inner:
                yield ("entry", i, "resource"), "no resourceType"
    try:
        model = get_fhir_model_class(resource["resourceType"])
    except KeyError:
        yield ("resourceType",), f"unknown resource type {resource['resourceType']!r}"
        return
    try:
        model.parse_obj(resource)  # a Bundle's entries are parsed as their own types here
    except ValidationError as e:
        for err in e.errors():
            yield err["loc"], f"{err['msg']} ({err['type']})"


def main(paths):
    errors = resources = 0
    for path in paths:
        try:
            for where, resource in load(path):
                resources += 1
                for loc, msg in check(resource):
                    errors += 1
                    res = label(resource, loc) if isinstance(resource, dict) else "?"
                    print(f"{path}: {' '.join(filter(None, [where, res]))}: {NAME}: "
                          f"{'.'.join(map(str, loc)) or '-'}: {msg}")
        except (OSError, ValueError) as e:  # unreadable file, bad JSON or UTF-8
            errors += 1
            print(f"{path}: -: {NAME}: -: cannot read: {e}")
    print(f"{NAME}: {resources} resources in {len(paths)} files, {errors} errors", file=sys.stderr)
    return 1 if errors or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
