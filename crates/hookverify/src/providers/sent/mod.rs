//! Sent (sent.dm): SMS, WhatsApp and RCS messaging.
//!
//! Sent's payloads changed over time; all shapes are accepted:
//! - `{ "id", "event": { "type" }, "data" }`, with `message.status.updated`,
//!   `message.inbound.received` and `template.approval.updated`;
//! - the documented `{ "field", "sub_type" | "event", "timestamp", "payload" }`, where `field` is
//!   `message` (older: `messages`), `templates`, `contact` or `channel`, and the subtype names the
//!   change (`message.delivered`, `contact.opt_out`, `channel.activated`, ...). A `message(s)`
//!   field without a subtype is a status update; `templates` without one is [`Event::Template`].
//!
//! Idempotency key: the body's `id`, else the `x-webhook-event-id` header, else the SHA-256 of
//! the body. Never `x-webhook-id`: that is the endpoint's id, the same on every delivery.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, IdempotencyRule, Scheme};
use crate::secret::SecretEncoding;

/// Sent's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "sent",
    aliases: &[],
    title: "Sent",
    source: "sent.dm webhook documentation",
    confidence: Confidence::Documented,
    headers: "`x-webhook-signature`, `x-webhook-id` (endpoint id), `x-webhook-timestamp`, `x-webhook-event-type`, `x-webhook-event-id`",
    signed: "`{x-webhook-id}.{ts}.{body}`",
    signature: "`v1,<base64>` list",
    secret: "`whsec_` + base64",
    timestamp: "header, seconds, ±300 s",
    idempotency_key: "body `id`, else `x-webhook-event-id`, else SHA-256 of the body",
};

/// Sent (sent.dm): Standard Webhooks bytes under `x-webhook-*` names. The signed id is
/// `x-webhook-id`, which is the *endpoint* id (identical on every delivery), so the
/// delivery id is `x-webhook-event-id` when present.
pub fn scheme() -> Scheme {
    Scheme::custom("sent")
        .header_names(
            HeaderNames::new("x-webhook-signature")
                .id("x-webhook-id")
                .timestamp("x-webhook-timestamp")
                .optional_delivery_id("x-webhook-event-id")
                .event_type("x-webhook-event-type"),
        )
        .versioned_list("v1")
        .ed25519_version("v1a")
        .base64()
        .key_encoding(SecretEncoding::Base64)
        .idempotency(IdempotencyRule::BodyField {
            fields: &["id"],
            then_header: true,
            then_body_hash: true,
        })
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::Sent)
}
