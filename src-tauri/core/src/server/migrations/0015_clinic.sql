-- The clinic server's schema (PostgreSQL 15+), at the version of the embedded SQLite schema it
-- matches (`tests/schema.sql`): the same tables, columns, keys, checks and indexes, so that a
-- clinic moves between the two row for row. INTEGER is BIGINT (Rust's i64 on both engines);
-- flags stay 0/1 integers so queries read alike. Foreign keys are DEFERRABLE (still checked at
-- each statement unless deferred) so that moving a clinic can copy tables in any order.

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
    consent_reminders  BIGINT NOT NULL CHECK (consent_reminders IN (0, 1)),
    do_not_contact     BIGINT NOT NULL CHECK (do_not_contact IN (0, 1)),
    notes              TEXT NOT NULL DEFAULT '',
    -- lower-cased names, phone digits and email: what search-as-you-type matches
    search_key         TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE service_types (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    duration_minutes    BIGINT NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    color               TEXT NOT NULL,
    template_family_key TEXT NOT NULL,
    active              BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE appointment_series (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id) DEFERRABLE,
    service_type_id TEXT NOT NULL REFERENCES service_types (id) DEFERRABLE,
    -- RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;COUNT=8, from the first occurrence's local time
    rrule           TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE rooms (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    active     BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE staff (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    active            BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    login_secret_hash TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    failed_sign_ins   BIGINT NOT NULL DEFAULT 0,
    sign_in_locked_until BIGINT
);

CREATE TABLE providers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    specialty    TEXT NOT NULL DEFAULT '',
    staff_id     TEXT REFERENCES staff (id) DEFERRABLE,
    home_room_id TEXT REFERENCES rooms (id) DEFERRABLE,
    active       BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE appointments (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id) DEFERRABLE,
    provider_id     TEXT NOT NULL REFERENCES providers (id) DEFERRABLE,
    room_id         TEXT NOT NULL REFERENCES rooms (id) DEFERRABLE,
    service_type_id TEXT NOT NULL REFERENCES service_types (id) DEFERRABLE,
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'booked', 'confirmed', 'arrived', 'in_progress',
                                                    'fulfilled', 'cancelled', 'noshow', 'waitlist')),
    cancel_reason   TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    series_id       TEXT REFERENCES appointment_series (id) DEFERRABLE,
    series_index    BIGINT CHECK (series_index >= 1),
    status_changed_at BIGINT,
    revision        BIGINT NOT NULL DEFAULT 0 CHECK (revision >= 0),
    CHECK (ends_at > starts_at)
);

CREATE TABLE audit_visits (
    id      TEXT PRIMARY KEY,
    at      BIGINT NOT NULL,
    auditor TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('supervisor', 'mystery_shopper')),
    note    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL
);

CREATE TABLE service_standards (
    id             TEXT PRIMARY KEY,
    family_key     TEXT NOT NULL,
    stage_key      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('measured', 'checked')),
    text           TEXT NOT NULL,
    measure        TEXT CHECK (measure IN ('stage_time', 'task_on_time')),
    limit_minutes  BIGINT CHECK (limit_minutes > 0),
    working_time   BIGINT NOT NULL DEFAULT 0 CHECK (working_time IN (0, 1)),
    active         BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     BIGINT NOT NULL,
    CHECK ((kind = 'measured') = (measure IS NOT NULL AND limit_minutes IS NOT NULL))
);

CREATE TABLE audit_checks (
    audit_id    TEXT NOT NULL REFERENCES audit_visits (id) ON DELETE CASCADE DEFERRABLE,
    standard_id TEXT NOT NULL REFERENCES service_standards (id) DEFERRABLE,
    met         BIGINT NOT NULL CHECK (met IN (0, 1)),
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (audit_id, standard_id)
);

CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    staff_id   TEXT,
    staff_name TEXT NOT NULL DEFAULT '',
    patient_id TEXT,
    changes    TEXT NOT NULL DEFAULT '',
    -- The order rows were written in (the desk's file has its row ids): entries of one
    -- instant are listed in it.
    seq        BIGINT GENERATED BY DEFAULT AS IDENTITY
);

