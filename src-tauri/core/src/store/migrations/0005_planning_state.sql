-- Schema 5: a full re-plan skips the appointments whose inputs did not change since the last
-- one. It remembers when it ran and a key of the inputs every plan shares (the clinic's
-- calendar and all reminder rules); what changed after that is found through these indexes.
CREATE TABLE planning_state (
    id         TEXT PRIMARY KEY CHECK (id = 'tasks'),
    planned_at INTEGER NOT NULL,
    inputs_key TEXT NOT NULL
) STRICT;

CREATE INDEX appointments_updated ON appointments (updated_at);
CREATE INDEX patients_updated ON patients (updated_at);
CREATE INDEX stage_events_at ON stage_events (at);
CREATE INDEX tasks_open_expiry ON tasks (expires_at) WHERE status = 'open' AND expires_at IS NOT NULL;

-- A plan reads each patient's first visit, and the completions of the stages rules count
-- from, straight from these indexes without visiting the rows.
DROP INDEX appointments_patient;
CREATE INDEX appointments_patient ON appointments (patient_id, starts_at, status);
CREATE INDEX stage_events_completed ON stage_events (stage_id, kind, journey_id, at);

-- The call list reads its open tasks from the index alone.
DROP INDEX tasks_open_due;
CREATE INDEX tasks_open_due ON tasks (due_at, expires_at, kind, role, assignee_id, appointment_id, rule_id, attempts,
    max_attempts, last_outcome, note, id) WHERE status = 'open';
