//! Plain types and pure functions. Nothing here reads the clock or the database: callers pass
//! `now`, the clinic calendar and the rows in, and get decisions out.

pub mod appointment;
pub mod clinic;
pub mod flow;
pub mod ids;
pub mod journey;
pub mod patient;
pub mod resources;
pub mod schedule;
pub mod series;
pub mod slots;
pub mod timeline;
pub mod waitlist;
