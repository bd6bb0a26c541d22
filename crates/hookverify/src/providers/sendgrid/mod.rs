//! SendGrid's Event Webhook (signed): ECDSA P-256 with SHA-256 over the timestamp followed by
//! the body, base64 DER in `X-Twilio-Email-Event-Webhook-Signature`, the timestamp in
//! `X-Twilio-Email-Event-Webhook-Timestamp`, checked against the verification key SendGrid
//! shows (base64 DER public key). The body is a JSON array of events.

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
use crate::scheme::{HeaderNames, Scheme, SignedPart};
use crate::secret::SecretEncoding;
use crate::timestamp::Tolerance;

/// SendGrid's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "sendgrid",
    aliases: &["sendgrid-event-webhook"],
    title: "SendGrid Event Webhook",
    source: "SendGrid docs, \"Getting started with the Event Webhook security features\"; sendgrid/sendgrid-python test/unit/test_eventwebhook.py",
    confidence: Confidence::Documented,
    headers: "`X-Twilio-Email-Event-Webhook-Signature: <base64 DER>`, `X-Twilio-Email-Event-Webhook-Timestamp`",
    signed: "`{ts}{body}`",
    signature: "base64 DER ECDSA P-256 / SHA-256",
    secret: "the verification key, base64 DER public key",
    timestamp: "header, seconds, 24 h back (SendGrid's SDKs check none; its retries span 24 h), 5 min ahead",
    idempotency_key: "the body's SHA-256 (a batch of events)",
};

/// SendGrid: `X-Twilio-Email-Event-Webhook-Signature: <base64 DER ECDSA-P256-SHA256(timestamp
/// + body)>`, verified with the base64 public key from the SendGrid console.
///
/// Tolerance: SendGrid's SDKs do not check the timestamp and SendGrid retries a failed batch for
/// up to 24 hours; refusing older ones earlier could drop events, so the window is 24 hours
/// back (replays within it are caught by the idempotency key, the batch's hash).
pub fn scheme() -> Scheme {
    Scheme::custom("sendgrid")
        .header_names(
            HeaderNames::new("X-Twilio-Email-Event-Webhook-Signature")
                .timestamp("X-Twilio-Email-Event-Webhook-Timestamp"),
        )
        .base64()
        .key_encoding(SecretEncoding::EcdsaP256)
        .signed_content([SignedPart::Timestamp, SignedPart::Body])
        .tolerance(Tolerance::new(
            Duration::from_secs(24 * 60 * 60),
            Duration::from_secs(300),
        ))
        .builtin(Provider::SendGrid)
}
