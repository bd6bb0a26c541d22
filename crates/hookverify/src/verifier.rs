//! The [`Verifier`]: proves a request came from the sender, on the exact raw bytes.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use ed25519_dalek::VerifyingKey;
use ed25519_dalek::ed25519::signature::MultipartVerifier as _;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

use crate::error::{BuildError, HeaderProblem, SignatureProblem, VerifyError};
use crate::headers::{HeaderLookup, Headers};
use crate::scheme::{
    HeaderName, HeaderSet, IdempotencyRule, MAX_KEYS, MAX_PARTS, Name, Provider, Scheme,
    SchemeSpec, SigFormat, SignatureEncoding, SignedPart, TimestampPlace,
};
use crate::secret::{DEFAULT_MIN_SECRET_LEN, KeyMaterial, Secret, SecretError};
use crate::timestamp::{
    Skew, Timestamp, TimestampUnit, Tolerance, check_tolerance, parse_timestamp,
};

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The most secrets one verifier holds (current, previous, and room for overlapping rotations).
pub const MAX_SECRETS: usize = 8;
/// Default cap on candidate signatures in one header.
pub const DEFAULT_MAX_SIGNATURES: usize = 16;
/// The highest value [`VerifierBuilder::max_signatures`] accepts.
pub const MAX_SIGNATURES_LIMIT: usize = 1024;
/// Default cap on the length of any header the verifier reads, in bytes.
pub const DEFAULT_MAX_HEADER_LEN: usize = 8 * 1024;
/// The highest value [`VerifierBuilder::max_header_len`] accepts.
pub const MAX_HEADER_LEN_LIMIT: usize = 1024 * 1024;

const MAC_LEN: usize = 32;
const ED25519_SIG_LEN: usize = 64;

enum Key {
    Hmac(HmacSha256),
    Ed25519(VerifyingKey),
}

struct KeyEntry {
    key: Key,
    expires_at: Option<Timestamp>,
}

impl KeyEntry {
    fn active_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|end| now <= end)
    }
}

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
/// assert_eq!(verified.idempotency_key(), Some("msg_1"));
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

/// What a successful verification established.
///
/// Everything here comes from the verified request: the id and timestamp were signed (when the
/// scheme signs them), the event type and delivery id come from headers of a request whose
/// signature matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    scheme: Name,
    provider: Option<Provider>,
    id: Option<String>,
    timestamp: Option<Timestamp>,
    secret_index: usize,
    event_type: Option<String>,
    idempotency: IdempotencyRule,
}

impl Verified {
    /// The scheme's name.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The built-in provider, if the scheme is one.
    pub fn provider(&self) -> Option<Provider> {
        self.provider
    }

    /// The message or delivery id (`webhook-id`, `X-Webhook-Delivery-Id`, `X-GitHub-Delivery`,
    /// `x-webhook-event-id`), when the scheme has one and it was sent.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The signed timestamp, for schemes that carry one.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.timestamp
    }

    /// Which secret matched: its position in the order secrets were added to the builder.
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }

    /// The event type from headers (`X-Webhook-Event`, `X-GitHub-Event`, ...), when present.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// The idempotency key, when the scheme takes it from headers (Standard Webhooks, Sendable,
    /// AutoSend, GitHub, custom schemes with an id header).
    ///
    /// `None` when the key is in the body (SendPilot `eventId`, Stripe `id`, Sent, SendKit);
    /// see [`Verified::idempotency_rule`] for where it comes from.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self.idempotency {
            IdempotencyRule::DeliveryIdHeader => self.id(),
            _ => None,
        }
    }

    /// Where this scheme's idempotency key comes from.
    pub fn idempotency_rule(&self) -> IdempotencyRule {
        self.idempotency
    }

    #[cfg(feature = "events")]
    /// Metadata read from headers *without* any verification, for `dangerous` only: the id and
    /// event type of the first header set that has them; no timestamp, secret index 0.
    pub(crate) fn unverified<H: Headers + ?Sized>(scheme: &Scheme, headers: &H) -> Self {
        let spec = &*scheme.spec;
        let text = |name: &HeaderName| match headers.lookup_key(&name.key) {
            HeaderLookup::One(value) => std::str::from_utf8(value).ok().map(str::to_owned),
            HeaderLookup::Missing | HeaderLookup::Repeated => None,
        };
        let id = spec
            .header_sets
            .iter()
            .find_map(|set| set.delivery_id.as_ref().and_then(|(name, _)| text(name)));
        let event_type = spec
            .header_sets
            .iter()
            .find_map(|set| set.event_type.as_ref().and_then(&text));
        Verified {
            scheme: spec.name.clone(),
            provider: spec.provider,
            id,
            timestamp: None,
            secret_index: 0,
            event_type,
            idempotency: spec.idempotency,
        }
    }
}

