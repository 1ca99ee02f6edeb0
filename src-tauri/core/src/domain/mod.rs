//! Plain types and pure functions. Nothing here reads the clock or the database: callers pass
//! `now`, the clinic calendar and the rows in, and get decisions out.

/// `as_str` and `parse` for an enum stored as text.
macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

pub mod access;
pub mod appointment;
pub mod backups;
pub mod blueprint_svg;
pub mod call_sheet;
pub mod clinic;
pub mod closed_days_file;
pub mod collation;
pub mod dates;
pub mod day_forecast;
pub mod flow;
pub mod ids;
#[cfg(test)]
mod input_properties;
pub mod journey;
pub mod kiosk;
pub mod limits;
pub mod minute_counts;
pub mod overlay;
pub mod patient;
pub mod queue;
pub mod reminders;
pub mod resources;
pub mod schedule;
pub mod series;
pub mod sheet_words;
pub mod simulation;
pub mod slots;
pub mod standards;
pub mod survey;
pub mod tasks;
pub mod template_edit;
pub mod timeline;
pub mod typed_values;
pub mod waitlist;
pub mod weekly_hours;
pub mod working_time;
