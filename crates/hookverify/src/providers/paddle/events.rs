//! Paddle's typed event: the notification whole, the type from `event_type`.

crate::events::macros::json_payload!("paddle", type_at: ["event_type"]);
