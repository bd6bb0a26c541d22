//! Zoom's typed event: the body whole.

crate::events::macros::json_payload!("zoom", type_at: ["event"]);