CREATE TABLE availability (
    id          TEXT PRIMARY KEY,
    provider_id TEXT REFERENCES providers (id) ON DELETE CASCADE DEFERRABLE,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE DEFERRABLE,
    weekday     BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens       BIGINT NOT NULL CHECK (opens BETWEEN 0 AND 1440),
    closes      BIGINT NOT NULL CHECK (closes BETWEEN 0 AND 1440),
    weeks       TEXT NOT NULL DEFAULT 'every' CHECK (weeks IN ('every', 'odd', 'even')),
    CHECK (closes > opens),
    CHECK ((provider_id IS NULL) <> (room_id IS NULL))
);

CREATE TABLE backup_plan (
    id              TEXT PRIMARY KEY CHECK (id = 'plan'),
    folder          TEXT NOT NULL DEFAULT '',
    daily           BIGINT NOT NULL DEFAULT 1 CHECK (daily IN (0, 1)),
    keep_days       BIGINT NOT NULL DEFAULT 14 CHECK (keep_days BETWEEN 1 AND 3650),
    -- The last backup taken (by hand or daily), and the last daily attempt that failed.
    last_at         BIGINT,
    last_path       TEXT,
    last_bytes      BIGINT,
    failed_at       BIGINT,
    failure         TEXT,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE blocked_periods (
    id          TEXT PRIMARY KEY,
    provider_id TEXT REFERENCES providers (id) ON DELETE CASCADE DEFERRABLE,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE DEFERRABLE,
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (provider_id IS NULL OR room_id IS NULL)
);

CREATE TABLE journey_templates (
    id          TEXT PRIMARY KEY,
    family_key  TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version     BIGINT NOT NULL CHECK (version >= 1),
    created_at  BIGINT NOT NULL,
    retired     BIGINT NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    UNIQUE (family_key, version)
);

CREATE TABLE template_stages (
    id               TEXT PRIMARY KEY,
    template_id      TEXT NOT NULL REFERENCES journey_templates (id) ON DELETE CASCADE DEFERRABLE,
    position         BIGINT NOT NULL,
    key              TEXT NOT NULL,
    phase            TEXT NOT NULL CHECK (phase IN ('pre_visit', 'visit', 'post_visit')),
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    owner_role       TEXT NOT NULL CHECK (owner_role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    standard_minutes BIGINT NOT NULL CHECK (standard_minutes >= 0),
    standard_basis   TEXT NOT NULL CHECK (standard_basis IN ('duration', 'lead_time')),
    UNIQUE (template_id, position),
    UNIQUE (template_id, key)
);

CREATE TABLE blueprint_cells (
    id               TEXT PRIMARY KEY,
    stage_id         TEXT NOT NULL REFERENCES template_stages (id) ON DELETE CASCADE DEFERRABLE,
    lane             TEXT NOT NULL CHECK (lane IN ('physical_evidence', 'patient_action', 'front_office', 'back_office', 'support_process')),
    position         BIGINT NOT NULL,
    text             TEXT NOT NULL,
    owner_role       TEXT CHECK (owner_role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    standard_minutes BIGINT CHECK (standard_minutes >= 0),
    fail_point       TEXT,
    wait_point       TEXT,
    UNIQUE (stage_id, lane, position)
);

CREATE TABLE calendar_feeds (
    id          TEXT PRIMARY KEY,
    folder      TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('clinic', 'provider', 'room')),
    scope_id    TEXT,
    detail      TEXT NOT NULL CHECK (detail IN ('none', 'initials', 'full')),
    alarms      BIGINT NOT NULL CHECK (alarms IN (0, 1)),
    written_at  BIGINT,
    created_at  BIGINT NOT NULL,
    CHECK ((scope = 'clinic') = (scope_id IS NULL))
);

CREATE TABLE clinic_settings (
    id               TEXT PRIMARY KEY CHECK (id = 'clinic'),
    name             TEXT NOT NULL,
    time_zone        TEXT NOT NULL,
    default_language TEXT NOT NULL,
    quiet_start      BIGINT CHECK (quiet_start BETWEEN 0 AND 1440),
    quiet_end        BIGINT CHECK (quiet_end BETWEEN 0 AND 1440),
    updated_at       BIGINT NOT NULL,
    address          TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT ''
);

CREATE TABLE closed_days (
    date   TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    yearly BIGINT NOT NULL DEFAULT 0 CHECK (yearly IN (0, 1))
);

CREATE TABLE day_kano (
    day             BIGINT NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    feature_id      TEXT NOT NULL,
    functional      TEXT NOT NULL,
    dysfunctional   TEXT NOT NULL,
    answers         BIGINT NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, feature_id, functional, dysfunctional)
);

CREATE TABLE day_scores (
    day             BIGINT NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    scale           TEXT NOT NULL CHECK (scale IN ('nps', 'csat')),
    score           BIGINT NOT NULL,
    answers         BIGINT NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, scale, score)
);

