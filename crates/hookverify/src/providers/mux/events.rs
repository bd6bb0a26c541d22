//! Mux's typed event: the body whole.

crate::events::macros::json_payload!("mux", type_at: ["type"]);
