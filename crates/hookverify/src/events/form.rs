//! Bodies that are `application/x-www-form-urlencoded` (Slack slash commands and
//! interactivity, Twilio): [`Form`], and the fields any rule reads from such a body.

use super::{Meta, ParseError, RawBody, WebhookEvent, idempotency_key};
use crate::verifier::Verified;

/// A verified form body: its fields in order, and, when one field is `payload` holding JSON
/// (Slack interactivity), that JSON decoded.
///
/// The event type is the scheme's event type header when sent, else the payload's `type`
/// (`block_actions`, `view_submission`), else the form's `type` or `command` field (`/deploy`),
/// else empty. The idempotency key follows the scheme's rule, reading form fields (and the
/// payload's top-level fields).
///
/// ```
/// use hookverify::{Form, Scheme, SignedPart, Verifier};
/// use hookverify::sign::{Message, Signer};
///
/// let slack = Scheme::custom("slack")
///     .signature_header("X-Slack-Signature")
///     .signature_prefix("v0=", true)
///     .timestamp_header("X-Slack-Request-Timestamp")
///     .signed_content([
///         SignedPart::literal("v0:"),
///         SignedPart::Timestamp,
///         SignedPart::literal(":"),
///         SignedPart::Body,
///     ])
///     .build()?;
/// let secret = "8f742231b10e8888abcd99yyyzzz85a5";
/// let body: &[u8] = b"command=%2Fdeploy&text=api+v2&user_id=U2CERLKJA";
/// let headers = Signer::new(&slack, secret)?.sign(&Message::new(body))?;
///
/// let parsed = Verifier::new(slack, secret)?.verify_and_parse::<Form>(&headers, body)?;
/// assert_eq!(parsed.event_type(), "/deploy");
/// assert_eq!(parsed.event.get("text"), Some("api v2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Form {
    /// The fields, decoded, in the order sent (a name may repeat).
    pub fields: Vec<(String, String)>,
    /// The `payload` field decoded as JSON, when it is JSON.
    pub payload: Option<serde_json::Value>,
}

impl Form {
    /// Parses a form body.
    ///
    /// # Errors
    ///
    /// [`ParseError::NotForm`] when the body is not `application/x-www-form-urlencoded` text.
    pub fn parse(body: &[u8]) -> Result<Form, ParseError> {
        if !looks_like_form(body) {
            return Err(ParseError::NotForm);
        }
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(body).map_err(|_| ParseError::NotForm)?;
        let payload = fields
            .iter()
            .find(|(name, _)| name == "payload")
            .and_then(|(_, value)| serde_json::from_str(value).ok());
        Ok(Form { fields, payload })
    }

    /// The first value of field `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// A top-level string (or number) field of the decoded `payload`.
    fn payload_field(&self, name: &str) -> Option<String> {
        match self.payload.as_ref()?.get(name)? {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    /// A field by name: the form's own, else the payload's.
    pub(crate) fn field(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::to_owned)
            .or_else(|| self.payload_field(name))
    }

    /// The name tools print for this event (`Form`).
    pub fn variant(&self) -> &'static str {
        "Form"
    }
}

/// Whether `body` is plausibly a form: non-empty, not JSON, and only the characters a
/// urlencoded body is made of.
pub(crate) fn looks_like_form(body: &[u8]) -> bool {
    let Some(&first) = body.first() else {
        return false;
    };
    first != b'{'
        && first != b'['
        && body.contains(&b'=')
        && body
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"%+&=-._~*!'()".contains(b))
}

impl WebhookEvent for Form {
    fn from_verified(body: &RawBody, verified: &Verified) -> Result<(Self, Meta), ParseError> {
        form_meta(body.as_bytes(), verified)
    }
}

/// The form and its metadata (also what [`Json<T>`](super::Json) reads from a form body).
pub(crate) fn form_meta(body: &[u8], verified: &Verified) -> Result<(Form, Meta), ParseError> {
    let form = Form::parse(body)?;
    let event_type = verified
        .event_type()
        .map(str::to_owned)
        .or_else(|| form.payload_field("type"))
        .or_else(|| form.get("type").map(str::to_owned))
        .or_else(|| form.get("command").map(str::to_owned))
        .unwrap_or_default();
    let idempotency_key = idempotency_key(verified, body, |name| form.field(name));
    Ok((
        form,
        Meta {
            event_type,
            occurred_at: super::Occurred::None,
            idempotency_key,
        },
    ))
}

/// The idempotency key of a verified body per the scheme's rule, without a typed parse: body
/// fields are read from a JSON object or a form (adapters that hand over raw bytes use this).
pub fn idempotency_key_of(verified: &Verified, body: &[u8]) -> String {
    if looks_like_form(body) {
        let form = Form::parse(body).ok();
        return idempotency_key(verified, body, |name| {
            form.as_ref().and_then(|form| form.field(name))
        });
    }
    let fields = super::generic::TopLevel::read(body);
    idempotency_key(verified, body, |name| fields.get(name))
}
