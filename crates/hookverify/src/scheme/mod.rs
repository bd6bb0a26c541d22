//! Signature schemes: what a [`Scheme`] describes, and the one [`SchemeBuilder`] that makes them.
//!
//! A [`Scheme`] describes how one sender signs: which headers carry what, which bytes are signed,
//! how the signature and the key are encoded, and where the timestamp is. It is data, not code:
//! every built-in provider (see [`Provider`]) is written with the same public [`SchemeBuilder`]
//! that [`Scheme::custom`] hands out, so a provider whose format differs from what its
//! documentation says can always be expressed.

mod builder;
mod header_names;

pub use builder::SchemeBuilder;
pub use header_names::HeaderNames;

/// The builder's former name.
#[deprecated(since = "0.1.0", note = "renamed to `SchemeBuilder`")]
pub type CustomScheme = SchemeBuilder;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::headers::HeaderKey;
use crate::providers::Provider;
use crate::secret::SecretEncoding;
use crate::timestamp::{TimestampUnit, Tolerance};

pub(crate) type Name = Cow<'static, str>;

/// A header name as the sender writes it, and prepared for lookups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeaderName {
    pub(crate) display: Name,
    pub(crate) key: HeaderKey,
    /// Position of this name in [`SchemeSpec::keys`], assigned when the scheme is built.
    pub(crate) slot: usize,
}

impl HeaderName {
    /// Checks that `name` is a valid HTTP header name (RFC 9110 token, at most 128 bytes).
    pub(crate) fn parse(name: &str) -> Result<Self, SchemeError> {
        let valid = !name.is_empty()
            && name.len() <= 128
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid {
            return Err(SchemeError::InvalidHeaderName {
                name: name.to_owned(),
            });
        }
        Ok(HeaderName {
            display: Cow::Owned(name.to_owned()),
            key: HeaderKey::new(name),
            slot: 0,
        })
    }
}

/// The headers of one naming convention (Standard Webhooks has two: `webhook-*` and `svix-*`).
#[derive(Clone, Debug)]
pub(crate) struct HeaderSet {
    pub(crate) signature: HeaderName,
    /// The id that is part of the signed content.
    pub(crate) signed_id: Option<HeaderName>,
    pub(crate) timestamp: Option<HeaderName>,
    /// The per-delivery id reported in `Verified::id`, and whether it must be present.
    pub(crate) delivery_id: Option<(HeaderName, bool)>,
    pub(crate) event_type: Option<HeaderName>,
    /// A second signature header, tried when the first matches no key (Box).
    pub(crate) second_signature: Option<HeaderName>,
}

impl HeaderSet {
    /// Every name of the set, mutably (to assign its lookup slot).
    fn names_mut(&mut self) -> impl Iterator<Item = &mut HeaderName> {
        [
            Some(&mut self.signature),
            self.signed_id.as_mut(),
            self.timestamp.as_mut(),
            self.delivery_id.as_mut().map(|(name, _)| name),
            self.event_type.as_mut(),
            self.second_signature.as_mut(),
        ]
        .into_iter()
        .flatten()
    }
}

/// The position of `key` in `keys`, added at the end when new.
fn slot_of(keys: &mut Vec<HeaderKey>, key: &HeaderKey) -> usize {
    keys.iter()
        .position(|known| known == key)
        .unwrap_or_else(|| {
            keys.push(key.clone());
            keys.len().saturating_sub(1)
        })
}

/// How signature values are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureEncoding {
    /// Hexadecimal (either case).
    Hex,
    /// Standard base64, padding optional.
    Base64,
}

impl SignatureEncoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            SignatureEncoding::Hex => "hex",
            SignatureEncoding::Base64 => "base64",
        }
    }
}

/// The hash of a scheme's HMAC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HmacAlgorithm {
    /// HMAC-SHA1, 20-byte tags (Twilio, Intercom, Vercel). Still sound as a MAC; used only where
    /// a sender signs with it.
    Sha1,
    /// HMAC-SHA256, 32-byte tags: nearly every sender, and the default.
    #[default]
    Sha256,
    /// HMAC-SHA512, 64-byte tags.
    Sha512,
    /// Not an HMAC: the SHA-256 of the secret followed by the signed content (HubSpot's
    /// legacy v1 and v2 signatures). Weaker than an HMAC (length extension); used only where a
    /// sender signs with it.
    PrefixedSha256,
}

