-- The schema of a new database (version 15), generated: UPDATE_SCHEMA=1 cargo test -p clinic-journey-core --test migrations

-- index appointment_series_patient
CREATE INDEX appointment_series_patient ON appointment_series (patient_id);

-- index appointment_series_service_type
CREATE INDEX appointment_series_service_type ON appointment_series (service_type_id);

-- index appointments_call_list
CREATE INDEX appointments_call_list ON appointments (id, starts_at, status, provider_id, service_type_id, patient_id);

-- index appointments_patient
CREATE INDEX appointments_patient ON appointments (patient_id, starts_at, status);

-- index appointments_provider
CREATE INDEX appointments_provider ON appointments (provider_id, starts_at);

-- index appointments_room
CREATE INDEX appointments_room ON appointments (room_id, starts_at);

-- index appointments_series
CREATE INDEX appointments_series ON appointments (series_id);

-- index appointments_service_type
CREATE INDEX appointments_service_type ON appointments (service_type_id);

-- index appointments_start
CREATE INDEX appointments_start ON appointments (starts_at);

-- index appointments_updated
CREATE INDEX appointments_updated ON appointments (updated_at);

-- index audit_checks_standard
CREATE INDEX audit_checks_standard ON audit_checks (standard_id);

-- index audit_log_at
CREATE INDEX audit_log_at ON audit_log (at);

-- index audit_log_entity
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- index audit_log_patient
CREATE INDEX audit_log_patient ON audit_log (patient_id, at);

-- index audit_visits_at
CREATE INDEX audit_visits_at ON audit_visits (at);

-- index availability_provider
CREATE INDEX availability_provider ON availability (provider_id);

-- index availability_room
CREATE INDEX availability_room ON availability (room_id);

-- index blocked_periods_provider
CREATE INDEX blocked_periods_provider ON blocked_periods (provider_id, starts_at);

-- index blocked_periods_room
CREATE INDEX blocked_periods_room ON blocked_periods (room_id, starts_at);

-- index kano_answers_feature
CREATE INDEX kano_answers_feature ON kano_answers (feature_id);

-- index kano_features_name
CREATE UNIQUE INDEX kano_features_name ON kano_features (name COLLATE NOCASE);

-- index patient_journeys_current_stage
CREATE INDEX patient_journeys_current_stage ON patient_journeys (current_stage_id);

-- index patient_journeys_patient
CREATE INDEX patient_journeys_patient ON patient_journeys (patient_id);

-- index patient_journeys_plan
CREATE INDEX patient_journeys_plan ON patient_journeys (appointment_id, id, template_id);

-- index patient_journeys_service_type
CREATE INDEX patient_journeys_service_type ON patient_journeys (service_type_id);

-- index patient_journeys_template
CREATE INDEX patient_journeys_template ON patient_journeys (template_id);

-- index patients_call_list
CREATE INDEX patients_call_list ON patients (id, given_name, family_name, phone, email, preferred_channel,
    preferred_language);

-- index patients_name
CREATE INDEX patients_name ON patients (family_name, given_name);

-- index patients_updated
CREATE INDEX patients_updated ON patients (updated_at);

-- index providers_home_room
CREATE INDEX providers_home_room ON providers (home_room_id);

-- index providers_staff
CREATE INDEX providers_staff ON providers (staff_id);

-- index service_standards_stage
CREATE INDEX service_standards_stage ON service_standards (family_key, stage_key);

-- index stage_events_at
CREATE INDEX stage_events_at ON stage_events (at);

-- index stage_events_completed
CREATE INDEX stage_events_completed ON stage_events (stage_id, kind, journey_id, at);

-- index stage_events_journey
CREATE INDEX stage_events_journey ON stage_events (journey_id, at);

-- index stage_events_stage
CREATE INDEX stage_events_stage ON stage_events (stage_id, at);

-- index survey_responses_at
CREATE INDEX survey_responses_at ON survey_responses (at);

-- index survey_responses_patient
CREATE INDEX survey_responses_patient ON survey_responses (patient_id);

-- index survey_responses_task
CREATE INDEX survey_responses_task ON survey_responses (task_id) WHERE task_id IS NOT NULL;

-- index task_attempts_task
CREATE INDEX task_attempts_task ON task_attempts (task_id, at);

