"""Validate iCalendar (RFC 5545) export files with icalendar, vobject and our own raw rules.

Usage: validate_ics.py FILE...
Prints one line per problem, "FILE:LINE: VALIDATOR: MESSAGE" (LINE is "-" where a library does
not say), and exits 1 if any.
"""

import logging
import re
import sys

import icalendar
import vobject
from icalendar.error import IncompleteComponent

# A content line: NAME *(;PARAM=VALUE[,VALUE]) : VALUE  (parameter values may be quoted).
PARAM = r';[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*'
CONTENT = re.compile(rf"(?P<name>[A-Za-z0-9-]+)(?P<params>(?:{PARAM})*):(?P<value>.*)\Z", re.S)
DATE_TIME_PROPS = {"DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "EXDATE", "RDATE"}
STATUSES = {"TENTATIVE", "CONFIRMED", "CANCELLED"}


def params_of(text):
    return {k.upper(): v.strip('"') for k, v in re.findall(r';([A-Za-z0-9-]+)=((?:"[^"]*"|[^;])*)', text)}


def unfold(data, problems):
    """Check the physical lines; return the logical lines as (first line number, text)."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    else:
        problems.append((len(lines), "last line has no line ending"))
    logical = []  # [line number, bytes]; unfolded as bytes, so a fold may split a character
    for n, line in enumerate(lines, 1):
        if line.endswith(b"\r"):
            line = line[:-1]
        elif n < len(lines) or data.endswith(b"\n"):
            problems.append((n, "line ends with LF, not CRLF"))
        if len(line) > 75:
            problems.append((n, f"line is {len(line)} octets long, more than 75"))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append((n, f"not UTF-8 on its own ({e.reason} at octet {e.start}): a fold splits a character?"))
        if line[:1] in (b" ", b"\t") and logical:
            logical[-1][1] += line[1:]
        else:
            logical.append([n, line])
    return [(n, line.decode("utf-8", "replace")) for n, line in logical]


def raw_check(data):
    """Our own rules on the raw file: yield (line, message)."""
    problems = []
    comps, stack = [], []  # a component: name, line, props [(NAME, params, value, line)]
    for n, line in unfold(data, problems):
        m = CONTENT.match(line)
        if not m:
            problems.append((n, f"not a content line: {line[:40]!r}"))
            continue
        name, params, value = m["name"].upper(), params_of(m["params"]), m["value"]
        if name == "BEGIN":
            comps.append({"name": value.upper(), "line": n, "props": [], "parent": stack[-1]["name"] if stack else None})
            stack.append(comps[-1])
        elif name == "END":
            if not stack or stack[-1]["name"] != value.upper():
                problems.append((n, f"END:{value} does not close {stack[-1]['name'] if stack else 'anything'}"))
            else:
                stack.pop()
        elif stack:
            stack[-1]["props"].append((name, params, value, n))
        else:
            problems.append((n, f"{name} outside any component"))
    problems += [(c["line"], f"BEGIN:{c['name']} is never ended") for c in stack]
    if not comps or comps[0]["name"] != "VCALENDAR":
        problems.append((1, "file does not start with BEGIN:VCALENDAR"))

    tzids = {v for c in comps if c["name"] == "VTIMEZONE" for p, _, v, _ in c["props"] if p == "TZID"}
    seen_uids = {}
    for c in comps:
        props = {}
        for p, params, value, n in c["props"]:
            props.setdefault(p, []).append((params, value, n))
            # VTIMEZONE rules (STANDARD/DAYLIGHT) are in local time by definition.
            if p in DATE_TIME_PROPS and c["parent"] != "VTIMEZONE" and params.get("VALUE", "").upper() != "DATE":
                if "TZID" in params and params["TZID"] not in tzids:
                    problems.append((n, f"{p}: TZID {params['TZID']!r} has no VTIMEZONE in this file"))
                elif "TZID" not in params and re.fullmatch(r"\d{8}", value) is None and not all(
                    v.endswith("Z") for v in value.split(",")
                ):
                    problems.append((n, f"{p}: {value!r} is neither UTC (…Z) nor has a TZID"))

        def one(p, must_match=None, what=""):
            if p not in props:
                problems.append((c["line"], f"{c['name']} has no {p}"))
            elif must_match and not re.fullmatch(must_match, props[p][0][1]):
                problems.append((props[p][0][2], f"{p}: {props[p][0][1]!r} is not {what}"))

        if c["name"] == "VCALENDAR":
            one("VERSION", r"2\.0", "2.0")
            one("PRODID")
        elif c["name"] == "VEVENT":
            one("UID")
            one("DTSTAMP", r"\d{8}T\d{6}Z", "a UTC date-time (…Z)")
            one("DTSTART")
            one("SEQUENCE", r"\+?\d+", "a non-negative integer")
            if "STATUS" in props and props["STATUS"][0][1] not in STATUSES:
                problems.append((props["STATUS"][0][2], f"STATUS: {props['STATUS'][0][1]!r} is not one of {sorted(STATUSES)}"))
            if "UID" in props:
                key = (props["UID"][0][1], props.get("RECURRENCE-ID", [(None, None)])[0][1])
                if key in seen_uids:
                    problems.append((c["line"], f"UID {key[0]!r} already used by the VEVENT at line {seen_uids[key]}"))
                seen_uids.setdefault(key, c["line"])
    return sorted(problems)


def icalendar_check(data):
    """icalendar parses leniently: its per-component errors and its own declared rules count."""
    try:
        cals = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as e:  # noqa: BLE001 - any failure to parse is a finding
        yield f"cannot parse: {type(e).__name__}: {e}"
        return
    if not cals:
        yield "no VCALENDAR"
    for cal in cals:
        try:
            cal.validate()
        except IncompleteComponent as e:
            yield str(e)
        for c in cal.walk():
            where = f"{c.name} {c.get('UID', '')}".strip()
            yield from (f"{where}: {prop}: {err}" for prop, err in c.errors)
            # Declared per component type, but not enforced when parsing.
            yield from (f"{where}: no {p}" for p in c.required if p not in c)
            yield from (f"{where}: {p} more than once" for p in c.singletons if isinstance(c.get(p), list))
            if sum(p in c for p in c.exclusive) > 1:
                yield f"{where}: only one of {', '.join(c.exclusive)} allowed"


class _Errors(logging.Handler):
    """vobject logs some problems (such as an unknown TZID) instead of raising them."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def vobject_check(text):
    handler = _Errors()
    logging.getLogger().addHandler(handler)
    try:
        for comp in vobject.readComponents(text, validate=True):
            comp.validate(raiseException=True)
            list(vobject.readComponents(comp.serialize()))  # and it must write what it read
    except Exception as e:  # noqa: BLE001 - any failure to parse is a finding
        yield f"{type(e).__name__}: {e}"
    finally:
        logging.getLogger().removeHandler(handler)
    yield from (f"logged: {m}" for m in handler.messages)


def main(paths):
    logging.getLogger().setLevel(logging.ERROR)
    logging.getLogger().handlers[:] = [logging.NullHandler()]  # reported below, not printed twice
    count = 0
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            print(f"{path}:-: validate_ics.py: cannot read: {e}")
            count += 1
            continue
        found = [(n, "raw", m) for n, m in raw_check(data)]
        found += [("-", "icalendar", m) for m in icalendar_check(data)]
        # vobject reads text: a character split by a fold is the raw rules' finding, not its.
        found += [("-", "vobject", m) for m in vobject_check(data.decode("utf-8", "replace"))]
        for n, name, msg in found:
            print(f"{path}:{n}: {name}: {msg}")
        count += len(found)
    print(f"validate_ics.py: {len(paths)} files, {count} problems", file=sys.stderr)
    return 1 if count or not paths else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