impl HmacAlgorithm {
    /// The tag length in bytes.
    pub const fn tag_len(self) -> usize {
        match self {
            HmacAlgorithm::Sha1 => 20,
            HmacAlgorithm::Sha256 | HmacAlgorithm::PrefixedSha256 => 32,
            HmacAlgorithm::Sha512 => 64,
        }
    }

    /// `HMAC-SHA1`, `HMAC-SHA256`, `HMAC-SHA512` or `SHA-256(secret + content)`.
    pub const fn name(self) -> &'static str {
        match self {
            HmacAlgorithm::Sha1 => "HMAC-SHA1",
            HmacAlgorithm::Sha256 => "HMAC-SHA256",
            HmacAlgorithm::Sha512 => "HMAC-SHA512",
            HmacAlgorithm::PrefixedSha256 => "SHA-256(secret + content)",
        }
    }
}

impl fmt::Display for HmacAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for HmacAlgorithm {
    type Err = SchemeError;

    /// `sha1`, `sha256` or `sha512` (any case, with or without `hmac-`), or `prefixed-sha256`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.strip_prefix("hmac-").unwrap_or(&lower) {
            "sha1" | "sha-1" => Ok(HmacAlgorithm::Sha1),
            "sha256" | "sha-256" => Ok(HmacAlgorithm::Sha256),
            "sha512" | "sha-512" => Ok(HmacAlgorithm::Sha512),
            "prefixed-sha256" => Ok(HmacAlgorithm::PrefixedSha256),
            _ => Err(SchemeError::UnknownAlgorithm { name: s.to_owned() }),
        }
    }
}

/// The layout of the signature header.
#[derive(Clone, Debug)]
pub(crate) enum SigFormat {
    /// Space-separated `version,signature` entries (Standard Webhooks, Sent).
    List {
        hmac_version: Name,
        ed25519_version: Option<Name>,
        encoding: SignatureEncoding,
    },
    /// `key=value` parts with the timestamp inside (Stripe, SendPilot; Paddle with `;`).
    KeyValue {
        /// `None` for a header of signatures alone (PagerDuty's `v1=…,v1=…`).
        timestamp_key: Option<Name>,
        signature_key: Name,
        leading_version: Option<Name>,
        /// Between the parts: `,` (Stripe) or `;` (Paddle).
        separator: u8,
        encoding: SignatureEncoding,
    },
    /// The shared secret itself, compared in constant time (GitLab's `X-Gitlab-Token`): nothing
    /// is signed.
    Token,
    /// One signature, optionally behind a prefix such as `sha256=` (GitHub, AutoSend, SendKit).
    Single {
        encoding: SignatureEncoding,
        prefix: Option<Name>,
        prefix_required: bool,
    },
}

/// Where the signed timestamp is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimestampPlace {
    None,
    Header,
    InSignature,
}

