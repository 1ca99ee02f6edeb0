//! The clinic server: one PostgreSQL database on the practice's own network that every desk
//! of the clinic shares. This part reaches it (address, TLS, sign-in), keeps its schema
//! (migrations of its own, at the versions of the embedded SQLite schema), says what is there,
//! writes to it exactly once however the link behaves (`write_once`) and backs it up
//! (`backup`); moving a desk's clinic onto it is the store's (`Store::move_to_server`).

mod address;
pub mod backup;
mod connect;
mod desk_link;
mod desks;
pub mod live;
mod planning_role;
mod schema;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "throwaway-postgres"))]
pub mod throwaway;
pub mod write_once;

pub use address::{ServerAddress, ServerForm};
pub(crate) use connect::server_error;
pub use connect::{check, connect, ServerCheck, OLDEST_SERVER_VERSION};
pub use desk_link::DeskLink;
pub use desks::{add_desk, desks, remove_desk, Desk};
pub use planning_role::PlanningRole;
pub use schema::{migrate, version as schema_version};
