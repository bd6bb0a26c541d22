//! Slack's typed events.

use serde::Deserialize;

use crate::events::form::{form_meta, looks_like_form};
use crate::events::{
    Form, Meta, Occurred, ParseError, RawBody, Unknown, WebhookEvent, deserialize_tracked,
    idempotency_key,
};
use crate::verifier::Verified;

/// An Events API delivery (`"type": "event_callback"`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct EventCallback {
    /// The delivery's id (`Ev...`), the same on every retry: the idempotency key.
    pub event_id: String,
    /// The workspace.
    pub team_id: Option<String>,
    /// The app the event is for.
    pub api_app_id: Option<String>,
    /// When the event happened, Unix seconds.
    pub event_time: Option<i64>,
    /// The inner event (`{"type": "app_mention", ...}`); its `type` is the event type.
    pub event: serde_json::Value,
    /// Everything else (`authorizations`, `event_context`, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl EventCallback {
    /// The inner event's `type`.
    pub fn inner_type(&self) -> Option<&str> {
        self.event.get("type").and_then(serde_json::Value::as_str)
    }
}

/// The one-time check when an Events API URL is configured: answer 200 with
/// [`challenge`](UrlVerification::challenge) as the body.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UrlVerification {
    /// The text to send back.
    pub challenge: String,
}

/// A verified Slack request.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// Events API: an event in a workspace.
    EventCallback(EventCallback),
    /// Events API: the URL check; answer with the challenge.
    UrlVerification(UrlVerification),
    /// A slash command or an interaction (`payload` JSON), sent as a form.
    Form(Form),
    /// A JSON body of another `type` (`app_rate_limited`, ...), kept raw.
    Unknown(Unknown),
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: Option<String>,
}

fn envelope_error((path, message): (String, String)) -> ParseError {
    ParseError::Envelope {
        provider: "slack",
        path,
        message,
    }
}

impl WebhookEvent for Event {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let bytes = body.as_bytes();
        if looks_like_form(bytes) {
            let (form, meta) = form_meta(bytes, verified)?;
            return Ok((Event::Form(form), meta));
        }
        let envelope: Envelope = deserialize_tracked(bytes).map_err(envelope_error)?;
        let kind = envelope
            .kind
            .filter(|kind| !kind.is_empty())
            .ok_or(ParseError::MissingEventType { provider: "slack" })?;
        let (event, event_type, occurred_at) = match kind.as_str() {
            "event_callback" => {
                let callback: EventCallback = deserialize_tracked(bytes).map_err(envelope_error)?;
                let event_type = callback.inner_type().unwrap_or("event_callback").to_owned();
                let occurred = callback
                    .event_time
                    .map_or(Occurred::None, |secs| Occurred::Text(secs.to_string()));
                (Event::EventCallback(callback), event_type, occurred)
            }
            "url_verification" => {
                let check: UrlVerification = deserialize_tracked(bytes).map_err(envelope_error)?;
                (
                    Event::UrlVerification(check),
                    "url_verification".to_owned(),
                    Occurred::None,
                )
            }
            other => (
                Event::Unknown(Unknown::new(other, body)),
                other.to_owned(),
                Occurred::None,
            ),
        };
        let key = idempotency_key(verified, bytes, |field| match &event {
            Event::EventCallback(callback) if field == "event_id" => {
                Some(callback.event_id.clone())
            }
            _ => None,
        });
        Ok((
            event,
            Meta {
                event_type,
                occurred_at,
                idempotency_key: key,
            },
        ))
    }
}

impl Event {
    /// The variant's name, for logs.
    pub fn variant(&self) -> &'static str {
        match self {
            Event::EventCallback(_) => "EventCallback",
            Event::UrlVerification(_) => "UrlVerification",
            Event::Form(_) => "Form",
            Event::Unknown(_) => "Unknown",
        }
    }
}

/// Slack's bodies are envelopes with no per-type struct: never a misfit.
pub(crate) fn misfit_of(_: &Event) -> Option<&crate::Misfit> {
    None
}
