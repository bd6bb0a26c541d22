//! Jira Cloud's typed event: the body whole.

crate::events::macros::json_payload!("jira", type_at: ["webhookEvent"]);
