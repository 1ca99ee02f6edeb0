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
