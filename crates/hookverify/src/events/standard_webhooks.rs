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
use serde_json::value::RawValue;

/// The Standard Webhooks envelope. `D` is the payload type: raw JSON by default.
#[derive(Clone, Debug, Deserialize)]
#[non_exhaustive]
pub struct Envelope<D = Box<RawValue>> {
    /// The event type, full-stop delimited (`contact.created`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the event happened (RFC 3339), when sent.
    #[serde(default)]
    pub timestamp: Option<String>,
    /// The payload.
    pub data: D,
}
