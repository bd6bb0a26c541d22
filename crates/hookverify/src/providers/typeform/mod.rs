//! Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(body)>` keyed with the webhook secret; no timestamp. The event type is the body's `event_type` (`form_response`), the idempotency key its `event_id`.

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

/// Typeform's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "typeform",
    aliases: &[],
    title: "Typeform",
    source: "Typeform docs, \"Secure your webhooks\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`Typeform-Signature: sha256=<base64>`",
    signed: "body",
    signature: "base64",
    secret: "the webhook secret, its bytes",
    timestamp: "none",
    idempotency_key: "body `event_id`",
};

/// Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(body)>` keyed with the webhook secret; no timestamp. The event type is the body's `event_type` (`form_response`), the idempotency key its `event_id`.
pub fn scheme() -> Scheme {
    Scheme::custom("typeform")
        .signature_header("Typeform-Signature")
        .signature_prefix("sha256=", true)
        .base64()
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["event_id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::Typeform)
}
