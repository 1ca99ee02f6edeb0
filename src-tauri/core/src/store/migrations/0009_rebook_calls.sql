-- Schema 9: a task is planned by a reminder rule, or is a call to rebook a visit that a change
-- of hours, a closed day or a blocked period stranded (`purpose` 'rebook', no rule). SQLite
-- drops a NOT NULL only by rebuilding the table. The attempts, which reference the tasks, are
-- set aside first: with foreign keys on, dropping the old table would delete them.
CREATE TEMP TABLE task_attempts_kept AS SELECT * FROM task_attempts;
DROP TABLE task_attempts;

CREATE TABLE tasks_new (
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
INSERT INTO tasks_new (id, rule_id, purpose, appointment_id, journey_id, patient_id, kind, role, assignee_id,
        due_at, expires_at, status, attempts, max_attempts, retry_minutes, last_outcome, note, created_at,
        updated_at, closed_at)
    SELECT id, rule_id, 'rule', appointment_id, journey_id, patient_id, kind, role, assignee_id, due_at,
        expires_at, status, attempts, max_attempts, retry_minutes, last_outcome, note, created_at, updated_at,
        closed_at
    FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;
CREATE INDEX tasks_appointment ON tasks (appointment_id);
CREATE INDEX tasks_open_due ON tasks (due_at, expires_at, kind, role, assignee_id, appointment_id, rule_id, purpose,
    attempts, max_attempts, last_outcome, note, id) WHERE status = 'open';
CREATE INDEX tasks_open_expiry ON tasks (expires_at) WHERE status = 'open' AND expires_at IS NOT NULL;
CREATE INDEX tasks_patient ON tasks (patient_id);
-- One open call to rebook a visit at a time.
CREATE UNIQUE INDEX tasks_open_rebook ON tasks (appointment_id) WHERE purpose = 'rebook' AND status = 'open';

CREATE TABLE task_attempts (
    id      TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'reached', 'done', 'voicemail', 'no_answer',
                                             'wrong_number', 'rescheduled', 'declined')),
    note    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL
) STRICT;
INSERT INTO task_attempts SELECT * FROM task_attempts_kept;
DROP TABLE task_attempts_kept;
CREATE INDEX task_attempts_task ON task_attempts (task_id, at);
