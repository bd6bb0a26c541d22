//! Standard Webhooks / Svix's typed events.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::events::{Meta, ParseError, WebhookEvent, deserialize_tracked, idempotency_key};
use crate::verifier::Verified;

/// The Standard Webhooks envelope. `D` is the payload type: raw JSON by default.
///
/// It is parsed by [`WebhookEvent`] in one pass (type, time and key come from the same parse),
/// so it does not implement `Deserialize` itself.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Envelope<D = Box<RawValue>> {
    /// The event type, full-stop delimited (`contact.created`).
    pub event_type: String,
    /// When the event happened (RFC 3339), when sent.
    pub timestamp: Option<String>,
    /// The payload.
    pub data: D,
}

#[derive(Deserialize)]
struct Repr<D> {
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    timestamp: Option<String>,
    data: D,
}

impl<D: DeserializeOwned> WebhookEvent for Envelope<D> {
    fn from_verified(body: &[u8], verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let repr: Repr<D> =
            deserialize_tracked(body).map_err(|(path, message)| ParseError::Envelope {
                provider: "standard-webhooks",
                path,
                message,
            })?;
        let meta = Meta {
            event_type: repr.event_type.clone(),
            occurred_at: repr.timestamp.clone(),
            idempotency_key: idempotency_key(verified, body, |_| None),
        };
        let envelope = Envelope {
            event_type: repr.event_type,
            timestamp: repr.timestamp,
            data: repr.data,
        };
        Ok((envelope, meta))
    }
}

impl<D> Envelope<D> {
    /// The name tools print for this event (`standard_webhooks::Envelope`): the type has no variants.
    pub fn variant(&self) -> &'static str {
        "standard_webhooks::Envelope"
    }
}
