//! PagerDuty (webhooks v3): HMAC-SHA256 of the body, hex, as `v1=<hex>` entries in
//! `X-PagerDuty-Signature`, comma-separated (two while a signing secret rotates; any one
//! matching passes). The event is `{"event": {"id", "event_type", ...}}`.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, IdempotencyRule, Scheme, SignedPart};

/// PagerDuty's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "pagerduty",
    aliases: &["pagerduty-v3"],
    title: "PagerDuty (webhooks v3)",
    source: "PagerDuty docs, \"Verifying signatures\" (webhooks v3); computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]`, `X-Webhook-Id`",
    signed: "body",
    signature: "hex, every `v1=` tried",
    secret: "the subscription's signing secret, its bytes",
    timestamp: "none (`occurred_at` in the body is not checked)",
    idempotency_key: "body `/event/id`, else the body's SHA-256",
};

/// PagerDuty v3: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256(body)>`, one entry per active
/// signing secret. No signed timestamp. The idempotency key is the event's id (`/event/id`, the
/// same on retries); the type is `/event/event_type` (`incident.triggered`).
pub fn scheme() -> Scheme {
    Scheme::custom("pagerduty")
        .header_names(
            HeaderNames::new("X-PagerDuty-Signature").optional_delivery_id("X-Webhook-Id"),
        )
        .key_value_signatures("v1")
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["/event/id"],
            then_header: false,
            then_body_hash: true,
        })
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::PagerDuty)
}
