-- Schema version 2: recurring series (courses of treatment), the waitlist, and when an
-- appointment's status last changed (cancellations and no-shows are dated).

CREATE TABLE appointment_series (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id),
    service_type_id TEXT NOT NULL REFERENCES service_types (id),
    -- RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;COUNT=8, from the first occurrence's local time
    rrule           TEXT NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX appointment_series_patient ON appointment_series (patient_id);
CREATE INDEX appointment_series_service_type ON appointment_series (service_type_id);

ALTER TABLE appointments ADD COLUMN series_id TEXT REFERENCES appointment_series (id);
ALTER TABLE appointments ADD COLUMN series_index INTEGER CHECK (series_index >= 1);
ALTER TABLE appointments ADD COLUMN status_changed_at INTEGER;
CREATE INDEX appointments_series ON appointments (series_id);

CREATE TABLE waitlist_entries (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id),
    service_type_id TEXT NOT NULL REFERENCES service_types (id),
    provider_id     TEXT REFERENCES providers (id),
    earliest_date   TEXT NOT NULL,
    latest_date     TEXT NOT NULL,
    part_of_day     TEXT CHECK (part_of_day IN ('morning', 'afternoon', 'evening')),
    notes           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('waiting', 'booked', 'removed')),
    appointment_id  TEXT REFERENCES appointments (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (latest_date >= earliest_date)
) STRICT;
CREATE INDEX waitlist_entries_status ON waitlist_entries (status, earliest_date);
CREATE INDEX waitlist_entries_patient ON waitlist_entries (patient_id);
CREATE INDEX waitlist_entries_service_type ON waitlist_entries (service_type_id);
CREATE INDEX waitlist_entries_provider ON waitlist_entries (provider_id);
CREATE INDEX waitlist_entries_appointment ON waitlist_entries (appointment_id);
