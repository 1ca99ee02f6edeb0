//! Standard formats in and out: iCalendar for phones and desktop calendars, CSV for
//! spreadsheets and other systems, FHIR R4 for laboratories and regional systems. Writers
//! take the records the store read; readers make rows the store checks and imports.

pub mod csv_in;
pub mod csv_out;
pub mod fhir_in;
pub mod fhir_out;
pub mod ics;
pub mod import;
pub mod records;
pub mod text_file;
