//! Standard Webhooks (and Svix): the recommended envelope `{ "type", "timestamp", "data" }`.
//!
//! The spec fixes no event list, so bring your own: [`Envelope`] accepts every type and keeps
//! `data` raw (or typed, `Envelope<MyData>`); [`crate::Typed`] wraps your own `#[serde(tag =
//! "type")]` enum with an `Unknown` fallback; any `T: DeserializeOwned` works directly.
//! Idempotency key: the `webhook-id` / `svix-id` header.
//!
//! ```
//! use hookverify::{Scheme, Verifier, standard_webhooks::Envelope};
//! use hookverify::sign::{Message, Signer};
//!
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! let body: &[u8] = br#"{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"ct_1"}}"#;
//! let headers = Signer::new(&Scheme::standard_webhooks(), secret)?.sign(&Message::new(body).id("msg_9"))?;
//! let verifier = Verifier::new(Scheme::standard_webhooks(), secret)?;
//!
//! let parsed = verifier.verify_and_parse::<Envelope>(&headers, body)?;
//! assert_eq!(parsed.event.event_type, "contact.created");
//! assert_eq!(parsed.event.data.get(), r#"{"id":"ct_1"}"#);
//! assert_eq!(parsed.idempotency_key(), "msg_9");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: the generic [`Envelope`]."]
pub type Event = Envelope;
use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, Scheme};
use crate::secret::SecretEncoding;

/// Standard Webhooks / Svix's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "standard-webhooks",
    aliases: &["svix", "standardwebhooks"],
    title: "Standard Webhooks / Svix",
    source: "standardwebhooks.com specification; svix and standard-webhooks SDK tests",
    confidence: Confidence::Documented,
    headers: "`webhook-id`, `webhook-timestamp`, `webhook-signature`, or the `svix-*` set (never mixed)",
    signed: "`{id}.{ts}.{body}`",
    signature: "space-separated `v1,<base64>`; `v1a,<base64>` ed25519 with a `whpk_` key",
    secret: "`whsec_` + base64",
    timestamp: "header, seconds, ±300 s",
    idempotency_key: "id header",
};

/// Standard Webhooks / Svix: `webhook-id`, `webhook-timestamp`, `webhook-signature`, or the
/// same three with the `svix-` prefix (one complete set, never mixed). Signs
/// `{id}.{timestamp}.{body}`; `v1,<base64>` HMAC-SHA256 entries, or `v1a,<base64>` ed25519
/// entries when a `whpk_` key is configured; secret `whsec_` + base64; ±5 minutes.
pub fn scheme() -> Scheme {
    Scheme::custom("standard-webhooks")
        .header_names(
            HeaderNames::new("webhook-signature")
                .id("webhook-id")
                .timestamp("webhook-timestamp"),
        )
        .alternate_header_names(
            HeaderNames::new("svix-signature")
                .id("svix-id")
                .timestamp("svix-timestamp"),
        )
        .versioned_list("v1")
        .ed25519_version("v1a")
        .base64()
        .key_encoding(SecretEncoding::Base64)
        .builtin(Provider::StandardWebhooks)
}