-- index tasks_appointment
CREATE INDEX tasks_appointment ON tasks (appointment_id);

-- index tasks_assignee
CREATE INDEX tasks_assignee ON tasks (assignee_id) WHERE assignee_id IS NOT NULL;

-- index tasks_journey
CREATE INDEX tasks_journey ON tasks (journey_id);

-- index tasks_open_due
CREATE INDEX tasks_open_due ON tasks (due_at, expires_at, kind, role, assignee_id, appointment_id, rule_id, purpose,
    attempts, max_attempts, last_outcome, note, id) WHERE status = 'open';

-- index tasks_open_expiry
CREATE INDEX tasks_open_expiry ON tasks (expires_at) WHERE status = 'open' AND expires_at IS NOT NULL;

-- index tasks_open_rebook
CREATE UNIQUE INDEX tasks_open_rebook ON tasks (appointment_id) WHERE purpose = 'rebook' AND status = 'open';

-- index tasks_patient
CREATE INDEX tasks_patient ON tasks (patient_id);

-- index waitlist_entries_appointment
CREATE INDEX waitlist_entries_appointment ON waitlist_entries (appointment_id);

-- index waitlist_entries_patient
CREATE INDEX waitlist_entries_patient ON waitlist_entries (patient_id);

-- index waitlist_entries_provider
CREATE INDEX waitlist_entries_provider ON waitlist_entries (provider_id);

-- index waitlist_entries_service_type
CREATE INDEX waitlist_entries_service_type ON waitlist_entries (service_type_id);

-- index waitlist_entries_status
CREATE INDEX waitlist_entries_status ON waitlist_entries (status, earliest_date);

-- table appointment_series
CREATE TABLE appointment_series (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id),
    service_type_id TEXT NOT NULL REFERENCES service_types (id),
    -- RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;COUNT=8, from the first occurrence's local time
    rrule           TEXT NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;

-- table appointments
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
    updated_at      INTEGER NOT NULL, series_id TEXT REFERENCES appointment_series (id), series_index INTEGER CHECK (series_index >= 1), status_changed_at INTEGER, revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
    CHECK (ends_at > starts_at)
) STRICT;

-- table audit_checks
CREATE TABLE audit_checks (
    audit_id    TEXT NOT NULL REFERENCES audit_visits (id) ON DELETE CASCADE,
    standard_id TEXT NOT NULL REFERENCES service_standards (id),
    met         INTEGER NOT NULL CHECK (met IN (0, 1)),
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (audit_id, standard_id)
) STRICT, WITHOUT ROWID;

-- table audit_log
CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
, staff_id TEXT, staff_name TEXT NOT NULL DEFAULT '', patient_id TEXT, changes TEXT NOT NULL DEFAULT '') STRICT;

-- table audit_visits
CREATE TABLE audit_visits (
    id      TEXT PRIMARY KEY,
    at      INTEGER NOT NULL,
    auditor TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('supervisor', 'mystery_shopper')),
    note    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL
) STRICT;

-- table availability
CREATE TABLE availability (
    id          TEXT PRIMARY KEY,
    provider_id TEXT REFERENCES providers (id) ON DELETE CASCADE,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens       INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1440),
    closes      INTEGER NOT NULL CHECK (closes BETWEEN 0 AND 1440), weeks TEXT NOT NULL DEFAULT 'every' CHECK (weeks IN ('every', 'odd', 'even')),
    CHECK (closes > opens),
    CHECK ((provider_id IS NULL) <> (room_id IS NULL))
) STRICT;

-- table backup_plan
CREATE TABLE backup_plan (
    id              TEXT PRIMARY KEY CHECK (id = 'plan'),
    folder          TEXT NOT NULL DEFAULT '',
    daily           INTEGER NOT NULL DEFAULT 1 CHECK (daily IN (0, 1)),
    keep_days       INTEGER NOT NULL DEFAULT 14 CHECK (keep_days BETWEEN 1 AND 3650),
    -- The last backup taken (by hand or daily), and the last daily attempt that failed.
    last_at         INTEGER,
    last_path       TEXT,
    last_bytes      INTEGER,
    failed_at       INTEGER,
    failure         TEXT,
    updated_at      INTEGER NOT NULL
) STRICT;

