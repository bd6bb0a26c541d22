//! Events of a type the user brings: [`Json<T>`] for any `T: Deserialize`, and [`Typed`] for an
//! enum of the user's own with `Unknown` and `Misfit` fallbacks.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::{
    Meta, Misfit, ParseError, RawBody, Unknown, WebhookEvent, deserialize_tracked, idempotency_key,
};
use crate::verifier::Verified;

/// Any `T: Deserialize` of your own as the event: the whole body is deserialized into `T`.
///
/// An explicit wrapper rather than a blanket implementation, so that types with a
/// [`WebhookEvent`] implementation of their own (every provider's) can derive `Deserialize` too,
/// and be read back from storage with plain serde. A body that does not fit `T` is a
/// [`ParseError::Payload`] (the adapters answer 422): `T` is your own strict contract. For an
/// enum of the events you handle that must never drop one, use [`Typed<T>`].
///
/// ```
/// use hookverify::{Json, Scheme, Verifier};
/// use hookverify::sign::{Message, Signer};
///
/// #[derive(serde::Deserialize)]
/// struct Invoice { id: String, amount: u64 }
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let body: &[u8] = br#"{"id":"in_1","amount":4200}"#;
/// let headers = Signer::new(&Scheme::standard_webhooks(), secret)?.sign(&Message::new(body).id("msg_1"))?;
///
/// let verifier = Verifier::new(Scheme::standard_webhooks(), secret)?;
/// let Json(invoice) = verifier.verify_and_parse::<Json<Invoice>>(&headers, body)?.event;
/// assert_eq!((invoice.id.as_str(), invoice.amount), ("in_1", 4200));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The metadata comes from the verified request, never from `T`:
/// - the event type is the scheme's event type header when one was sent (`X-GitHub-Event`,
///   `X-Webhook-Event`, ...), else the body's top-level `type`, `eventType` or `event` string
///   field, else empty (a body that is not a JSON object has none);
/// - the idempotency key follows the scheme's [`IdempotencyRule`](crate::IdempotencyRule),
///   reading any top-level body field the rule names;
/// - the event time is the body's top-level `timestamp`, `createdAt` or `created`, as sent.
///
/// An `application/x-www-form-urlencoded` body (Slack slash commands, Twilio) is deserialized
/// from its fields instead (every value a string), with the metadata [`Form`](super::Form) reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The deserialized value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: DeserializeOwned> WebhookEvent for Json<T> {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let (value, meta) = whole_body::<T>(body.as_bytes(), verified)?;
        Ok((Json(value), meta))
    }
}

/// The whole body into `T`, with the metadata from the request (see [`Json`]).
fn whole_body<T: DeserializeOwned>(
    body: &[u8],
    verified: &Verified,
) -> Result<(T, Meta), ParseError> {
    if super::form::looks_like_form(body) {
        return from_form(body, verified);
    }
    let value: T = deserialize_tracked(body).map_err(|(path, message)| ParseError::Payload {
        event_type: std::any::type_name::<T>().to_owned(),
        path,
        message,
    })?;
    let fields = TopLevel::read(body);
    let event_type = verified
        .event_type()
        .map(str::to_owned)
        .or_else(|| fields.first(&["type", "eventType", "event"]))
        .unwrap_or_default();
    let idempotency_key = idempotency_key(verified, body, |name| fields.get(name));
    Ok((
        value,
        Meta {
            event_type,
            occurred_at: fields.first(&["timestamp", "createdAt", "created"]).into(),
            idempotency_key,
        },
    ))
}

/// A form body into `T` (its fields as a flat map of strings), with the metadata [`Form`]
/// reads.
fn from_form<T: DeserializeOwned>(
    body: &[u8],
    verified: &Verified,
) -> Result<(T, Meta), ParseError> {
    let value: T = serde_urlencoded::from_bytes(body).map_err(|err| ParseError::Payload {
        event_type: std::any::type_name::<T>().to_owned(),
        path: ".".to_owned(),
        message: err.to_string(),
    })?;
    let (_, meta) = super::form::form_meta(body, verified)?;
    Ok((value, meta))
}

