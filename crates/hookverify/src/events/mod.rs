//! Typed events: verify first, then parse exactly the verified bytes.
//!
//! Each provider module ([`crate::sendable`], [`crate::sendpilot`], [`crate::autosend`],
//! [`crate::sendkit`], [`crate::sent`]) has a `#[non_exhaustive]` `Event` enum with a variant per
//! documented event type, an `Unknown` variant that keeps the verified raw body of anything
//! newer, and a `Misfit` variant for a *known* type whose payload does not fit its struct (the
//! event type, the raw body and the [`ParseError`] naming the field, with a `tracing` warning):
//! schema drift never turns a genuine, verified event into an error that the provider retries
//! until it gives up. For senders without a fixed event list (Standard Webhooks, Stripe, GitHub)
//! [`crate::standard_webhooks`], [`crate::stripe`] and [`crate::github`] offer envelopes that
//! accept every type, and [`Json<T>`] takes any `T: Deserialize` of your own.
//!
//! The raw body is never copied: [`Parsed`], [`Unknown`] and [`Misfit`] share the request's bytes
//! through [`RawBody`].

pub(crate) mod catalog;
pub(crate) mod datetime;
pub(crate) mod form;
pub(crate) mod generic;
pub(crate) mod macros;
mod raw;

pub use form::{Form, idempotency_key_of};
pub use generic::{Json, Typed};
pub use raw::RawBody;

use std::fmt;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

use crate::error::VerifyError;
use crate::headers::Headers;
use crate::scheme::IdempotencyRule;
use crate::timestamp::Timestamp;
use crate::verifier::{Verified, Verifier};

/// Why a verified body could not be turned into an event.
///
/// Never a signature problem: by the time a `ParseError` exists the request has verified, so an
/// adapter answers 422, not 401.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The body is not JSON at all.
    #[error("the body is not valid JSON: {message}")]
    NotJson {
        /// serde_json's description, with line and column.
        message: String,
    },
    /// A [`Form`] was expected, and the body is not `application/x-www-form-urlencoded`.
    #[error("the body is not an application/x-www-form-urlencoded form")]
    NotForm,
    /// The envelope (type, time, data) is not the provider's shape.
    #[error("the {provider} envelope does not fit at `{path}`: {message}")]
    Envelope {
        /// The provider whose envelope was expected.
        provider: &'static str,
        /// Path of the failing field (`.` for the top level).
        path: String,
        /// What serde reported.
        message: String,
    },
    /// Neither the body nor the headers say which event this is.
    #[error(
        "no event type: the {provider} body has no type field and no event type header was sent"
    )]
    MissingEventType {
        /// The provider.
        provider: &'static str,
    },
    /// A known event type whose payload does not match its documented shape.
    #[error("`{event_type}` payload does not fit at `{path}`: {message}")]
    Payload {
        /// The event type.
        event_type: String,
        /// Path of the failing field, from the top of the body.
        path: String,
        /// What serde reported.
        message: String,
    },
}

/// The former name of [`VerifyAndParseError`].
#[deprecated(since = "0.1.0", note = "renamed to `VerifyAndParseError`")]
pub type Error = VerifyAndParseError;

/// The error of [`Verifier::verify_and_parse`]: verification and parsing fail differently, and a
/// caller matches on which (adapters answer 401 for one and 422 for the other).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyAndParseError {
    /// The request did not verify; nothing was parsed.
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// The request verified, but the body is not the expected event.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// An event type hookverify does not know (yet), with the verified raw body kept whole.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Unknown {
    /// The event type as sent.
    pub event_type: String,
    /// The whole verified body (shared with the request, not copied).
    pub raw: RawBody,
}

impl Unknown {
    pub(crate) fn new(event_type: impl Into<String>, body: &RawBody) -> Self {
        Unknown {
            event_type: event_type.into(),
            raw: body.clone(),
        }
    }

    /// Deserializes the raw body into a type of your own.
    ///
    /// # Errors
    ///
    /// serde_json's error when the body does not fit `T`.
    pub fn parse_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        self.raw.parse_as()
    }
}

