//! Parsing verified bodies into each provider's typed event, for `verify --parse`.

use bytes::Bytes;
use hookverify::{
    Misfit, ParseError, Parsed, Provider, ProviderEvent, ProviderVisitor, Verified, parse_verified,
};
use serde::Serialize;

use crate::common::Sender;
use crate::receiver::CustomEvent;

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
    /// For a known type whose payload did not fit its struct: why (the event is still
    /// delivered, as a `Misfit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) misfit: Option<String>,
}

fn summary<E>(parsed: &Parsed<E>, variant: &'static str, misfit: Option<&Misfit>) -> EventSummary {
    EventSummary {
        event_type: parsed.event_type().to_owned(),
        variant,
        idempotency_key: parsed.idempotency_key().to_owned(),
        occurred_at: parsed.occurred_at().map(str::to_owned),
        misfit: misfit.map(|misfit| misfit.error.to_string()),
    }
}

/// Parses a verified body as one provider's typed event.
struct Summarize<'a> {
    body: &'a Bytes,
    verified: &'a Verified,
}

impl ProviderVisitor for Summarize<'_> {
    type Output = Result<EventSummary, ParseError>;
    fn visit<E: ProviderEvent>(self, _: Provider) -> Self::Output {
        let parsed = parse_verified::<E>(self.body.clone(), self.verified.clone())?;
        Ok(summary(
            &parsed,
            parsed.event.variant(),
            parsed.event.misfit(),
        ))
    }
}

/// Parses `body` (which has verified) as the sender's event: a provider's typed event, or for
/// a custom scheme a form or JSON.
pub(crate) fn summarize(
    sender: &Sender,
    body: &[u8],
    verified: &Verified,
) -> Result<EventSummary, ParseError> {
    // One copy of the body for the whole parse (the CLI reads it from a file or stdin).
    let body = &Bytes::copy_from_slice(body);
    match sender {
        Sender::Builtin(provider) => provider.visit(Summarize { body, verified }),
        Sender::Custom(_) => {
            let parsed = parse_verified::<CustomEvent>(body.clone(), verified.clone())?;
            Ok(summary(&parsed, parsed.event.variant(), None))
        }
    }
}
