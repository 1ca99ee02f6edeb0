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

/// `derived_id("task", "{rule_id}:{appointment_id}")`, spelled out in a buffer on the stack:
/// the planner derives one for every (rule, visit) pair it looks at.
pub fn derived_task_id(rule_id: Uuid, appointment_id: Uuid) -> Uuid {
    let mut name = [0u8; 78];
    name[..5].copy_from_slice(b"task:");
    rule_id.hyphenated().encode_lower(&mut name[5..41]);
    name[41] = b':';
    appointment_id.hyphenated().encode_lower(&mut name[42..]);
    Uuid::new_v5(&APP_NAMESPACE, &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_id_is_the_derived_id_of_its_rule_and_visit() {
        let (rule, visit) = (new_id(), new_id());
        assert_eq!(derived_task_id(rule, visit), derived_id("task", &format!("{rule}:{visit}")));
        assert_ne!(derived_task_id(rule, visit), derived_task_id(visit, rule));
    }

    #[test]
    fn derived_ids_are_stable_and_distinct_per_kind() {
        assert_eq!(derived_id("stage", "a"), derived_id("stage", "a"));
        assert_ne!(derived_id("stage", "a"), derived_id("cell", "a"));
        assert_eq!(derived_id("stage", "a").get_version_num(), 5);
        assert_eq!(new_id().get_version_num(), 7);
    }
}
