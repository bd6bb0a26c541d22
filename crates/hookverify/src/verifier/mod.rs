//! The [`Verifier`]: proves a request came from the sender, on the exact raw bytes.
//!
//! The steps live in one module each: [`request`] reads the headers (one lookup pass, one header
//! set), [`grammar`] walks the signature header, [`matching`] holds the keys and compares MACs in
//! constant time, the timestamp policy is in [`crate::timestamp`], the signed bytes in
//! [`crate::message`], and [`Verified`] is the result.

mod builder;
mod grammar;
mod matching;
mod request;
mod verified;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use arrayvec::ArrayVec;

pub use builder::{
    DEFAULT_MAX_HEADER_LEN, DEFAULT_MAX_SIGNATURES, MAX_HEADER_LEN_LIMIT, MAX_SECRETS,
    MAX_SIGNATURES_LIMIT, VerifierBuilder,
};
pub(crate) use verified::Text;
pub use verified::Verified;

use crate::embedded::{BodyHeaders, BodyRecords, field_error};
use crate::error::{BuildError, HeaderProblem, VerifyError};
use crate::headers::{HeaderKey, HeaderLookup, Headers};
use crate::message::{Fields, SignedMessage};
use crate::request::{FormError, FormFields, MAX_FORM_FIELDS};
use crate::scheme::{
    HeaderName, MAX_KEYS, MAX_PARTS, Name, Scheme, SchemeSpec, SigFormat, TimestampPlace,
};
use crate::secret::DEFAULT_MIN_SECRET_LEN;
use crate::timestamp::{
    Skew, Timestamp, TimestampUnit, Tolerance, check_tolerance, parse_timestamp,
};
use grammar::{prescan_signature, visible_ascii, walk_entries};
use matching::{KeyEntry, Matcher, Outcome};
use request::{Request, missing, read_request};

struct Inner {
    scheme: Scheme,
    keys: Vec<KeyEntry>,
    tolerance: Option<Tolerance>,
    max_signatures: usize,
    max_header_len: usize,
    has_hmac: bool,
    has_ed25519: bool,
}

/// Verifies requests of one [`Scheme`] against one or more secrets.
///
/// Built once at start-up and cheap to clone (an `Arc` inside): each secret is turned into a
/// pre-keyed HMAC state once, and every request clones that state rather than re-keying.
/// The MAC is fed the signed parts (`id`, `.`, `timestamp`, `.`, body) in place, so no joined
/// copy of the body is made, and each candidate signature is decoded to a fixed-size value and
/// compared in constant time.
///
/// ```
/// use hookverify::{Scheme, Timestamp, Verifier, sign::{Message, Signer}};
///
/// let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// let verifier = Verifier::new(Scheme::standard_webhooks(), secret)?;
///
/// // What a sender would send (here produced by hookverify's signer).
/// let body = br#"{"type":"contact.created"}"#;
/// let now = Timestamp::from_unix_seconds(1_700_000_000);
/// let headers = Signer::new(&Scheme::standard_webhooks(), secret)?
///     .sign(&Message::new(body).id("msg_1").timestamp(now))?;
///
/// let verified = verifier.verify_at(&headers, body, now)?;
/// assert_eq!(verified.id(), Some("msg_1"));
/// assert_eq!(verified.idempotency_key_from_headers(), Some("msg_1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("scheme", &self.inner.scheme.name())
            .field("secrets", &self.inner.keys.len())
            .field("tolerance", &self.inner.tolerance)
            .finish_non_exhaustive()
    }
}

/// Whether the timestamp window is enforced (only `dangerous` turns it off).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    Enforce,
    Ignore,
}

impl Verifier {
    /// A verifier for `scheme` with one secret and the scheme's defaults.
    ///
    /// # Errors
    ///
    /// [`BuildError::Secret`] when the secret does not parse.
    pub fn new(scheme: Scheme, secret: impl Into<String>) -> Result<Self, BuildError> {
        Verifier::builder(scheme).secret(secret).build()
    }

    /// Starts configuring a verifier for `scheme`.
    pub fn builder(scheme: Scheme) -> VerifierBuilder {
        VerifierBuilder {
            scheme,
            keys: Vec::new(),
            tolerance: None,
            max_signatures: DEFAULT_MAX_SIGNATURES,
            max_header_len: DEFAULT_MAX_HEADER_LEN,
            min_secret_len: DEFAULT_MIN_SECRET_LEN,
        }
    }

    /// The scheme this verifier checks.
    pub fn scheme(&self) -> &Scheme {
        &self.inner.scheme
    }

    /// The timestamp tolerance in force (`None` for schemes without a timestamp).
    pub fn tolerance(&self) -> Option<Tolerance> {
        self.inner.tolerance
    }