enum PendingKey {
    Text(Zeroizing<String>),
    Parsed(Secret),
}

/// Configures a [`Verifier`]. Secrets are parsed in [`VerifierBuilder::build`], with the
/// scheme's encoding and the minimum length in force then.
#[must_use = "a builder does nothing until `build` is called"]
pub struct VerifierBuilder {
    scheme: Scheme,
    keys: Vec<(PendingKey, Option<Timestamp>)>,
    tolerance: Option<Tolerance>,
    max_signatures: usize,
    max_header_len: usize,
    min_secret_len: usize,
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("scheme", &self.scheme.name())
            .field("secrets", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl VerifierBuilder {
    /// Adds a secret as the provider hands it out (parsed with the scheme's encoding).
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.keys
            .push((PendingKey::Text(Zeroizing::new(secret.into())), None));
        self
    }

    /// Adds a secret that stops verifying after `expires_at`: the previous secret during a
    /// rotation (SendPilot keeps it valid for 24 hours).
    pub fn secret_until(mut self, secret: impl Into<String>, expires_at: Timestamp) -> Self {
        self.keys.push((
            PendingKey::Text(Zeroizing::new(secret.into())),
            Some(expires_at),
        ));
        self
    }

    /// Adds an already parsed key (no minimum length is applied to it).
    pub fn key(mut self, secret: Secret) -> Self {
        self.keys.push((PendingKey::Parsed(secret), None));
        self
    }

    /// Adds an already parsed key that stops verifying after `expires_at`.
    pub fn key_until(mut self, secret: Secret, expires_at: Timestamp) -> Self {
        self.keys
            .push((PendingKey::Parsed(secret), Some(expires_at)));
        self
    }

    /// Overrides the scheme's default timestamp tolerance.
    pub fn tolerance(mut self, tolerance: Tolerance) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// The most candidate signatures one header may carry (default 16; 1 to 1024). More is an
    /// error, so the work per request stays bounded.
    pub fn max_signatures(mut self, max: usize) -> Self {
        self.max_signatures = max;
        self
    }

    /// The longest header value the verifier reads, in bytes (default 8 KiB; up to 1 MiB).
    pub fn max_header_len(mut self, max: usize) -> Self {
        self.max_header_len = max;
        self
    }

    /// The minimum key length in bytes for secrets added as text (default 16). Lower it only
    /// for a sender whose secrets really are that short.
    pub fn min_secret_len(mut self, min: usize) -> Self {
        self.min_secret_len = min;
        self
    }

    /// Parses the secrets and builds the verifier.
    ///
    /// # Errors
    ///
    /// [`BuildError::NoSecrets`], [`BuildError::TooManySecrets`], [`BuildError::Limit`] for a
    /// limit out of range, or [`BuildError::Secret`] with the position and reason of the first
    /// secret that does not parse (including an ed25519 key for a scheme without ed25519).
    pub fn build(self) -> Result<Verifier, BuildError> {
        if self.keys.is_empty() {
            return Err(BuildError::NoSecrets);
        }
        if self.keys.len() > MAX_SECRETS {
            return Err(BuildError::TooManySecrets { max: MAX_SECRETS });
        }
        if !(1..=MAX_SIGNATURES_LIMIT).contains(&self.max_signatures) {
            return Err(BuildError::Limit {
                what: "max_signatures",
                max: MAX_SIGNATURES_LIMIT,
            });
        }
        if !(1..=MAX_HEADER_LEN_LIMIT).contains(&self.max_header_len) {
            return Err(BuildError::Limit {
                what: "max_header_len",
                max: MAX_HEADER_LEN_LIMIT,
            });
        }
        let spec = &self.scheme.spec;
        let mut keys = Vec::with_capacity(self.keys.len());
        for (index, (pending, expires_at)) in self.keys.into_iter().enumerate() {
            let secret = match pending {
                PendingKey::Text(text) => {
                    Secret::parse(&text, spec.key_encoding, self.min_secret_len)
                }
                PendingKey::Parsed(secret) => Ok(secret),
            }
            .map_err(|source| BuildError::Secret { index, source })?;
            let key = match &secret.material {
                KeyMaterial::Hmac(bytes) => {
                    Key::Hmac(HmacSha256::new_from_slice(bytes).map_err(|_| {
                        BuildError::Secret {
                            index,
                            source: SecretError::Empty,
                        }
                    })?)
                }
                KeyMaterial::Ed25519(public) if spec.ed25519 => Key::Ed25519(*public),
                KeyMaterial::Ed25519(_) => {
                    return Err(BuildError::Secret {
                        index,
                        source: SecretError::Ed25519NotSupported,
                    });
                }
            };
            keys.push(KeyEntry { key, expires_at });
        }
        let has_hmac = keys.iter().any(|k| matches!(k.key, Key::Hmac(_)));
        let has_ed25519 = keys.iter().any(|k| matches!(k.key, Key::Ed25519(_)));
        Ok(Verifier {
            inner: Arc::new(Inner {
                tolerance: self.tolerance.or(spec.tolerance),
                scheme: self.scheme,
                keys,
                max_signatures: self.max_signatures,
                max_header_len: self.max_header_len,
                has_hmac,
                has_ed25519,
            }),
        })
    }
}

/// Whether the timestamp window is enforced (only `dangerous` turns it off).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    Enforce,
    Ignore,
}