CREATE TABLE day_servqual (
    day             BIGINT NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    item            BIGINT NOT NULL,
    expectation_sum BIGINT NOT NULL,
    perception_sum  BIGINT NOT NULL,
    answers         BIGINT NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, item)
);

CREATE TABLE day_servqual_respondents (
    day             BIGINT NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    dimension       BIGINT NOT NULL,
    respondents     BIGINT NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, dimension)
);

CREATE TABLE day_stage_passes (
    day             BIGINT NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    family_key      TEXT NOT NULL,
    stage_key       TEXT NOT NULL,
    minutes         BIGINT NOT NULL,
    passes          BIGINT NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, family_key, stage_key, minutes)
);

CREATE TABLE day_surveys (
    day             BIGINT NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    responses       BIGINT NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id)
);

CREATE TABLE day_visits (
    day             BIGINT NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    due             BIGINT NOT NULL,
    missed          BIGINT NOT NULL,
    booked          BIGINT NOT NULL,
    late_cancelled  BIGINT NOT NULL,
    confirmable     BIGINT NOT NULL,
    confirmed       BIGINT NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id)
);

CREATE TABLE figures_dirty (
    at BIGINT PRIMARY KEY
);

CREATE TABLE figures_zone (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    time_zone TEXT NOT NULL
);

CREATE TABLE import_mappings (
    kind       TEXT NOT NULL CHECK (kind IN ('patients', 'appointments')),
    source     TEXT NOT NULL,
    mapping    TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, source)
);

CREATE TABLE kano_features (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    active     BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at BIGINT NOT NULL
);

CREATE TABLE patient_journeys (
    id               TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL REFERENCES patients (id) DEFERRABLE,
    service_type_id  TEXT NOT NULL REFERENCES service_types (id) DEFERRABLE,
    template_id      TEXT NOT NULL REFERENCES journey_templates (id) DEFERRABLE,
    appointment_id   TEXT UNIQUE REFERENCES appointments (id) DEFERRABLE,
    current_stage_id TEXT REFERENCES template_stages (id) DEFERRABLE,
    started_at       BIGINT NOT NULL,
    completed_at     BIGINT
);

CREATE TABLE reminder_rules (
    id                       TEXT PRIMARY KEY,
    stage_id                 TEXT NOT NULL REFERENCES template_stages (id) ON DELETE CASCADE DEFERRABLE,
    position                 BIGINT NOT NULL,
    name                     TEXT NOT NULL,
    anchor                   TEXT NOT NULL CHECK (anchor IN ('booking_made', 'appointment_start', 'appointment_end',
                                                             'stage_completed', 'no_show')),
    anchor_stage_key         TEXT,
    offset_amount            BIGINT NOT NULL,
    offset_unit              TEXT NOT NULL CHECK (offset_unit IN ('minutes', 'hours', 'days', 'working_days', 'months')),
    at_time                  BIGINT CHECK (at_time BETWEEN 0 AND 1439),
    kind                     TEXT NOT NULL CHECK (kind IN ('call', 'sms', 'email', 'letter', 'duty')),
    follow_preferred_channel BIGINT NOT NULL CHECK (follow_preferred_channel IN (0, 1)),
    role                     TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    first_visit_only         BIGINT NOT NULL CHECK (first_visit_only IN (0, 1)),
    unconfirmed_only         BIGINT NOT NULL CHECK (unconfirmed_only IN (0, 1)),
    requires_consent         BIGINT NOT NULL CHECK (requires_consent IN (0, 1)),
    only_channel             TEXT CHECK (only_channel IN ('phone', 'sms', 'email', 'letter')),
    max_attempts             BIGINT NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
    retry_minutes            BIGINT NOT NULL CHECK (retry_minutes >= 0),
    snap                     BIGINT NOT NULL CHECK (snap IN (0, 1)),
    active                   BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK ((anchor = 'stage_completed') = (anchor_stage_key IS NOT NULL)),
    UNIQUE (stage_id, position)
);

