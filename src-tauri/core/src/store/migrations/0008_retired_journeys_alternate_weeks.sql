-- Schema 8: a journey the clinic no longer offers is retired, not deleted: the visits that
-- followed it keep their history, and no service can be set to follow it again. A provider's
-- or room's hours may repeat every week or every other week (odd or even weeks, see `Weeks`).
ALTER TABLE journey_templates ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
ALTER TABLE availability ADD COLUMN weeks TEXT NOT NULL DEFAULT 'every' CHECK (weeks IN ('every', 'odd', 'even'));
-- The call list reads the patient's language (the call script is read out in it) from the
-- same covering index as the rest of the patient.
DROP INDEX patients_call_list;
CREATE INDEX patients_call_list ON patients (id, given_name, family_name, phone, email, preferred_channel,
    preferred_language);
-- A blocked period may be the whole clinic's (a training afternoon): neither a provider nor a
-- room. SQLite changes a CHECK only by rebuilding the table.
CREATE TABLE blocked_periods_new (
    id          TEXT PRIMARY KEY,
    provider_id TEXT REFERENCES providers (id) ON DELETE CASCADE,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (provider_id IS NULL OR room_id IS NULL)
) STRICT;
INSERT INTO blocked_periods_new (id, provider_id, room_id, starts_at, ends_at, reason)
    SELECT id, provider_id, room_id, starts_at, ends_at, reason FROM blocked_periods;
DROP TABLE blocked_periods;
ALTER TABLE blocked_periods_new RENAME TO blocked_periods;
CREATE INDEX blocked_periods_provider ON blocked_periods (provider_id, starts_at);
CREATE INDEX blocked_periods_room ON blocked_periods (room_id, starts_at);
