-- Schema 14: staff sign-in and a fuller audit log.
--
-- Wrong PINs count per staff member, and a run of them locks that member's sign-in for a while
-- (kept in the file, so no process gets fresh tries by starting again).
ALTER TABLE staff ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN sign_in_locked_until INTEGER;

-- How long a desk may sit idle before the window locks (set by the administrator).
CREATE TABLE sign_in_policy (
    id                TEXT PRIMARY KEY CHECK (id = 'policy'),
    idle_lock_minutes INTEGER NOT NULL DEFAULT 10 CHECK (idle_lock_minutes BETWEEN 1 AND 240),
    updated_at        INTEGER NOT NULL
) STRICT;
INSERT INTO sign_in_policy (id, updated_at) VALUES ('policy', unixepoch());

-- Who made each change (the staff member signed in, by id and by the name they had then),
-- whose patient record it concerns, and the changed fields' values before and after (JSON
-- `{"field": [before, after]}`).
ALTER TABLE audit_log ADD COLUMN staff_id TEXT;
ALTER TABLE audit_log ADD COLUMN staff_name TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN patient_id TEXT;
ALTER TABLE audit_log ADD COLUMN changes TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_patient ON audit_log (patient_id, at);

-- Still append-only, with one exception: erasing a patient blanks what was recorded about them
-- (`changes` becomes 'erased', `detail` empty); nothing else of a row can change, no row goes.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.changes = 'erased' AND NEW.detail = '' AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
          AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id AND NEW.action = OLD.action
          AND NEW.staff_id IS OLD.staff_id AND NEW.staff_name = OLD.staff_name
          AND NEW.patient_id IS OLD.patient_id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
