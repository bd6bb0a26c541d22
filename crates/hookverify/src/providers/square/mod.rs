//! Square: HMAC-SHA256 of the notification URL followed by the body, base64 in
//! `X-Square-HmacSha256-Signature`, keyed with the subscription's signature key. The URL is
//! part of what is signed: verifying needs it, through a
//! [`RequestContext`](crate::RequestContext) or, in the web adapters, the app's public URL.

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

/// Square's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "square",
    aliases: &[],
    title: "Square",
    source: "Square docs, \"Validate notifications\"; square/square-python-sdk tests/integration/test_webhooks_helper.py",
    confidence: Confidence::Documented,
    headers: "`X-Square-HmacSha256-Signature: <base64>`",
    signed: "`{url}{body}`",
    signature: "base64",
    secret: "the subscription's signature key, its bytes",
    timestamp: "none (`created_at` in the body is not checked)",
    idempotency_key: "body field `event_id`, else the body's SHA-256",
};

/// Square: `X-Square-HmacSha256-Signature: <base64 HMAC-SHA256(notification url + body)>`.
/// No signed timestamp. The idempotency key is the body's `event_id` (the same on retries).
pub fn scheme() -> Scheme {
    Scheme::custom("square")
        .header_names(HeaderNames::new("X-Square-HmacSha256-Signature"))
        .base64()
        .signed_content([SignedPart::Url, SignedPart::Body])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["event_id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::Square)
}