CREATE TABLE tasks (
    id             TEXT PRIMARY KEY,
    rule_id        TEXT REFERENCES reminder_rules (id) DEFERRABLE,
    purpose        TEXT NOT NULL DEFAULT 'rule' CHECK (purpose IN ('rule', 'rebook')),
    appointment_id TEXT NOT NULL REFERENCES appointments (id) DEFERRABLE,
    journey_id     TEXT NOT NULL REFERENCES patient_journeys (id) DEFERRABLE,
    patient_id     TEXT NOT NULL REFERENCES patients (id) DEFERRABLE,
    kind           TEXT NOT NULL CHECK (kind IN ('call', 'sms', 'email', 'letter', 'duty')),
    role           TEXT NOT NULL CHECK (role IN ('admin', 'front_desk', 'clinician', 'back_office')),
    assignee_id    TEXT REFERENCES staff (id) DEFERRABLE,
    due_at         BIGINT NOT NULL,
    expires_at     BIGINT,
    status         TEXT NOT NULL CHECK (status IN ('open', 'done', 'failed', 'cancelled')),
    attempts       BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts   BIGINT NOT NULL CHECK (max_attempts >= 1),
    retry_minutes  BIGINT NOT NULL CHECK (retry_minutes >= 0),
    last_outcome   TEXT CHECK (last_outcome IN ('confirmed', 'reached', 'done', 'voicemail', 'no_answer',
                                                'wrong_number', 'rescheduled', 'declined')),
    note           TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    closed_at      BIGINT,
    CHECK ((purpose = 'rule') = (rule_id IS NOT NULL)),
    UNIQUE (rule_id, appointment_id)
);

CREATE TABLE survey_responses (
    id             TEXT PRIMARY KEY,
    appointment_id TEXT NOT NULL UNIQUE REFERENCES appointments (id) DEFERRABLE,
    patient_id     TEXT NOT NULL REFERENCES patients (id) DEFERRABLE,
    task_id        TEXT REFERENCES tasks (id) DEFERRABLE,
    source         TEXT NOT NULL CHECK (source IN ('staff', 'kiosk')),
    language       TEXT NOT NULL,
    nps            BIGINT CHECK (nps BETWEEN 0 AND 10),
    csat           BIGINT CHECK (csat BETWEEN 1 AND 5),
    comment        TEXT NOT NULL DEFAULT '',
    at             BIGINT NOT NULL,
    actor          TEXT NOT NULL
);

CREATE TABLE kano_answers (
    response_id   TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE DEFERRABLE,
    feature_id    TEXT NOT NULL REFERENCES kano_features (id) DEFERRABLE,
    functional    TEXT NOT NULL CHECK (functional IN ('like', 'must_be', 'neutral', 'live_with', 'dislike')),
    dysfunctional TEXT NOT NULL CHECK (dysfunctional IN ('like', 'must_be', 'neutral', 'live_with', 'dislike')),
    PRIMARY KEY (response_id, feature_id)
);

CREATE TABLE planning_state (
    id         TEXT PRIMARY KEY CHECK (id = 'tasks'),
    planned_at BIGINT NOT NULL,
    inputs_key TEXT NOT NULL
);

