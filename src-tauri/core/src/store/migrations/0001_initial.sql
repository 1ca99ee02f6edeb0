-- Clinic Journey schema, version 1. Times are UTC unix seconds; ids are UUID text.

CREATE TABLE clinic_settings (
    id               TEXT PRIMARY KEY CHECK (id = 'clinic'),
    name             TEXT NOT NULL,
    time_zone        TEXT NOT NULL,
    default_language TEXT NOT NULL,
    quiet_start      INTEGER CHECK (quiet_start BETWEEN 0 AND 1440),
    quiet_end        INTEGER CHECK (quiet_end BETWEEN 0 AND 1440),
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE working_hours (
    id      TEXT PRIMARY KEY,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens   INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1440),
    closes  INTEGER NOT NULL CHECK (closes BETWEEN 0 AND 1440),
    CHECK (closes > opens)
) STRICT;

CREATE TABLE closed_days (
    date   TEXT PRIMARY KEY,
    reason TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    login_secret_hash TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE rooms (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE providers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    specialty    TEXT NOT NULL DEFAULT '',
    staff_id     TEXT REFERENCES staff (id),
    home_room_id TEXT REFERENCES rooms (id),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX providers_staff ON providers (staff_id);
CREATE INDEX providers_home_room ON providers (home_room_id);

-- Weekly availability of a provider or a room, clinic-local minutes.
CREATE TABLE availability (
    id          TEXT PRIMARY KEY,
    provider_id TEXT REFERENCES providers (id) ON DELETE CASCADE,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens       INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1440),
    closes      INTEGER NOT NULL CHECK (closes BETWEEN 0 AND 1440),
    CHECK (closes > opens),
    CHECK ((provider_id IS NULL) <> (room_id IS NULL))
) STRICT;
CREATE INDEX availability_provider ON availability (provider_id);
CREATE INDEX availability_room ON availability (room_id);

CREATE TABLE blocked_periods (
    id          TEXT PRIMARY KEY,
    provider_id TEXT REFERENCES providers (id) ON DELETE CASCADE,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK ((provider_id IS NULL) <> (room_id IS NULL))
) STRICT;
CREATE INDEX blocked_periods_provider ON blocked_periods (provider_id, starts_at);
CREATE INDEX blocked_periods_room ON blocked_periods (room_id, starts_at);

CREATE TABLE patients (
    id                 TEXT PRIMARY KEY,
    given_name         TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    birth_date         TEXT,
    phone              TEXT NOT NULL,
    phone_alt          TEXT,
    email              TEXT,
    preferred_channel  TEXT NOT NULL CHECK (preferred_channel IN ('phone', 'sms', 'email', 'letter')),
    preferred_language TEXT NOT NULL,
    consent_reminders  INTEGER NOT NULL CHECK (consent_reminders IN (0, 1)),
    do_not_contact     INTEGER NOT NULL CHECK (do_not_contact IN (0, 1)),
    notes              TEXT NOT NULL DEFAULT '',
    -- lower-cased names, phone digits and email: what search-as-you-type matches
    search_key         TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX patients_name ON patients (family_name, given_name);

CREATE TABLE journey_templates (
    id          TEXT PRIMARY KEY,
    family_key  TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL CHECK (version >= 1),
    created_at  INTEGER NOT NULL,
    UNIQUE (family_key, version)
) STRICT;

CREATE TABLE template_stages (
    id               TEXT PRIMARY KEY,
    template_id      TEXT NOT NULL REFERENCES journey_templates (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    key              TEXT NOT NULL,
    phase            TEXT NOT NULL CHECK (phase IN ('pre_visit', 'visit', 'post_visit')),
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    owner_role       TEXT NOT NULL CHECK (owner_role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    standard_minutes INTEGER NOT NULL CHECK (standard_minutes >= 0),
    standard_basis   TEXT NOT NULL CHECK (standard_basis IN ('duration', 'lead_time')),
    UNIQUE (template_id, position),
    UNIQUE (template_id, key)
) STRICT;

CREATE TABLE blueprint_cells (
    id               TEXT PRIMARY KEY,
    stage_id         TEXT NOT NULL REFERENCES template_stages (id) ON DELETE CASCADE,
    lane             TEXT NOT NULL CHECK (lane IN ('physical_evidence', 'patient_action', 'front_office', 'back_office', 'support_process')),
    position         INTEGER NOT NULL,
    text             TEXT NOT NULL,
    owner_role       TEXT CHECK (owner_role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    standard_minutes INTEGER CHECK (standard_minutes >= 0),
    fail_point       TEXT,
    wait_point       TEXT,
    UNIQUE (stage_id, lane, position)
) STRICT;

CREATE TABLE service_types (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    duration_minutes    INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    color               TEXT NOT NULL,
    template_family_key TEXT NOT NULL,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE appointments (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id),
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    room_id         TEXT NOT NULL REFERENCES rooms (id),
    service_type_id TEXT NOT NULL REFERENCES service_types (id),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'booked', 'confirmed', 'arrived', 'in_progress',
                                                    'fulfilled', 'cancelled', 'noshow', 'waitlist')),
    cancel_reason   TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX appointments_start ON appointments (starts_at);
CREATE INDEX appointments_provider ON appointments (provider_id, starts_at);
CREATE INDEX appointments_room ON appointments (room_id, starts_at);
CREATE INDEX appointments_patient ON appointments (patient_id, starts_at);
CREATE INDEX appointments_service_type ON appointments (service_type_id);

CREATE TABLE patient_journeys (
    id               TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL REFERENCES patients (id),
    service_type_id  TEXT NOT NULL REFERENCES service_types (id),
    template_id      TEXT NOT NULL REFERENCES journey_templates (id),
    appointment_id   TEXT UNIQUE REFERENCES appointments (id),
    current_stage_id TEXT REFERENCES template_stages (id),
    started_at       INTEGER NOT NULL,
    completed_at     INTEGER
) STRICT;
CREATE INDEX patient_journeys_patient ON patient_journeys (patient_id);
CREATE INDEX patient_journeys_service_type ON patient_journeys (service_type_id);
CREATE INDEX patient_journeys_template ON patient_journeys (template_id);
CREATE INDEX patient_journeys_current_stage ON patient_journeys (current_stage_id);

CREATE TABLE stage_events (
    id         TEXT PRIMARY KEY,
    journey_id TEXT NOT NULL REFERENCES patient_journeys (id) ON DELETE CASCADE,
    stage_id   TEXT NOT NULL REFERENCES template_stages (id),
    kind       TEXT NOT NULL CHECK (kind IN ('entered', 'started', 'completed', 'skipped')),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL
) STRICT;
CREATE INDEX stage_events_journey ON stage_events (journey_id, at);
CREATE INDEX stage_events_stage ON stage_events (stage_id, at);

-- Who changed what, when. Append-only.
CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Reminder rules and tasks arrive in a later schema version.
