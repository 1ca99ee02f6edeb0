-- Schema 15: standard formats in and out.
--
-- Each appointment counts its changes: a calendar file's SEQUENCE for the visit, so a phone
-- that subscribed replaces its copy instead of keeping the old time. Any change of what a
-- calendar shows raises it (the trigger's own update does not fire it again: SQLite's
-- triggers are not recursive unless asked).
ALTER TABLE appointments ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);
CREATE TRIGGER appointments_revision AFTER UPDATE OF patient_id, provider_id, room_id, service_type_id, starts_at,
    ends_at, status, notes ON appointments
WHEN NEW.revision = OLD.revision
BEGIN
    UPDATE appointments SET revision = OLD.revision + 1 WHERE id = NEW.id;
END;

-- The column mapping an import used, per kind of file and source (the header line it had), so
-- the next file from the same system is mapped the same way.
CREATE TABLE import_mappings (
    kind       TEXT NOT NULL CHECK (kind IN ('patients', 'appointments')),
    source     TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, source)
) STRICT, WITHOUT ROWID;

-- Calendar files kept current in a folder the administrator picked (phones and desktop
-- calendars subscribe to them): whose visits, and how much of the patient they show.
CREATE TABLE calendar_feeds (
    id          TEXT PRIMARY KEY,
    folder      TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('clinic', 'provider', 'room')),
    scope_id    TEXT,
    detail      TEXT NOT NULL CHECK (detail IN ('none', 'initials', 'full')),
    alarms      INTEGER NOT NULL CHECK (alarms IN (0, 1)),
    written_at  INTEGER,
    created_at  INTEGER NOT NULL,
    CHECK ((scope = 'clinic') = (scope_id IS NULL))
) STRICT;
