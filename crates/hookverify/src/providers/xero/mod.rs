//! Xero: `x-xero-signature: <base64 HMAC-SHA256(body)>` keyed with the webhook key; no timestamp. A body carries a batch (`events`); the event type is the first event's `eventType` (`UPDATE`), the idempotency key the body's hash. Xero's "intent to receive" check sends a body that must verify (200) or fail (401) exactly as this does.

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

/// Xero's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "xero",
    aliases: &[],
    title: "Xero",
    source: "Xero developer docs, \"Webhooks: signature\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`x-xero-signature: <base64>`",
    signed: "body",
    signature: "base64",
    secret: "the webhook key, its bytes",
    timestamp: "none",
    idempotency_key: "the body's SHA-256 (a batch of events)",
};

/// Xero: `x-xero-signature: <base64 HMAC-SHA256(body)>` keyed with the webhook key; no timestamp. A body carries a batch (`events`); the event type is the first event's `eventType` (`UPDATE`), the idempotency key the body's hash. Xero's "intent to receive" check sends a body that must verify (200) or fail (401) exactly as this does.
pub fn scheme() -> Scheme {
    Scheme::custom("xero")
        .signature_header("x-xero-signature")
        .base64()
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyHash)
        .builtin(Provider::Xero)
}
