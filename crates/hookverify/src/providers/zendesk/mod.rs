//! Zendesk: `X-Zendesk-Webhook-Signature: <base64 HMAC-SHA256(timestamp + body)>` keyed with the webhook's signing secret, the timestamp (RFC 3339) in `X-Zendesk-Webhook-Signature-Timestamp`, ±5 minutes. The event type is the body's `type` (`zen:event-type:ticket.created`), the idempotency key `X-Zendesk-Webhook-Invocation-Id`.

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
use crate::timestamp::TimestampUnit;

/// Zendesk's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "zendesk",
    aliases: &[],
    title: "Zendesk",
    source: "Zendesk developer docs, \"Verifying webhook authenticity\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-Zendesk-Webhook-Signature: <base64>`, `X-Zendesk-Webhook-Signature-Timestamp`, `X-Zendesk-Webhook-Invocation-Id`",
    signed: "`{ts}{body}`",
    signature: "base64",
    secret: "the webhook's signing secret, its bytes",
    timestamp: "header, RFC 3339, ±300 s",
    idempotency_key: "`X-Zendesk-Webhook-Invocation-Id`, else the body's SHA-256",
};

/// Zendesk: `X-Zendesk-Webhook-Signature: <base64 HMAC-SHA256(timestamp + body)>` keyed with the webhook's signing secret, the timestamp (RFC 3339) in `X-Zendesk-Webhook-Signature-Timestamp`, ±5 minutes. The event type is the body's `type` (`zen:event-type:ticket.created`), the idempotency key `X-Zendesk-Webhook-Invocation-Id`.
pub fn scheme() -> Scheme {
    Scheme::custom("zendesk")
        .header_names(
            HeaderNames::new("X-Zendesk-Webhook-Signature")
                .timestamp("X-Zendesk-Webhook-Signature-Timestamp")
                .optional_delivery_id("X-Zendesk-Webhook-Invocation-Id"),
        )
        .base64()
        .timestamp_unit(TimestampUnit::Rfc3339)
        .signed_content([SignedPart::Timestamp, SignedPart::Body])
        .builtin(Provider::Zendesk)
}
