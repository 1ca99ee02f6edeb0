-- Schema version 3: reminder rules on template stages, the tasks they make, and every
-- attempt at a task.

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

-- One task per (rule, appointment): planning again finds the same row.
CREATE TABLE tasks (
    id             TEXT PRIMARY KEY,
    rule_id        TEXT NOT NULL REFERENCES reminder_rules (id),
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
    UNIQUE (rule_id, appointment_id)
) STRICT;
-- The call list reads open tasks by due time; closed ones stay out of the index.
CREATE INDEX tasks_open_due ON tasks (due_at) WHERE status = 'open';
CREATE INDEX tasks_appointment ON tasks (appointment_id);
CREATE INDEX tasks_patient ON tasks (patient_id);

CREATE TABLE task_attempts (
    id      TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'reached', 'done', 'voicemail', 'no_answer',
                                             'wrong_number', 'rescheduled', 'declined')),
    note    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL
) STRICT;
CREATE INDEX task_attempts_task ON task_attempts (task_id, at);