-- table blocked_periods
CREATE TABLE "blocked_periods" (
    id          TEXT PRIMARY KEY,
    provider_id TEXT REFERENCES providers (id) ON DELETE CASCADE,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (provider_id IS NULL OR room_id IS NULL)
) STRICT;

-- table blueprint_cells
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

-- table calendar_feeds
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

-- table clinic_settings
CREATE TABLE clinic_settings (
    id               TEXT PRIMARY KEY CHECK (id = 'clinic'),
    name             TEXT NOT NULL,
    time_zone        TEXT NOT NULL,
    default_language TEXT NOT NULL,
    quiet_start      INTEGER CHECK (quiet_start BETWEEN 0 AND 1440),
    quiet_end        INTEGER CHECK (quiet_end BETWEEN 0 AND 1440),
    updated_at       INTEGER NOT NULL
, address TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '') STRICT;

-- table closed_days
CREATE TABLE closed_days (
    date   TEXT PRIMARY KEY,
    reason TEXT NOT NULL
, yearly INTEGER NOT NULL DEFAULT 0 CHECK (yearly IN (0, 1))) STRICT;

-- table day_kano
CREATE TABLE day_kano (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    feature_id      TEXT NOT NULL,
    functional      TEXT NOT NULL,
    dysfunctional   TEXT NOT NULL,
    answers         INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, feature_id, functional, dysfunctional)
) STRICT, WITHOUT ROWID;

-- table day_scores
CREATE TABLE day_scores (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    scale           TEXT NOT NULL CHECK (scale IN ('nps', 'csat')),
    score           INTEGER NOT NULL,
    answers         INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, scale, score)
) STRICT, WITHOUT ROWID;

-- table day_servqual
CREATE TABLE day_servqual (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    item            INTEGER NOT NULL,
    expectation_sum INTEGER NOT NULL,
    perception_sum  INTEGER NOT NULL,
    answers         INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, item)
) STRICT, WITHOUT ROWID;

-- table day_servqual_respondents
CREATE TABLE day_servqual_respondents (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    dimension       INTEGER NOT NULL,
    respondents     INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, dimension)
) STRICT, WITHOUT ROWID;

-- table day_stage_passes
CREATE TABLE day_stage_passes (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    family_key      TEXT NOT NULL,
    stage_key       TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    passes          INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, family_key, stage_key, minutes)
) STRICT, WITHOUT ROWID;

-- table day_surveys
CREATE TABLE day_surveys (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    responses       INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id)
) STRICT, WITHOUT ROWID;

-- table day_visits
CREATE TABLE day_visits (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    due             INTEGER NOT NULL,
    missed          INTEGER NOT NULL,
    booked          INTEGER NOT NULL,
    late_cancelled  INTEGER NOT NULL,
    confirmable     INTEGER NOT NULL,
    confirmed       INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id)
) STRICT, WITHOUT ROWID;

-- table figures_dirty
CREATE TABLE figures_dirty (
    at INTEGER PRIMARY KEY
) STRICT;

-- table figures_zone
CREATE TABLE figures_zone (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    time_zone TEXT NOT NULL
) STRICT;

-- table import_mappings
CREATE TABLE import_mappings (
    kind       TEXT NOT NULL CHECK (kind IN ('patients', 'appointments')),
    source     TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, source)
) STRICT, WITHOUT ROWID;

-- table journey_templates
CREATE TABLE journey_templates (
    id          TEXT PRIMARY KEY,
    family_key  TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL CHECK (version >= 1),
    created_at  INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    UNIQUE (family_key, version)
) STRICT;

-- table kano_answers
CREATE TABLE kano_answers (
    response_id   TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    feature_id    TEXT NOT NULL REFERENCES kano_features (id),
    functional    TEXT NOT NULL CHECK (functional IN ('like', 'must_be', 'neutral', 'live_with', 'dislike')),
    dysfunctional TEXT NOT NULL CHECK (dysfunctional IN ('like', 'must_be', 'neutral', 'live_with', 'dislike')),
    PRIMARY KEY (response_id, feature_id)
) STRICT, WITHOUT ROWID;

