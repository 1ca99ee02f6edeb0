-- Schema 13: the clinic's backup plan (one row) and how its last run went. An empty folder
-- means the default one beside the database; the app fills in the row's defaults.
CREATE TABLE backup_plan (
    id              TEXT PRIMARY KEY CHECK (id = 'plan'),
    folder          TEXT NOT NULL DEFAULT '',
    daily           INTEGER NOT NULL DEFAULT 1 CHECK (daily IN (0, 1)),
    keep_days       INTEGER NOT NULL DEFAULT 14 CHECK (keep_days BETWEEN 1 AND 3650),
    -- The last backup taken (by hand or daily), and the last daily attempt that failed.
    last_at         INTEGER,
    last_path       TEXT,
    last_bytes      INTEGER,
    failed_at       INTEGER,
    failure         TEXT,
    updated_at      INTEGER NOT NULL
) STRICT;

INSERT INTO backup_plan (id, updated_at) VALUES ('plan', unixepoch());