/// The header values of one request, for the set the request uses.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct CoreHeaders<'h> {
    signature: Option<&'h [u8]>,
    signed_id: Option<&'h [u8]>,
    timestamp: Option<&'h [u8]>,
}

impl CoreHeaders<'_> {
    fn any(&self) -> bool {
        self.signature.is_some() || self.signed_id.is_some() || self.timestamp.is_some()
    }
}

/// A decoded candidate signature.
enum Candidate {
    Mac([u8; MAC_LEN]),
    Ed25519(ed25519_dalek::Signature),
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
        let inner = &*self.inner;
        let spec = &*inner.scheme.spec;
        let max_len = inner.max_header_len;

        // Every header the scheme reads, in one call (one pass for maps that support it).
        let mut looked = [HeaderLookup::Missing; MAX_KEYS];
        let keys = spec.keys.get(..MAX_KEYS).unwrap_or(&spec.keys);
        headers.lookup_many(keys, &mut looked);
        let headers = &looked[..];

        let (set, core) = select_header_set(spec, headers, max_len)?;
        let signature = core.signature.ok_or_else(|| missing(&set.signature))?;
        let signed_id = match &set.signed_id {
            Some(name) => Some(core.signed_id.ok_or_else(|| missing(name))?),
            None => None,
        };
        let delivery_id = match &set.delivery_id {
            Some((name, _)) if Some(name) == set.signed_id.as_ref() => signed_id,
            Some((name, required)) => match read(headers, name, max_len)? {
                Some(value) => Some(value),
                None if *required => return Err(missing(name)),
                None => None,
            },
            None => None,
        };
        let event_type = match &set.event_type {
            Some(name) => read(headers, name, max_len)?.map(|v| (name, v)),
            None => None,
        };

