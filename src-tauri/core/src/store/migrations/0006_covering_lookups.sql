-- Schema 6: lookups by id that read every column they need from an index, without a second
-- lookup in the table behind it. (Queries name these indexes: without statistics SQLite prefers
-- the unique index on the id alone.)

-- The call list: each of its visits, and that visit's patient.
CREATE INDEX appointments_call_list ON appointments (id, starts_at, status, provider_id, service_type_id, patient_id);
CREATE INDEX patients_call_list ON patients (id, given_name, family_name, phone, email, preferred_channel);

-- A plan reads each visit's journey (its id and template) from an index alone.
CREATE INDEX patient_journeys_plan ON patient_journeys (appointment_id, id, template_id);
