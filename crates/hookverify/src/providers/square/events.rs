//! Square's typed event: the body whole.

crate::events::macros::json_payload!("square", type_at: ["type"]);