CREATE TABLE servqual_answers (
    response_id TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE DEFERRABLE,
    item        BIGINT NOT NULL CHECK (item BETWEEN 1 AND 22),
    expectation BIGINT NOT NULL CHECK (expectation BETWEEN 1 AND 7),
    perception  BIGINT NOT NULL CHECK (perception BETWEEN 1 AND 7),
    PRIMARY KEY (response_id, item)
);

CREATE TABLE servqual_weights (
    dimension TEXT PRIMARY KEY CHECK (dimension IN ('tangibles', 'reliability', 'responsiveness', 'assurance',
                                                    'empathy')),
    points    BIGINT NOT NULL CHECK (points BETWEEN 0 AND 100)
);

CREATE TABLE sign_in_policy (
    id                TEXT PRIMARY KEY CHECK (id = 'policy'),
    idle_lock_minutes BIGINT NOT NULL DEFAULT 10 CHECK (idle_lock_minutes BETWEEN 1 AND 240),
    updated_at        BIGINT NOT NULL
);

CREATE TABLE stage_events (
    id         TEXT PRIMARY KEY,
    journey_id TEXT NOT NULL REFERENCES patient_journeys (id) ON DELETE CASCADE DEFERRABLE,
    stage_id   TEXT NOT NULL REFERENCES template_stages (id) DEFERRABLE,
    kind       TEXT NOT NULL CHECK (kind IN ('entered', 'started', 'completed', 'skipped')),
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    -- The order events were logged in (the desk's file has its row ids): a move across
    -- several columns logs several events at one instant.
    seq        BIGINT GENERATED BY DEFAULT AS IDENTITY
);

CREATE TABLE task_attempts (
    id      TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE DEFERRABLE,
    at      BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'reached', 'done', 'voicemail', 'no_answer',
                                             'wrong_number', 'rescheduled', 'declined')),
    note    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL
);

CREATE TABLE waitlist_entries (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id) DEFERRABLE,
    service_type_id TEXT NOT NULL REFERENCES service_types (id) DEFERRABLE,
    provider_id     TEXT REFERENCES providers (id) DEFERRABLE,
    earliest_date   TEXT NOT NULL,
    latest_date     TEXT NOT NULL,
    part_of_day     TEXT CHECK (part_of_day IN ('morning', 'afternoon', 'evening')),
    notes           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('waiting', 'booked', 'removed')),
    appointment_id  TEXT REFERENCES appointments (id) DEFERRABLE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CHECK (latest_date >= earliest_date)
);

CREATE TABLE working_hours (
    id      TEXT PRIMARY KEY,
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens   BIGINT NOT NULL CHECK (opens BETWEEN 0 AND 1440),
    closes  BIGINT NOT NULL CHECK (closes BETWEEN 0 AND 1440),
    CHECK (closes > opens)
);

CREATE INDEX appointment_series_patient ON appointment_series (patient_id);

CREATE INDEX appointment_series_service_type ON appointment_series (service_type_id);

CREATE INDEX appointments_call_list ON appointments (id, starts_at, status, provider_id, service_type_id, patient_id);

CREATE INDEX appointments_patient ON appointments (patient_id, starts_at, status);

CREATE INDEX appointments_provider ON appointments (provider_id, starts_at);

CREATE INDEX appointments_room ON appointments (room_id, starts_at);

CREATE INDEX appointments_series ON appointments (series_id);

CREATE INDEX appointments_service_type ON appointments (service_type_id);

CREATE INDEX appointments_start ON appointments (starts_at);

CREATE INDEX appointments_updated ON appointments (updated_at);

CREATE INDEX audit_checks_standard ON audit_checks (standard_id);

CREATE INDEX audit_log_at ON audit_log (at);

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE INDEX audit_log_patient ON audit_log (patient_id, at);

CREATE INDEX audit_visits_at ON audit_visits (at);

CREATE INDEX availability_provider ON availability (provider_id);

CREATE INDEX availability_room ON availability (room_id);

CREATE INDEX blocked_periods_provider ON blocked_periods (provider_id, starts_at);

CREATE INDEX blocked_periods_room ON blocked_periods (room_id, starts_at);

CREATE INDEX kano_answers_feature ON kano_answers (feature_id);

