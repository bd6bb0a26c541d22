//! Calendly's typed event: the body whole.

crate::events::macros::json_payload!("calendly", type_at: ["event"]);
