//! Signing: produce exactly the headers a provider sends, to test your own handlers.
//!
//! This is public and documented on purpose. A receiver's tests need genuine signed requests,
//! and the `hookverify` CLI's `sign`, `send` and `demo` commands are built on it.
//!
//! ```
//! use hookverify::{Scheme, Timestamp, sign::{Message, Signer}};
//!
//! let signer = Signer::new(&Scheme::github(), "It's a Secret to Everybody")?;
//! let headers = signer.sign(&Message::new(b"Hello, World!").id("72d3162e").event_type("ping"))?;
//! assert_eq!(
//!     headers.get("X-Hub-Signature-256"),
//!     Some("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
//! );
//! assert_eq!(headers.get("x-github-delivery"), Some("72d3162e"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use ed25519_dalek::ed25519::signature::MultipartSigner as _;

use crate::embedded::{BodyPath, BodyRecords};
use crate::headers::{HeaderLookup, Headers};
use crate::message::{Fields, HmacKey, SignedMessage};
use crate::request::FormFields;
use crate::scheme::{IdFormat, Scheme, SigFormat, SignatureEncoding, TimestampPlace};
use crate::secret::{BASE64, KeyMaterial, Secret, SecretEncoding, SecretError, decode_base64};
use crate::timestamp::{Timestamp, TimestampUnit};

/// Why a message could not be signed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The id, endpoint id or event type cannot be sent as a header value.
    #[error(
        "the {what} must be non-empty visible ASCII without spaces or commas (an event type may have inner spaces)"
    )]
    InvalidValue {
        /// Which value.
        what: &'static str,
    },
    /// The system's random source failed while generating an id.
    #[error("the system random source failed")]
    Random,
}

/// What to sign: the body, and optionally the id, timestamp and event type.
///
/// Unset values get realistic defaults: a random id, the current time.
#[derive(Clone, Debug)]
pub struct Message<'a> {
    body: &'a [u8],
    id: Option<Cow<'a, str>>,
    signed_id: Option<Cow<'a, str>>,
    timestamp: Option<Timestamp>,
    event_type: Option<Cow<'a, str>>,
    method: Option<Cow<'a, str>>,
    url: Option<Cow<'a, str>>,
}

/// The base of the URL the signer assumes when a URL-signing scheme's message names none:
/// `https://webhooks.example.com/<scheme name>`.
pub const DEFAULT_URL_BASE: &str = "https://webhooks.example.com";

impl<'a> Message<'a> {
    /// A message with this exact body.
    pub fn new(body: &'a [u8]) -> Self {
        Message {
            body,
            id: None,
            signed_id: None,
            timestamp: None,
            event_type: None,
            method: None,
            url: None,
        }
    }