        let signature_name = &set.signature.display;
        let text = signature;
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
        let embedded_timestamp =
            prescan_signature(spec, text, signature_name, inner.max_signatures).map_err(explain)?;

        let (timestamp_name, raw_timestamp) = match spec.timestamp {
            TimestampPlace::None => (None, None),
            TimestampPlace::Header => match &set.timestamp {
                Some(name) => (
                    Some(&name.display),
                    Some(core.timestamp.ok_or_else(|| missing(name))?),
                ),
                None => (None, None),
            },
            TimestampPlace::InSignature => (Some(signature_name), embedded_timestamp),
        };
        let timestamp = match (timestamp_name, raw_timestamp) {
            (Some(name), Some(raw)) => Some(parse_timestamp(raw, spec.unit).map_err(|source| {
                VerifyError::InvalidTimestamp {
                    name: name.clone(),
                    source,
                }
            })?),
            _ => None,
        };
        if let (Clock::Enforce, Some(signed), Some(tolerance)) = (clock, timestamp, inner.tolerance)
        {
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

        // Checked before any MAC work, so a bad request costs no hashing.
        let id = delivery_id.map(|v| utf8(v, &set.delivery_id)).transpose()?;
        let event_type = event_type
            .map(|(name, v)| {
                std::str::from_utf8(v).map_err(|_| VerifyError::InvalidHeaderValue {
                    name: name.display.clone(),
                })
            })
            .transpose()?;

        let mut parts: [&[u8]; MAX_PARTS] = [&[]; MAX_PARTS];
        for (slot, part) in parts.iter_mut().zip(&spec.content) {
            *slot = match part {
                SignedPart::Id => signed_id.unwrap_or_default(),
                SignedPart::Timestamp => raw_timestamp.unwrap_or_default(),
                SignedPart::Body => body,
                SignedPart::Literal(bytes) => bytes,
            };
        }
        let parts = parts.get(..spec.content.len()).unwrap_or_default();

        let active = |entry: &KeyEntry| entry.active_at(now);
        let outcome = self
            .match_candidates(spec, text, signature_name, parts, active)
            .map_err(explain)?;
        let secret_index = match outcome.matched {
            Some(index) => index,
            None => {
                return Err(explain(self.mismatch(
                    spec,
                    text,
                    signature_name,
                    parts,
                    now,
                    outcome,
                )));
            }
        };

        Ok(Verified {
            scheme: spec.name.clone(),
            provider: spec.provider,
            id: id.map(str::to_owned),
            timestamp,
            secret_index,
            event_type: event_type.map(str::to_owned),
            idempotency: spec.idempotency,
        })
    }

