//! Mailgun's typed event: the body whole (its `signature` object and its `event-data`).

crate::events::macros::json_payload!("mailgun", type_at: ["/event-data/event"]);
