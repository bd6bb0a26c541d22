//! SendPilot (sendpilot.ai): LinkedIn outreach.
//!
//! Envelope: `{ "eventId", "eventType", "timestamp", "workspaceId", "data" }`. Idempotency key:
//! the body's `eventId`. SendPilot renamed some types; the older names are accepted and map to
//! the same variants (`message.received` → [`Event::ReplyReceived`], `connection.sent` →
//! [`Event::ConnectionRequestSent`], `connection.accepted` → [`Event::ConnectionRequestAccepted`]);
//! [`Parsed::event_type`](crate::Parsed::event_type) keeps the name as sent.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{IdempotencyRule, Scheme};

/// SendPilot's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "sendpilot",
    aliases: &[],
    title: "SendPilot",
    source: "SendPilot webhook documentation",
    confidence: Confidence::Documented,
    headers: "`Webhook-Signature: [v1,]t=<ts>,s=<hex>`",
    signed: "`{t}.{body}`",
    signature: "hex, every `s=` tried",
    secret: "the string's bytes",
    timestamp: "in the header, seconds, ±300 s",
    idempotency_key: "body `eventId`",
};

/// SendPilot: `Webhook-Signature: v1,t=<unix seconds>,s=<hex>` (the leading `v1,` is
/// optional; several `s=` entries are all tried). Signs `{t}.{body}` with the secret string's
/// bytes; ±5 minutes. Idempotency key: the body's `eventId`.
///
/// Third-party code suggests SendPilot may also deliver through Svix; such requests carry a
/// `v1,<base64>` list and are reported as belonging to [`Scheme::standard_webhooks`].
pub fn scheme() -> Scheme {
    Scheme::custom("sendpilot")
        .signature_header("Webhook-Signature")
        .key_value("t", "s")
        .leading_version("v1")
        .hex()
        .idempotency(IdempotencyRule::BodyField {
            fields: &["eventId"],
            then_header: false,
            then_body_hash: false,
        })
        .builtin(Provider::SendPilot)
}
