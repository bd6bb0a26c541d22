//! Slack: the Events API (`event_callback` with the inner event, and the one-time
//! `url_verification` challenge) as JSON, slash commands and interactivity as forms. All are
//! signed alike: `X-Slack-Signature: v0=<hex>` over `v0:{timestamp}:{body}` with the app's
//! signing secret, the timestamp in `X-Slack-Request-Timestamp`.
//!
//! [`Event`] tells the three bodies apart; the event type is the inner event's `type`
//! (`app_mention`, `message`, ...), `url_verification`, a form's payload `type`
//! (`block_actions`) or its `command` (`/deploy`). Idempotency key: the body's `event_id`
//! (Events API), else `trigger_id` (commands, interactivity), else the body's hash.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{IdempotencyRule, Scheme, SignedPart};

/// Slack's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "slack",
    aliases: &[],
    title: "Slack",
    source: "Slack docs, \"Verifying requests from Slack\"; slackapi/python-slack-sdk tests/slack_sdk/signature/test_signature_verifier.py",
    confidence: Confidence::Documented,
    headers: "`X-Slack-Signature: v0=<hex>`, `X-Slack-Request-Timestamp`",
    signed: "`v0:{ts}:{body}`",
    signature: "hex",
    secret: "the signing secret's bytes",
    timestamp: "header, seconds, ±300 s (the SDKs' 5 minutes)",
    idempotency_key: "body `event_id`, else `trigger_id`, else the body's SHA-256",
};

/// Slack: `X-Slack-Signature: v0=<hex>` over `v0:{timestamp}:{body}`, the signing secret used
/// as is, the timestamp (seconds) in `X-Slack-Request-Timestamp`, ±5 minutes as Slack's SDKs
/// allow. Idempotency key: `event_id`, else `trigger_id`, else the body's hash.
pub fn scheme() -> Scheme {
    Scheme::custom("slack")
        .signature_header("X-Slack-Signature")
        .signature_prefix("v0=", true)
        .hex()
        .timestamp_header("X-Slack-Request-Timestamp")
        .signed_content([
            SignedPart::literal("v0:"),
            SignedPart::Timestamp,
            SignedPart::literal(":"),
            SignedPart::Body,
        ])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["event_id", "trigger_id"],
            then_header: false,
            then_body_hash: true,
        })
        .builtin(Provider::Slack)
}