CREATE UNIQUE INDEX kano_features_name ON kano_features (lower(name));

CREATE INDEX patient_journeys_current_stage ON patient_journeys (current_stage_id);

CREATE INDEX patient_journeys_patient ON patient_journeys (patient_id);

CREATE INDEX patient_journeys_plan ON patient_journeys (appointment_id, id, template_id);

CREATE INDEX patient_journeys_service_type ON patient_journeys (service_type_id);

CREATE INDEX patient_journeys_template ON patient_journeys (template_id);

CREATE INDEX patients_call_list ON patients (id, given_name, family_name, phone, email, preferred_channel,
    preferred_language);

CREATE INDEX patients_name ON patients (family_name, given_name);

CREATE INDEX patients_updated ON patients (updated_at);

CREATE INDEX providers_home_room ON providers (home_room_id);

CREATE INDEX providers_staff ON providers (staff_id);

CREATE INDEX service_standards_stage ON service_standards (family_key, stage_key);

CREATE INDEX stage_events_at ON stage_events (at);

CREATE INDEX stage_events_completed ON stage_events (stage_id, kind, journey_id, at);

CREATE INDEX stage_events_journey ON stage_events (journey_id, at);

CREATE INDEX stage_events_stage ON stage_events (stage_id, at);

CREATE INDEX survey_responses_at ON survey_responses (at);

CREATE INDEX survey_responses_patient ON survey_responses (patient_id);

CREATE INDEX survey_responses_task ON survey_responses (task_id) WHERE task_id IS NOT NULL;

CREATE INDEX task_attempts_task ON task_attempts (task_id, at);

CREATE INDEX tasks_appointment ON tasks (appointment_id);

CREATE INDEX tasks_assignee ON tasks (assignee_id) WHERE assignee_id IS NOT NULL;

CREATE INDEX tasks_journey ON tasks (journey_id);

CREATE INDEX tasks_open_due ON tasks (due_at, expires_at, kind, role, assignee_id, appointment_id, rule_id, purpose,
    attempts, max_attempts, last_outcome, note, id) WHERE status = 'open';

CREATE INDEX tasks_open_expiry ON tasks (expires_at) WHERE status = 'open' AND expires_at IS NOT NULL;

CREATE UNIQUE INDEX tasks_open_rebook ON tasks (appointment_id) WHERE purpose = 'rebook' AND status = 'open';

CREATE INDEX tasks_patient ON tasks (patient_id);

CREATE INDEX waitlist_entries_appointment ON waitlist_entries (appointment_id);

CREATE INDEX waitlist_entries_patient ON waitlist_entries (patient_id);

CREATE INDEX waitlist_entries_provider ON waitlist_entries (provider_id);

CREATE INDEX waitlist_entries_service_type ON waitlist_entries (service_type_id);

CREATE INDEX waitlist_entries_status ON waitlist_entries (status, earliest_date);

