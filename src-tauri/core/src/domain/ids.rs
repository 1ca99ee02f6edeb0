//! Row ids. New rows get UUID v7 (time-ordered, unique across desks); rows derived from others
//! get UUID v5 of their natural key, so two desks deriving the same row make the same id.

use uuid::Uuid;

/// Namespace of every derived id of the app (a fixed random UUID).
const APP_NAMESPACE: Uuid = Uuid::from_u128(0x6b1f_2c3e_9a4d_4e71_8f0a_5c2d_7e91_b3a4);

pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// A deterministic id for the row `kind` identified by `natural_key`.
pub fn derived_id(kind: &str, natural_key: &str) -> Uuid {
    Uuid::new_v5(&APP_NAMESPACE, format!("{kind}:{natural_key}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct_per_kind() {
        assert_eq!(derived_id("stage", "a"), derived_id("stage", "a"));
        assert_ne!(derived_id("stage", "a"), derived_id("cell", "a"));
        assert_eq!(derived_id("stage", "a").get_version_num(), 5);
        assert_eq!(new_id().get_version_num(), 7);
    }
}