/// A known event type whose payload does not fit its struct: the verified event anyway, with the
/// event type, the raw body and the parse error that names the field.
///
/// Payload shapes are partly inferred (several providers do not document every field), and a
/// wrong guess must not cost the user the event: an error would answer 422, the provider would
/// retry until it gives up, and the event would be lost. So a misfit is delivered to the handler
/// like any other variant (the adapters answer 2xx when the handler does), and a `tracing`
/// warning names the event type and the field. A handler that would rather have the provider
/// retry (say, until a fix is deployed) returns a retryable failure for it.
///
/// ```
/// use hookverify::{Scheme, Verifier, sendable};
/// use hookverify::sign::{Message, Signer};
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// // `data.id` is documented as a string: here it is a number.
/// let body: &[u8] = br#"{"type":"message.read","createdAt":"2026-03-02T10:30:00.000Z","data":{"id":7}}"#;
/// let headers = Signer::new(&Scheme::sendable(), secret)?.sign(&Message::new(body).id("msg_1"))?;
///
/// let verifier = Verifier::new(Scheme::sendable(), secret)?;
/// let parsed = verifier.verify_and_parse::<sendable::Event>(&headers, body)?;
/// let sendable::Event::Misfit(misfit) = &parsed.event else { panic!("expected a misfit") };
/// assert_eq!(misfit.event_type, "message.read");
/// assert_eq!(misfit.path(), Some("data.id"));
/// assert_eq!(misfit.raw.as_bytes(), body);
/// assert_eq!(parsed.idempotency_key(), "msg_1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Misfit {
    /// The event type as sent.
    pub event_type: String,
    /// The whole verified body (shared with the request, not copied).
    pub raw: RawBody,
    /// Why the payload did not fit (a [`ParseError::Payload`] with the field's path).
    pub error: ParseError,
}

impl Misfit {
    /// A misfit of `event_type`, logged as a `tracing` warning with the failing field.
    pub(crate) fn new(event_type: impl Into<String>, body: &RawBody, error: ParseError) -> Self {
        let event_type = event_type.into();
        tracing::warn!(
            event_type = %event_type,
            path = %error.path().unwrap_or("."),
            error = %error,
            "verified webhook payload does not fit its type; delivered as a misfit with its raw body"
        );
        Misfit {
            event_type,
            raw: body.clone(),
            error,
        }
    }

    /// The path of the field that did not fit (`data.messageId`), when the error has one.
    pub fn path(&self) -> Option<&str> {
        self.error.path()
    }

    /// Deserializes the raw body into a type of your own.
    ///
    /// # Errors
    ///
    /// serde_json's error when the body does not fit `T`.
    pub fn parse_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        self.raw.parse_as()
    }
}

impl ParseError {
    /// The path of the failing field, for the errors that have one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ParseError::Envelope { path, .. } | ParseError::Payload { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// A verified and parsed webhook: the typed event, what verification established, the event
/// type as sent, the event time when the envelope has one, the idempotency key, and the raw body
/// (shared with the request's bytes, not copied).
#[derive(Clone, Debug)]
pub struct Parsed<E> {
    /// The typed event: `match` on it.
    pub event: E,
    /// What verification established (id, signed timestamp, which secret matched, ...).
    pub verified: Verified,
    meta: Meta,
    raw: RawBody,
}

/// What a parser extracts besides the event itself: the event type as sent, the event time,
/// and the idempotency key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub(crate) event_type: String,
    pub(crate) occurred_at: Occurred,
    pub(crate) idempotency_key: String,
}

impl Meta {
    /// Metadata for a custom [`WebhookEvent`] implementation.
    pub fn new(
        event_type: impl Into<String>,
        occurred_at: Option<String>,
        idempotency_key: impl Into<String>,
    ) -> Self {
        Meta {
            event_type: event_type.into(),
            occurred_at: occurred_at.into(),
            idempotency_key: idempotency_key.into(),
        }
    }
}

/// The event time of a [`Meta`]: as sent, or already parsed by the envelope (then written as
/// RFC 3339 only when someone asks for the text, never on the request path).
#[derive(Clone, Debug, Default)]
pub(crate) enum Occurred {
    #[default]
    None,
    Text(String),
    Time(time::OffsetDateTime, std::sync::OnceLock<String>),
}

impl Occurred {
    fn text(&self) -> Option<&str> {
        match self {
            Occurred::None => None,
            Occurred::Text(text) => Some(text),
            Occurred::Time(at, text) => Some(text.get_or_init(|| {
                at.format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default()
            })),
        }
    }

    fn time(&self) -> Option<time::OffsetDateTime> {
        match self {
            Occurred::None => None,
            Occurred::Text(text) => datetime::parse(text),
            Occurred::Time(at, _) => Some(*at),
        }
    }
}

impl From<Option<String>> for Occurred {
    fn from(text: Option<String>) -> Self {
        text.map_or(Occurred::None, Occurred::Text)
    }
}

impl From<Option<time::OffsetDateTime>> for Occurred {
    fn from(at: Option<time::OffsetDateTime>) -> Self {
        at.map_or(Occurred::None, |at| {
            Occurred::Time(at, std::sync::OnceLock::new())
        })
    }
}