-- table kano_features
CREATE TABLE kano_features (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;

-- table patient_journeys
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

-- table patients
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

-- table planning_state
CREATE TABLE planning_state (
    id         TEXT PRIMARY KEY CHECK (id = 'tasks'),
    planned_at INTEGER NOT NULL,
    inputs_key TEXT NOT NULL
) STRICT;

-- table providers
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

-- table reminder_rules
CREATE TABLE reminder_rules (
    id                       TEXT PRIMARY KEY,
    stage_id                 TEXT NOT NULL REFERENCES template_stages (id) ON DELETE CASCADE,
    position                 INTEGER NOT NULL,
    name                     TEXT NOT NULL,
    anchor                   TEXT NOT NULL CHECK (anchor IN ('booking_made', 'appointment_start', 'appointment_end',
                                                             'stage_completed', 'no_show')),
    anchor_stage_key         TEXT,
    offset_amount            INTEGER NOT NULL,
    offset_unit              TEXT NOT NULL CHECK (offset_unit IN ('minutes', 'hours', 'days', 'working_days', 'months')),
    at_time                  INTEGER CHECK (at_time BETWEEN 0 AND 1439),
    kind                     TEXT NOT NULL CHECK (kind IN ('call', 'sms', 'email', 'letter', 'duty')),
    follow_preferred_channel INTEGER NOT NULL CHECK (follow_preferred_channel IN (0, 1)),
    role                     TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    first_visit_only         INTEGER NOT NULL CHECK (first_visit_only IN (0, 1)),
    unconfirmed_only         INTEGER NOT NULL CHECK (unconfirmed_only IN (0, 1)),
    requires_consent         INTEGER NOT NULL CHECK (requires_consent IN (0, 1)),
    only_channel             TEXT CHECK (only_channel IN ('phone', 'sms', 'email', 'letter')),
    max_attempts             INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
    retry_minutes            INTEGER NOT NULL CHECK (retry_minutes >= 0),
    snap                     INTEGER NOT NULL CHECK (snap IN (0, 1)),
    active                   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK ((anchor = 'stage_completed') = (anchor_stage_key IS NOT NULL)),
    UNIQUE (stage_id, position)
) STRICT;

-- table rooms
CREATE TABLE rooms (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- table service_standards
CREATE TABLE service_standards (
    id             TEXT PRIMARY KEY,
    family_key     TEXT NOT NULL,
    stage_key      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('measured', 'checked')),
    text           TEXT NOT NULL,
    measure        TEXT CHECK (measure IN ('stage_time', 'task_on_time')),
    limit_minutes  INTEGER CHECK (limit_minutes > 0),
    working_time   INTEGER NOT NULL DEFAULT 0 CHECK (working_time IN (0, 1)),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     INTEGER NOT NULL,
    CHECK ((kind = 'measured') = (measure IS NOT NULL AND limit_minutes IS NOT NULL))
) STRICT;

-- table service_types
CREATE TABLE service_types (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    duration_minutes    INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    color               TEXT NOT NULL,
    template_family_key TEXT NOT NULL,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- table servqual_answers
CREATE TABLE servqual_answers (
    response_id TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    item        INTEGER NOT NULL CHECK (item BETWEEN 1 AND 22),
    expectation INTEGER NOT NULL CHECK (expectation BETWEEN 1 AND 7),
    perception  INTEGER NOT NULL CHECK (perception BETWEEN 1 AND 7),
    PRIMARY KEY (response_id, item)
) STRICT, WITHOUT ROWID;

-- table servqual_weights
CREATE TABLE servqual_weights (
    dimension TEXT PRIMARY KEY CHECK (dimension IN ('tangibles', 'reliability', 'responsiveness', 'assurance',
                                                    'empathy')),
    points    INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100)
) STRICT;

-- table sign_in_policy
CREATE TABLE sign_in_policy (
    id                TEXT PRIMARY KEY CHECK (id = 'policy'),
    idle_lock_minutes INTEGER NOT NULL DEFAULT 10 CHECK (idle_lock_minutes BETWEEN 1 AND 240),
    updated_at        INTEGER NOT NULL
) STRICT;

-- table staff
CREATE TABLE staff (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    login_secret_hash TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
, failed_sign_ins INTEGER NOT NULL DEFAULT 0, sign_in_locked_until INTEGER) STRICT;

-- table stage_events
CREATE TABLE stage_events (
    id         TEXT PRIMARY KEY,
    journey_id TEXT NOT NULL REFERENCES patient_journeys (id) ON DELETE CASCADE,
    stage_id   TEXT NOT NULL REFERENCES template_stages (id),
    kind       TEXT NOT NULL CHECK (kind IN ('entered', 'started', 'completed', 'skipped')),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL
) STRICT;

-- table survey_responses
CREATE TABLE survey_responses (
    id             TEXT PRIMARY KEY,
    appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments (id),
    patient_id     TEXT NOT NULL REFERENCES patients (id),
    task_id        TEXT REFERENCES tasks (id),
    source         TEXT NOT NULL CHECK (source IN ('staff', 'kiosk')),
    language       TEXT NOT NULL,
    nps            INTEGER CHECK (nps BETWEEN 0 AND 10),
    csat           INTEGER CHECK (csat BETWEEN 1 AND 5),
    comment        TEXT NOT NULL DEFAULT '',
    at             INTEGER NOT NULL,
    actor          TEXT NOT NULL
) STRICT;

-- table task_attempts
CREATE TABLE task_attempts (
    id      TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'reached', 'done', 'voicemail', 'no_answer',
                                             'wrong_number', 'rescheduled', 'declined')),
    note    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL
) STRICT;