-- The server's own: the id of every write a desk committed in the last week, so that a write
-- retried after its reply was lost is not done twice (server::write_once).
CREATE TABLE applied_writes (
    id   TEXT PRIMARY KEY,
    desk TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX applied_writes_at ON applied_writes (at);

-- A person's name as the app writes it (domain::patient::person_name, which the embedded
-- file registers as an SQL function): family name first in Chinese, Japanese and Korean.
CREATE FUNCTION person_name(given TEXT, family TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN g || f ~ '[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]' THEN f || g
        WHEN g = '' OR f = '' THEN g || f
        ELSE g || ' ' || f
    END
    FROM (SELECT regexp_replace(given, '^\s+|\s+$', '', 'g') AS g,
                 regexp_replace(family, '^\s+|\s+$', '', 'g') AS f) AS trimmed
$$;

-- Figures to recount: the same triggers as the SQLite schema's, written for PL/pgSQL.
-- `mark_figures_dirty(at)` is SQLite's `INSERT OR IGNORE INTO figures_dirty`.
CREATE FUNCTION mark_figures_dirty(day_at BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO figures_dirty (at) VALUES (day_at) ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION appointments_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM mark_figures_dirty(OLD.starts_at);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM mark_figures_dirty(NEW.starts_at);
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.provider_id <> NEW.provider_id OR OLD.service_type_id <> NEW.service_type_id) THEN
        INSERT INTO figures_dirty (at)
            SELECT e.at FROM patient_journeys j JOIN stage_events e ON e.journey_id = j.id
            WHERE j.appointment_id = NEW.id AND e.kind = 'completed'
            ON CONFLICT DO NOTHING;
        INSERT INTO figures_dirty (at)
            SELECT at FROM survey_responses WHERE appointment_id = NEW.id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER appointments_figures_insert AFTER INSERT ON appointments
    FOR EACH ROW EXECUTE FUNCTION appointments_figures();
CREATE TRIGGER appointments_figures_delete AFTER DELETE ON appointments
    FOR EACH ROW EXECUTE FUNCTION appointments_figures();
CREATE TRIGGER appointments_figures_update
    AFTER UPDATE OF provider_id, service_type_id, starts_at, status, status_changed_at ON appointments
    FOR EACH ROW EXECUTE FUNCTION appointments_figures();

-- SEQUENCE of the visit's calendar event: raised whenever an UPDATE names one of these columns
-- (as SQLite's `UPDATE OF` does), unless the update sets the revision itself.
CREATE FUNCTION appointments_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER appointments_revision BEFORE UPDATE OF patient_id, provider_id, room_id, service_type_id, starts_at,
    ends_at, status, notes ON appointments
    FOR EACH ROW WHEN (NEW.revision = OLD.revision) EXECUTE FUNCTION appointments_revision();

-- The audit log's capture of changed rows: what the embedded file does with temporary
-- triggers. Each audited table gets `AFTER UPDATE OR DELETE … EXECUTE FUNCTION
-- audit_capture_row('left-out column', …)` (made by the desk from the store's list when it
-- migrates); the row before and after, without the columns left out, goes to the session's
-- temporary `audit_capture`. A session without that table (a restore, psql) captures nothing.
CREATE FUNCTION audit_capture_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    left_out TEXT[] := TG_ARGV || ARRAY['id', 'created_at', 'updated_at'];
    after TEXT;
BEGIN
    IF to_regclass('pg_temp.audit_capture') IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        after := CAST(to_jsonb(NEW) - left_out AS TEXT);
    END IF;
    EXECUTE 'INSERT INTO pg_temp.audit_capture (tbl, row_id, before, after) VALUES ($1, $2, $3, $4)'
        USING TG_TABLE_NAME, OLD.id, CAST(to_jsonb(OLD) - left_out AS TEXT), after;
    RETURN NULL;
END $$;

-- The audit log is append-only; erasure may blank what it said about an erased patient.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.changes = 'erased' AND NEW.detail = '' AND NEW.id = OLD.id AND NEW.at = OLD.at
       AND NEW.actor = OLD.actor AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
       AND NEW.action = OLD.action AND NEW.staff_id IS NOT DISTINCT FROM OLD.staff_id
       AND NEW.staff_name = OLD.staff_name AND NEW.patient_id IS NOT DISTINCT FROM OLD.patient_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE FUNCTION journey_templates_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figures_dirty (at)
        SELECT e.at FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
          JOIN stage_events e ON e.stage_id = s.id
        WHERE t.family_key = NEW.family_key AND e.kind = 'completed'
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER journey_templates_figures AFTER INSERT ON journey_templates
    FOR EACH ROW EXECUTE FUNCTION journey_templates_figures();

-- Kano and SERVQUAL answers count on the day of their survey response.
CREATE FUNCTION survey_answers_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO figures_dirty (at) SELECT at FROM survey_responses WHERE id = OLD.response_id
            ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO figures_dirty (at) SELECT at FROM survey_responses WHERE id = NEW.response_id
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER kano_answers_figures AFTER INSERT OR UPDATE OR DELETE ON kano_answers
    FOR EACH ROW EXECUTE FUNCTION survey_answers_figures();
CREATE TRIGGER servqual_answers_figures AFTER INSERT OR UPDATE OR DELETE ON servqual_answers
    FOR EACH ROW EXECUTE FUNCTION survey_answers_figures();

CREATE FUNCTION patient_journeys_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figures_dirty (at) SELECT starts_at FROM appointments WHERE id = NEW.appointment_id
        ON CONFLICT DO NOTHING;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO figures_dirty (at) SELECT starts_at FROM appointments WHERE id = OLD.appointment_id
            ON CONFLICT DO NOTHING;
        INSERT INTO figures_dirty (at) SELECT at FROM stage_events WHERE journey_id = NEW.id AND kind = 'completed'
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER patient_journeys_figures_insert AFTER INSERT ON patient_journeys
    FOR EACH ROW EXECUTE FUNCTION patient_journeys_figures();
CREATE TRIGGER patient_journeys_figures_update AFTER UPDATE OF appointment_id, template_id ON patient_journeys
    FOR EACH ROW EXECUTE FUNCTION patient_journeys_figures();

CREATE FUNCTION stage_events_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM mark_figures_dirty(OLD.at);
        INSERT INTO figures_dirty (at) SELECT at FROM stage_events WHERE journey_id = OLD.journey_id AND kind = 'completed'
            ON CONFLICT DO NOTHING;
        INSERT INTO figures_dirty (at)
            SELECT a.starts_at FROM patient_journeys j JOIN appointments a ON a.id = j.appointment_id
            WHERE j.id = OLD.journey_id
            ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO figures_dirty (at) SELECT at FROM stage_events WHERE journey_id = NEW.journey_id AND kind = 'completed'
            ON CONFLICT DO NOTHING;
        IF NEW.kind = 'completed' THEN
            INSERT INTO figures_dirty (at)
                SELECT a.starts_at FROM patient_journeys j JOIN appointments a ON a.id = j.appointment_id
                WHERE j.id = NEW.journey_id
                ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER stage_events_figures_insert AFTER INSERT ON stage_events
    FOR EACH ROW EXECUTE FUNCTION stage_events_figures();
CREATE TRIGGER stage_events_figures_delete AFTER DELETE ON stage_events
    FOR EACH ROW EXECUTE FUNCTION stage_events_figures();

CREATE FUNCTION survey_responses_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM mark_figures_dirty(OLD.at);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM mark_figures_dirty(NEW.at);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER survey_responses_figures AFTER INSERT OR UPDATE OR DELETE ON survey_responses
    FOR EACH ROW EXECUTE FUNCTION survey_responses_figures();

CREATE FUNCTION template_stages_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO figures_dirty (at)
        SELECT e.at FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
          JOIN stage_events e ON e.stage_id = s.id
        WHERE t.family_key = (SELECT family_key FROM journey_templates WHERE id = NEW.template_id)
          AND e.kind = 'completed'
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER template_stages_figures AFTER UPDATE OF key, phase, standard_basis ON template_stages
    FOR EACH ROW EXECUTE FUNCTION template_stages_figures();

-- Two desks booking the same time: the embedded file has one writer at a time, the server has
-- many. Each desk checks for a clash first (and says who has the slot); these constraints make
-- the clash impossible when two desks check at once: the second to commit is refused.
-- A visit holds its provider, room and patient unless cancelled, missed or on the waiting
-- list (AppointmentStatus::holds_slot); times are half-open, as the desk's check.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE appointments ADD CONSTRAINT appointments_provider_free
    EXCLUDE USING gist (provider_id WITH =, int8range(starts_at, ends_at) WITH &&)
    WHERE (status NOT IN ('cancelled', 'noshow', 'waitlist'));
ALTER TABLE appointments ADD CONSTRAINT appointments_room_free
    EXCLUDE USING gist (room_id WITH =, int8range(starts_at, ends_at) WITH &&)
    WHERE (status NOT IN ('cancelled', 'noshow', 'waitlist'));
ALTER TABLE appointments ADD CONSTRAINT appointments_patient_free
    EXCLUDE USING gist (patient_id WITH =, int8range(starts_at, ends_at) WITH &&)
    WHERE (status NOT IN ('cancelled', 'noshow', 'waitlist'));
