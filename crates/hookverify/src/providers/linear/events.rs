//! Linear's typed event: the body whole.

crate::events::macros::json_payload!("linear", type_at: ["type"]);
