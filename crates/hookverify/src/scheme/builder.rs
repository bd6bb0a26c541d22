//! [`SchemeBuilder`]: the one way a [`Scheme`] is made, for built-ins and users alike.

use std::borrow::Cow;

use super::header_names::HeaderNames;
use super::{
    HeaderName, HmacAlgorithm, IdFormat, IdempotencyRule, MAX_KEYS, MAX_PARTS, Name, Scheme,
    SchemeError, SchemeSpec, SigFormat, SignatureEncoding, SignedPart, TimestampPlace,
};
use crate::providers::Provider;
use crate::secret::SecretEncoding;
use crate::timestamp::{TimestampUnit, Tolerance};

#[derive(Clone, Debug)]
enum Format {
    Token,
    Single {
        prefix: Option<String>,
        prefix_required: bool,
    },
    List {
        version: String,
        ed25519_version: Option<String>,
    },
    KeyValue {
        timestamp_key: Option<String>,
        signature_key: String,
        leading_version: Option<String>,
        separator: u8,
    },
}

/// Describes how a sender signs, and builds the [`Scheme`]: the builder behind every built-in
/// provider and [`Scheme::custom`].
///
/// Defaults: one signature, hexadecimal, no prefix; secret used as raw bytes; no timestamp; signed
/// content `{id}.{timestamp}.{body}` with whichever of id and timestamp the scheme has; ±5
/// minutes tolerance when there is a timestamp; idempotency key from the delivery id header when
/// there is one, else the SHA-256 of the body (see [`IdempotencyRule`]).
///
/// ```
/// use hookverify::{IdempotencyRule, Scheme, SignedPart, SecretEncoding, TimestampUnit};
///
/// // "X-Acme-Signature: sha256=<hex of HMAC(ts + '.' + body)>", timestamp in milliseconds.
/// let scheme = Scheme::custom("acme")
///     .signature_header("X-Acme-Signature")
///     .hex()
///     .signature_prefix("sha256=", true)
///     .timestamp_header("X-Acme-Timestamp")
///     .timestamp_unit(TimestampUnit::Milliseconds)
///     .id_header("X-Acme-Delivery")
///     .signed_content([SignedPart::Timestamp, SignedPart::DOT, SignedPart::Body])
///     .key_encoding(SecretEncoding::Raw)
///     .build()?;
/// assert_eq!(scheme.name(), "acme");
/// assert_eq!(scheme.idempotency_rule(), IdempotencyRule::DeliveryIdHeader);
///
/// // Slack: `X-Slack-Signature: v0=<hex>` over `v0:{timestamp}:{body}`; the key is the body's
/// // `event_id` (Events API), else the body's hash.
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
///     .idempotency(IdempotencyRule::BodyField { fields: &["event_id"], then_header: false, then_body_hash: true })
///     .build()?;
/// assert_eq!(slack.name(), "slack");
/// # Ok::<(), hookverify::SchemeError>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct SchemeBuilder {
    name: Name,
    provider: Option<Provider>,
    primary: HeaderNames,
    alternates: Vec<HeaderNames>,
    format: Format,
    encoding: SignatureEncoding,
    hmac: HmacAlgorithm,
    unit: TimestampUnit,
    content: Option<Vec<SignedPart>>,
    key_encoding: SecretEncoding,
    tolerance: Tolerance,
    idempotency: Option<IdempotencyRule>,
    signing_headers: Vec<(String, String)>,
    id_format: IdFormat,
    body_object: Option<String>,
    decode_url_escapes: bool,
    url_port_variants: bool,
    body_hash_param: Option<String>,
}

impl SchemeBuilder {
    pub(super) fn new(name: Name) -> Self {
        SchemeBuilder {
            name,
            provider: None,
            primary: HeaderNames::default(),
            alternates: Vec::new(),
            format: Format::Single {
                prefix: None,
                prefix_required: false,
            },
            encoding: SignatureEncoding::Hex,
            hmac: HmacAlgorithm::Sha256,
            unit: TimestampUnit::Seconds,
            content: None,
            key_encoding: SecretEncoding::Raw,
            tolerance: Tolerance::default(),
            idempotency: None,
            signing_headers: Vec::new(),
            id_format: IdFormat::default(),
            body_object: None,
            decode_url_escapes: false,
            url_port_variants: false,
            body_hash_param: None,
        }
    }

