//! Paddle Billing: `Paddle-Signature: ts=<ts>;h1=<hex>` over `{ts}:{body}`, keyed with the
//! notification destination's secret key; the body is the notification (`event_id`,
//! `event_type`, `occurred_at`, `data`).

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
use crate::scheme::{IdempotencyRule, Scheme, SignedPart};
use crate::timestamp::Tolerance;

/// Paddle's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "paddle",
    aliases: &["paddle-billing"],
    title: "Paddle Billing",
    source: "Paddle docs, \"Verify webhook signatures\"; PaddleHQ/paddle-node-sdk src/__tests__/notifications/webhooks-validator.test.ts",
    confidence: Confidence::Documented,
    headers: "`Paddle-Signature: ts=<ts>;h1=<hex>[;h1=…]`",
    signed: "`{ts}:{body}`",
    signature: "hex, every `h1` tried",
    secret: "the secret key's bytes (`pdl_ntfset_…`)",
    timestamp: "in the header, seconds, 5 s back (the Node SDK's), 60 s ahead",
    idempotency_key: "body `event_id`, else `notification_id`",
};

/// Paddle Billing: `Paddle-Signature: ts=<ts>;h1=<hex>` (several `h1` while a secret rotates),
/// HMAC-SHA256 of `{ts}:{body}` with the secret key as is. The timestamp may be 5 seconds old,
/// as Paddle's Node SDK allows (the docs' advice; the other SDKs say the same or leave it to
/// the caller), and 60 seconds ahead for clock skew. Event type: `event_type`; idempotency key:
/// `event_id`, else `notification_id`.
pub fn scheme() -> Scheme {
    Scheme::custom("paddle")
        .signature_header("Paddle-Signature")
        .key_value("ts", "h1")
        .semicolon_separated()
        .hex()
        .signed_content([
            SignedPart::Timestamp,
            SignedPart::literal(":"),
            SignedPart::Body,
        ])
        .tolerance(Tolerance::new(
            Duration::from_secs(5),
            Duration::from_secs(60),
        ))
        .idempotency(IdempotencyRule::BodyField {
            fields: &["event_id", "notification_id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::Paddle)
}
