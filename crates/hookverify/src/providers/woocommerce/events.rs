//! WooCommerce's typed event: the body whole.

crate::events::macros::json_payload!("woocommerce", type_at: ["status"]);