    /// How many secrets the verifier holds.
    pub fn secret_count(&self) -> usize {
        self.inner.keys.len()
    }

    /// Verifies `body` (the exact raw bytes received) against `headers`, with the system clock.
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] naming the header or check that failed.
    pub fn verify<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Verified, VerifyError> {
        self.verify_at(headers, body, Timestamp::now())
    }

    /// Verifies `body` against `headers` with an explicit clock: for tests, replays of captured
    /// requests and platforms without a system clock.
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] naming the header or check that failed.
    pub fn verify_at<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Verified, VerifyError> {
        self.verify_inner(headers, body, now, Clock::Enforce)
    }

    pub(crate) fn verify_inner<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: Timestamp,
        clock: Clock,
    ) -> Result<Verified, VerifyError> {
        let spec = &*self.inner.scheme.spec;
        let Some(path) = &spec.body_path else {
            return self.verify_request(headers, body, now, clock);
        };
        // Mailgun, Adyen: the signature's fields come from the body, read once; from there on
        // they are looked up like headers. Every record (Adyen's items) must verify.
        let records = BodyRecords::parse(body, path, &spec.body_fields)?;
        let mut first = None;
        for record in records.iter() {
            let view = BodyHeaders::new(headers, record);
            let verified = self
                .verify_request(&view, body, now, clock)
                .map_err(field_error)?;
            first.get_or_insert(verified);
        }
        first.ok_or_else(|| VerifyError::MissingBodyField {
            name: Cow::Owned(path.label().to_owned()),
        })
    }

    #[inline]
    fn verify_request<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: Timestamp,
        clock: Clock,
    ) -> Result<Verified, VerifyError> {
        let inner = &*self.inner;
        let spec = &*inner.scheme.spec;

        // Every header the scheme reads, in one call (one pass for maps that support it).
        // One slot per key the scheme has (at most MAX_KEYS), not a fixed array to clear.
        let keys: &[HeaderKey] = spec.keys.get(..MAX_KEYS).unwrap_or(&spec.keys);
        let mut looked: ArrayVec<HeaderLookup<'_>, MAX_KEYS> = ArrayVec::new();
        for _ in keys {
            // At most MAX_KEYS keys (taken above): never full here.
            let _ = looked.try_push(HeaderLookup::Missing);
        }
        headers.lookup_many(keys, &mut looked);
        let request = read_request(spec, &looked, inner.max_header_len)?;

        let signature_name = &request.set.signature.display;
        let signature = request.signature;
        // Bytes outside visible ASCII can never form a valid signature, so they are only looked
        // for once something has failed, to report that rather than a downstream symptom. Not
        // for `TooManySignatures`: that refusal stops reading the header early, and scanning it
        // whole here would make its cost grow with the header again.
        let explain = |err: VerifyError| {
            if matches!(err, VerifyError::TooManySignatures { .. }) || visible_ascii(signature) {
                err
            } else {
                VerifyError::MalformedSignatureHeader {
                    name: signature_name.clone(),
                    problem: HeaderProblem::NotAscii,
                }
            }
        };
        let embedded = prescan_signature(spec, signature, signature_name, inner.max_signatures)
            .map_err(explain)?;
        let (timestamp, raw_timestamp) = self.signed_time(&request, embedded, now, clock)?;

        // Checked before any MAC work, so a bad request costs no hashing.
        let id = request
            .delivery_id
            .map(|value| {
                let name = request.set.delivery_id.as_ref().map(|(name, _)| name);
                utf8(value, name).map(Text::new)
            })
            .transpose()?;
        let event_type = request
            .event_type
            .map(|(name, value)| utf8(value, Some(name)).map(Text::new))
            .transpose()?;

        // The request target, for schemes that sign it (`:method`, `:url` pseudo-headers).
        let target = |slot: Option<usize>, what: &'static str| -> Result<&[u8], VerifyError> {
            let Some(slot) = slot else {
                return Ok(&[]);
            };
            match looked.get(slot).copied() {
                Some(HeaderLookup::One(value)) => Ok(value),
                _ => Err(VerifyError::MissingRequestContext { what }),
            }
        };
        let method = target(spec.method_slot, "method")?;
        let url = target(spec.url_slot, "URL")?;
        // HubSpot v3 signs the URL with a few escapes decoded.
        let url = if spec.decode_url_escapes {
            crate::request::decode_reserved_escapes(url)
        } else {
            Cow::Borrowed(url)
        };
        // Twilio's JSON bodies: the signed URL carries the body's hash, and no fields are signed.
        let body_hash = match &spec.body_hash_param {
            Some(param) => crate::request::query_param(&url, param).map_err(|()| {
                VerifyError::BodyHashMismatch {
                    name: param.clone(),
                }
            })?,
            None => None,
        };
        let form = if spec.signs_form && body_hash.is_none() {
            Some(FormFields::parse(body).map_err(|err| match err {
                FormError::TooManyFields => VerifyError::TooManyFormFields {
                    max: MAX_FORM_FIELDS,
                },
                FormError::NotUtf8 => VerifyError::FormNotUtf8,
            })?)
        } else {
            None
        };
        // Adyen: the signed fields of the body's record (absent ones are empty text).
        let mut named: ArrayVec<&[u8], MAX_PARTS> = ArrayVec::new();
        for (slot, name) in spec.field_slots.iter().take(MAX_PARTS) {
            let value = match looked.get(*slot).copied() {
                Some(HeaderLookup::One(text)) => text,
                Some(HeaderLookup::Repeated) => {
                    return Err(VerifyError::RepeatedHeader { name: name.clone() });
                }
                _ => &[],
            };
            // At most MAX_PARTS fields (taken above): never full here.
            let _ = named.try_push(value);
        }
        let fields = Fields {
            id: request.signed_id.unwrap_or_default(),
            timestamp: raw_timestamp,
            body,
            method,
            url: &url,
            form: form.as_ref(),
            named: &named,
        };
        let message = SignedMessage::new(&spec.content, fields);
        let mut outcome = self
            .match_candidates(spec, signature, signature_name, &message, |entry| {
                entry.active_at(now)
            })
            .map_err(explain)?;
        // Box: the second signature header, by the other key, when the first matched none.
        if let (None, Some((name, value))) = (outcome.matched, request.second_signature) {
            let second = self.match_candidates(spec, value, &name.display, &message, |entry| {
                entry.active_at(now)
            })?;
            outcome.matched = second.matched;
            outcome.candidates = outcome.candidates.saturating_add(second.candidates);
        }
        // Twilio: the URL with its port removed or the default one added, when the URL as given
        // matched none (its SDKs accept either spelling).
        if outcome.matched.is_none()
            && spec.url_port_variants
            && spec.url_slot.is_some()
            && let Some(variant) = crate::request::url_port_variant(&url)
        {
            let message = SignedMessage::new(
                &spec.content,
                Fields {
                    url: &variant,
                    ..fields
                },
            );
            let other = self
                .match_candidates(spec, signature, signature_name, &message, |entry| {
                    entry.active_at(now)
                })
                .map_err(explain)?;
            outcome.matched = other.matched;
        }
        let Some(secret_index) = outcome.matched else {
            let err = self.mismatch(spec, signature, signature_name, &message, now, &outcome);
            return Err(explain(err));
        };
        // After the signature: a mismatch here means a genuine URL with another body.
        if let (Some(expected), Some(param)) = (body_hash, &spec.body_hash_param) {
            check_body_hash(body, expected, param)?;
        }

        Ok(Verified {
            scheme: spec.name.clone(),
            provider: spec.provider,
            id,
            timestamp,
            secret_index,
            event_type,
            idempotency: spec.idempotency,
        })
    }

    /// The timestamp policy: where the signed time is, its unit, and the tolerance window.
    /// Returns the parsed time and its raw bytes (what is signed).
    fn signed_time<'h>(
        &self,
        request: &Request<'_, 'h>,
        embedded: Option<&'h [u8]>,
        now: Timestamp,
        clock: Clock,
    ) -> Result<(Option<Timestamp>, &'h [u8]), VerifyError> {
        let spec = &*self.inner.scheme.spec;
        let (name, raw) = match (spec.timestamp, &request.set.timestamp) {
            (TimestampPlace::None, _) | (TimestampPlace::Header, None) => return Ok((None, &[])),
            (TimestampPlace::Header, Some(name)) => (
                &name.display,
                request.timestamp.ok_or_else(|| missing(name))?,
            ),
            (TimestampPlace::InSignature, _) => match embedded {
                Some(raw) => (&request.set.signature.display, raw),
                None => return Ok((None, &[])),
            },
        };
        let signed =
            parse_timestamp(raw, spec.unit).map_err(|source| VerifyError::InvalidTimestamp {
                name: name.clone(),
                source,
            })?;
        if let (Clock::Enforce, Some(tolerance)) = (clock, self.inner.tolerance) {
            let whole_seconds = spec.unit == TimestampUnit::Seconds;
            check_tolerance(signed, now, whole_seconds, tolerance).map_err(|skew| match skew {
                Skew::TooOld(age) => VerifyError::TimestampTooOld {
                    age,
                    tolerance: tolerance.past(),
                },
                Skew::TooNew(ahead) => VerifyError::TimestampTooNew {
                    ahead,
                    tolerance: tolerance.future(),
                },
            })?;
        }
        Ok((Some(signed), raw))
    }

    /// Explains a failed match: no candidate of a supported version, an expired secret that would have matched, or a plain mismatch.
    fn mismatch(
        &self,
        spec: &SchemeSpec,
        text: &[u8],
        name: &Name,
        message: &SignedMessage<'_>,
        now: Timestamp,
        outcome: &Outcome,
    ) -> VerifyError {
        if outcome.candidates == 0 {
            return VerifyError::NoSupportedSignature {
                name: name.clone(),
                expected: self.expected_versions(spec),
            };
        }
        let expired = |entry: &KeyEntry| !entry.active_at(now);
        if self.inner.keys.iter().any(expired)
            && let Ok(Outcome {
                matched: Some(index),
                ..
            }) = self.match_candidates(spec, text, name, message, expired)
        {
            let expired_at = self
                .inner
                .keys
                .get(index)
                .and_then(|k| k.expires_at)
                .unwrap_or(Timestamp::UNIX_EPOCH);
            return VerifyError::SecretExpired { index, expired_at };
        }
        VerifyError::SignatureMismatch {
            candidates: outcome.candidates,
            secrets: self.inner.keys.iter().filter(|k| k.active_at(now)).count(),
        }
    }

    fn expected_versions(&self, spec: &SchemeSpec) -> Name {
        match &spec.signature {
            SigFormat::List {
                hmac_version,
                ed25519_version,
                ..
            } => match (self.inner.has_hmac, self.inner.has_ed25519, ed25519_version) {
                (true, true, Some(ed)) => Cow::Owned(format!("{hmac_version}` or `{ed}")),
                (false, true, Some(ed)) => ed.clone(),
                _ => hmac_version.clone(),
            },
            SigFormat::KeyValue { signature_key, .. } => Cow::Owned(format!("{signature_key}=")),
            SigFormat::Single { .. } => Cow::Borrowed("signature"),
            SigFormat::Token => Cow::Borrowed("token"),
        }
    }

    /// Checks every candidate in the header against the keys `use_key` selects, in one pass
    /// bounded by `max_signatures`.
    fn match_candidates(
        &self,
        spec: &SchemeSpec,
        text: &[u8],
        name: &Name,
        message: &SignedMessage<'_>,
        use_key: impl Fn(&KeyEntry) -> bool,
    ) -> Result<Outcome, VerifyError> {
        let inner = &*self.inner;
        let encoding = spec.encoding();
        let mut matcher =
            Matcher::new(&inner.keys, message, encoding, spec.hmac.tag_len(), use_key);
        walk_entries(
            &spec.signature,
            text,
            name,
            (inner.has_hmac, inner.has_ed25519),
            single_kind(spec),
            inner.max_signatures,
            &mut matcher,
        )?;
        // A malformed candidate fails the request even when another matched: a sender never
        // sends one, so it points at a broken proxy or a forgery attempt.
        if let Some((index, problem)) = matcher.outcome.first_invalid {
            return Err(VerifyError::InvalidSignature {
                name: name.clone(),
                index,
                problem,
            });
        }
        Ok(matcher.outcome)
    }
}