-- table tasks
CREATE TABLE "tasks" (
    id             TEXT PRIMARY KEY,
    rule_id        TEXT REFERENCES reminder_rules (id),
    purpose        TEXT NOT NULL DEFAULT 'rule' CHECK (purpose IN ('rule', 'rebook')),
    appointment_id TEXT NOT NULL REFERENCES appointments (id),
    journey_id     TEXT NOT NULL REFERENCES patient_journeys (id),
    patient_id     TEXT NOT NULL REFERENCES patients (id),
    kind           TEXT NOT NULL CHECK (kind IN ('call', 'sms', 'email', 'letter', 'duty')),
    role           TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    assignee_id    TEXT REFERENCES staff (id),
    due_at         INTEGER NOT NULL,
    expires_at     INTEGER,
    status         TEXT NOT NULL CHECK (status IN ('open', 'done', 'failed', 'cancelled')),
    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts   INTEGER NOT NULL CHECK (max_attempts >= 1),
    retry_minutes  INTEGER NOT NULL CHECK (retry_minutes >= 0),
    last_outcome   TEXT CHECK (last_outcome IN ('confirmed', 'reached', 'done', 'voicemail', 'no_answer',
                                                'wrong_number', 'rescheduled', 'declined')),
    note           TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    closed_at      INTEGER,
    CHECK ((purpose = 'rule') = (rule_id IS NOT NULL)),
    UNIQUE (rule_id, appointment_id)
) STRICT;

-- table template_stages
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

-- table waitlist_entries
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

-- table working_hours
CREATE TABLE working_hours (
    id      TEXT PRIMARY KEY,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens   INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1440),
    closes  INTEGER NOT NULL CHECK (closes BETWEEN 0 AND 1440),
    CHECK (closes > opens)
) STRICT;

-- trigger appointments_figures_delete
CREATE TRIGGER appointments_figures_delete AFTER DELETE ON appointments BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.starts_at);
END;

-- trigger appointments_figures_insert
CREATE TRIGGER appointments_figures_insert AFTER INSERT ON appointments BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (NEW.starts_at);
END;

-- trigger appointments_figures_update
CREATE TRIGGER appointments_figures_update
AFTER UPDATE OF provider_id, service_type_id, starts_at, status, status_changed_at ON appointments BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.starts_at), (NEW.starts_at);
    INSERT OR IGNORE INTO figures_dirty
        SELECT e.at FROM patient_journeys j JOIN stage_events e INDEXED BY stage_events_journey ON e.journey_id = j.id
        WHERE j.appointment_id = NEW.id AND e.kind = 'completed'
          AND (OLD.provider_id <> NEW.provider_id OR OLD.service_type_id <> NEW.service_type_id);
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM survey_responses WHERE appointment_id = NEW.id
          AND (OLD.provider_id <> NEW.provider_id OR OLD.service_type_id <> NEW.service_type_id);
END;

-- trigger appointments_revision
CREATE TRIGGER appointments_revision AFTER UPDATE OF patient_id, provider_id, room_id, service_type_id, starts_at,
    ends_at, status, notes ON appointments
WHEN NEW.revision = OLD.revision
BEGIN
    UPDATE appointments SET revision = OLD.revision + 1 WHERE id = NEW.id;
