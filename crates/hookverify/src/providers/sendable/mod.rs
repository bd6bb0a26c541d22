//! Sendable (sendable.dev): WhatsApp messaging API, Svix-signed.
//!
//! Envelope: `{ "type", "createdAt", "data" }`. Idempotency key: the `svix-id` (or `webhook-id`)
//! header; [`composite_key`] gives the documented `{type}-{data.id or data.sessionId}-{createdAt}`
//! alternative.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, Scheme};
use crate::secret::SecretEncoding;

/// Sendable's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "sendable",
    aliases: &[],
    title: "Sendable",
    source: "sendable.dev webhook documentation (Svix)",
    confidence: Confidence::Documented,
    headers: "Svix (`svix-*`, `webhook-*` accepted)",
    signed: "same",
    signature: "same",
    secret: "`whsec_` + base64",
    timestamp: "seconds, ±300 s",
    idempotency_key: "`svix-id`",
};

/// Sendable (sendable.dev): Svix signatures, sent with `svix-*` headers (`webhook-*` also
/// accepted). Idempotency key: the `svix-id` / `webhook-id` header.
pub fn scheme() -> Scheme {
    Scheme::custom("sendable")
        .header_names(
            HeaderNames::new("svix-signature")
                .id("svix-id")
                .timestamp("svix-timestamp"),
        )
        .alternate_header_names(
            HeaderNames::new("webhook-signature")
                .id("webhook-id")
                .timestamp("webhook-timestamp"),
        )
        .versioned_list("v1")
        .ed25519_version("v1a")
        .base64()
        .key_encoding(SecretEncoding::Base64)
        .builtin(Provider::Sendable)
}