/// What a one-signature header holds: by the scheme's key, an HMAC tag, an ed25519 signature
/// (Discord) or a DER ECDSA one (SendGrid).
fn single_kind(spec: &SchemeSpec) -> grammar::EntryKind {
    match spec.key_encoding {
        crate::SecretEncoding::Ed25519Hex => grammar::EntryKind::Ed25519,
        crate::SecretEncoding::EcdsaP256 => grammar::EntryKind::Ecdsa,
        _ => grammar::EntryKind::Mac,
    }
}

/// Checks that the SHA-256 of `body` is `expected` (hex, either case), in constant time.
fn check_body_hash(body: &[u8], expected: &[u8], param: &Name) -> Result<(), VerifyError> {
    use sha2::Digest as _;
    use subtle::ConstantTimeEq as _;
    let mismatch = || VerifyError::BodyHashMismatch {
        name: param.clone(),
    };
    let mut wanted = [0_u8; 32];
    hex::decode_to_slice(expected, &mut wanted).map_err(|_| mismatch())?;
    let actual = sha2::Sha256::digest(body);
    if bool::from(actual.as_slice().ct_eq(&wanted)) {
        Ok(())
    } else {
        Err(mismatch())
    }
}

/// A header value as text (ids and event types must be UTF-8).
fn utf8<'h>(value: &'h [u8], name: Option<&HeaderName>) -> Result<&'h str, VerifyError> {
    std::str::from_utf8(value).map_err(|_| VerifyError::InvalidHeaderValue {
        name: name.map_or(Cow::Borrowed("id"), |n| n.display.clone()),
    })
}
