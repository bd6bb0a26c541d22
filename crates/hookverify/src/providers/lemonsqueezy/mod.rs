//! Lemon Squeezy: `X-Signature: <hex HMAC-SHA256(body)>` keyed with the webhook's signing secret; no timestamp. The event type is `X-Event-Name` (`order_created`), else the body's `meta.event_name`; no event id is sent, so the idempotency key is the body's hash.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdempotencyRule, Scheme, SignedPart};

/// Lemon Squeezy's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "lemonsqueezy",
    aliases: &["lemon-squeezy"],
    title: "Lemon Squeezy",
    source: "Lemon Squeezy docs, \"Signing requests\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-Signature: <hex>`, `X-Event-Name`",
    signed: "body",
    signature: "hex",
    secret: "the webhook's signing secret, its bytes",
    timestamp: "none",
    idempotency_key: "the body's SHA-256 (Lemon Squeezy sends no event id)",
};

/// Lemon Squeezy: `X-Signature: <hex HMAC-SHA256(body)>` keyed with the webhook's signing secret; no timestamp. The event type is `X-Event-Name` (`order_created`), else the body's `meta.event_name`; no event id is sent, so the idempotency key is the body's hash.
pub fn scheme() -> Scheme {
    Scheme::custom("lemonsqueezy")
        .header_names(HeaderNames::new("X-Signature").event_type("X-Event-Name"))
        .hex()
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyHash)
        .builtin(Provider::LemonSqueezy)
}