impl PartialEq for Occurred {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Occurred::Time(a, _), Occurred::Time(b, _)) => a == b,
            _ => self.text() == other.text(),
        }
    }
}

impl Eq for Occurred {}

impl Meta {
    /// The event type as sent.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The event time, as sent, when there is one.
    pub fn occurred_at(&self) -> Option<&str> {
        self.occurred_at.text()
    }

    /// The idempotency key.
    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }
}

impl<E> Parsed<E> {
    /// Takes the parts apart without copying (adapters keep them in their own extractor types).
    pub fn into_parts(self) -> (E, Verified, Meta, RawBody) {
        (self.event, self.verified, self.meta, self.raw)
    }

    pub(crate) fn new(event: E, verified: Verified, meta: Meta, raw: RawBody) -> Self {
        Parsed {
            event,
            verified,
            meta,
            raw,
        }
    }

    /// The event type exactly as the sender wrote it (for renamed types, possibly an older name
    /// than the variant's [`event_type`](crate::sendpilot::Event::event_type)).
    pub fn event_type(&self) -> &str {
        &self.meta.event_type
    }

    /// The event time from the envelope (`createdAt`, `timestamp`, ...), as sent, when it has one.
    pub fn occurred_at(&self) -> Option<&str> {
        self.meta.occurred_at.text()
    }

    /// [`Parsed::occurred_at`] as a date-time: an RFC 3339 string, or Unix seconds or
    /// milliseconds (told apart by size). `None` when there is no event time or it is neither.
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    pub fn occurred_at_time(&self) -> Option<time::OffsetDateTime> {
        self.meta.occurred_at.time()
    }

    /// The key to de-duplicate deliveries on, per the provider's rule (see
    /// [`IdempotencyRule`]): the same for every retry of one event.
    pub fn idempotency_key(&self) -> &str {
        &self.meta.idempotency_key
    }

    /// The verified body as text.
    pub fn raw(&self) -> &str {
        self.raw.as_str()
    }

    /// The verified body, shared with the request (cloning it copies nothing).
    pub fn raw_body(&self) -> &RawBody {
        &self.raw
    }

    /// The typed event alone.
    pub fn into_event(self) -> E {
        self.event
    }
}

/// An event type [`Verifier::verify_and_parse`] can produce from verified bytes.
///
/// Implemented by every provider's `Event` enum, by the generic envelopes, by [`Form`], and by
/// [`Json<T>`] and [`Typed<T>`] for any `T: Deserialize` of your own.
pub trait WebhookEvent: Sized {
    /// Parses a body that has already verified. `body` shares the request's bytes: keep a clone
    /// of it (as `Unknown` does) rather than copying.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when the body is not this event type's shape.
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError>;
}

/// Deserializes with the path of the failing field, as `(path, message)` on error.
///
/// The fast path parses without tracking; only a failed parse is repeated with
/// `serde_path_to_error` to find the path, so valid bodies pay nothing for error quality.
pub(crate) fn deserialize_tracked<T: DeserializeOwned>(json: &[u8]) -> Result<T, (String, String)> {
    if let Ok(value) = serde_json::from_slice(json) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        (path, err.into_inner().to_string())
    })?;
    de.end().map_err(|err| (".".to_owned(), err.to_string()))?;
    Ok(value)
}

/// Parses a provider's `data` (raw JSON text of a known type) into its payload struct.
pub(crate) fn payload<T: DeserializeOwned>(
    event_type: &str,
    data_path: &str,
    data: &str,
) -> Result<T, ParseError> {
    deserialize_tracked(data.as_bytes()).map_err(|(path, message)| ParseError::Payload {
        event_type: event_type.to_owned(),
        path: match (data_path, path.as_str()) {
            (prefix, ".") => prefix.to_owned(),
            (".", inner) => inner.to_owned(),
            (prefix, inner) => format!("{prefix}.{inner}"),
        },
        message,
    })
}

/// A known type's variant, or its [`Misfit`] when the payload does not fit: never an error.
pub(crate) fn fit<T: DeserializeOwned, E>(
    event_type: &str,
    data_path: &str,
    data: &str,
    body: &RawBody,
    variant: impl FnOnce(T) -> E,
    misfit: impl FnOnce(Misfit) -> E,
) -> E {
    match payload(event_type, data_path, data) {
        Ok(payload) => variant(payload),
        Err(error) => misfit(Misfit::new(event_type, body, error)),
    }
}

/// Parses a provider envelope with path tracking.
pub(crate) fn envelope<'a, T: serde::Deserialize<'a>>(
    provider: &'static str,
    body: &'a [u8],
) -> Result<T, ParseError> {
    // Fast path first; a failure is parsed again with path tracking for the error.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ParseError::NotJson {
                message: inner.to_string(),
            }
        } else {
            ParseError::Envelope {
                provider,
                path,
                message: inner.to_string(),
            }
        }
    })?;
    de.end().map_err(|err| ParseError::NotJson {
        message: err.to_string(),
    })?;
    Ok(value)
}

