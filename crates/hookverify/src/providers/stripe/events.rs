//! Stripe's typed events.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::events::{Meta, ParseError, WebhookEvent, deserialize_tracked, idempotency_key};
use crate::verifier::Verified;

/// A Stripe event. Parsed by [`WebhookEvent`] (one pass), not `Deserialize`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Event {
    /// `evt_...`.
    pub id: String,
    /// The event type (`payment_intent.succeeded`).
    pub event_type: String,
    /// Unix seconds.
    pub created: i64,
    /// Live or test mode.
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

#[derive(Deserialize)]
struct Repr {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    created: i64,
    #[serde(default)]
    livemode: bool,
    api_version: Option<String>,
    account: Option<String>,
    pending_webhooks: Option<u64>,
    data: EventData,
}

impl WebhookEvent for Event {
    fn from_verified(body: &[u8], verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let repr: Repr =
            deserialize_tracked(body).map_err(|(path, message)| ParseError::Envelope {
                provider: "stripe",
                path,
                message,
            })?;
        let meta = Meta {
            event_type: repr.event_type.clone(),
            occurred_at: Some(repr.created.to_string()),
            idempotency_key: idempotency_key(verified, body, |field| {
                (field == "id").then(|| repr.id.clone())
            }),
        };
        let event = Event {
            id: repr.id,
            event_type: repr.event_type,
            created: repr.created,
            livemode: repr.livemode,
            api_version: repr.api_version,
            account: repr.account,
            pending_webhooks: repr.pending_webhooks,
            data: repr.data,
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
}

impl Event {
    /// The name tools print for this event (`stripe::Event`): the type has no variants.
    pub fn variant(&self) -> &'static str {
        "stripe::Event"
    }
}
