//! Typeform's typed event: the body whole.

crate::events::macros::json_payload!("typeform", type_at: ["event_type"]);
