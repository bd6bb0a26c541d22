//! GitLab's typed event: the body whole.

crate::events::macros::json_payload!("gitlab", type_at: ["object_kind", "event_name"]);