    /// The HTTP method, for schemes that sign it (default `POST`).
    pub fn method(mut self, method: impl Into<Cow<'a, str>>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// The full URL the request goes to, for schemes that sign it (Twilio, Square, HubSpot
    /// v3). Default: [`DEFAULT_URL_BASE`]`/<scheme name>`.
    pub fn url(mut self, url: impl Into<Cow<'a, str>>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// The message or delivery id (`webhook-id`, `X-Webhook-Delivery-Id`, `X-GitHub-Delivery`,
    /// Sent's `x-webhook-event-id`).
    pub fn id(mut self, id: impl Into<Cow<'a, str>>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// For schemes whose signed id is not the delivery id (Sent: the endpoint id in
    /// `x-webhook-id`). Defaults to a random UUID for Sent, and to [`Message::id`] elsewhere.
    pub fn signed_id(mut self, id: impl Into<Cow<'a, str>>) -> Self {
        self.signed_id = Some(id.into());
        self
    }

    /// The signing time (default: now).
    pub fn timestamp(mut self, timestamp: Timestamp) -> Self {
        self.timestamp = Some(timestamp);
        self
    }

    /// The event type for schemes with an event type header (AutoSend, SendKit, Sent, GitHub).
    pub fn event_type(mut self, event_type: impl Into<Cow<'a, str>>) -> Self {
        self.event_type = Some(event_type.into());
        self
    }
}

/// Signed request headers, in the order and spelling the provider uses; for schemes that sign
/// the request's method and URL, those too (and, as [`Headers`], it answers them the way a
/// [`RequestContext`](crate::RequestContext) does, so a verifier can check it directly).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignedHeaders {
    headers: Vec<(String, String)>,
    method: Option<String>,
    url: Option<String>,
    body: Option<Vec<u8>>,
}

impl SignedHeaders {
    /// The body to send, for schemes whose signature travels in the body (Mailgun, Adyen): the
    /// message's JSON with the signature's fields set in each record (re-serialized: compact,
    /// keys in order), or, for a form body, the fields appended. `None` for every other
    /// scheme: send the message's body.
    ///
    /// ```
    /// use hookverify::{Scheme, Timestamp, Verifier, sign::{Message, Signer}};
    ///
    /// let body = br#"{"event-data": {"event": "delivered", "id": "ev1"}}"#;
    /// let now = Timestamp::from_unix_seconds(1_700_000_000);
    /// let signed = Signer::new(&Scheme::mailgun(), "key-a-test-signing-key")?
    ///     .sign(&Message::new(body).id("token-1").timestamp(now))?;
    /// let sent = signed.body().unwrap_or(body);
    /// let value: serde_json::Value = serde_json::from_slice(sent)?;
    /// assert_eq!(value["signature"]["token"], "token-1");
    /// assert_eq!(value["signature"]["timestamp"], "1700000000");
    ///
    /// let verifier = Verifier::new(Scheme::mailgun(), "key-a-test-signing-key")?;
    /// assert_eq!(verifier.verify_at(&signed, sent, now)?.id(), Some("token-1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The signed URL, for schemes that sign one: send the request there.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The signed method, for schemes that sign one.
    pub fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    /// The value of header `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The headers as `(name, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The headers as owned pairs.
    pub fn into_vec(self) -> Vec<(String, String)> {
        self.headers
    }

    fn push(&mut self, name: &str, value: impl Into<String>) {
        self.headers.push((name.to_owned(), value.into()));
    }
}

impl Headers for SignedHeaders {
    fn lookup(&self, name: &str) -> HeaderLookup<'_> {
        let pseudo = match name {
            crate::request::METHOD => &self.method,
            crate::request::URL => &self.url,
            _ => return self.headers.as_slice().lookup(name),
        };
        pseudo
            .as_deref()
            .map_or(HeaderLookup::Missing, |v| HeaderLookup::One(v.as_bytes()))
    }
}

impl IntoIterator for SignedHeaders {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.headers.into_iter()
    }
}

impl fmt::Display for SignedHeaders {
    /// One `Name: value` line per header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        Ok(())
    }
}

enum SigningKey {
    Hmac(Box<HmacKey>),
    Ed25519(Box<ed25519_dalek::SigningKey>),
    EcdsaP256(Box<p256::ecdsa::SigningKey>),
}

