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
