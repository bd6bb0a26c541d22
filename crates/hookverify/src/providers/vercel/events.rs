//! Vercel's typed event: the body whole.

crate::events::macros::json_payload!("vercel", type_at: ["type"]);
