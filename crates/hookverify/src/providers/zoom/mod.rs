//! Zoom: `x-zm-signature: v0=<hex HMAC-SHA256("v0:{ts}:{body}")>` keyed with the app's secret token, the timestamp (seconds) in `x-zm-request-timestamp`, ±5 minutes. The event type is the body's `event` (`meeting.started`; `endpoint.url_validation` asks for the `plainToken` echoed with its HMAC). Zoom sends no event id: the idempotency key is the body's hash.

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

/// Zoom's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "zoom",
    aliases: &[],
    title: "Zoom",
    source: "Zoom docs, \"Using webhooks: verify webhook events\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`x-zm-signature: v0=<hex>`, `x-zm-request-timestamp`",
    signed: "`v0:{ts}:{body}`",
    signature: "hex",
    secret: "the app's secret token, its bytes",
    timestamp: "header, seconds, ±300 s",
    idempotency_key: "the body's SHA-256 (Zoom sends no event id)",
};

/// Zoom: `x-zm-signature: v0=<hex HMAC-SHA256("v0:{ts}:{body}")>` keyed with the app's secret token, the timestamp (seconds) in `x-zm-request-timestamp`, ±5 minutes. The event type is the body's `event` (`meeting.started`; `endpoint.url_validation` asks for the `plainToken` echoed with its HMAC). Zoom sends no event id: the idempotency key is the body's hash.
pub fn scheme() -> Scheme {
    Scheme::custom("zoom")
        .signature_header("x-zm-signature")
        .signature_prefix("v0=", true)
        .hex()
        .timestamp_header("x-zm-request-timestamp")
        .signed_content([
            SignedPart::literal("v0:"),
            SignedPart::Timestamp,
            SignedPart::literal(":"),
            SignedPart::Body,
        ])
        .idempotency(IdempotencyRule::BodyHash)
        .builtin(Provider::Zoom)
}