/// `sha256:<hex>` of the raw body: the idempotency key of last resort.
pub(crate) fn body_hash_key(body: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(body)))
}

/// Applies the scheme's [`IdempotencyRule`] with the body fields a parser found.
pub(crate) fn idempotency_key(
    verified: &Verified,
    body: &[u8],
    field: impl Fn(&str) -> Option<String>,
) -> String {
    match verified.idempotency_rule() {
        IdempotencyRule::DeliveryIdHeader => verified
            .id()
            .map_or_else(|| body_hash_key(body), str::to_owned),
        IdempotencyRule::BodyField {
            fields,
            then_header,
            then_body_hash,
        } => fields
            .iter()
            .find_map(|name| field(name).filter(|v| !v.is_empty()))
            .or_else(|| {
                then_header
                    .then(|| verified.id().map(str::to_owned))
                    .flatten()
            })
            .or_else(|| then_body_hash.then(|| body_hash_key(body)))
            // A body field the provider documents is missing and no fallback is defined (Stripe
            // `id`, SendPilot `eventId`): the body hash still de-duplicates exact retries.
            .unwrap_or_else(|| body_hash_key(body)),
        IdempotencyRule::BodyHash => body_hash_key(body),
    }
}

impl Verifier {
    /// Verifies `body` against `headers` with the system clock, then parses exactly those bytes
    /// into `E` (a provider's `Event` enum, a generic envelope, [`Form`], or [`Json<T>`] /
    /// [`Typed<T>`] for a type of your own).
    ///
    /// The body is taken as `bytes::Bytes` (a `Vec<u8>`, `String`, `&'static [u8]` or `Bytes`
    /// converts without copying) so the [`Parsed`] keeps it without a copy; for a borrowed
    /// slice, pass `Bytes::copy_from_slice(body)`.
    ///
    /// ```
    /// use hookverify::{Scheme, Verifier, sendable};
    /// use hookverify::sign::{Message, Signer};
    ///
    /// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /// let body: &[u8] = br#"{"type":"message.read","createdAt":"2026-03-02T10:30:00.000Z","data":{"id":"wamid.1","status":"READ"}}"#;
    /// let headers = Signer::new(&Scheme::sendable(), secret)?.sign(&Message::new(body).id("msg_1"))?;
    ///
    /// let verifier = Verifier::new(Scheme::sendable(), secret)?;
    /// let parsed = verifier.verify_and_parse::<sendable::Event>(&headers, body)?;
    /// match &parsed.event {
    ///     sendable::Event::MessageRead(message) => assert_eq!(message.id, "wamid.1"),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// assert_eq!(parsed.idempotency_key(), "msg_1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`VerifyAndParseError::Verify`] when the request does not verify (nothing is parsed then), or
    /// [`VerifyAndParseError::Parse`] when it verifies but the body is not an `E`.
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    pub fn verify_and_parse<E: WebhookEvent>(
        &self,
        headers: &(impl Headers + ?Sized),
        body: impl Into<Bytes>,
    ) -> Result<Parsed<E>, VerifyAndParseError> {
        self.verify_and_parse_at(headers, body, Timestamp::now())
    }

    /// [`Verifier::verify_and_parse`] with an explicit clock.
    ///
    /// # Errors
    ///
    /// As [`Verifier::verify_and_parse`].
    #[cfg_attr(docsrs, doc(cfg(feature = "events")))]
    pub fn verify_and_parse_at<E: WebhookEvent>(
        &self,
        headers: &(impl Headers + ?Sized),
        body: impl Into<Bytes>,
        now: Timestamp,
    ) -> Result<Parsed<E>, VerifyAndParseError> {
        let body = body.into();
        let verified = self.verify_at(headers, &body, now)?;
        Ok(parse_verified(body, verified)?)
    }
}

/// Parses a body that has verified (adapters verify and parse in separate steps). The
/// [`Parsed`] shares `body`; nothing is copied.
///
/// # Errors
///
/// A [`ParseError`] when the body is not an `E` (or not UTF-8, which neither JSON nor a form
/// body can be).
pub fn parse_verified<E: WebhookEvent>(
    body: Bytes,
    verified: Verified,
) -> Result<Parsed<E>, ParseError> {
    let body = RawBody::new(body)?;
    let (event, meta) = E::from_verified(&body, &verified)?;
    Ok(Parsed::new(event, verified, meta, body))
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown event type `{}`", self.event_type)
    }
}
