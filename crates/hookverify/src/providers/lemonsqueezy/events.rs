//! Lemon Squeezy's typed event: the body whole.

crate::events::macros::json_payload!("lemonsqueezy", type_at: ["/meta/event_name"]);
