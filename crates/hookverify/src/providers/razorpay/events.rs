//! Razorpay's typed event: the body whole, the type from `event`.

crate::events::macros::json_payload!("razorpay", type_at: ["event"]);