/// Signs messages the way a scheme's sender does.
pub struct Signer {
    scheme: Scheme,
    key: SigningKey,
    /// The secret as given, for token schemes only (the header carries it).
    token: Option<zeroize::Zeroizing<String>>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("scheme", &self.scheme.name())
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer for `scheme` with the secret as the provider hands it out. For Standard
    /// Webhooks, Sendable and Sent a `whsk_` ed25519 signing key produces `v1a` signatures.
    /// For the public-key schemes (Discord's ed25519, SendGrid's ECDSA P-256) `secret` is a
    /// test private key, 64 hex digits (the ed25519 seed, the P-256 scalar): the provider never
    /// hands its private key out, so only tests, `send` and `demo` sign these;
    /// [`verifying_secret`](Self::verifying_secret) gives the public key to verify with.
    /// No minimum length is applied: the signer reproduces whatever the sender would do.
    ///
    /// # Errors
    ///
    /// A [`SecretError`] when the secret does not parse, or is a public key.
    pub fn new(scheme: &Scheme, secret: &str) -> Result<Self, SecretError> {
        let spec = &scheme.spec;
        let key = match (spec.key_encoding, secret.strip_prefix("whsk_")) {
            (SecretEncoding::Ed25519Hex, _) => SigningKey::Ed25519(Box::new(
                ed25519_dalek::SigningKey::from_bytes(&hex_key(secret)?),
            )),
            (SecretEncoding::EcdsaP256, _) => SigningKey::EcdsaP256(Box::new(
                p256::ecdsa::SigningKey::from_slice(&hex_key(secret)?)
                    .map_err(|_| SecretError::InvalidPublicKey)?,
            )),
            (SecretEncoding::Base64, Some(encoded)) if spec.ed25519 => {
                SigningKey::Ed25519(Box::new(parse_signing_key(encoded)?))
            }
            (SecretEncoding::Base64, Some(_)) => return Err(SecretError::Ed25519NotSupported),
            _ => match Secret::parse(secret, spec.key_encoding, 1)?.material {
                KeyMaterial::Hmac(bytes) => SigningKey::Hmac(Box::new(
                    HmacKey::new(spec.hmac, &bytes).ok_or(SecretError::Empty)?,
                )),
                KeyMaterial::Ed25519(_) | KeyMaterial::EcdsaP256(_) => {
                    return Err(SecretError::InvalidPublicKey);
                }
            },
        };
        let token = matches!(spec.signature, SigFormat::Token)
            .then(|| zeroize::Zeroizing::new(secret.to_owned()));
        Ok(Signer {
            scheme: scheme.clone(),
            key,
            token,
        })
    }

    /// The key a verifier of this signer's requests is given, in the form the provider's
    /// dashboard shows it: for an ed25519 signer, the public key (`whpk_…` for Standard
    /// Webhooks, hex for Discord); for SendGrid's P-256 signer, the base64 DER public key.
    /// `None` for HMAC signers (the secret is shared: verify with it).
    pub fn verifying_secret(&self) -> Option<String> {
        match &self.key {
            SigningKey::Hmac(_) => None,
            SigningKey::Ed25519(key) => {
                let public = key.verifying_key().to_bytes();
                Some(match self.scheme.spec.key_encoding {
                    SecretEncoding::Ed25519Hex => hex::encode(public),
                    _ => format!("whpk_{}", BASE64.encode(public)),
                })
            }
            SigningKey::EcdsaP256(key) => {
                use p256::pkcs8::EncodePublicKey as _;
                let der = key.verifying_key().to_public_key_der().ok()?;
                Some(BASE64.encode(der.as_bytes()))
            }
        }
    }

