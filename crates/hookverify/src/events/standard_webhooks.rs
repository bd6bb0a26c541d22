//! Standard Webhooks (and Svix): the recommended envelope `{ "type", "timestamp", "data" }`.
//!
//! The spec fixes no event list, so bring your own: [`Envelope`] accepts every type and keeps
//! `data` raw (or typed, `Envelope<MyData>`); [`crate::Typed`] wraps your own `#[serde(tag =
//! "type")]` enum with an `Unknown` fallback; any `T: DeserializeOwned` works directly.
//! Idempotency key: the `webhook-id` / `svix-id` header.
//!
//! ```
//! use hookverify::{Scheme, Verifier, standard_webhooks::Envelope};
//! use hookverify::sign::{Message, Signer};
//!
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! let body = br#"{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"ct_1"}}"#;
//! let headers = Signer::new(&Scheme::standard_webhooks(), secret)?.sign(&Message::new(body).id("msg_9"))?;
//! let verifier = Verifier::new(Scheme::standard_webhooks(), secret)?;
//!
//! let parsed = verifier.verify_and_parse::<Envelope>(&headers, body)?;
//! assert_eq!(parsed.event.event_type, "contact.created");
//! assert_eq!(parsed.event.data.get(), r#"{"id":"ct_1"}"#);
//! assert_eq!(parsed.idempotency_key(), "msg_9");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
