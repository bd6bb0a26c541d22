//! Coinbase Commerce's typed event: the body whole, the type from `event.type`.

crate::events::macros::json_payload!("coinbase-commerce", type_at: ["/event/type"]);