    /// The header holding the signature (required).
    pub fn signature_header(mut self, name: impl Into<String>) -> Self {
        self.primary = self.primary.signature(name);
        self
    }

    /// The header holding the message id; it is also the delivery id unless
    /// [`delivery_id_header`](Self::delivery_id_header) names another.
    pub fn id_header(mut self, name: impl Into<String>) -> Self {
        self.primary = self.primary.id(name);
        self
    }

    /// The header holding the timestamp.
    pub fn timestamp_header(mut self, name: impl Into<String>) -> Self {
        self.primary = self.primary.timestamp(name);
        self
    }

    /// A header holding a per-delivery id for de-duplication, required on every request.
    pub fn delivery_id_header(mut self, name: impl Into<String>) -> Self {
        self.primary = self.primary.delivery_id(name);
        self
    }

    /// A per-delivery id header that requests may lack.
    pub fn optional_delivery_id_header(mut self, name: impl Into<String>) -> Self {
        self.primary = self.primary.optional_delivery_id(name);
        self
    }

    /// The header holding the event type.
    pub fn event_type_header(mut self, name: impl Into<String>) -> Self {
        self.primary = self.primary.event_type(name);
        self
    }

    /// All header names of the main convention at once (replacing any set one by one).
    pub fn header_names(mut self, names: HeaderNames) -> Self {
        self.primary = names;
        self
    }

    /// Another naming convention the sender may use, tried after the main one; a request must
    /// use one convention whole (a mix is refused as `MixedHeaderSets`).
    pub fn alternate_header_names(mut self, names: HeaderNames) -> Self {
        self.alternates.push(names);
        self
    }

    /// The HMAC's hash (default [`HmacAlgorithm::Sha256`]): the signature's length follows it
    /// (20, 32 or 64 bytes).
    ///
    /// ```
    /// use hookverify::{HmacAlgorithm, Scheme};
    ///
    /// // `X-Hub-Signature: sha1=<hex of HMAC-SHA1(body)>`.
    /// let scheme = Scheme::custom("intercom-like")
    ///     .signature_header("X-Hub-Signature")
    ///     .signature_prefix("sha1=", true)
    ///     .hmac(HmacAlgorithm::Sha1)
    ///     .build()?;
    /// assert_eq!(scheme.hmac_algorithm(), HmacAlgorithm::Sha1);
    /// # Ok::<(), hookverify::SchemeError>(())
    /// ```
    pub fn hmac(mut self, algorithm: HmacAlgorithm) -> Self {
        self.hmac = algorithm;
        self
    }

    /// Signatures are hexadecimal (the default).
    pub fn hex(mut self) -> Self {
        self.encoding = SignatureEncoding::Hex;
        self
    }

    /// Signatures are standard base64.
    pub fn base64(mut self) -> Self {
        self.encoding = SignatureEncoding::Base64;
        self
    }

    /// The signature header holds one signature behind `prefix` (such as `sha256=`); with
    /// `required` false, a bare signature is accepted too.
    pub fn signature_prefix(mut self, prefix: impl Into<String>, required: bool) -> Self {
        self.format = Format::Single {
            prefix: Some(prefix.into()),
            prefix_required: required,
        };
        self
    }