    /// Explains a failed match: an expired secret that would have matched, or a plain mismatch.
    fn mismatch(
        &self,
        spec: &SchemeSpec,
        text: &[u8],
        name: &Name,
        parts: &[&[u8]],
        now: Timestamp,
        outcome: Outcome,
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
            }) = self.match_candidates(spec, text, name, parts, expired)
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
            secrets: outcome.keys_tried,
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
        }
    }

    /// Decodes every candidate in the header and checks it against the keys `use_key` selects.
    ///
    /// One pass: the MACs are computed once, at the first well-formed candidate; a malformed
    /// candidate is remembered and reported after the pass, unless the header turns out to have
    /// more candidates than the cap, which is reported first. Work stops at the cap.
    fn match_candidates(
        &self,
        spec: &SchemeSpec,
        text: &[u8],
        name: &Name,
        parts: &[&[u8]],
        use_key: impl Fn(&KeyEntry) -> bool,
    ) -> Result<Outcome, VerifyError> {
        let inner = &*self.inner;
        let keys = &inner.keys;
        let mut macs = [[0_u8; MAC_LEN]; MAX_SECRETS];
        let mut macs_ready = false;
        let mut outcome = Outcome::default();
        let mut first_invalid: Option<(usize, SignatureProblem)> = None;
        let mut entries: usize = 0;
        let mut too_many = false;

        let mut visit = |index: usize, candidate: Result<Candidate, SignatureProblem>| {
            let candidate = match candidate {
                Ok(candidate) => candidate,
                Err(problem) => {
                    first_invalid.get_or_insert((index, problem));
                    return;
                }
            };
            outcome.candidates = outcome.candidates.saturating_add(1);
            match candidate {
                Candidate::Mac(candidate) => {
                    if !macs_ready {
                        for (entry, mac) in keys.iter().zip(macs.iter_mut()) {
                            if let (Key::Hmac(state), true) = (&entry.key, use_key(entry)) {
                                let mut state = state.clone();
                                for part in parts {
                                    state.update(part);
                                }
                                *mac = state.finalize().into_bytes().into();
                            }
                        }
                        macs_ready = true;
                    }
                    for (index, (entry, mac)) in keys.iter().zip(&macs).enumerate() {
                        if matches!(entry.key, Key::Hmac(_))
                            && use_key(entry)
                            && mac_eq(mac, &candidate)
                            && outcome.matched.is_none()
                        {
                            outcome.matched = Some(index);
                        }
                    }
                }
                Candidate::Ed25519(signature) => {
                    for (index, entry) in keys.iter().enumerate() {
                        if let (Key::Ed25519(public), true) = (&entry.key, use_key(entry))
                            && outcome.matched.is_none()
                            && public.multipart_verify(parts, &signature).is_ok()
                        {
                            outcome.matched = Some(index);
                        }
                    }
                }
            }
        };

        match &spec.signature {
            SigFormat::List {
                hmac_version,
                ed25519_version,
                encoding,
            } => {
                for (index, entry) in list_entries(text).enumerate() {
                    entries = entries.saturating_add(1);
                    if entries > inner.max_signatures {
                        too_many = true;
                        break;
                    }
                    let (version, value) = split_first(entry, b',');
                    let value = value.unwrap_or_default();
                    if short_eq(version, hmac_version.as_bytes()) {
                        if inner.has_hmac {
                            visit(index, decode_mac(value, *encoding).map(Candidate::Mac));
                        }
                    } else if inner.has_ed25519
                        && ed25519_version
                            .as_deref()
                            .is_some_and(|v| short_eq(version, v.as_bytes()))
                    {
                        visit(index, decode_ed25519(value).map(Candidate::Ed25519));
                    }
                }
            }
            SigFormat::KeyValue {
                signature_key,
                leading_version,
                encoding,
                ..
            } => {
                // The prescan has already bounded the number of signature parts.
                for (index, part) in key_value_parts(text, leading_version.as_deref()) {
                    if let (key, Some(value)) = split_first(part, b'=')
                        && short_eq(key, signature_key.as_bytes())
                    {
                        visit(index, decode_mac(value, *encoding).map(Candidate::Mac));
                    }
                }
            }
            SigFormat::Single {
                encoding,
                prefix,
                prefix_required,
            } => {
                let value = match prefix
                    .as_deref()
                    .map(|p| (p, text.strip_prefix(p.as_bytes())))
                {
                    Some((_, Some(rest))) => rest,
                    Some((expected, None)) if *prefix_required => {
                        return Err(VerifyError::MalformedSignatureHeader {
                            name: name.clone(),
                            problem: HeaderProblem::MissingPrefix {
                                expected: Cow::Owned(expected.to_owned()),
                            },
                        });
                    }
                    _ => text,
                };
                visit(0, decode_mac(value, *encoding).map(Candidate::Mac));
            }
        }

        if too_many {
            return Err(VerifyError::TooManySignatures {
                name: name.clone(),
                max: inner.max_signatures,
            });
        }
        if let Some((index, problem)) = first_invalid {
            return Err(VerifyError::InvalidSignature {
                name: name.clone(),
                index,
                problem,
            });
        }
        if outcome.matched.is_none() {
            outcome.keys_tried = keys.iter().filter(|k| use_key(k)).count();
        }
        Ok(outcome)
    }
}

