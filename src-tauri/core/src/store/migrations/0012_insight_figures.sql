-- Figures the Insights report adds up, kept per clinic-local day, provider and service: a report
-- over two years reads some thousands of rows instead of every visit, stage event and answer.
-- They are derived from the rows they count and never edited by hand. Triggers note the instants
-- whose day must be counted again (`figures_dirty`); every write counts those days again before
-- it commits (store/insight_figures.rs), so the figures never lag behind a commit.
--
-- `day` is a clinic-local date as days since 0001-01-01 (chrono's `num_days_from_ce`). A day is
-- always counted whole: its rows are deleted and counted again from the source rows.

CREATE TABLE figures_dirty (
    at INTEGER PRIMARY KEY
) STRICT;

-- The time zone the days were counted in; none (a new or upgraded database) or another zone
-- counts every day again.
CREATE TABLE figures_zone (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    time_zone TEXT NOT NULL
) STRICT;

-- Visits by the day they start on.
CREATE TABLE day_visits (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    due             INTEGER NOT NULL,
    missed          INTEGER NOT NULL,
    booked          INTEGER NOT NULL,
    late_cancelled  INTEGER NOT NULL,
    confirmable     INTEGER NOT NULL,
    confirmed       INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id)
) STRICT, WITHOUT ROWID;

-- Timed stage passes by the day they were completed on, counted per whole minute (rounded up:
-- a pass is within an n-minute standard exactly when its rounded minutes are).
CREATE TABLE day_stage_passes (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    family_key      TEXT NOT NULL,
    stage_key       TEXT NOT NULL,
    minutes         INTEGER NOT NULL,
    passes          INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, family_key, stage_key, minutes)
) STRICT, WITHOUT ROWID;

-- Survey answers by the day they were given on.
CREATE TABLE day_surveys (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    responses       INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE day_scores (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    scale           TEXT NOT NULL CHECK (scale IN ('nps', 'csat')),
    score           INTEGER NOT NULL,
    answers         INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, scale, score)
) STRICT, WITHOUT ROWID;

CREATE TABLE day_servqual (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    item            INTEGER NOT NULL,
    expectation_sum INTEGER NOT NULL,
    perception_sum  INTEGER NOT NULL,
    answers         INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, item)
) STRICT, WITHOUT ROWID;

-- Respondents who answered any item of a dimension (0 tangibles … 4 empathy).
CREATE TABLE day_servqual_respondents (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    dimension       INTEGER NOT NULL,
    respondents     INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, dimension)
) STRICT, WITHOUT ROWID;

CREATE TABLE day_kano (
    day             INTEGER NOT NULL,
    provider_id     TEXT NOT NULL,
    service_type_id TEXT NOT NULL,
    feature_id      TEXT NOT NULL,
    functional      TEXT NOT NULL,
    dysfunctional   TEXT NOT NULL,
    answers         INTEGER NOT NULL,
    PRIMARY KEY (day, provider_id, service_type_id, feature_id, functional, dysfunctional)
) STRICT, WITHOUT ROWID;

-- What makes a day count again. A visit counts on its start; its passes and answers count under
-- its provider and service, so a visit moved to another provider or service dirties those too.
CREATE TRIGGER appointments_figures_insert AFTER INSERT ON appointments BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (NEW.starts_at);
END;

CREATE TRIGGER appointments_figures_update
AFTER UPDATE OF provider_id, service_type_id, starts_at, status, status_changed_at ON appointments BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.starts_at), (NEW.starts_at);
    INSERT OR IGNORE INTO figures_dirty
        SELECT e.at FROM patient_journeys j JOIN stage_events e INDEXED BY stage_events_journey ON e.journey_id = j.id
        WHERE j.appointment_id = NEW.id AND e.kind = 'completed'
          AND (OLD.provider_id <> NEW.provider_id OR OLD.service_type_id <> NEW.service_type_id);
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM survey_responses WHERE appointment_id = NEW.id
          AND (OLD.provider_id <> NEW.provider_id OR OLD.service_type_id <> NEW.service_type_id);
