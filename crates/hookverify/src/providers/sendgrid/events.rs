//! SendGrid's typed event: a batch of events.

use serde::Deserialize;

use crate::events::{Meta, ParseError, RawBody, WebhookEvent};
use crate::verifier::Verified;

/// One event of a batch.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct EmailEvent {
    /// `processed`, `delivered`, `open`, `bounce`, `dropped`, ...
    pub event: Option<String>,
    /// The recipient.
    pub email: Option<String>,
    /// The event's id.
    pub sg_event_id: Option<String>,
    /// The message's id.
    pub sg_message_id: Option<String>,
    /// When it happened, Unix seconds.
    pub timestamp: Option<i64>,
    /// Everything else (`reason`, `smtp-id`, categories, custom arguments, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A verified SendGrid delivery: a batch of events. The event type is the first event's
/// `event`.
///
/// Verified requests parse through [`WebhookEvent`]; the type also implements `Deserialize`, so
/// a stored body reads back with serde.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct Payload {
    /// The events, in order.
    pub events: Vec<EmailEvent>,
}

impl Payload {
    /// The name tools print for this event (`sendgrid::Payload`).
    pub fn variant(&self) -> &'static str {
        "sendgrid::Payload"
    }
}

impl WebhookEvent for Payload {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let (events, meta) =
            crate::events::catalog::parse_batch(body, verified, "sendgrid", |e: &EmailEvent| {
                e.event.as_ref()
            })?;
        Ok((Payload { events }, meta))
    }
}

/// A batch has no per-type struct: never a misfit.
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