END;

-- trigger audit_log_no_delete
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- trigger audit_log_no_update
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.changes = 'erased' AND NEW.detail = '' AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
          AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id AND NEW.action = OLD.action
          AND NEW.staff_id IS OLD.staff_id AND NEW.staff_name = OLD.staff_name
          AND NEW.patient_id IS OLD.patient_id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- trigger journey_templates_figures
CREATE TRIGGER journey_templates_figures AFTER INSERT ON journey_templates BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT e.at FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
          JOIN stage_events e INDEXED BY stage_events_stage ON e.stage_id = s.id
        WHERE t.family_key = NEW.family_key AND e.kind = 'completed';
END;

-- trigger kano_answers_figures_delete
CREATE TRIGGER kano_answers_figures_delete AFTER DELETE ON kano_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = OLD.response_id;
END;

-- trigger kano_answers_figures_insert
CREATE TRIGGER kano_answers_figures_insert AFTER INSERT ON kano_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = NEW.response_id;
END;

-- trigger kano_answers_figures_update
CREATE TRIGGER kano_answers_figures_update AFTER UPDATE ON kano_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id IN (OLD.response_id, NEW.response_id);
END;

-- trigger patient_journeys_figures_insert
CREATE TRIGGER patient_journeys_figures_insert AFTER INSERT ON patient_journeys BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT starts_at FROM appointments WHERE id = NEW.appointment_id;
END;

-- trigger patient_journeys_figures_update
CREATE TRIGGER patient_journeys_figures_update AFTER UPDATE OF appointment_id, template_id ON patient_journeys BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT starts_at FROM appointments WHERE id IN (OLD.appointment_id, NEW.appointment_id);
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM stage_events INDEXED BY stage_events_journey WHERE journey_id = NEW.id AND kind = 'completed';
END;

-- trigger servqual_answers_figures_delete
CREATE TRIGGER servqual_answers_figures_delete AFTER DELETE ON servqual_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = OLD.response_id;
END;

-- trigger servqual_answers_figures_insert
CREATE TRIGGER servqual_answers_figures_insert AFTER INSERT ON servqual_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = NEW.response_id;
END;

-- trigger servqual_answers_figures_update
CREATE TRIGGER servqual_answers_figures_update AFTER UPDATE ON servqual_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id IN (OLD.response_id, NEW.response_id);
END;

-- trigger stage_events_figures_delete
CREATE TRIGGER stage_events_figures_delete AFTER DELETE ON stage_events BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.at);
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM stage_events INDEXED BY stage_events_journey
        WHERE journey_id = OLD.journey_id AND kind = 'completed';
    INSERT OR IGNORE INTO figures_dirty
        SELECT a.starts_at FROM patient_journeys j JOIN appointments a ON a.id = j.appointment_id
        WHERE j.id = OLD.journey_id;
END;

-- trigger stage_events_figures_insert
CREATE TRIGGER stage_events_figures_insert AFTER INSERT ON stage_events BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM stage_events INDEXED BY stage_events_journey
        WHERE journey_id = NEW.journey_id AND kind = 'completed';
    INSERT OR IGNORE INTO figures_dirty
        SELECT a.starts_at FROM patient_journeys j JOIN appointments a ON a.id = j.appointment_id
        WHERE j.id = NEW.journey_id AND NEW.kind = 'completed';
END;

-- trigger survey_responses_figures_delete
CREATE TRIGGER survey_responses_figures_delete AFTER DELETE ON survey_responses BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.at);
END;

-- trigger survey_responses_figures_insert
CREATE TRIGGER survey_responses_figures_insert AFTER INSERT ON survey_responses BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (NEW.at);
END;

-- trigger survey_responses_figures_update
CREATE TRIGGER survey_responses_figures_update AFTER UPDATE ON survey_responses BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.at), (NEW.at);
END;

-- trigger template_stages_figures
CREATE TRIGGER template_stages_figures AFTER UPDATE OF key, phase, standard_basis ON template_stages BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT e.at FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
          JOIN stage_events e INDEXED BY stage_events_stage ON e.stage_id = s.id
        WHERE t.family_key = (SELECT family_key FROM journey_templates WHERE id = NEW.template_id)
          AND e.kind = 'completed';
END;