#[derive(Default)]
struct Outcome {
    matched: Option<usize>,
    candidates: usize,
    keys_tried: usize,
}

fn missing(name: &HeaderName) -> VerifyError {
    VerifyError::MissingHeader {
        name: name.display.clone(),
    }
}

/// The looked-up value of one header, refusing repeats and over-long values.
fn read<'h>(
    looked: &[HeaderLookup<'h>],
    name: &HeaderName,
    max_len: usize,
) -> Result<Option<&'h [u8]>, VerifyError> {
    match looked
        .get(name.slot)
        .copied()
        .unwrap_or(HeaderLookup::Missing)
    {
        HeaderLookup::Missing => Ok(None),
        HeaderLookup::Repeated => Err(VerifyError::RepeatedHeader {
            name: name.display.clone(),
        }),
        HeaderLookup::One(value) if value.len() > max_len => Err(VerifyError::HeaderTooLong {
            name: name.display.clone(),
            len: value.len(),
            max: max_len,
        }),
        HeaderLookup::One(value) => Ok(Some(value)),
    }
}

fn read_core<'h>(
    headers: &[HeaderLookup<'h>],
    set: &HeaderSet,
    max_len: usize,
) -> Result<CoreHeaders<'h>, VerifyError> {
    let optional = |name: &Option<HeaderName>| match name {
        Some(name) => read(headers, name, max_len),
        None => Ok(None),
    };
    Ok(CoreHeaders {
        signature: read(headers, &set.signature, max_len)?,
        signed_id: optional(&set.signed_id)?,
        timestamp: optional(&set.timestamp)?,
    })
}

/// The name of a header of `set` that `core` found, for error messages.
fn present_name(set: &HeaderSet, core: &CoreHeaders<'_>) -> Name {
    if core.signature.is_some() {
        return set.signature.display.clone();
    }
    fn pick<'n>(name: &'n Option<HeaderName>, value: Option<&[u8]>) -> Option<&'n HeaderName> {
        name.as_ref().filter(|_| value.is_some())
    }
    pick(&set.signed_id, core.signed_id)
        .or_else(|| pick(&set.timestamp, core.timestamp))
        .map_or_else(|| set.signature.display.clone(), |n| n.display.clone())
}

/// Picks the one header set the request uses, never combining values of two sets.
///
/// The set is the first, in the scheme's order, whose signature header is present; its id and
/// timestamp are read from the same set and any other set is ignored, so values are never
/// combined. When the chosen set is incomplete and another set supplies the missing piece, the
/// request is reported as a mix. The happy path costs one lookup per header of the chosen set
/// (plus one per earlier set whose signature is absent).
fn select_header_set<'s, 'h>(
    spec: &'s SchemeSpec,
    headers: &[HeaderLookup<'h>],
    max_len: usize,
) -> Result<(&'s HeaderSet, CoreHeaders<'h>), VerifyError> {
    let optional = |name: &Option<HeaderName>| match name {
        Some(name) => read(headers, name, max_len),
        None => Ok(None),
    };
    let mut found: Option<(&'s HeaderSet, CoreHeaders<'h>)> = None;
    for set in &spec.header_sets {
        if let Some(signature) = read(headers, &set.signature, max_len)? {
            let core = CoreHeaders {
                signature: Some(signature),
                signed_id: optional(&set.signed_id)?,
                timestamp: optional(&set.timestamp)?,
            };
            found = Some((set, core));
            break;
        }
    }
    let Some((set, core)) = found else {
        // No signature at all: name the signature header of whichever set the request uses.
        for set in &spec.header_sets {
            if read_core(headers, set, max_len)?.any() {
                return Err(missing(&set.signature));
            }
        }
        return Err(spec.primary_set().map_or_else(
            || VerifyError::MissingHeader {
                name: Cow::Borrowed("signature"),
            },
            |primary| missing(&primary.signature),
        ));
    };
    let incomplete = (set.signed_id.is_some() && core.signed_id.is_none())
        || (set.timestamp.is_some() && core.timestamp.is_none());
    if incomplete && spec.header_sets.len() > 1 {
        for other in spec
            .header_sets
            .iter()
            .filter(|other| !std::ptr::eq(*other, set))
        {
            let other_core = read_core(headers, other, max_len)?;
            if other_core.any() {
                return Err(VerifyError::MixedHeaderSets {
                    first: present_name(set, &core),
                    second: present_name(other, &other_core),
                });
            }
        }
    }
    Ok((set, core))
}

fn visible_ascii(value: &[u8]) -> bool {
    value.iter().all(|b| (0x20..0x7f).contains(b))
}

/// Constant-time equality of two MACs: the differences of all four 64-bit words are OR-ed
/// together with no data-dependent branch, and only the final word is compared (with `subtle`).
/// Byte-wise `subtle` comparison costs a barrier per byte; this costs one.
fn mac_eq(a: &[u8; MAC_LEN], b: &[u8; MAC_LEN]) -> bool {
    let (a, _) = a.as_chunks::<8>();
    let (b, _) = b.as_chunks::<8>();
    let diff = a.iter().zip(b).fold(0_u64, |acc, (x, y)| {
        acc | (u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y))
    });
    bool::from(diff.ct_eq(&0))
}

