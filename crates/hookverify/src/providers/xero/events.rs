//! Xero's typed event: the body whole.

crate::events::macros::json_payload!("xero", type_at: ["/events/0/eventType"]);