/// The top-level fields of a JSON object body, still raw; empty for any other body.
/// A field name, or a JSON pointer (`/event/id`) split into its top-level field (`event`) and
/// the rest of the pointer (`id`).
pub(crate) fn split_field(name: &str) -> (&str, Option<&str>) {
    match name.strip_prefix('/') {
        Some(pointer) => match pointer.split_once('/') {
            Some((first, rest)) => (first, Some(rest)),
            None => (pointer, None),
        },
        None => (name, None),
    }
}

/// Metadata text of a JSON value: a string as is, a number as written, nothing else.
pub(crate) fn scalar(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

pub(crate) struct TopLevel<'a>(HashMap<Cow<'a, str>, &'a RawValue>);

impl<'a> TopLevel<'a> {
    /// The top-level fields of a JSON object, each left unparsed.
    pub(crate) fn read(body: &'a [u8]) -> Self {
        // A map never deserializes from an array or a scalar, so `[1,2]` has no fields.
        TopLevel(serde_json::from_slice(body).unwrap_or_default())
    }

    /// A string field as is, a number as written; `None` for anything else: metadata never
    /// fails a parse. A name starting with `/` is a JSON pointer (`/event/id`): only its first
    /// field is parsed to follow it.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        let (first, rest) = split_field(name);
        let value = serde_json::from_str::<serde_json::Value>(self.0.get(first)?.get()).ok()?;
        match rest {
            Some(rest) => scalar(value.pointer(&format!("/{rest}"))?),
            None => scalar(&value),
        }
    }

    /// The first of `names` present (names or pointers, as [`TopLevel::get`]).
    pub(crate) fn first(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| self.get(name))
    }
}

/// Your own event type with `Unknown` and `Misfit` fallbacks: typically a
/// `#[serde(tag = "type")]` enum of the events you handle. A body whose type `T` does not list
/// becomes `Unknown` (kept raw), and one whose payload does not fit becomes a [`Misfit`] (kept
/// raw, with the parse error), instead of an error; only a body with no event type at all is a
/// [`ParseError`].
///
/// ```
/// use hookverify::{Typed, Scheme, Verifier};
/// use hookverify::sign::{Message, Signer};
///
/// #[derive(serde::Deserialize)]
/// #[serde(tag = "type", content = "data")]
/// enum MyEvent {
///     #[serde(rename = "invoice.paid")]
///     InvoicePaid { id: String, amount: u64 },
/// }
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let signer = Signer::new(&Scheme::standard_webhooks(), secret)?;
/// let verifier = Verifier::new(Scheme::standard_webhooks(), secret)?;
///
/// let body: &[u8] = br#"{"type":"invoice.paid","data":{"id":"in_1","amount":4200}}"#;
/// let parsed = verifier.verify_and_parse::<Typed<MyEvent>>(&signer.sign(&Message::new(body))?, body)?;
/// assert!(matches!(parsed.event, Typed::Known(MyEvent::InvoicePaid { amount: 4200, .. })));
///
/// let body: &[u8] = br#"{"type":"invoice.voided","data":{"id":"in_2"}}"#;
/// let parsed = verifier.verify_and_parse::<Typed<MyEvent>>(&signer.sign(&Message::new(body))?, body)?;
/// assert!(matches!(parsed.event, Typed::Unknown(ref u) if u.event_type == "invoice.voided"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Typed<T> {
    /// A type `T` knows.
    Known(T),
    /// A type `T` does not list.
    Unknown(Unknown),
    /// A body with an event type that `T` could not read (a listed type whose payload does not
    /// fit, or a shape `T` does not expect).
    Misfit(Misfit),
}

impl<T: DeserializeOwned> WebhookEvent for Typed<T> {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        let error = match whole_body::<T>(body.as_bytes(), verified) {
            Ok((event, meta)) => return Ok((Typed::Known(event), meta)),
            Err(error @ ParseError::Payload { .. }) => error,
            Err(error) => return Err(error),
        };
        let (_, meta) = whole_body::<serde::de::IgnoredAny>(body.as_bytes(), verified)?;
        if meta.event_type.is_empty() {
            // Nothing says which event this is: unprocessable, not a misfit.
            return Err(error);
        }
        let unknown_type = matches!(
            &error,
            ParseError::Payload { message, .. } if message.starts_with("unknown variant")
        );
        let event = if unknown_type {
            Typed::Unknown(Unknown::new(meta.event_type.clone(), body))
        } else {
            Typed::Misfit(Misfit::new(meta.event_type.clone(), body, error))
        };
        Ok((event, meta))
    }
}