fn utf8<'h>(value: &'h [u8], name: &Option<(HeaderName, bool)>) -> Result<&'h str, VerifyError> {
    std::str::from_utf8(value).map_err(|_| VerifyError::InvalidHeaderValue {
        name: name
            .as_ref()
            .map_or(Cow::Borrowed("id"), |(n, _)| n.display.clone()),
    })
}

/// The non-empty space-separated entries of a list header. A plain byte loop: these headers are
/// short, and `str::split` pays a `memchr` call per entry.
fn list_entries(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| b == b' ').filter(|entry| !entry.is_empty())
}

/// Splits at the first `separator`; the whole input and an empty tail when there is none.
fn split_first(bytes: &[u8], separator: u8) -> (&[u8], Option<&[u8]>) {
    match bytes.iter().position(|&b| b == separator) {
        Some(at) => {
            let (head, tail) = bytes.split_at_checked(at).unwrap_or((bytes, &[]));
            (head, Some(tail.get(1..).unwrap_or_default()))
        }
        None => (bytes, None),
    }
}

/// Equality for the few-byte tags and keys of signature headers, without a `memcmp` call.
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

fn trim_spaces(mut bytes: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' '] = bytes {
        bytes = rest;
    }
    bytes
}

/// The comma-separated parts of a `key=value` header with their positions, minus a leading
/// version element such as SendPilot's `v1`.
fn key_value_parts<'t, 'v>(
    text: &'t [u8],
    leading_version: Option<&'v str>,
) -> impl Iterator<Item = (usize, &'t [u8])> + use<'t, 'v> {
    text.split(|&b| b == b',')
        .map(trim_spaces)
        .enumerate()
        .filter(move |(index, part)| {
            !(*index == 0 && Some(*part) == leading_version.map(str::as_bytes))
        })
}