/// One piece of the signed content, in order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignedPart {
    /// The id header's raw value.
    Id,
    /// The timestamp's raw bytes, exactly as sent.
    Timestamp,
    /// The raw request body.
    Body,
    /// Fixed bytes, such as the `.` separator.
    Literal(Cow<'static, [u8]>),
    /// The request's HTTP method (`POST`), from the [`RequestContext`](crate::RequestContext).
    Method,
    /// The full URL the sender addressed (scheme, host, port, path and query), from the
    /// [`RequestContext`](crate::RequestContext): behind a proxy, the public one.
    Url,
    /// The fields of an `application/x-www-form-urlencoded` body, decoded, sorted by name and
    /// then value (a repeated identical pair counted once), each name followed by its value
    /// with nothing between: Twilio's scheme. Stands for the body: a form body is signed
    /// through its fields.
    FormParams,
    /// The text of a field of the record a body carries its signature in
    /// ([`SchemeBuilder::signature_in_body`]), by dotted name (`amount.value`): Adyen signs
    /// selected fields of each notification item. An absent field is signed as empty text.
    Field(Cow<'static, str>),
}

impl SignedPart {
    /// A field of the body's signed record, by dotted name (`amount.value`).
    ///
    /// ```
    /// use hookverify::SignedPart;
    /// assert_eq!(SignedPart::field("pspReference"), SignedPart::Field("pspReference".into()));
    /// ```
    pub const fn field(name: &'static str) -> SignedPart {
        SignedPart::Field(Cow::Borrowed(name))
    }

    /// The `.` separator used by most schemes.
    pub const DOT: SignedPart = SignedPart::Literal(Cow::Borrowed(b"."));

    /// Fixed text, such as Slack's `v0:` version prefix.
    ///
    /// ```
    /// use hookverify::SignedPart;
    /// assert_eq!(SignedPart::literal("v0:"), SignedPart::Literal(b"v0:".as_slice().into()));
    /// ```
    pub const fn literal(text: &'static str) -> SignedPart {
        SignedPart::Literal(Cow::Borrowed(text.as_bytes()))
    }
}

/// How the signer makes up a delivery id when a [`Message`](crate::sign::Message) names none
/// (the shape of the provider's own ids, so test requests look real).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdFormat {
    /// A prefix and 32 random hex digits (`msg_…`, the default).
    Prefixed(Cow<'static, str>),
    /// A random UUID (GitHub's `X-GitHub-Delivery`).
    Uuid,
}

impl Default for IdFormat {
    fn default() -> Self {
        IdFormat::Prefixed(Cow::Borrowed("msg_"))
    }
}

/// Where a scheme's idempotency key comes from.
///
/// Schemes built without [`SchemeBuilder::idempotency`] use the delivery id header when they
/// have one ([`IdempotencyRule::DeliveryIdHeader`]) and the SHA-256 of the body otherwise
/// ([`IdempotencyRule::BodyHash`], which only de-duplicates byte-identical retries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdempotencyRule {
    /// The delivery or message id header, the same on every retry.
    DeliveryIdHeader,
    /// A body field (the first of `fields` present); then, when `then_header` is set, the
    /// delivery id header; then, when `then_body_hash` is set, the SHA-256 of the body.
    BodyField {
        /// Candidate fields of the JSON body, in order: top-level names (`id`), or JSON pointers
        /// (`/event/id`) for nested ones.
        fields: &'static [&'static str],
        /// Fall back to the delivery id header.
        then_header: bool,
        /// Fall back to the SHA-256 of the raw body.
        then_body_hash: bool,
    },
    /// The SHA-256 of the raw body.
    BodyHash,
}

