-- Version 4: patient search ignores diacritics and keeps hyphens, apostrophes and dots
-- ("berzina" finds "Bērziņa", "o'brien" finds "O’Brien"). No table changes: the upgrade's
-- data step rebuilds every patients.search_key in the same transaction.
SELECT 1;
