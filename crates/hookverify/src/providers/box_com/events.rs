//! Box's typed event: the body whole.

crate::events::macros::json_payload!("box", type_at: ["trigger"]);
