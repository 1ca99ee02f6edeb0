-- Schema 8: a journey the clinic no longer offers is retired, not deleted: the visits that
-- followed it keep their history, and no service can be set to follow it again.
ALTER TABLE journey_templates ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
