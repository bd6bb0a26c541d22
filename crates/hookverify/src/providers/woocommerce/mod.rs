//! WooCommerce: `X-WC-Webhook-Signature: <base64 HMAC-SHA256(body)>` keyed with the webhook's secret; no timestamp. The event type is `X-WC-Webhook-Topic` (`order.created`), the idempotency key `X-WC-Webhook-Delivery-ID`.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, Scheme, SignedPart};

/// WooCommerce's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "woocommerce",
    aliases: &[],
    title: "WooCommerce",
    source: "WooCommerce docs, \"Webhooks\" (X-WC-Webhook-Signature); computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-WC-Webhook-Signature: <base64>`, `X-WC-Webhook-Topic`, `X-WC-Webhook-Delivery-ID`",
    signed: "body",
    signature: "base64",
    secret: "the webhook's secret, its bytes",
    timestamp: "none",
    idempotency_key: "`X-WC-Webhook-Delivery-ID`, else the body's SHA-256",
};

/// WooCommerce: `X-WC-Webhook-Signature: <base64 HMAC-SHA256(body)>` keyed with the webhook's secret; no timestamp. The event type is `X-WC-Webhook-Topic` (`order.created`), the idempotency key `X-WC-Webhook-Delivery-ID`.
pub fn scheme() -> Scheme {
    Scheme::custom("woocommerce")
        .header_names(
            HeaderNames::new("X-WC-Webhook-Signature")
                .optional_delivery_id("X-WC-Webhook-Delivery-ID")
                .event_type("X-WC-Webhook-Topic"),
        )
        .base64()
        .signed_content([SignedPart::Body])
        .builtin(Provider::WooCommerce)
}