/// Validates the signature header's shape and counts its candidates before any crypto work.
/// Returns the timestamp for schemes that carry it inside the header.
fn prescan_signature<'t>(
    spec: &SchemeSpec,
    text: &'t [u8],
    name: &Name,
    max_signatures: usize,
) -> Result<Option<&'t [u8]>, VerifyError> {
    let malformed = |problem| VerifyError::MalformedSignatureHeader {
        name: name.clone(),
        problem,
    };
    let too_many = || VerifyError::TooManySignatures {
        name: name.clone(),
        max: max_signatures,
    };
    match &spec.signature {
        SigFormat::List { .. } | SigFormat::Single { .. } => Ok(None),
        SigFormat::KeyValue {
            timestamp_key,
            signature_key,
            leading_version,
            ..
        } => {
            let mut timestamp = None;
            let mut count: usize = 0;
            for (_, part) in key_value_parts(text, leading_version.as_deref()) {
                let (key, Some(value)) = split_first(part, b'=') else {
                    return Err(malformed(if looks_like_standard_list(text) {
                        HeaderProblem::LooksLikeStandardWebhooks
                    } else {
                        HeaderProblem::PartWithoutEquals
                    }));
                };
                if key == timestamp_key.as_bytes() {
                    if timestamp.replace(value).is_some() {
                        return Err(malformed(HeaderProblem::RepeatedTimestamp));
                    }
                } else if key == signature_key.as_bytes() {
                    count = count.saturating_add(1);
                    if count > max_signatures {
                        return Err(too_many());
                    }
                }
            }
            match timestamp {
                Some(timestamp) => Ok(Some(timestamp)),
                None if looks_like_standard_list(text) => {
                    Err(malformed(HeaderProblem::LooksLikeStandardWebhooks))
                }
                None => Err(malformed(HeaderProblem::MissingTimestamp)),
            }
        }
    }
}

fn looks_like_standard_list(text: &[u8]) -> bool {
    !text.windows(2).any(|w| w == b"t=")
        && list_entries(text).any(|entry| match split_first(entry, b',') {
            (version, Some(value)) => {
                let digits = value
                    .iter()
                    .rposition(|&b| b != b'=')
                    .map_or(&[][..], |end| value.get(..=end).unwrap_or_default());
                version.starts_with(b"v")
                    && digits.len() >= 40
                    && digits
                        .iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
            }
            (_, None) => false,
        })
}

/// Decodes a 32-byte MAC. Length is checked on the encoded form first, so nothing larger than a
/// fixed stack buffer is ever decoded.
fn decode_mac(
    value: &[u8],
    encoding: SignatureEncoding,
) -> Result<[u8; MAC_LEN], SignatureProblem> {
    let mut out = [0_u8; MAC_LEN];
    decode_fixed(value, encoding, &mut out)?;
    Ok(out)
}

fn decode_ed25519(value: &[u8]) -> Result<ed25519_dalek::Signature, SignatureProblem> {
    let mut out = [0_u8; ED25519_SIG_LEN];
    decode_fixed(value, SignatureEncoding::Base64, &mut out)?;
    Ok(ed25519_dalek::Signature::from_bytes(&out))
}

fn decode_fixed(
    value: &[u8],
    encoding: SignatureEncoding,
    out: &mut [u8],
) -> Result<(), SignatureProblem> {
    let expected = out.len();
    if value.is_empty() {
        return Err(SignatureProblem::Empty);
    }
    let bad_encoding = SignatureProblem::BadEncoding {
        encoding: encoding.name(),
    };
    match encoding {
        SignatureEncoding::Hex => {
            if !value.iter().all(u8::is_ascii_hexdigit) {
                return Err(bad_encoding);
            }
            if value.len() != expected.saturating_mul(2) {
                return Err(SignatureProblem::WrongLength {
                    expected,
                    found: value.len() / 2,
                });
            }
            hex::decode_to_slice(value, out).map_err(|_| bad_encoding)
        }
        SignatureEncoding::Base64 => {
            use base64::Engine as _;
            if crate::b64::decode_exact(value, out) {
                return Ok(());
            }
            // Not the canonical shape: let the `base64` crate decide and say what is wrong.
            // 64 bytes of signature is 88 base64 characters; anything past 128 is overlong.
            let mut buffer = [0_u8; 96];
            if value.len() > 128 {
                return Err(SignatureProblem::WrongLength {
                    expected,
                    found: (value.len() / 4).saturating_mul(3),
                });
            }
            let written = crate::secret::BASE64
                .decode_slice(value, &mut buffer)
                .map_err(|_| bad_encoding)?;
            let decoded = buffer.get(..written).unwrap_or_default();
            if decoded.len() != expected {
                return Err(SignatureProblem::WrongLength {
                    expected,
                    found: decoded.len(),
                });
            }
            out.copy_from_slice(decoded);
            Ok(())
        }
    }
}