    /// Signs `message`, returning the headers the provider would send with that body.
    ///
    /// # Errors
    ///
    /// [`SignError::InvalidValue`] for an id or event type that cannot be a header value,
    /// [`SignError::Random`] if a default id could not be generated.
    pub fn sign(&self, message: &Message<'_>) -> Result<SignedHeaders, SignError> {
        let spec = &*self.scheme.spec;
        let body = message.body;
        let mut out = SignedHeaders::default();
        let Some(set) = spec.primary_set() else {
            return Ok(out);
        };
        let id = match &message.id {
            Some(id) => checked(id, "id")?.to_owned(),
            None => random_id(&spec.id_format)?,
        };
        let signed_id = match (&message.signed_id, &set.delivery_id, &set.signed_id) {
            (Some(signed), _, _) => checked(signed, "signed id")?.to_owned(),
            // The signed id is another header than the delivery id: Sent's endpoint id.
            (None, Some((delivery, _)), Some(signed)) if delivery != signed => random_uuid()?,
            _ => id.clone(),
        };
        let timestamp = message.timestamp.unwrap_or_else(Timestamp::now);
        let timestamp = match spec.unit {
            TimestampUnit::Seconds => timestamp.unix_seconds().to_string(),
            TimestampUnit::Rfc3339 => crate::timestamp::rfc3339::format(timestamp),
            _ => timestamp.unix_millis().to_string(),
        };
        let event_type = message
            .event_type
            .as_deref()
            .map(checked_event_type)
            .transpose()?;

        if self.scheme.signs_request_target() {
            out.method = Some(message.method.as_deref().unwrap_or("POST").to_owned());
            out.url = Some(match &message.url {
                Some(url) => url.clone().into_owned(),
                None => format!("{DEFAULT_URL_BASE}/{}", spec.name),
            });
        }
        // Twilio's JSON bodies: the body's SHA-256 goes into the URL, and no fields are signed.
        let json_body = matches!(
            message.body.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        );
        if let (Some(param), Some(url), true) = (&spec.body_hash_param, out.url.as_mut(), json_body)
            && crate::request::query_param(url.as_bytes(), param) == Ok(None)
        {
            use sha2::Digest as _;
            let hash = hex::encode(sha2::Sha256::digest(message.body));
            let joiner = if url.contains('?') { '&' } else { '?' };
            url.push_str(&format!("{joiner}{param}={hash}"));
        }
        let hashed = match (&spec.body_hash_param, &out.url) {
            (Some(param), Some(url)) => {
                matches!(
                    crate::request::query_param(url.as_bytes(), param),
                    Ok(Some(_))
                )
            }
            _ => false,
        };
        let form = (spec.signs_form && !hashed)
            .then(|| {
                FormFields::parse(message.body)
                    .map_err(|_| SignError::InvalidValue { what: "form body" })
            })
            .transpose()?;
        let method = out.method.clone().unwrap_or_default();
        let url = out.url.clone().unwrap_or_default();
        let url = if spec.decode_url_escapes {
            crate::request::decode_reserved_escapes(url.as_bytes()).into_owned()
        } else {
            url.into_bytes()
        };
        // The signature of the message with `named` as its body fields' text.
        let signature_for = |named: &[&[u8]]| {
            let message = SignedMessage::new(
                &spec.content,
                Fields {
                    id: signed_id.as_bytes(),
                    timestamp: timestamp.as_bytes(),
                    body,
                    method: method.as_bytes(),
                    url: &url,
                    form: form.as_ref(),
                    named,
                },
            );
            self.render(&message, &timestamp)
        };

        // Mailgun, Adyen: the signature's fields go into the body, one signature per record.
        if let Some(path) = &spec.body_path {
            let records = BodyRecords::parse(body, path, &spec.body_fields)
                .map_err(|_| SignError::InvalidValue { what: "body" })?;
            let signed_fields: Vec<&str> = spec
                .content
                .iter()
                .filter_map(|part| match part {
                    crate::scheme::SignedPart::Field(name) => Some(name.as_ref()),
                    _ => None,
                })
                .collect();
            let mut signatures = Vec::new();
            for record in records.iter() {
                let named: Vec<&[u8]> = signed_fields
                    .iter()
                    .map(|field| record.text(field).unwrap_or_default().as_bytes())
                    .collect();
                signatures.push(signature_for(&named)?);
            }
            let field = |name: &crate::scheme::HeaderName| {
                name.display
                    .strip_prefix(path.label())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .unwrap_or(&name.display)
                    .to_owned()
            };
            let mut fields = Vec::with_capacity(3);
            if let Some(name) = &set.timestamp {
                fields.push((field(name), timestamp.clone()));
            }
            if let Some(name) = &set.signed_id {
                fields.push((field(name), signed_id.clone()));
            }
            let signature_field = field(&set.signature);
            out.body = Some(embed(body, path, &fields, &signature_field, &signatures)?);
            for (name, value) in &spec.extra_headers {
                out.push(name, value.as_ref());
            }
            return Ok(out);
        }
        let signature = signature_for(&[])?;
        if let Some(name) = &set.signed_id {
            out.push(&name.display, signed_id.as_str());
        }
        if let (TimestampPlace::Header, Some(name)) = (spec.timestamp, &set.timestamp) {
            out.push(&name.display, timestamp.as_str());
        }
        out.push(&set.signature.display, signature);
        if let Some((name, _)) = &set.delivery_id
            && Some(name) != set.signed_id.as_ref()
        {
            out.push(&name.display, id.as_str());
        }
        if let (Some(name), Some(event_type)) = (&set.event_type, event_type) {
            out.push(&name.display, event_type);
        }
        for (name, value) in &spec.extra_headers {
            out.push(name, value.as_ref());
        }
        Ok(out)
    }

