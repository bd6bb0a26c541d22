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
    /// The body to send, for schemes whose signature travels in the body (Mailgun): the
    /// message's JSON object with the signature object added first (or, for a form body, the
    /// signature fields appended). `None` for every other scheme: send the message's body.
    ///
    /// ```
    /// use hookverify::{Scheme, Timestamp, Verifier, sign::{Message, Signer}};
    ///
    /// let body = br#"{"event-data": {"event": "delivered", "id": "ev1"}}"#;
    /// let now = Timestamp::from_unix_seconds(1_700_000_000);
    /// let signed = Signer::new(&Scheme::mailgun(), "key-a-test-signing-key")?
    ///     .sign(&Message::new(body).id("token-1").timestamp(now))?;
    /// let sent = signed.body().unwrap_or(body);
    /// assert!(sent.starts_with(br#"{"signature":{"timestamp":"1700000000","token":"token-1","signature":""#));
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
        let form = spec
            .signs_form
            .then(|| {
                FormFields::parse(message.body)
                    .map_err(|_| SignError::InvalidValue { what: "form body" })
            })
            .transpose()?;
        let message = SignedMessage::new(
            &spec.content,
            Fields {
                id: signed_id.as_bytes(),
                timestamp: timestamp.as_bytes(),
                body: message.body,
                method: out.method.as_deref().unwrap_or_default().as_bytes(),
                url: out.url.as_deref().unwrap_or_default().as_bytes(),
                form: form.as_ref(),
            },
        );
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
                    .try_multipart_sign(message.parts())
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
                    .try_multipart_sign(message.parts())
                    .map_err(|_| SignError::InvalidValue { what: "message" })?;
                (BASE64.encode(signature.to_der().as_bytes()), false)
            }
        };
        let signature = match &spec.signature {
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
        };

        // Mailgun: the signature's fields go into the body.
        if let Some(object) = &spec.body_object {
            let field = |name: &crate::scheme::HeaderName| {
                name.display
                    .strip_prefix(object.as_ref())
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
            fields.push((field(&set.signature), signature));
            out.body = Some(embed(body, object, &fields));
            for (name, value) in &spec.extra_headers {
                out.push(name, value.as_ref());
            }
            return Ok(out);
        }
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
}

/// `body` with the signature's fields added: first in a JSON object (as the object `object`),
/// or appended to a form.
fn embed(body: &[u8], object: &str, fields: &[(String, String)]) -> Vec<u8> {
    let json_string = |text: &str| serde_json::to_vec(text).unwrap_or_default();
    let blank = |b: &u8| !b.is_ascii_whitespace();
    let opening = body
        .iter()
        .position(blank)
        .filter(|&at| body.get(at) == Some(&b'{'));
    if let Some(at) = opening {
        let rest = body.get(at.saturating_add(1)..).unwrap_or_default();
        let mut out = Vec::with_capacity(body.len().saturating_add(256));
        out.push(b'{');
        out.extend(json_string(object));
        out.extend_from_slice(b":{");
        for (index, (name, value)) in fields.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            out.extend(json_string(name));
            out.push(b':');
            out.extend(json_string(value));
        }
        out.push(b'}');
        if rest.iter().find(|b| blank(b)) != Some(&b'}') {
            out.push(b',');
        }
        out.extend_from_slice(rest);
        return out;
    }
    let mut out = body.to_vec();
    for (name, value) in fields {
        if !out.is_empty() {
            out.push(b'&');
        }
        percent_encode(name, &mut out);
        out.push(b'=');
        percent_encode(value, &mut out);
    }
    out
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
