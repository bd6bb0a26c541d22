//! Intercom's typed event: the body whole.

crate::events::macros::json_payload!("intercom", type_at: ["topic"]);