    /// The signature header's value for `message`, as the scheme writes it.
    fn render(&self, message: &SignedMessage<'_>, timestamp: &str) -> Result<String, SignError> {
        let spec = &*self.scheme.spec;
        let (encoded, ed25519) = match &self.key {
            SigningKey::Hmac(state) => {
                let mac = message.mac(state);
                let encoded = match spec.encoding() {
                    SignatureEncoding::Hex => hex::encode(mac.as_slice()),
                    SignatureEncoding::Base64 => BASE64.encode(mac.as_slice()),
                };
                (encoded, false)
            }
            SigningKey::Ed25519(key) => {
                let signature = key
                    .try_multipart_sign(&message.parts())
                    .map_err(|_| SignError::InvalidValue { what: "message" })?;
                let bytes = signature.to_bytes();
                // Standard Webhooks' `v1a` entries are base64; a one-signature header uses
                // the scheme's encoding (Discord: hex).
                let encoded = match (&spec.signature, spec.encoding()) {
                    (SigFormat::Single { .. }, SignatureEncoding::Hex) => hex::encode(bytes),
                    _ => BASE64.encode(bytes),
                };
                (encoded, true)
            }
            SigningKey::EcdsaP256(key) => {
                let signature: p256::ecdsa::Signature = key
                    .try_multipart_sign(&message.parts())
                    .map_err(|_| SignError::InvalidValue { what: "message" })?;
                (BASE64.encode(signature.to_der().as_bytes()), false)
            }
        };
        Ok(match &spec.signature {
            SigFormat::List {
                hmac_version,
                ed25519_version,
                ..
            } => {
                let version = match (ed25519, ed25519_version) {
                    (true, Some(ed)) => ed,
                    _ => hmac_version,
                };
                format!("{version},{encoded}")
            }
            SigFormat::KeyValue {
                timestamp_key,
                signature_key,
                leading_version,
                separator,
                ..
            } => {
                let separator = char::from(*separator);
                let lead = leading_version
                    .as_deref()
                    .map(|v| format!("{v}{separator}"))
                    .unwrap_or_default();
                match timestamp_key {
                    Some(key) => {
                        format!("{lead}{key}={timestamp}{separator}{signature_key}={encoded}")
                    }
                    None => format!("{lead}{signature_key}={encoded}"),
                }
            }
            SigFormat::Single {
                prefix: Some(prefix),
                prefix_required: true,
                ..
            } => format!("{prefix}{encoded}"),
            SigFormat::Single { .. } => encoded,
            // The sender sends the secret itself.
            SigFormat::Token => self
                .token
                .as_ref()
                .map(|token| token.as_str().to_owned())
                .unwrap_or_default(),
        })
    }
}

/// `body` with each record's signature fields set: in the JSON records at `path` (objects are
/// created along a path without `*`: Mailgun's `signature`), or appended to a form.
fn embed(
    body: &[u8],
    path: &BodyPath,
    fields: &[(String, String)],
    signature_field: &str,
    signatures: &[String],
) -> Result<Vec<u8>, SignError> {
    let json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !json {
        let mut out = body.to_vec();
        let signature = signatures.first().map_or("", String::as_str);
        let all = fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .chain(std::iter::once((signature_field, signature)));
        for (name, value) in all {
            if !out.is_empty() {
                out.push(b'&');
            }
            percent_encode(name, &mut out);
            out.push(b'=');
            percent_encode(value, &mut out);
        }
        return Ok(out);
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| SignError::InvalidValue { what: "body" })?;
    let mut records = Vec::new();
    records_at(&mut value, path.segments(), &mut records);
    if records.len() != signatures.len() {
        return Err(SignError::InvalidValue {
            what: "body (no record at the signature's path)",
        });
    }
    for (record, signature) in records.into_iter().zip(signatures) {
        for (name, text) in fields {
            set_dotted(record, name, text);
        }
        set_dotted(record, signature_field, signature);
    }
    serde_json::to_vec(&value).map_err(|_| SignError::InvalidValue { what: "body" })
}

