//! Parsing verified bodies into each provider's typed event, for `verify --parse`.

use hookverify::{
    ParseError, Parsed, Provider, Verified, autosend, github, parse_verified, sendable, sendkit,
    sendpilot, sent, standard_webhooks, stripe,
};
use serde::Serialize;

/// What `--parse` reports of an event.
#[derive(Serialize)]
pub(crate) struct EventSummary {
    /// The event type as sent.
    #[serde(rename = "type")]
    pub(crate) event_type: String,
    /// The enum variant (or the generic envelope's name).
    pub(crate) variant: &'static str,
    /// The idempotency key per the provider's rule.
    pub(crate) idempotency_key: String,
    /// The event time from the envelope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) occurred_at: Option<String>,
}

fn summary<E>(parsed: &Parsed<E>, variant: &'static str) -> EventSummary {
    EventSummary {
        event_type: parsed.event_type().to_owned(),
        variant,
        idempotency_key: parsed.idempotency_key().to_owned(),
        occurred_at: parsed.occurred_at().map(str::to_owned),
    }
}

/// Parses `body` (which has verified) as `provider`'s event.
pub(crate) fn summarize(
    provider: Provider,
    body: &[u8],
    verified: &Verified,
) -> Result<EventSummary, ParseError> {
    let verified = verified.clone();
    Ok(match provider {
        Provider::Sendable => {
            let parsed = parse_verified::<sendable::Event>(body, verified)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::SendPilot => {
            let parsed = parse_verified::<sendpilot::Event>(body, verified)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::AutoSend => {
            let parsed = parse_verified::<autosend::Event>(body, verified)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::SendKit => {
            let parsed = parse_verified::<sendkit::Event>(body, verified)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::Sent => {
            let parsed = parse_verified::<sent::Event>(body, verified)?;
            summary(&parsed, parsed.event.variant())
        }
        Provider::Stripe => summary(
            &parse_verified::<stripe::Event>(body, verified)?,
            "stripe::Event",
        ),
        Provider::GitHub => summary(
            &parse_verified::<github::Payload>(body, verified)?,
            "github::Payload",
        ),
        Provider::StandardWebhooks => summary(
            &parse_verified::<standard_webhooks::Envelope>(body, verified)?,
            "standard_webhooks::Envelope",
        ),
        _ => summary(
            &parse_verified::<serde_json::Value>(body, verified)?,
            "serde_json::Value",
        ),
    })
}
