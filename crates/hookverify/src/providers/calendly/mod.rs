//! Calendly: `Calendly-Webhook-Signature: t=<ts>,v1=<hex HMAC-SHA256("{t}.{body}")>` keyed with the webhook signing key; the timestamp may be 3 minutes old, as in Calendly's own verification example. The event type is the body's `event` (`invitee.created`); Calendly sends no event id, so the idempotency key is the body's hash.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use std::time::Duration;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{IdempotencyRule, Scheme};
use crate::timestamp::Tolerance;

/// Calendly's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "calendly",
    aliases: &[],
    title: "Calendly",
    source: "Calendly developer docs, \"Webhook signatures\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`Calendly-Webhook-Signature: t=<ts>,v1=<hex>`",
    signed: "`{t}.{body}`",
    signature: "hex",
    secret: "the webhook signing key, its bytes",
    timestamp: "in the header, seconds, 3 min back (Calendly's example), 60 s ahead",
    idempotency_key: "the body's SHA-256 (Calendly sends no event id)",
};

/// Calendly: `Calendly-Webhook-Signature: t=<ts>,v1=<hex HMAC-SHA256("{t}.{body}")>` keyed with the webhook signing key; the timestamp may be 3 minutes old, as in Calendly's own verification example. The event type is the body's `event` (`invitee.created`); Calendly sends no event id, so the idempotency key is the body's hash.
pub fn scheme() -> Scheme {
    Scheme::custom("calendly")
        .signature_header("Calendly-Webhook-Signature")
        .key_value("t", "v1")
        .hex()
        .tolerance(Tolerance::new(
            Duration::from_secs(180),
            Duration::from_secs(60),
        ))
        .idempotency(IdempotencyRule::BodyHash)
        .builtin(Provider::Calendly)
}
