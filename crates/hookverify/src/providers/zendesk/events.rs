//! Zendesk's typed event: the body whole.

crate::events::macros::json_payload!("zendesk", type_at: ["type"]);