impl fmt::Display for IdempotencyRule {
    /// A short description: `the delivery id header`, `body field `eventId``, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdempotencyRule::DeliveryIdHeader => f.write_str("the delivery id header"),
            IdempotencyRule::BodyHash => f.write_str("the SHA-256 of the body"),
            IdempotencyRule::BodyField {
                fields,
                then_header,
                then_body_hash,
            } => {
                let names: Vec<String> = fields.iter().map(|name| format!("`{name}`")).collect();
                write!(f, "body field {}", names.join(" or "))?;
                if *then_header {
                    f.write_str(", else the delivery id header")?;
                }
                if *then_body_hash {
                    f.write_str(", else the SHA-256 of the body")?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Debug)]
pub(crate) struct SchemeSpec {
    pub(crate) name: Name,
    pub(crate) provider: Option<Provider>,
    pub(crate) header_sets: Vec<HeaderSet>,
    pub(crate) signature: SigFormat,
    pub(crate) timestamp: TimestampPlace,
    pub(crate) unit: TimestampUnit,
    pub(crate) content: Vec<SignedPart>,
    pub(crate) key_encoding: SecretEncoding,
    /// The hash of the HMAC.
    pub(crate) hmac: HmacAlgorithm,
    pub(crate) ed25519: bool,
    pub(crate) tolerance: Option<Tolerance>,
    pub(crate) idempotency: IdempotencyRule,
    /// Constant headers the real sender adds, reproduced by the signer.
    pub(crate) extra_headers: Vec<(Name, Name)>,
    /// The shape of ids the signer makes up.
    pub(crate) id_format: IdFormat,
    /// Every distinct header name the scheme reads, looked up together once per request.
    pub(crate) keys: Vec<HeaderKey>,
    /// The slots of the `:method` and `:url` pseudo-headers in `keys`, when signed.
    pub(crate) method_slot: Option<usize>,
    pub(crate) url_slot: Option<usize>,
    /// Whether the content includes the form fields (Twilio), decided once.
    pub(crate) signs_form: bool,
    /// Whether the URL's reserved percent-escapes are decoded before signing (HubSpot v3).
    pub(crate) decode_url_escapes: bool,
    /// Whether the URL with its port removed, or the default one added, also verifies
    /// (Twilio), tried only after the URL as given has failed.
    pub(crate) url_port_variants: bool,
    /// The URL query parameter that, when present, carries the body's SHA-256 (hex) in place of
    /// signed form fields (Twilio's `bodySHA256`, for JSON bodies).
    pub(crate) body_hash_param: Option<Name>,
    /// For a scheme whose signature travels in the body (Mailgun, Adyen): where its record(s)
    /// are, holding the fields the header sets name (a form body holds them at its top level).
    pub(crate) body_path: Option<crate::embedded::BodyPath>,
    /// The distinct field names read from each record.
    pub(crate) body_fields: Vec<Name>,
    /// The slot in `keys` and the display name of each [`SignedPart::Field`], in content order.
    pub(crate) field_slots: Vec<(usize, Name)>,
}

/// The most distinct header names one scheme reads.
pub(crate) const MAX_KEYS: usize = 16;

impl SchemeSpec {
    pub(crate) fn primary_set(&self) -> Option<&HeaderSet> {
        self.header_sets.first()
    }

    /// How signature values are encoded (a token is compared as it is: hex is a placeholder).
    pub(crate) fn encoding(&self) -> SignatureEncoding {
        match &self.signature {
            SigFormat::List { encoding, .. }
            | SigFormat::KeyValue { encoding, .. }
            | SigFormat::Single { encoding, .. } => *encoding,
            SigFormat::Token => SignatureEncoding::Hex,
        }
    }
}

/// How one sender signs webhooks. Cheap to clone.
///
/// ```
/// use hookverify::{Provider, Scheme};
///
/// let scheme = Scheme::stripe();
/// assert_eq!(scheme.name(), "stripe");
/// assert_eq!(scheme.provider(), Some(Provider::Stripe));
/// assert_eq!("svix".parse::<Provider>().unwrap().scheme().name(), "standard-webhooks");
/// ```
#[derive(Clone)]
pub struct Scheme {
    pub(crate) spec: Arc<SchemeSpec>,
}

impl fmt::Debug for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Scheme").field(&self.spec.name).finish()
    }
}

