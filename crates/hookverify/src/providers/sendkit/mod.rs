//! SendKit (sendkit.ai): cold email and outreach.
//!
//! SendKit documents the `X-Webhook-Event` header (`test` for test sends) but not a body
//! envelope, so both are read: the body's `type` or `event` field when present (it is signed),
//! else the header. The payload is the body's `data` object when there is one, else the body
//! itself; every field is optional. Idempotency key: the body's `id` or `eventId`, else the
//! SHA-256 of the body (`sha256:<hex>`).

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdempotencyRule, Scheme};

/// SendKit's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "sendkit",
    aliases: &[],
    title: "SendKit",
    source: "SendKit documentation (partial: header names only)",
    confidence: Confidence::Inferred,
    headers: "`X-Webhook-Signature` (optional `sha256=`), `X-Webhook-Event`",
    signed: "body",
    signature: "hex",
    secret: "the string's bytes",
    timestamp: "none",
    idempotency_key: "body `id`/`eventId`, else SHA-256 of the body",
};

/// SendKit (sendkit.ai): `X-Webhook-Signature` hex HMAC of the body (optional `sha256=`
/// prefix), keyed with the secret string; no timestamp, so de-duplication is the only replay
/// defence. The format is inferred from partial docs: if your deliveries differ, describe
/// them with [`Scheme::custom`].
pub fn scheme() -> Scheme {
    Scheme::custom("sendkit")
        .header_names(HeaderNames::new("X-Webhook-Signature").event_type("X-Webhook-Event"))
        .signature_prefix("sha256=", false)
        .hex()
        .idempotency(IdempotencyRule::BodyField {
            fields: &["id", "eventId"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::SendKit)
}
