-- Schema 10: what patients say (surveys: NPS, CSAT, SERVQUAL, Kano) and the clinic's service
-- standards with the audits that check them.

-- One survey per visit, entered by staff from the feedback call or by the patient on the kiosk.
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
CREATE INDEX survey_responses_at ON survey_responses (at);

CREATE TABLE servqual_answers (
    response_id TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    item        INTEGER NOT NULL CHECK (item BETWEEN 1 AND 22),
    expectation INTEGER NOT NULL CHECK (expectation BETWEEN 1 AND 7),
    perception  INTEGER NOT NULL CHECK (perception BETWEEN 1 AND 7),
    PRIMARY KEY (response_id, item)
) STRICT, WITHOUT ROWID;

-- The clinic's 100 points across the five SERVQUAL dimensions (none: unweighted).
CREATE TABLE servqual_weights (
    dimension TEXT PRIMARY KEY CHECK (dimension IN ('tangibles', 'reliability', 'responsiveness', 'assurance',
                                                    'empathy')),
    points    INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100)
) STRICT;

-- Features the administrator proposes, asked of patients as a Kano pair of questions.
CREATE TABLE kano_features (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX kano_features_name ON kano_features (name COLLATE NOCASE);

CREATE TABLE kano_answers (
    response_id   TEXT NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    feature_id    TEXT NOT NULL REFERENCES kano_features (id),
    functional    TEXT NOT NULL CHECK (functional IN ('like', 'must_be', 'neutral', 'live_with', 'dislike')),
    dysfunctional TEXT NOT NULL CHECK (dysfunctional IN ('like', 'must_be', 'neutral', 'live_with', 'dislike')),
    PRIMARY KEY (response_id, feature_id)
) STRICT, WITHOUT ROWID;

-- A stage's standards beside its standard time: measured from the event log and tasks
-- ('stage_time': the stage within limit_minutes; 'task_on_time': its tasks done within
-- limit_minutes of falling due, in working time when working_time is 1), or checked by a
-- supervisor or mystery shopper during an audit visit.
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
CREATE INDEX service_standards_stage ON service_standards (family_key, stage_key);

CREATE TABLE audit_visits (
    id      TEXT PRIMARY KEY,
    at      INTEGER NOT NULL,
    auditor TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (kind IN ('supervisor', 'mystery_shopper')),
    note    TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL
) STRICT;
CREATE INDEX audit_visits_at ON audit_visits (at);

CREATE TABLE audit_checks (
    audit_id    TEXT NOT NULL REFERENCES audit_visits (id) ON DELETE CASCADE,
    standard_id TEXT NOT NULL REFERENCES service_standards (id),
    met         INTEGER NOT NULL CHECK (met IN (0, 1)),
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (audit_id, standard_id)
) STRICT, WITHOUT ROWID;
