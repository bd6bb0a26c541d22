//! Twilio's typed event: the form fields.

use crate::events::form::form_meta;
use crate::events::{Form, Meta, ParseError, RawBody, WebhookEvent};
use crate::verifier::Verified;

/// The status fields Twilio names a callback's state in, first found is the event type.
const STATUS_FIELDS: [&str; 3] = ["MessageStatus", "SmsStatus", "CallStatus"];

/// A verified Twilio request: its form fields (`MessageSid`, `From`, `Body`, ...). The event
/// type is the first of `MessageStatus`, `SmsStatus` and `CallStatus` present (`delivered`,
/// `ringing`), else empty (an incoming message).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Payload {
    /// The form, decoded.
    pub form: Form,
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
        let (form, mut meta) = form_meta(body.as_bytes(), verified)?;
        if meta.event_type.is_empty()
            && let Some(status) = STATUS_FIELDS.iter().find_map(|name| form.get(name))
        {
            status.clone_into(&mut meta.event_type);
        }
        Ok((Payload { form }, meta))
    }
}

/// Form fields are never a misfit.
pub(crate) fn misfit_of(_: &Payload) -> Option<&crate::Misfit> {
    None
}
