//! Sentry integrations: `Sentry-Hook-Signature: <hex HMAC-SHA256(body)>` keyed with the integration's client secret. `Sentry-Hook-Timestamp` is not part of the signature, so it is not checked. The event type is `Sentry-Hook-Resource` (`issue`, `event_alert`), the idempotency key `Request-ID`.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, Scheme, SignedPart};

/// Sentry integrations's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "sentry",
    aliases: &[],
    title: "Sentry integrations",
    source: "Sentry docs, \"Integration platform webhooks: verifying the signature\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`Sentry-Hook-Signature: <hex>`, `Sentry-Hook-Resource`, `Request-ID`",
    signed: "body",
    signature: "hex",
    secret: "the integration's client secret, its bytes",
    timestamp: "none checked (`Sentry-Hook-Timestamp` is not signed)",
    idempotency_key: "`Request-ID`, else the body's SHA-256",
};

/// Sentry integrations: `Sentry-Hook-Signature: <hex HMAC-SHA256(body)>` keyed with the integration's client secret. `Sentry-Hook-Timestamp` is not part of the signature, so it is not checked. The event type is `Sentry-Hook-Resource` (`issue`, `event_alert`), the idempotency key `Request-ID`.
pub fn scheme() -> Scheme {
    Scheme::custom("sentry")
        .header_names(
            HeaderNames::new("Sentry-Hook-Signature")
                .optional_delivery_id("Request-ID")
                .event_type("Sentry-Hook-Resource"),
        )
        .hex()
        .signed_content([SignedPart::Body])
        .builtin(Provider::Sentry)
}