impl Scheme {
    fn from_spec(mut spec: SchemeSpec) -> Self {
        let mut keys: Vec<HeaderKey> = Vec::new();
        // A body-carried signature: the names are fields of the body, read through keys no
        // HTTP header can have, and shown as `object.field` in errors.
        if let Some(path) = &spec.body_path {
            let object = path.label().to_owned();
            for name in spec.header_sets.iter_mut().flat_map(HeaderSet::names_mut) {
                let field = name.display.clone();
                name.key = HeaderKey::from_body_field(&field);
                name.display = Cow::Owned(format!("{object}.{field}"));
                if !spec.body_fields.contains(&field) {
                    spec.body_fields.push(field);
                }
            }
        }
        for name in spec.header_sets.iter_mut().flat_map(HeaderSet::names_mut) {
            name.slot = slot_of(&mut keys, &name.key);
        }
        // The request context travels as pseudo-headers (`:method`, `:url`): names no HTTP
        // header can have, answered by a `RequestContext`.
        let mut pseudo = |part: SignedPart, name: &'static str| {
            spec.content.contains(&part).then(|| {
                keys.push(HeaderKey::from_pseudo(name));
                keys.len().saturating_sub(1)
            })
        };
        spec.method_slot = pseudo(SignedPart::Method, crate::request::METHOD);
        spec.url_slot = pseudo(SignedPart::Url, crate::request::URL);
        spec.signs_form = spec.content.contains(&SignedPart::FormParams);
        // Fields of the body's record that are signed (Adyen), read through the same keys.
        if let Some(path) = &spec.body_path {
            let label = path.label().to_owned();
            for part in &spec.content {
                let SignedPart::Field(field) = part else {
                    continue;
                };
                let slot = slot_of(&mut keys, &HeaderKey::from_body_field(field));
                if !spec.body_fields.contains(field) {
                    spec.body_fields.push(field.clone());
                }
                spec.field_slots
                    .push((slot, Cow::Owned(format!("{label}.{field}"))));
            }
        }
        // At most `MAX_KEYS`: `SchemeBuilder::build` refuses more.
        spec.keys = keys;
        Scheme {
            spec: Arc::new(spec),
        }
    }

    /// Starts a [`SchemeBuilder`]: the builder every built-in scheme is written with, for a
    /// sender with no built-in scheme or one whose deliveries differ from the built-in.
    ///
    /// Slack, complete, checked against the example of Slack's documentation (the vector of
    /// its Python SDK's tests): `X-Slack-Signature: v0=<hex>` over `v0:{timestamp}:{body}`, the
    /// timestamp in `X-Slack-Request-Timestamp`, the signing secret used as is. The body of a
    /// slash command is a form, read with [`Form`](crate::Form).
    ///
    /// ```
    /// use hookverify::{Form, IdempotencyRule, Scheme, SignedPart, Timestamp, Verifier};
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
    ///     // Events API bodies carry `event_id`; slash commands a `trigger_id`.
    ///     .idempotency(IdempotencyRule::BodyField {
    ///         fields: &["event_id", "trigger_id"],
    ///         then_header: false,
    ///         then_body_hash: true,
    ///     })
    ///     .build()?;
    /// let verifier = Verifier::new(slack, "8f742231b10e8888abcd99yyyzzz85a5")?;
    ///
    /// let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    /// let headers = [
    ///     ("X-Slack-Request-Timestamp", "1531420618"),
    ///     ("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"),
    /// ];
    /// let now = Timestamp::from_unix_seconds(1531420618); // `verify_and_parse` uses the clock
    /// let parsed = verifier.verify_and_parse_at::<Form>(&headers, body, now)?;
    /// assert_eq!(parsed.event_type(), "/webhook-collect");
    /// assert_eq!(parsed.event.get("user_name"), Some("roadrunner"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn custom(name: impl Into<Name>) -> SchemeBuilder {
        SchemeBuilder::new(name.into())
    }

    /// The same as [`Scheme::custom`].
    pub fn builder(name: impl Into<Name>) -> SchemeBuilder {
        SchemeBuilder::new(name.into())
    }
    /// The scheme's name (`standard-webhooks`, `stripe`, ..., or the custom name).
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The built-in provider this scheme belongs to, if any.
    pub fn provider(&self) -> Option<Provider> {
        self.spec.provider
    }

    /// The default timestamp tolerance, or `None` when the scheme carries no timestamp.
    pub fn default_tolerance(&self) -> Option<Tolerance> {
        self.spec.tolerance
    }

    /// The unit of the scheme's timestamps ([`TimestampUnit::Auto`] tells seconds and
    /// milliseconds apart by their length).
    pub fn timestamp_unit(&self) -> TimestampUnit {
        self.spec.unit
    }

    /// How the secret string is turned into key bytes.
    pub fn secret_encoding(&self) -> SecretEncoding {
        self.spec.key_encoding
    }

    /// The header that carries the signature (of the primary header set, for schemes with
    /// two naming conventions: `webhook-signature` for Standard Webhooks).
    pub fn signature_header_name(&self) -> &str {
        self.spec
            .primary_set()
            .map_or("", |set| &set.signature.display)
    }

    /// The hash of the scheme's HMAC (SHA-256 unless the scheme says otherwise).
    pub fn hmac_algorithm(&self) -> HmacAlgorithm {
        self.spec.hmac
    }

    /// Whether the scheme signs the request's method or URL: verifying it needs a
    /// [`RequestContext`](crate::RequestContext) (web adapters build one from their public URL
    /// setting).
    pub fn signs_request_target(&self) -> bool {
        self.spec.method_slot.is_some() || self.spec.url_slot.is_some()
    }

    /// Whether the request's body is authenticated: `false` only for token schemes (GitLab's
    /// `X-Gitlab-Token`), where the header proves the sender knows the secret and nothing more.
    ///
    /// `false` too for Mailgun, which signs its timestamp and token but not the event: the
    /// token, its idempotency key, is what keeps a captured signature from being replayed with
    /// another event.
    pub fn signs_body(&self) -> bool {
        !matches!(self.spec.signature, SigFormat::Token)
            && (self.spec.content.contains(&SignedPart::Body)
                || self.spec.content.contains(&SignedPart::FormParams))
    }

    /// Whether the signature travels inside the body (Mailgun's `signature` object, or its
    /// form fields): the signer then produces the body ([`SignedHeaders::body`]).
    ///
    /// [`SignedHeaders::body`]: crate::sign::SignedHeaders::body
    pub fn signature_in_body(&self) -> bool {
        self.spec.body_path.is_some()
    }

    /// Whether `whpk_` ed25519 keys (signature version `v1a`) are accepted.
    pub fn supports_ed25519(&self) -> bool {
        self.spec.ed25519
    }

    /// Where this scheme's idempotency key comes from.
    pub fn idempotency_rule(&self) -> IdempotencyRule {
        self.spec.idempotency
    }
}

