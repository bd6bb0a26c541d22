//! Mux: `Mux-Signature: t=<ts>,v1=<hex HMAC-SHA256("{t}.{body}")>` keyed with the webhook signing secret, ±5 minutes as mux-node allows. The event type is the body's `type` (`video.asset.ready`), the idempotency key its `id`.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{IdempotencyRule, Scheme};

/// Mux's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "mux",
    aliases: &[],
    title: "Mux",
    source: "Mux docs, \"Verify webhook signatures\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`Mux-Signature: t=<ts>,v1=<hex>`",
    signed: "`{t}.{body}`",
    signature: "hex, every `v1` tried",
    secret: "the webhook signing secret, its bytes",
    timestamp: "in the header, seconds, ±300 s (mux-node's default)",
    idempotency_key: "body `id`",
};

/// Mux: `Mux-Signature: t=<ts>,v1=<hex HMAC-SHA256("{t}.{body}")>` keyed with the webhook signing secret, ±5 minutes as mux-node allows. The event type is the body's `type` (`video.asset.ready`), the idempotency key its `id`.
pub fn scheme() -> Scheme {
    Scheme::custom("mux")
        .signature_header("Mux-Signature")
        .key_value("t", "v1")
        .hex()
        .idempotency(IdempotencyRule::BodyField {
            fields: &["id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::Mux)
}
