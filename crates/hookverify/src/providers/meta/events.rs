//! Meta (WhatsApp Cloud API, Messenger, Instagram)'s typed event: the body whole.

crate::events::macros::json_payload!("meta", type_at: ["/entry/0/changes/0/field", "object"]);
