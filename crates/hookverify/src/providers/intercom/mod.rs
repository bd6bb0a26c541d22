//! Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(body)>` keyed with the app's client secret; no timestamp. The event type is the body's `topic` (`conversation.user.created`), the idempotency key its `id`.

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

/// Intercom's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "intercom",
    aliases: &[],
    title: "Intercom",
    source: "Intercom docs, \"Webhooks: signed notifications\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-Hub-Signature: sha1=<hex>`",
    signed: "body",
    signature: "hex (HMAC-SHA1)",
    secret: "the app's client secret, its bytes",
    timestamp: "none",
    idempotency_key: "body `id` (`notif_…`)",
};

/// Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1(body)>` keyed with the app's client secret; no timestamp. The event type is the body's `topic` (`conversation.user.created`), the idempotency key its `id`.
pub fn scheme() -> Scheme {
    Scheme::custom("intercom")
        .signature_header("X-Hub-Signature")
        .signature_prefix("sha1=", true)
        .hex()
        .hmac(HmacAlgorithm::Sha1)
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::Intercom)
}