/// The values at `segments` (`*`: every element of an array), creating missing objects.
fn records_at<'v>(
    value: &'v mut serde_json::Value,
    segments: &[crate::scheme::Name],
    out: &mut Vec<&'v mut serde_json::Value>,
) {
    match segments.split_first() {
        None => out.push(value),
        Some((first, rest)) if first.as_ref() == "*" => {
            if let serde_json::Value::Array(items) = value {
                for item in items {
                    records_at(item, rest, out);
                }
            }
        }
        Some((first, rest)) => {
            if let serde_json::Value::Object(map) = value {
                let next = map
                    .entry(first.as_ref())
                    .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
                records_at(next, rest, out);
            }
        }
    }
}

/// Sets the string at dotted `name` (`additionalData.hmacSignature`), creating objects.
fn set_dotted(record: &mut serde_json::Value, name: &str, text: &str) {
    let mut at = record;
    let mut parts = name.split('.').peekable();
    while let Some(part) = parts.next() {
        let serde_json::Value::Object(map) = at else {
            return;
        };
        if parts.peek().is_none() {
            map.insert(part.to_owned(), serde_json::Value::String(text.to_owned()));
            return;
        }
        at = map
            .entry(part)
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    }
}

/// Form-encodes `text`: unreserved characters as they are, every other byte as `%XX`.
fn percent_encode(text: &str, out: &mut Vec<u8>) {
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte);
        } else {
            out.extend_from_slice(format!("%{byte:02X}").as_bytes());
        }
    }
}

/// A 32-byte test private key given as 64 hex digits.
fn hex_key(secret: &str) -> Result<[u8; 32], SecretError> {
    let mut key = [0_u8; 32];
    hex::decode_to_slice(secret, &mut key).map_err(|_| SecretError::InvalidPublicKey)?;
    Ok(key)
}

fn parse_signing_key(encoded: &str) -> Result<ed25519_dalek::SigningKey, SecretError> {
    let bytes = decode_base64(encoded)?;
    if let Ok(seed) = <[u8; 32]>::try_from(bytes.as_slice()) {
        return Ok(ed25519_dalek::SigningKey::from_bytes(&seed));
    }
    let pair = <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| SecretError::InvalidPublicKey)?;
    ed25519_dalek::SigningKey::from_keypair_bytes(&pair).map_err(|_| SecretError::InvalidPublicKey)
}

fn checked<'v>(value: &'v str, what: &'static str) -> Result<&'v str, SignError> {
    let ok = !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic() && b != b',');
    if ok {
        Ok(value)
    } else {
        Err(SignError::InvalidValue { what })
    }
}

/// An event type may have inner spaces (GitLab's `Push Hook`): visible ASCII and spaces, not
/// at either end.
fn checked_event_type(value: &str) -> Result<&str, SignError> {
    let ok = !value.is_empty()
        && value.trim() == value
        && value.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    if ok {
        Ok(value)
    } else {
        Err(SignError::InvalidValue { what: "event type" })
    }
}

fn random_bytes() -> Result<[u8; 16], SignError> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| SignError::Random)?;
    Ok(bytes)
}

fn random_uuid() -> Result<String, SignError> {
    let hex = hex::encode(random_bytes()?);
    let piece = |range: std::ops::Range<usize>| hex.get(range).unwrap_or_default();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        piece(0..8),
        piece(8..12),
        piece(12..16),
        piece(16..20),
        piece(20..32)
    ))
}

fn random_id(format: &IdFormat) -> Result<String, SignError> {
    match format {
        IdFormat::Uuid => random_uuid(),
        IdFormat::Prefixed(prefix) => Ok(format!("{prefix}{}", hex::encode(random_bytes()?))),
    }
}
