//! SendGrid's typed event: a batch of events.

use serde::Deserialize;

use crate::events::{
    Meta, Occurred, ParseError, RawBody, WebhookEvent, deserialize_tracked, idempotency_key,
};
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
        let bytes = body.as_bytes();
        let payload: Payload =
            deserialize_tracked(bytes).map_err(|(path, message)| ParseError::Envelope {
                provider: "sendgrid",
                path,
                message,
            })?;
        let event_type = payload
            .events
            .first()
            .and_then(|e| e.event.clone())
            .filter(|t| !t.is_empty())
            .ok_or(ParseError::MissingEventType {
                provider: "sendgrid",
            })?;
        let key = idempotency_key(verified, bytes, |_| None);
        Ok((
            payload,
            Meta {
                event_type,
                occurred_at: Occurred::None,
                idempotency_key: key,
            },
        ))
    }
}

/// A batch has no per-type struct: never a misfit.
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