/// Why a custom scheme description was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemeError {
    /// No signature header was named.
    #[error("a custom scheme needs a signature header (`signature_header`)")]
    MissingSignatureHeader,
    /// A header name is empty or has characters not allowed in HTTP header names.
    #[error("`{name}` is not a valid HTTP header name")]
    InvalidHeaderName {
        /// The refused name.
        name: String,
    },
    /// The signed content includes neither the body nor its form fields, which would let
    /// any body through (allowed only for a signature carried in the body, Mailgun's).
    #[error("the signed content must include the body (or its form fields)")]
    ContentWithoutBody,
    /// The signed content includes the id, but no id header was named.
    #[error("the signed content includes the id, but no id header was named (`id_header`)")]
    ContentNeedsId,
    /// The signed content includes the timestamp, but the scheme has none.
    #[error("the signed content includes the timestamp, but no timestamp header or key was named")]
    ContentNeedsTimestamp,
    /// Form fields signed with ed25519 (only HMAC schemes sign form fields).
    #[error("form fields (`SignedPart::FormParams`) are signed by HMAC schemes only, not ed25519")]
    FormParamsWithEd25519,
    /// More than sixteen distinct header names, body fields and request-context parts.
    #[error("the scheme reads more than {max} distinct header names and fields")]
    TooManyNames {
        /// The limit.
        max: usize,
    },
    /// More than sixteen parts of signed content.
    #[error("the signed content has more than 16 parts")]
    TooManyParts,
    /// A [`SignedPart::Field`] in a scheme whose signature is not in the body.
    #[error(
        "body fields (`SignedPart::Field`) are signed only by schemes whose signature is in the body (`signature_in_body`)"
    )]
    FieldWithoutBodySignature,
    /// Both a timestamp header and a `key=value` timestamp were named.
    #[error("the timestamp is either in its own header or inside the signature header, not both")]
    TwoTimestamps,
    /// An HMAC algorithm name other than `sha1`, `sha256` or `sha512`.
    #[error("unknown HMAC algorithm `{name}`: sha1, sha256 or sha512")]
    UnknownAlgorithm {
        /// The refused name.
        name: String,
    },
    /// A version tag, prefix or key was empty.
    #[error("the {what} must not be empty")]
    Empty {
        /// Which setting.
        what: &'static str,
    },
}

/// The most parts a signed content may have.
pub(crate) const MAX_PARTS: usize = 16;
