//! Bitbucket Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256(body)>` keyed with the webhook's secret; no timestamp. The event type is `X-Event-Key` (`repo:push`), the idempotency key `X-Request-UUID`.

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

/// Bitbucket Cloud's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "bitbucket",
    aliases: &[],
    title: "Bitbucket Cloud",
    source: "Bitbucket Cloud docs, \"Secure webhooks\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-Hub-Signature: sha256=<hex>`, `X-Event-Key`, `X-Request-UUID`",
    signed: "body",
    signature: "hex",
    secret: "the webhook's secret, its bytes",
    timestamp: "none",
    idempotency_key: "`X-Request-UUID`",
};

/// Bitbucket Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256(body)>` keyed with the webhook's secret; no timestamp. The event type is `X-Event-Key` (`repo:push`), the idempotency key `X-Request-UUID`.
pub fn scheme() -> Scheme {
    Scheme::custom("bitbucket")
        .header_names(
            HeaderNames::new("X-Hub-Signature")
                .optional_delivery_id("X-Request-UUID")
                .event_type("X-Event-Key"),
        )
        .signature_prefix("sha256=", true)
        .hex()
        .signed_content([SignedPart::Body])
        .builtin(Provider::Bitbucket)
}
