//! Twitch's typed event: the message whole, the type from the subscription.

crate::events::macros::json_payload!("twitch", type_at: ["/subscription/type"]);
