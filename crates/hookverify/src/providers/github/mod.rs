//! GitHub: the event type comes from the `X-GitHub-Event` header and the body is that event's
//! payload. [`Payload`] reads the fields common to most events and keeps the rest;
//! [`Parsed::event_type`](crate::Parsed::event_type) is the header's value and
//! [`Parsed::idempotency_key`](crate::Parsed::idempotency_key) the `X-GitHub-Delivery` id.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;
use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, Scheme};

/// GitHub's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "github",
    aliases: &[],
    title: "GitHub",
    source: "GitHub docs, \"Validating webhook deliveries\"",
    confidence: Confidence::Documented,
    headers: "`X-Hub-Signature-256: sha256=<hex>`, `X-GitHub-Delivery`, `X-GitHub-Event`",
    signed: "body",
    signature: "hex",
    secret: "the string's bytes",
    timestamp: "none",
    idempotency_key: "`X-GitHub-Delivery`",
};

/// GitHub: `X-Hub-Signature-256: sha256=<hex>` over the body, keyed with the secret string.
/// No timestamp; `X-GitHub-Delivery` is the idempotency key and `X-GitHub-Event` the type.
///
/// Required: `X-Hub-Signature-256` and `X-GitHub-Delivery` (without them the request does not
/// verify: 401); `X-GitHub-Event` is required to parse a [`Payload`]
/// (without it: [`ParseError::MissingEventType`](crate::ParseError::MissingEventType), 422).
pub fn scheme() -> Scheme {
    Scheme::custom("github")
        .header_names(
            HeaderNames::new("X-Hub-Signature-256")
                .delivery_id("X-GitHub-Delivery")
                .event_type("X-GitHub-Event"),
        )
        .signature_prefix("sha256=", true)
        .hex()
        .signing_header("User-Agent", "GitHub-Hookshot/hookverify")
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::GitHub)
}
