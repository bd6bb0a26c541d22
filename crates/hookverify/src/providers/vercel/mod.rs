//! Vercel: `x-vercel-signature: <hex HMAC-SHA1(body)>` keyed with the webhook secret; no timestamp. The event type is the body's `type` (`deployment.created`), the idempotency key its `id`.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HmacAlgorithm, IdempotencyRule, Scheme, SignedPart};

/// Vercel's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "vercel",
    aliases: &[],
    title: "Vercel",
    source: "Vercel docs, \"Webhooks: securing webhooks\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`x-vercel-signature: <hex>`",
    signed: "body",
    signature: "hex (HMAC-SHA1)",
    secret: "the webhook's secret (or the integration's client secret), its bytes",
    timestamp: "none",
    idempotency_key: "body `id`",
};

/// Vercel: `x-vercel-signature: <hex HMAC-SHA1(body)>` keyed with the webhook secret; no timestamp. The event type is the body's `type` (`deployment.created`), the idempotency key its `id`.
pub fn scheme() -> Scheme {
    Scheme::custom("vercel")
        .signature_header("x-vercel-signature")
        .hex()
        .hmac(HmacAlgorithm::Sha1)
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::Vercel)
}
