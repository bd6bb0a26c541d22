//! Stripe's typed events.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::events::{
    Meta, ParseError, RawBody, WebhookEvent, deserialize_tracked, idempotency_key,
};
use crate::verifier::Verified;

/// A Stripe event.
///
/// Verified requests parse through [`WebhookEvent`]; the type also implements `Deserialize`, so
/// an event body kept in storage reads back with `serde_json::from_str::<stripe::Event>`.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// `evt_...`.
    pub id: String,
    /// The event type (`payment_intent.succeeded`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the event was created (sent as Unix seconds).
    #[serde(with = "crate::events::datetime::required")]
    pub created: time::OffsetDateTime,
    /// Live or test mode.
    #[serde(default)]
    pub livemode: bool,
    /// The API version the payload is rendered in.
    pub api_version: Option<String>,
    /// The connected account, for Connect events.
    pub account: Option<String>,
    /// Webhooks still pending for this event.
    pub pending_webhooks: Option<u64>,
    /// The object and, for updates, its previous attributes.
    pub data: EventData,
}

impl WebhookEvent for Event {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let event: Event = deserialize_tracked(body.as_bytes()).map_err(|(path, message)| {
            ParseError::Envelope {
                provider: "stripe",
                path,
                message,
            }
        })?;
        let meta = Meta {
            event_type: event.event_type.clone(),
            occurred_at: Some(event.created.unix_timestamp().to_string()).into(),
            idempotency_key: idempotency_key(verified, body.as_bytes(), |field| {
                (field == "id").then(|| event.id.clone())
            }),
        };
        Ok((event, meta))
    }
}

/// `data` of a Stripe event.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct EventData {
    /// The object the event is about, as raw JSON.
    pub object: Box<RawValue>,
    /// For `*.updated` events, the fields that changed, with their old values.
    pub previous_attributes: Option<Box<RawValue>>,
}

impl Event {
    /// Deserializes `data.object` into a type of your own.
    ///
    /// # Errors
    ///
    /// serde_json's error when the object does not fit `T`.
    pub fn object_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.data.object.get())
    }

    /// The name tools print for this event (`stripe::Event`): the type has no variants.
    pub fn variant(&self) -> &'static str {
        "stripe::Event"
    }
}

/// An envelope with no per-type payload: never a misfit (a body that does not fit is an
/// envelope error).
pub(crate) fn misfit_of(_: &Event) -> Option<&crate::Misfit> {
    None
}
