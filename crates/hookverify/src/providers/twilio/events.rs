//! Twilio's typed event: the form fields (or, for a JSON body, the JSON).

use crate::events::form::form_meta;
use crate::events::{Form, Meta, ParseError, RawBody, WebhookEvent, idempotency_key_of};
use crate::verifier::Verified;

/// The status fields Twilio names a callback's state in, first found is the event type.
const STATUS_FIELDS: [&str; 3] = ["MessageStatus", "SmsStatus", "CallStatus"];

/// A verified Twilio request: its form fields (`MessageSid`, `From`, `Body`, ...). The event
/// type is the first of `MessageStatus`, `SmsStatus` and `CallStatus` present (`delivered`,
/// `ringing`), else empty (an incoming message).
///
/// A JSON body (Twilio signs those through the URL's `bodySHA256`) is in `json`, the form then
/// empty; its event type is its `type` field, when it has one.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Payload {
    /// The form, decoded (empty for a JSON body).
    pub form: Form,
    /// The body, when it is JSON.
    pub json: Option<serde_json::Value>,
}

impl Payload {
    /// The first value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.form.get(name)
    }

    /// The name tools print for this event (`twilio::Payload`).
    pub fn variant(&self) -> &'static str {
        "twilio::Payload"
    }
}

impl WebhookEvent for Payload {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let bytes = body.as_bytes();
        if matches!(
            bytes.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        ) {
            let json: serde_json::Value =
                serde_json::from_slice(bytes).map_err(|err| ParseError::Envelope {
                    provider: "twilio",
                    path: ".".to_owned(),
                    message: err.to_string(),
                })?;
            let event_type = verified
                .event_type()
                .map(str::to_owned)
                .or_else(|| json.get("type").and_then(|t| t.as_str()).map(str::to_owned))
                .unwrap_or_default();
            let meta = Meta::new(event_type, None, idempotency_key_of(verified, bytes));
            let form = Form {
                fields: Vec::new(),
                payload: None,
            };
            return Ok((
                Payload {
                    form,
                    json: Some(json),
                },
                meta,
            ));
        }
        let (form, mut meta) = form_meta(bytes, verified)?;
        if meta.event_type.is_empty()
            && let Some(status) = STATUS_FIELDS.iter().find_map(|name| form.get(name))
        {
            status.clone_into(&mut meta.event_type);
        }
        Ok((Payload { form, json: None }, meta))
    }
}

/// Form fields are never a misfit.
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
