//! Razorpay: `X-Razorpay-Signature: <hex HMAC-SHA256(body)>` keyed with the webhook secret; the
//! event type is the body's `event` (`payment.authorized`), the entity under `payload`.

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

/// Razorpay's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "razorpay",
    aliases: &[],
    title: "Razorpay",
    source: "Razorpay docs, \"Validate webhooks\"; razorpay/razorpay-python tests/test_client_utility.py",
    confidence: Confidence::Documented,
    headers: "`X-Razorpay-Signature: <hex>`, `X-Razorpay-Event-Id`",
    signed: "body",
    signature: "hex",
    secret: "the webhook secret's bytes",
    timestamp: "none",
    idempotency_key: "`X-Razorpay-Event-Id`, else the body's SHA-256",
};

/// Razorpay: `X-Razorpay-Signature: <hex HMAC-SHA256(body)>` keyed with the webhook secret as
/// set in the dashboard; no timestamp. Idempotency key: `X-Razorpay-Event-Id` (the same on every
/// retry, as Razorpay's guide to duplicate webhooks says), else the body's hash.
pub fn scheme() -> Scheme {
    Scheme::custom("razorpay")
        .header_names(
            HeaderNames::new("X-Razorpay-Signature").optional_delivery_id("X-Razorpay-Event-Id"),
        )
        .hex()
        .signed_content([SignedPart::Body])
        .builtin(Provider::Razorpay)
}
