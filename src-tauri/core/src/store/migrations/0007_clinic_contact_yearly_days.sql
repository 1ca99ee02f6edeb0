-- Schema 7: the clinic's address and phone (set at set-up, printed on call sheets), and closed
-- days that recur every year (public holidays) beside one-off ones.
ALTER TABLE clinic_settings ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE clinic_settings ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE closed_days ADD COLUMN yearly INTEGER NOT NULL DEFAULT 0 CHECK (yearly IN (0, 1));