END;

CREATE TRIGGER appointments_figures_delete AFTER DELETE ON appointments BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.starts_at);
END;

-- A journey's passes and its visit's confirmation.
CREATE TRIGGER patient_journeys_figures_insert AFTER INSERT ON patient_journeys BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT starts_at FROM appointments WHERE id = NEW.appointment_id;
END;

CREATE TRIGGER patient_journeys_figures_update AFTER UPDATE OF appointment_id, template_id ON patient_journeys BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT starts_at FROM appointments WHERE id IN (OLD.appointment_id, NEW.appointment_id);
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM stage_events INDEXED BY stage_events_journey WHERE journey_id = NEW.id AND kind = 'completed';
END;

-- A new event can time any later completion of its journey (a lead time runs from the latest
-- earlier completion), so every completion of the journey counts again.
CREATE TRIGGER stage_events_figures_insert AFTER INSERT ON stage_events BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM stage_events INDEXED BY stage_events_journey
        WHERE journey_id = NEW.journey_id AND kind = 'completed';
    INSERT OR IGNORE INTO figures_dirty
        SELECT a.starts_at FROM patient_journeys j JOIN appointments a ON a.id = j.appointment_id
        WHERE j.id = NEW.journey_id AND NEW.kind = 'completed';
END;

CREATE TRIGGER stage_events_figures_delete AFTER DELETE ON stage_events BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.at);
    INSERT OR IGNORE INTO figures_dirty
        SELECT at FROM stage_events INDEXED BY stage_events_journey
        WHERE journey_id = OLD.journey_id AND kind = 'completed';
    INSERT OR IGNORE INTO figures_dirty
        SELECT a.starts_at FROM patient_journeys j JOIN appointments a ON a.id = j.appointment_id
        WHERE j.id = OLD.journey_id;
END;

-- A new version of a journey, or a stage's timing changed in place, re-times the family's passes.
CREATE TRIGGER journey_templates_figures AFTER INSERT ON journey_templates BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT e.at FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
          JOIN stage_events e INDEXED BY stage_events_stage ON e.stage_id = s.id
        WHERE t.family_key = NEW.family_key AND e.kind = 'completed';
END;

CREATE TRIGGER template_stages_figures AFTER UPDATE OF key, phase, standard_basis ON template_stages BEGIN
    INSERT OR IGNORE INTO figures_dirty
        SELECT e.at FROM journey_templates t JOIN template_stages s ON s.template_id = t.id
          JOIN stage_events e INDEXED BY stage_events_stage ON e.stage_id = s.id
        WHERE t.family_key = (SELECT family_key FROM journey_templates WHERE id = NEW.template_id)
          AND e.kind = 'completed';
END;

-- Answers.
CREATE TRIGGER survey_responses_figures_insert AFTER INSERT ON survey_responses BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (NEW.at);
END;

CREATE TRIGGER survey_responses_figures_update AFTER UPDATE ON survey_responses BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.at), (NEW.at);
END;

CREATE TRIGGER survey_responses_figures_delete AFTER DELETE ON survey_responses BEGIN
    INSERT OR IGNORE INTO figures_dirty VALUES (OLD.at);
END;

CREATE TRIGGER servqual_answers_figures_insert AFTER INSERT ON servqual_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = NEW.response_id;
END;

CREATE TRIGGER servqual_answers_figures_update AFTER UPDATE ON servqual_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id IN (OLD.response_id, NEW.response_id);
END;

CREATE TRIGGER servqual_answers_figures_delete AFTER DELETE ON servqual_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = OLD.response_id;
END;

CREATE TRIGGER kano_answers_figures_insert AFTER INSERT ON kano_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = NEW.response_id;
END;

CREATE TRIGGER kano_answers_figures_update AFTER UPDATE ON kano_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id IN (OLD.response_id, NEW.response_id);
END;

CREATE TRIGGER kano_answers_figures_delete AFTER DELETE ON kano_answers BEGIN
    INSERT OR IGNORE INTO figures_dirty SELECT at FROM survey_responses WHERE id = OLD.response_id;
END;
