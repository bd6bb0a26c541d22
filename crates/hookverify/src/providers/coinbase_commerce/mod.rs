//! Coinbase Commerce: `X-CC-Webhook-Signature: <hex HMAC-SHA256(body)>` keyed with the shared
//! secret; the body is a delivery (`id`, `attempt_number`) around the `event`
//! (`{ "id", "type": "charge:confirmed", "data" }`).

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{IdempotencyRule, Scheme, SignedPart};

/// Coinbase Commerce's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "coinbase-commerce",
    aliases: &["coinbase"],
    title: "Coinbase Commerce",
    source: "Coinbase Commerce docs, \"Webhooks\"; coinbase/coinbase-commerce-python tests/test_webhook.py",
    confidence: Confidence::Documented,
    headers: "`X-CC-Webhook-Signature: <hex>`",
    signed: "body",
    signature: "hex",
    secret: "the shared secret's bytes",
    timestamp: "none",
    idempotency_key: "body `event.id`, else the delivery's `id`",
};

/// Coinbase Commerce: `X-CC-Webhook-Signature: <hex HMAC-SHA256(body)>` keyed with the
/// endpoint's shared secret; no timestamp. The event type is `event.type`; the idempotency key
/// `event.id` (one event, whatever the delivery attempt), else the delivery's `id`.
pub fn scheme() -> Scheme {
    Scheme::custom("coinbase-commerce")
        .signature_header("X-CC-Webhook-Signature")
        .hex()
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["/event/id", "id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::CoinbaseCommerce)
}
