//! Standard Webhooks / Svix's typed events.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::events::{
    Meta, ParseError, RawBody, WebhookEvent, deserialize_tracked, idempotency_key,
};
use crate::verifier::Verified;

/// The Standard Webhooks envelope. `D` is the payload type: raw JSON by default.
///
/// Verified requests parse through [`WebhookEvent`] in one pass (type, time and key come from
/// the same parse); the type also implements `Deserialize`, so a stored body reads back with
/// serde.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Envelope<D = Box<RawValue>> {
    /// The event type, full-stop delimited (`contact.created`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the event happened (sent as RFC 3339), when sent.
    #[serde(default, with = "crate::events::datetime::optional")]
    pub timestamp: Option<time::OffsetDateTime>,
    /// The payload.
    pub data: D,
}

impl<D: DeserializeOwned> WebhookEvent for Envelope<D> {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let envelope: Envelope<D> =
            deserialize_tracked(body.as_bytes()).map_err(|(path, message)| {
                ParseError::Envelope {
                    provider: "standard-webhooks",
                    path,
                    message,
                }
            })?;
        let meta = Meta {
            event_type: envelope.event_type.clone(),
            occurred_at: envelope.timestamp.into(),
            idempotency_key: idempotency_key(verified, body.as_bytes(), |_| None),
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

/// An envelope with no per-type payload: never a misfit (a body that does not fit is an
/// envelope error).
pub(crate) fn misfit_of(_: &Envelope) -> Option<&crate::Misfit> {
    None
}