    /// The signature header carries the shared secret itself, as GitLab's `X-Gitlab-Token`
    /// does: compared in constant time (through an HMAC of each side), and nothing else is
    /// checked — the body is **not** authenticated and a captured request can be replayed.
    /// Prefer a signing scheme wherever the sender offers one.
    ///
    /// ```
    /// use hookverify::{Scheme, Verifier};
    ///
    /// let scheme = Scheme::custom("token-like").signature_header("X-Token").token().build()?;
    /// assert!(!scheme.signs_body());
    /// let verifier = Verifier::new(scheme, "a-shared-secret-0123")?;
    /// assert!(verifier.verify(&[("X-Token", "a-shared-secret-0123")], b"{}").is_ok());
    /// assert!(verifier.verify(&[("X-Token", "a-shared-secret-0124")], b"{}").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token(mut self) -> Self {
        self.format = Format::Token;
        self
    }

    /// For a scheme that signs the URL and the form fields ([`SignedPart::Url`],
    /// [`SignedPart::FormParams`]): when the URL's query has the parameter `param`, the body is
    /// not a form and is not signed through its fields; instead its SHA-256 (hex) must equal the
    /// parameter's value, which the signature covers as part of the URL. Twilio signs JSON
    /// bodies so, with `bodySHA256`.
    pub fn body_hash_in_url(mut self, param: impl Into<String>) -> Self {
        self.body_hash_param = Some(param.into());
        self
    }

    /// Before the URL ([`SignedPart::Url`]) is signed, its percent-escapes of
    /// `: / ? @ ! $ ' ( ) * , ;` (`%3A`, `%2F`, ... in either case) are decoded, as HubSpot does
    /// for its v3 signatures; every other byte is signed as it is.
    pub fn decode_url_escapes(mut self) -> Self {
        self.decode_url_escapes = true;
        self
    }

    /// When the signed URL ([`SignedPart::Url`]) does not verify as given, also try it with its
    /// port removed (when it has one, whatever the number) or with the scheme's default port
    /// added (`:443` for `https`, `:80` for `http`), as Twilio's SDKs do: Twilio signs some URLs
    /// with the port and some without. The second attempt costs one more MAC per key, and only
    /// on a request that already failed. Has no effect on a scheme that does not sign the URL.
    pub fn url_port_variants(mut self) -> Self {
        self.url_port_variants = true;
        self
    }

    /// The signature travels in the body, not in headers, as Mailgun's and Adyen's do. `path`
    /// leads to the signed record: object names separated by `/`, `*` for every element of an
    /// array — `signature` (Mailgun: `{"signature": {"timestamp", "token", "signature"}, …}`)
    /// or `notificationItems/*/NotificationRequestItem` (Adyen: every item is signed, and every
    /// one must verify). The names given to [`header_names`](Self::header_names) are then
    /// fields of the record, dotted for nested objects (`additionalData.hmacSignature`), and
    /// [`SignedPart::Field`] signs any other field's text. For a path without `*`, a form body's
    /// top-level fields are the record. Values are strings, whole numbers (their digits) or
    /// booleans (`true`/`false`).
    ///
    /// The signed content may leave the body out: Mailgun signs only its timestamp and token
    /// ([`Scheme::signs_body`](crate::Scheme::signs_body) is `false`), so the token must serve
    /// as the idempotency key, which the id field does by default.
    ///
    /// ```
    /// use hookverify::{HeaderNames, Scheme, SignedPart, Timestamp, Verifier};
    ///
    /// // Mailgun, checked against the vector of mailgun/mailgun-php's tests.
    /// let scheme = Scheme::custom("mailgun-like")
    ///     .signature_in_body("signature")
    ///     .header_names(HeaderNames::new("signature").id("token").timestamp("timestamp"))
    ///     .signed_content([SignedPart::Timestamp, SignedPart::Id])
    ///     .build()?;
    /// let verifier = Verifier::builder(scheme).secret("key-3ax6xnjp29jd6fds4gc373sgvjxteol0").build()?;
    /// let body = r#"{"signature": {"timestamp": "1403645220",
    ///     "token": "5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6",
    ///     "signature": "9cfc5c41582e51246e73c88d34db3af0a3a2692a76fbab81492842f000256d33"},
    ///     "event-data": {"event": "delivered"}}"#;
    /// let no_headers: [(&str, &str); 0] = [];
    /// let now = Timestamp::from_unix_seconds(1403645220);
    /// let verified = verifier.verify_at(&no_headers, body.as_bytes(), now)?;
    /// assert_eq!(verified.id(), Some("5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signature_in_body(mut self, path: impl Into<String>) -> Self {
        self.body_object = Some(path.into());
        self
    }

    /// The signature header is a space-separated list of `version,signature` entries, as in
    /// Standard Webhooks; entries with another version are skipped.
    pub fn versioned_list(mut self, version: impl Into<String>) -> Self {
        self.format = Format::List {
            version: version.into(),
            ed25519_version: None,
        };
        self
    }

    /// With [`versioned_list`](Self::versioned_list): entries tagged `version` are base64
    /// ed25519 signatures, checked against `whpk_` public keys (Standard Webhooks' `v1a`).
    /// Ignored for other formats.
    pub fn ed25519_version(mut self, version: impl Into<String>) -> Self {
        if let Format::List {
            ed25519_version, ..
        } = &mut self.format
        {
            *ed25519_version = Some(version.into());
        }
        self
    }

    /// The signature header is comma-separated `key=value` parts, as in Stripe
    /// (`t=<ts>,v1=<sig>`): the timestamp is under `timestamp_key`, signatures under
    /// `signature_key` (every one is tried).
    pub fn key_value(
        mut self,
        timestamp_key: impl Into<String>,
        signature_key: impl Into<String>,
    ) -> Self {
        self.format = Format::KeyValue {
            timestamp_key: Some(timestamp_key.into()),
            signature_key: signature_key.into(),
            leading_version: None,
            separator: b',',
        };
        self
    }

    /// The signature header is comma-separated `key=value` signatures without a timestamp, as
    /// in PagerDuty's `v1=<hex>,v1=<hex>` (two while a secret rotates): every value under
    /// `signature_key` is tried, other keys are skipped.
    ///
    /// ```
    /// use hookverify::{Scheme, SignedPart};
    ///
    /// let pagerduty_like = Scheme::custom("pagerduty-like")
    ///     .signature_header("X-PagerDuty-Signature")
    ///     .key_value_signatures("v1")
    ///     .signed_content([SignedPart::Body])
    ///     .build()?;
    /// assert_eq!(pagerduty_like.default_tolerance(), None);
    /// # Ok::<(), hookverify::SchemeError>(())
    /// ```
    pub fn key_value_signatures(mut self, signature_key: impl Into<String>) -> Self {
        self.format = Format::KeyValue {
            timestamp_key: None,
            signature_key: signature_key.into(),
            leading_version: None,
            separator: b',',
        };
        self
    }

    /// With [`key_value`](Self::key_value): the parts are separated by `;` instead of `,`, as
    /// in Paddle's `ts=<ts>;h1=<sig>`. Ignored for other formats.
    ///
    /// ```
    /// use hookverify::{Scheme, SignedPart};
    ///
    /// let paddle_like = Scheme::custom("paddle-like")
    ///     .signature_header("Paddle-Signature")
    ///     .key_value("ts", "h1")
    ///     .semicolon_separated()
    ///     .signed_content([SignedPart::Timestamp, SignedPart::literal(":"), SignedPart::Body])
    ///     .build()?;
    /// assert_eq!(paddle_like.name(), "paddle-like");
    /// # Ok::<(), hookverify::SchemeError>(())
    /// ```
    pub fn semicolon_separated(mut self) -> Self {
        if let Format::KeyValue { separator, .. } = &mut self.format {
            *separator = b';';
        }
        self
    }

    /// With [`key_value`](Self::key_value): an optional first element such as SendPilot's
    /// `v1,` in `v1,t=…,s=…`. Ignored for other formats.
    pub fn leading_version(mut self, version: impl Into<String>) -> Self {
        if let Format::KeyValue {
            leading_version, ..
        } = &mut self.format
        {
            *leading_version = Some(version.into());
        }
        self
    }

    /// The timestamp's unit (default: seconds).
    pub fn timestamp_unit(mut self, unit: TimestampUnit) -> Self {
        self.unit = unit;
        self
    }

    /// What is signed, in order. Default: `{id}.{timestamp}.{body}` with whichever of id and
    /// timestamp the scheme has.
    pub fn signed_content(mut self, parts: impl IntoIterator<Item = SignedPart>) -> Self {
        self.content = Some(parts.into_iter().collect());
        self
    }

    /// How the secret string becomes key bytes (default: [`SecretEncoding::Raw`]).
    pub fn key_encoding(mut self, encoding: SecretEncoding) -> Self {
        self.key_encoding = encoding;
        self
    }

    /// The default tolerance for verifiers of this scheme (default: ±5 minutes). Schemes
    /// without a timestamp have none.
    pub fn tolerance(mut self, tolerance: Tolerance) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Where the idempotency key comes from (default: the delivery id header when the scheme
    /// has one, else the SHA-256 of the body).
    pub fn idempotency(mut self, rule: IdempotencyRule) -> Self {
        self.idempotency = Some(rule);
        self
    }

    /// A constant header the real sender adds (such as its `User-Agent`), reproduced by the
    /// [signer](crate::sign::Signer); never checked.
    pub fn signing_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.signing_headers.push((name.into(), value.into()));
        self
    }

    /// The shape of the delivery ids the [signer](crate::sign::Signer) makes up.
    pub fn generated_ids(mut self, format: IdFormat) -> Self {
        self.id_format = format;
        self
    }

    /// Marks the scheme as a built-in provider's (only the registry does this).
    pub(crate) fn provider(mut self, provider: Provider) -> Self {
        self.provider = Some(provider);
        self
    }

    /// Builds a built-in provider's scheme.
    ///
    /// The built-in descriptions are constants, and the `builtin_schemes_build` test
    /// (`tests/scheme_builder.rs`) checks that every one passes [`build`](Self::build); no
    /// request data reaches this.
    #[allow(
        clippy::expect_used,
        reason = "constant descriptions, each proven valid by a test"
    )]
    pub(crate) fn builtin(self, provider: Provider) -> Scheme {
        self.provider(provider)
            .build()
            .expect("a built-in scheme description is valid")
    }

    /// Checks the description and builds the scheme.
    ///
    /// # Errors
    ///
    /// A [`SchemeError`] when a header name is invalid, the signature header is missing, the
    /// signed content lacks the body or refers to an id or timestamp the scheme does not have,
    /// a version, prefix or key is empty, or the timestamp is named twice.
    pub fn build(self) -> Result<Scheme, SchemeError> {
        let mut header_sets = Vec::with_capacity(self.alternates.len().saturating_add(1));
        for names in std::iter::once(&self.primary).chain(&self.alternates) {
            header_sets.push(names.build()?);
        }
        let has_id = header_sets.iter().all(|set| set.signed_id.is_some());
        let header_timestamp = header_sets.iter().any(|set| set.timestamp.is_some());
        let non_empty = |value: String, what: &'static str| -> Result<Name, SchemeError> {
            if value.is_empty() {
                Err(SchemeError::Empty { what })
            } else {
                Ok(Cow::Owned(value))
            }
        };
        let header_place = if header_timestamp {
            TimestampPlace::Header
        } else {
            TimestampPlace::None
        };
        let ed25519;
        let (format, place) = match self.format {
            Format::Token => {
                ed25519 = false;
                (SigFormat::Token, header_place)
            }
            Format::Single {
                prefix,
                prefix_required,
            } => {
                ed25519 = false;
                let prefix = prefix
                    .map(|p| non_empty(p, "signature prefix"))
                    .transpose()?;
                let format = SigFormat::Single {
                    encoding: self.encoding,
                    prefix,
                    prefix_required,
                };
                (format, header_place)
            }
            Format::List {
                version,
                ed25519_version,
            } => {
                ed25519 = ed25519_version.is_some();
                let format = SigFormat::List {
                    hmac_version: non_empty(version, "signature version")?,
                    ed25519_version: ed25519_version
                        .map(|v| non_empty(v, "ed25519 version"))
                        .transpose()?,
                    encoding: self.encoding,
                };
                (format, header_place)
            }
            Format::KeyValue {
                timestamp_key,
                signature_key,
                leading_version,
                separator,
            } => {
                ed25519 = false;
                if header_timestamp && timestamp_key.is_some() {
                    return Err(SchemeError::TwoTimestamps);
                }
                let place = if timestamp_key.is_some() {
                    TimestampPlace::InSignature
                } else {
                    header_place
                };
                let format = SigFormat::KeyValue {
                    timestamp_key: timestamp_key
                        .map(|key| non_empty(key, "timestamp key"))
                        .transpose()?,
                    signature_key: non_empty(signature_key, "signature key")?,
                    leading_version: leading_version
                        .map(|v| non_empty(v, "leading version"))
                        .transpose()?,
                    separator,
                    encoding: self.encoding,
                };
                (format, place)
            }
        };
        // A hex ed25519 key (Discord): the scheme's signatures are ed25519.
        let ed25519 = ed25519 || self.key_encoding == SecretEncoding::Ed25519Hex;
        let timed = place != TimestampPlace::None;
        let content = self.content.unwrap_or_else(|| {
            let mut parts = Vec::with_capacity(5);
            if has_id {
                parts.extend([SignedPart::Id, SignedPart::DOT]);
            }
            if timed {
                parts.extend([SignedPart::Timestamp, SignedPart::DOT]);
            }
            parts.push(SignedPart::Body);
            parts
        });
        if content.len() > MAX_PARTS {
            return Err(SchemeError::TooManyParts);
        }
        let body_path = self
            .body_object
            .as_deref()
            .map(crate::embedded::BodyPath::parse)
            .transpose()?;
        let signs_fields = content
            .iter()
            .any(|part| matches!(part, SignedPart::Field(_)));
        if signs_fields && body_path.is_none() {
            return Err(SchemeError::FieldWithoutBodySignature);
        }
        if !content.contains(&SignedPart::Body)
            && !content.contains(&SignedPart::FormParams)
            && body_path.is_none()
        {
            return Err(SchemeError::ContentWithoutBody);
        }
        // An ed25519 signature takes the message as slices; form fields are streamed decoded.
        if ed25519 && content.contains(&SignedPart::FormParams) {
            return Err(SchemeError::FormParamsWithEd25519);
        }
        if content.contains(&SignedPart::Id) && !has_id {
            return Err(SchemeError::ContentNeedsId);
        }
        if content.contains(&SignedPart::Timestamp) && !timed {
            return Err(SchemeError::ContentNeedsTimestamp);
        }
        let idempotency = self.idempotency.unwrap_or_else(|| {
            if header_sets.iter().all(|set| set.delivery_id.is_some()) {
                IdempotencyRule::DeliveryIdHeader
            } else {
                IdempotencyRule::BodyHash
            }
        });
        let mut extra_headers = Vec::with_capacity(self.signing_headers.len());
        for (name, value) in self.signing_headers {
            let name = HeaderName::parse(&name)?.display;
            extra_headers.push((name, Cow::Owned(value)));
        }
        let scheme = Scheme::from_spec(SchemeSpec {
            name: self.name,
            provider: self.provider,
            header_sets,
            signature: format,
            timestamp: place,
            unit: self.unit,
            content,
            key_encoding: self.key_encoding,
            hmac: self.hmac,
            ed25519,
            tolerance: timed.then_some(self.tolerance),
            idempotency,
            extra_headers,
            id_format: self.id_format,
            keys: Vec::new(),
            method_slot: None,
            url_slot: None,
            signs_form: false,
            decode_url_escapes: self.decode_url_escapes,
            url_port_variants: self.url_port_variants,
            body_hash_param: self
                .body_hash_param
                .map(|param| non_empty(param, "body hash parameter"))
                .transpose()?,
            body_path,
            body_fields: Vec::new(),
            field_slots: Vec::new(),
        });
        if scheme.spec.keys.len() > MAX_KEYS {
            return Err(SchemeError::TooManyNames { max: MAX_KEYS });
        }
        Ok(scheme)
    }
}
