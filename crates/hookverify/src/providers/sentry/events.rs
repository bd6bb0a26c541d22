//! Sentry integrations's typed event: the body whole.

crate::events::macros::json_payload!("sentry", type_at: ["action"]);
