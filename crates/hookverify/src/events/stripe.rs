//! Stripe: the event object `{ "id", "type", "created", "data": { "object" }, ... }`.
//!
//! [`Event`] accepts every type (Stripe has hundreds) and keeps `data.object` raw; read it with
//! [`Event::object_as`]. Idempotency key: the body's `id` (`evt_...`).

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A Stripe event.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// `evt_...`.
    pub id: String,
    /// The event type (`payment_intent.succeeded`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// Unix seconds.
    pub created: i64,
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
