//! Signature schemes: the built-in providers and the [`CustomScheme`] builder.
//!
//! A [`Scheme`] describes how one sender signs: which headers carry what, which bytes are signed,
//! how the signature and the key are encoded, and where the timestamp is. It is data, not code:
//! every built-in provider is an instance of the same description the custom builder produces,
//! so a provider whose format differs from what its documentation says can always be expressed.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::headers::HeaderKey;
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
    const fn fixed(display: &'static str, lower: &'static str) -> Self {
        HeaderName {
            display: Cow::Borrowed(display),
            key: HeaderKey::from_static(lower),
            slot: 0,
        }
    }

    fn custom(name: &str) -> Result<Self, SchemeError> {
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

/// The layout of the signature header.
#[derive(Clone, Debug)]
pub(crate) enum SigFormat {
    /// Space-separated `version,signature` entries (Standard Webhooks, Sent).
    List {
        hmac_version: Name,
        ed25519_version: Option<Name>,
        encoding: SignatureEncoding,
    },
    /// Comma-separated `key=value` parts with the timestamp inside (Stripe, SendPilot).
    KeyValue {
        timestamp_key: Name,
        signature_key: Name,
        leading_version: Option<Name>,
        encoding: SignatureEncoding,
    },
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
}

impl SignedPart {
    /// The `.` separator used by every built-in scheme.
    pub const DOT: SignedPart = SignedPart::Literal(Cow::Borrowed(b"."));
}

/// Where a scheme's idempotency key comes from (see DESIGN.md, "id for dedup").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdempotencyRule {
    /// The delivery or message id header, the same on every retry.
    DeliveryIdHeader,
    /// A body field (the first of `fields` present); then, when `then_header` is set, the
    /// delivery id header; then, when `then_body_hash` is set, the SHA-256 of the body.
    BodyField {
        /// Candidate field names at the top level of the JSON body, in order.
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
    pub(crate) ed25519: bool,
    pub(crate) tolerance: Option<Tolerance>,
    pub(crate) idempotency: IdempotencyRule,
    /// Constant headers the real sender adds, reproduced by the signer.
    pub(crate) extra_headers: Vec<(Name, Name)>,
    /// Every distinct header name the scheme reads, looked up together once per request.
    pub(crate) keys: Vec<HeaderKey>,
}

/// The most distinct header names one scheme reads.
pub(crate) const MAX_KEYS: usize = 16;

impl SchemeSpec {
    pub(crate) fn primary_set(&self) -> Option<&HeaderSet> {
        self.header_sets.first()
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

const STANDARD_SET: HeaderSet = HeaderSet {
    signature: HeaderName::fixed("webhook-signature", "webhook-signature"),
    signed_id: Some(HeaderName::fixed("webhook-id", "webhook-id")),
    timestamp: Some(HeaderName::fixed("webhook-timestamp", "webhook-timestamp")),
    delivery_id: Some((HeaderName::fixed("webhook-id", "webhook-id"), true)),
    event_type: None,
};

const SVIX_SET: HeaderSet = HeaderSet {
    signature: HeaderName::fixed("svix-signature", "svix-signature"),
    signed_id: Some(HeaderName::fixed("svix-id", "svix-id")),
    timestamp: Some(HeaderName::fixed("svix-timestamp", "svix-timestamp")),
    delivery_id: Some((HeaderName::fixed("svix-id", "svix-id"), true)),
    event_type: None,
};

const FIVE_MINUTES: Duration = Duration::from_secs(300);

fn id_dot_ts_dot_body() -> Vec<SignedPart> {
    vec![
        SignedPart::Id,
        SignedPart::DOT,
        SignedPart::Timestamp,
        SignedPart::DOT,
        SignedPart::Body,
    ]
}

fn ts_dot_body() -> Vec<SignedPart> {
    vec![SignedPart::Timestamp, SignedPart::DOT, SignedPart::Body]
}

fn standard_list() -> SigFormat {
    SigFormat::List {
        hmac_version: Cow::Borrowed("v1"),
        ed25519_version: Some(Cow::Borrowed("v1a")),
        encoding: SignatureEncoding::Base64,
    }
}

impl Scheme {
    fn from_spec(mut spec: SchemeSpec) -> Self {
        let mut keys: Vec<HeaderKey> = Vec::new();
        for set in &mut spec.header_sets {
            let names = [
                Some(&mut set.signature),
                set.signed_id.as_mut(),
                set.timestamp.as_mut(),
                set.delivery_id.as_mut().map(|(name, _)| name),
                set.event_type.as_mut(),
            ];
            for name in names.into_iter().flatten() {
                name.slot = match keys.iter().position(|key| key == &name.key) {
                    Some(slot) => slot,
                    None => {
                        keys.push(name.key.clone());
                        keys.len().saturating_sub(1)
                    }
                };
            }
        }
        // Built-in schemes read at most six names and a custom scheme at most five.
        keys.truncate(MAX_KEYS);
        spec.keys = keys;
        Scheme {
            spec: Arc::new(spec),
        }
    }

    fn standard_like(name: &'static str, provider: Provider, sets: Vec<HeaderSet>) -> Self {
        Scheme::from_spec(SchemeSpec {
            name: Cow::Borrowed(name),
            provider: Some(provider),
            header_sets: sets,
            signature: standard_list(),
            timestamp: TimestampPlace::Header,
            unit: TimestampUnit::Seconds,
            content: id_dot_ts_dot_body(),
            key_encoding: SecretEncoding::Base64,
            ed25519: true,
            tolerance: Some(Tolerance::symmetric(FIVE_MINUTES)),
            idempotency: IdempotencyRule::DeliveryIdHeader,
            extra_headers: Vec::new(),
            keys: Vec::new(),
        })
    }

    /// Standard Webhooks / Svix: `webhook-id`, `webhook-timestamp`, `webhook-signature`, or the
    /// same three with the `svix-` prefix (one complete set, never mixed). Signs
    /// `{id}.{timestamp}.{body}`; `v1,<base64>` HMAC-SHA256 entries, or `v1a,<base64>` ed25519
    /// entries when a `whpk_` key is configured; secret `whsec_` + base64; ±5 minutes.
    pub fn standard_webhooks() -> Self {
        Scheme::standard_like(
            "standard-webhooks",
            Provider::StandardWebhooks,
            vec![STANDARD_SET, SVIX_SET],
        )
    }

    /// Sendable (sendable.dev): Svix signatures, sent with `svix-*` headers (`webhook-*` also
    /// accepted). Idempotency key: the `svix-id` / `webhook-id` header.
    pub fn sendable() -> Self {
        Scheme::standard_like("sendable", Provider::Sendable, vec![SVIX_SET, STANDARD_SET])
    }

    /// Sent (sent.dm): Standard Webhooks bytes under `x-webhook-*` names. The signed id is
    /// `x-webhook-id`, which is the *endpoint* id (identical on every delivery), so the
    /// delivery id is `x-webhook-event-id` when present.
    pub fn sent() -> Self {
        Scheme::from_spec(SchemeSpec {
            name: Cow::Borrowed("sent"),
            provider: Some(Provider::Sent),
            header_sets: vec![HeaderSet {
                signature: const { HeaderName::fixed("x-webhook-signature", "x-webhook-signature") },
                signed_id: Some(const { HeaderName::fixed("x-webhook-id", "x-webhook-id") }),
                timestamp: Some(
                    const { HeaderName::fixed("x-webhook-timestamp", "x-webhook-timestamp") },
                ),
                delivery_id: Some((
                    const { HeaderName::fixed("x-webhook-event-id", "x-webhook-event-id") },
                    false,
                )),
                event_type: Some(
                    const { HeaderName::fixed("x-webhook-event-type", "x-webhook-event-type") },
                ),
            }],
            signature: standard_list(),
            timestamp: TimestampPlace::Header,
            unit: TimestampUnit::Seconds,
            content: id_dot_ts_dot_body(),
            key_encoding: SecretEncoding::Base64,
            ed25519: true,
            tolerance: Some(Tolerance::symmetric(FIVE_MINUTES)),
            idempotency: IdempotencyRule::BodyField {
                fields: &["id"],
                then_header: true,
                then_body_hash: true,
            },
            extra_headers: Vec::new(),
            keys: Vec::new(),
        })
    }

    /// SendPilot: `Webhook-Signature: v1,t=<unix seconds>,s=<hex>` (the leading `v1,` is
    /// optional; several `s=` entries are all tried). Signs `{t}.{body}` with the secret string's
    /// bytes; ±5 minutes. Idempotency key: the body's `eventId`.
    ///
    /// Third-party code suggests SendPilot may also deliver through Svix; such requests carry a
    /// `v1,<base64>` list and are reported as belonging to [`Scheme::standard_webhooks`].
    pub fn sendpilot() -> Self {
        Scheme::from_spec(SchemeSpec {
            name: Cow::Borrowed("sendpilot"),
            provider: Some(Provider::SendPilot),
            header_sets: vec![HeaderSet {
                signature: const { HeaderName::fixed("Webhook-Signature", "webhook-signature") },
                signed_id: None,
                timestamp: None,
                delivery_id: None,
                event_type: None,
            }],
            signature: SigFormat::KeyValue {
                timestamp_key: Cow::Borrowed("t"),
                signature_key: Cow::Borrowed("s"),
                leading_version: Some(Cow::Borrowed("v1")),
                encoding: SignatureEncoding::Hex,
            },
            timestamp: TimestampPlace::InSignature,
            unit: TimestampUnit::Seconds,
            content: ts_dot_body(),
            key_encoding: SecretEncoding::Raw,
            ed25519: false,
            tolerance: Some(Tolerance::symmetric(FIVE_MINUTES)),
            idempotency: IdempotencyRule::BodyField {
                fields: &["eventId"],
                then_header: false,
                then_body_hash: false,
            },
            extra_headers: Vec::new(),
            keys: Vec::new(),
        })
    }

    /// AutoSend: `X-Webhook-Signature` is the hex HMAC of the body alone (optional
    /// `hmac-sha256=` prefix), keyed with the whole secret string including `whsec_`.
    /// `X-Webhook-Timestamp` is required and checked (13+ digits are milliseconds), 5 minutes
    /// back and 1 minute ahead; it is *not* signed, so replay protection rests on it and on
    /// de-duplication by `X-Webhook-Delivery-Id`.
    pub fn autosend() -> Self {
        Scheme::from_spec(SchemeSpec {
            name: Cow::Borrowed("autosend"),
            provider: Some(Provider::AutoSend),
            header_sets: vec![HeaderSet {
                signature: const { HeaderName::fixed("X-Webhook-Signature", "x-webhook-signature") },
                signed_id: None,
                timestamp: Some(
                    const { HeaderName::fixed("X-Webhook-Timestamp", "x-webhook-timestamp") },
                ),
                delivery_id: Some((
                    const { HeaderName::fixed("X-Webhook-Delivery-Id", "x-webhook-delivery-id") },
                    true,
                )),
                event_type: Some(const { HeaderName::fixed("X-Webhook-Event", "x-webhook-event") }),
            }],
            signature: SigFormat::Single {
                encoding: SignatureEncoding::Hex,
                prefix: Some(Cow::Borrowed("hmac-sha256=")),
                prefix_required: false,
            },
            timestamp: TimestampPlace::Header,
            unit: TimestampUnit::Auto,
            content: vec![SignedPart::Body],
            key_encoding: SecretEncoding::Raw,
            ed25519: false,
            tolerance: Some(Tolerance::new(FIVE_MINUTES, Duration::from_secs(60))),
            idempotency: IdempotencyRule::DeliveryIdHeader,
            extra_headers: vec![(
                Cow::Borrowed("User-Agent"),
                Cow::Borrowed("AutoSend-Webhooks/1.0"),
            )],
            keys: Vec::new(),
        })
    }

    /// SendKit (sendkit.ai): `X-Webhook-Signature` hex HMAC of the body (optional `sha256=`
    /// prefix), keyed with the secret string; no timestamp, so de-duplication is the only replay
    /// defence. The format is inferred from partial docs: if your deliveries differ, describe
    /// them with [`Scheme::custom`].
    pub fn sendkit() -> Self {
        Scheme::from_spec(SchemeSpec {
            name: Cow::Borrowed("sendkit"),
            provider: Some(Provider::SendKit),
            header_sets: vec![HeaderSet {
                signature: const { HeaderName::fixed("X-Webhook-Signature", "x-webhook-signature") },
                signed_id: None,
                timestamp: None,
                delivery_id: None,
                event_type: Some(const { HeaderName::fixed("X-Webhook-Event", "x-webhook-event") }),
            }],
            signature: SigFormat::Single {
                encoding: SignatureEncoding::Hex,
                prefix: Some(Cow::Borrowed("sha256=")),
                prefix_required: false,
            },
            timestamp: TimestampPlace::None,
            unit: TimestampUnit::Seconds,
            content: vec![SignedPart::Body],
            key_encoding: SecretEncoding::Raw,
            ed25519: false,
            tolerance: None,
            idempotency: IdempotencyRule::BodyField {
                fields: &["id", "eventId"],
                then_header: false,
                then_body_hash: true,
            },
            extra_headers: Vec::new(),
            keys: Vec::new(),
        })
    }

    /// Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=...]`; every `v1` is tried, `v0` and
    /// other schemes ignored. Signs `{t}.{body}` with the whole `whsec_...` string as the key;
    /// ±5 minutes. Idempotency key: the body's `id`.
    pub fn stripe() -> Self {
        Scheme::from_spec(SchemeSpec {
            name: Cow::Borrowed("stripe"),
            provider: Some(Provider::Stripe),
            header_sets: vec![HeaderSet {
                signature: const { HeaderName::fixed("Stripe-Signature", "stripe-signature") },
                signed_id: None,
                timestamp: None,
                delivery_id: None,
                event_type: None,
            }],
            signature: SigFormat::KeyValue {
                timestamp_key: Cow::Borrowed("t"),
                signature_key: Cow::Borrowed("v1"),
                leading_version: None,
                encoding: SignatureEncoding::Hex,
            },
            timestamp: TimestampPlace::InSignature,
            unit: TimestampUnit::Seconds,
            content: ts_dot_body(),
            key_encoding: SecretEncoding::Raw,
            ed25519: false,
            tolerance: Some(Tolerance::symmetric(FIVE_MINUTES)),
            idempotency: IdempotencyRule::BodyField {
                fields: &["id"],
                then_header: false,
                then_body_hash: false,
            },
            extra_headers: Vec::new(),
            keys: Vec::new(),
        })
    }

    /// GitHub: `X-Hub-Signature-256: sha256=<hex>` over the body, keyed with the secret string.
    /// No timestamp; `X-GitHub-Delivery` is the idempotency key and `X-GitHub-Event` the type.
    pub fn github() -> Self {
        Scheme::from_spec(SchemeSpec {
            name: Cow::Borrowed("github"),
            provider: Some(Provider::GitHub),
            header_sets: vec![HeaderSet {
                signature: const { HeaderName::fixed("X-Hub-Signature-256", "x-hub-signature-256") },
                signed_id: None,
                timestamp: None,
                delivery_id: Some((
                    const { HeaderName::fixed("X-GitHub-Delivery", "x-github-delivery") },
                    true,
                )),
                event_type: Some(const { HeaderName::fixed("X-GitHub-Event", "x-github-event") }),
            }],
            signature: SigFormat::Single {
                encoding: SignatureEncoding::Hex,
                prefix: Some(Cow::Borrowed("sha256=")),
                prefix_required: true,
            },
            timestamp: TimestampPlace::None,
            unit: TimestampUnit::Seconds,
            content: vec![SignedPart::Body],
            key_encoding: SecretEncoding::Raw,
            ed25519: false,
            tolerance: None,
            idempotency: IdempotencyRule::DeliveryIdHeader,
            extra_headers: vec![(
                Cow::Borrowed("User-Agent"),
                Cow::Borrowed("GitHub-Hookshot/hookverify"),
            )],
            keys: Vec::new(),
        })
    }

    /// Starts a [`CustomScheme`] for a sender with no built-in scheme.
    pub fn custom(name: impl Into<String>) -> CustomScheme {
        CustomScheme::new(name.into())
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

    /// How the secret string is turned into key bytes.
    pub fn secret_encoding(&self) -> SecretEncoding {
        self.spec.key_encoding
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

/// The built-in providers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Provider {
    /// Standard Webhooks / Svix.
    StandardWebhooks,
    /// Sendable (sendable.dev), Svix-signed.
    Sendable,
    /// SendPilot (sendpilot.ai).
    SendPilot,
    /// AutoSend (autosend.com).
    AutoSend,
    /// SendKit (sendkit.ai).
    SendKit,
    /// Sent (sent.dm).
    Sent,
    /// Stripe.
    Stripe,
    /// GitHub.
    GitHub,
}

impl Provider {
    /// Every built-in provider.
    pub const ALL: [Provider; 8] = [
        Provider::StandardWebhooks,
        Provider::Sendable,
        Provider::SendPilot,
        Provider::AutoSend,
        Provider::SendKit,
        Provider::Sent,
        Provider::Stripe,
        Provider::GitHub,
    ];

    /// The provider's name as the CLI spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Provider::StandardWebhooks => "standard-webhooks",
            Provider::Sendable => "sendable",
            Provider::SendPilot => "sendpilot",
            Provider::AutoSend => "autosend",
            Provider::SendKit => "sendkit",
            Provider::Sent => "sent",
            Provider::Stripe => "stripe",
            Provider::GitHub => "github",
        }
    }

    /// The provider's signature scheme.
    pub fn scheme(self) -> Scheme {
        match self {
            Provider::StandardWebhooks => Scheme::standard_webhooks(),
            Provider::Sendable => Scheme::sendable(),
            Provider::SendPilot => Scheme::sendpilot(),
            Provider::AutoSend => Scheme::autosend(),
            Provider::SendKit => Scheme::sendkit(),
            Provider::Sent => Scheme::sent(),
            Provider::Stripe => Scheme::stripe(),
            Provider::GitHub => Scheme::github(),
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A provider name that is not one of the built-ins.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown provider `{0}`; expected one of: standard-webhooks (alias svix), sendable, sendpilot, autosend, sendkit, sent, stripe, github"
)]
pub struct UnknownProvider(pub String);

impl FromStr for Provider {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        if lower == "svix" || lower == "standardwebhooks" {
            return Ok(Provider::StandardWebhooks);
        }
        Provider::ALL
            .into_iter()
            .find(|p| p.name() == lower)
            .ok_or_else(|| UnknownProvider(s.to_owned()))
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
    /// The signed content does not include the body, which would let any body through.
    #[error("the signed content must include the body")]
    ContentWithoutBody,
    /// The signed content includes the id, but no id header was named.
    #[error("the signed content includes the id, but no id header was named (`id_header`)")]
    ContentNeedsId,
    /// The signed content includes the timestamp, but the scheme has none.
    #[error("the signed content includes the timestamp, but no timestamp header or key was named")]
    ContentNeedsTimestamp,
    /// More than eight parts of signed content.
    #[error("the signed content has more than 8 parts")]
    TooManyParts,
    /// Both a timestamp header and a `key=value` timestamp were named.
    #[error("the timestamp is either in its own header or inside the signature header, not both")]
    TwoTimestamps,
    /// A version tag, prefix or key was empty.
    #[error("the {what} must not be empty")]
    Empty {
        /// Which setting.
        what: &'static str,
    },
}

/// The most parts a custom signed content may have.
pub(crate) const MAX_PARTS: usize = 8;

#[derive(Clone, Debug)]
enum CustomFormat {
    Single {
        prefix: Option<String>,
        prefix_required: bool,
    },
    List {
        version: String,
    },
    KeyValue {
        timestamp_key: String,
        signature_key: String,
    },
}

/// A builder for senders with no built-in scheme (HMAC-SHA256 only).
///
/// ```
/// use hookverify::{Scheme, SignedPart, SecretEncoding, TimestampUnit};
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
/// # Ok::<(), hookverify::SchemeError>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct CustomScheme {
    name: String,
    signature_header: Option<String>,
    format: CustomFormat,
    encoding: SignatureEncoding,
    timestamp_header: Option<String>,
    unit: TimestampUnit,
    id_header: Option<String>,
    delivery_id_header: Option<String>,
    event_type_header: Option<String>,
    content: Option<Vec<SignedPart>>,
    key_encoding: SecretEncoding,
    tolerance: Tolerance,
}

impl CustomScheme {
    fn new(name: String) -> Self {
        CustomScheme {
            name,
            signature_header: None,
            format: CustomFormat::Single {
                prefix: None,
                prefix_required: false,
            },
            encoding: SignatureEncoding::Hex,
            timestamp_header: None,
            unit: TimestampUnit::Seconds,
            id_header: None,
            delivery_id_header: None,
            event_type_header: None,
            content: None,
            key_encoding: SecretEncoding::Raw,
            tolerance: Tolerance::default(),
        }
    }

    /// The header holding the signature (required).
    pub fn signature_header(mut self, name: impl Into<String>) -> Self {
        self.signature_header = Some(name.into());
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
        self.format = CustomFormat::Single {
            prefix: Some(prefix.into()),
            prefix_required: required,
        };
        self
    }

    /// The signature header is a space-separated list of `version,signature` entries, as in
    /// Standard Webhooks; entries with another version are skipped.
    pub fn versioned_list(mut self, version: impl Into<String>) -> Self {
        self.format = CustomFormat::List {
            version: version.into(),
        };
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
        self.format = CustomFormat::KeyValue {
            timestamp_key: timestamp_key.into(),
            signature_key: signature_key.into(),
        };
        self
    }

    /// The header holding the timestamp.
    pub fn timestamp_header(mut self, name: impl Into<String>) -> Self {
        self.timestamp_header = Some(name.into());
        self
    }

    /// The timestamp's unit (default: seconds).
    pub fn timestamp_unit(mut self, unit: TimestampUnit) -> Self {
        self.unit = unit;
        self
    }

    /// The header holding the message id; it is also the delivery id unless
    /// [`delivery_id_header`](Self::delivery_id_header) names another.
    pub fn id_header(mut self, name: impl Into<String>) -> Self {
        self.id_header = Some(name.into());
        self
    }

    /// The header holding a per-delivery id used for de-duplication, when it differs from the
    /// signed id header.
    pub fn delivery_id_header(mut self, name: impl Into<String>) -> Self {
        self.delivery_id_header = Some(name.into());
        self
    }

    /// The header holding the event type.
    pub fn event_type_header(mut self, name: impl Into<String>) -> Self {
        self.event_type_header = Some(name.into());
        self
    }

    /// What is signed, in order. Default: `{id}.{timestamp}.{body}` when both are configured,
    /// `{timestamp}.{body}` with a timestamp only, the body alone otherwise.
    pub fn signed_content(mut self, parts: impl IntoIterator<Item = SignedPart>) -> Self {
        self.content = Some(parts.into_iter().collect());
        self
    }

    /// How the secret string becomes key bytes (default: [`SecretEncoding::Raw`]).
    pub fn key_encoding(mut self, encoding: SecretEncoding) -> Self {
        self.key_encoding = encoding;
        self
    }

    /// The default tolerance for verifiers of this scheme (default: ±5 minutes).
    pub fn tolerance(mut self, tolerance: Tolerance) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks the description and builds the scheme.
    ///
    /// # Errors
    ///
    /// A [`SchemeError`] when a header name is invalid, the signature header is missing, the
    /// signed content lacks the body or refers to an id or timestamp the scheme does not have.
    pub fn build(self) -> Result<Scheme, SchemeError> {
        let signature = HeaderName::custom(
            self.signature_header
                .as_deref()
                .ok_or(SchemeError::MissingSignatureHeader)?,
        )?;
        let optional = |name: &Option<String>| name.as_deref().map(HeaderName::custom).transpose();
        let id = optional(&self.id_header)?;
        let timestamp_header = optional(&self.timestamp_header)?;
        let delivery = optional(&self.delivery_id_header)?;
        let event_type = optional(&self.event_type_header)?;
        let non_empty = |value: String, what: &'static str| {
            if value.is_empty() {
                Err(SchemeError::Empty { what })
            } else {
                Ok(Cow::Owned(value))
            }
        };
        let (format, place) = match self.format {
            CustomFormat::Single {
                prefix,
                prefix_required,
            } => (
                SigFormat::Single {
                    encoding: self.encoding,
                    prefix: prefix
                        .map(|p| non_empty(p, "signature prefix"))
                        .transpose()?,
                    prefix_required,
                },
                if timestamp_header.is_some() {
                    TimestampPlace::Header
                } else {
                    TimestampPlace::None
                },
            ),
            CustomFormat::List { version } => (
                SigFormat::List {
                    hmac_version: non_empty(version, "signature version")?,
                    ed25519_version: None,
                    encoding: self.encoding,
                },
                if timestamp_header.is_some() {
                    TimestampPlace::Header
                } else {
                    TimestampPlace::None
                },
            ),
            CustomFormat::KeyValue {
                timestamp_key,
                signature_key,
            } => {
                if timestamp_header.is_some() {
                    return Err(SchemeError::TwoTimestamps);
                }
                (
                    SigFormat::KeyValue {
                        timestamp_key: non_empty(timestamp_key, "timestamp key")?,
                        signature_key: non_empty(signature_key, "signature key")?,
                        leading_version: None,
                        encoding: self.encoding,
                    },
                    TimestampPlace::InSignature,
                )
            }
        };
        let content = self.content.unwrap_or_else(|| match (&id, place) {
            (Some(_), TimestampPlace::Header | TimestampPlace::InSignature) => id_dot_ts_dot_body(),
            (None, TimestampPlace::Header | TimestampPlace::InSignature) => ts_dot_body(),
            (Some(_), TimestampPlace::None) => {
                vec![SignedPart::Id, SignedPart::DOT, SignedPart::Body]
            }
            (None, TimestampPlace::None) => vec![SignedPart::Body],
        });
        if content.len() > MAX_PARTS {
            return Err(SchemeError::TooManyParts);
        }
        if !content.contains(&SignedPart::Body) {
            return Err(SchemeError::ContentWithoutBody);
        }
        if content.contains(&SignedPart::Id) && id.is_none() {
            return Err(SchemeError::ContentNeedsId);
        }
        if content.contains(&SignedPart::Timestamp) && place == TimestampPlace::None {
            return Err(SchemeError::ContentNeedsTimestamp);
        }
        let delivery_id = delivery.or_else(|| id.clone()).map(|name| (name, true));
        let idempotency = if delivery_id.is_some() {
            IdempotencyRule::DeliveryIdHeader
        } else {
            IdempotencyRule::BodyHash
        };
        Ok(Scheme::from_spec(SchemeSpec {
            name: Cow::Owned(self.name),
            provider: None,
            header_sets: vec![HeaderSet {
                signature,
                signed_id: id,
                timestamp: timestamp_header,
                delivery_id,
                event_type,
            }],
            signature: format,
            timestamp: place,
            unit: self.unit,
            content,
            key_encoding: self.key_encoding,
            ed25519: false,
            tolerance: (place != TimestampPlace::None).then_some(self.tolerance),
            idempotency,
            extra_headers: Vec::new(),
            keys: Vec::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_round_trip() {
        for provider in Provider::ALL {
            assert_eq!(provider.name().parse::<Provider>(), Ok(provider));
            assert_eq!(provider.scheme().provider(), Some(provider));
            assert_eq!(provider.scheme().name(), provider.name());
        }
        assert_eq!("SVIX".parse::<Provider>(), Ok(Provider::StandardWebhooks));
        assert!("mailgun".parse::<Provider>().is_err());
    }

    #[test]
    fn custom_scheme_validation() {
        let base = || Scheme::custom("x").signature_header("x-sig");
        assert!(base().build().is_ok());
        assert_eq!(
            Scheme::custom("x").build().unwrap_err(),
            SchemeError::MissingSignatureHeader
        );
        assert!(matches!(
            Scheme::custom("x").signature_header("bad header").build(),
            Err(SchemeError::InvalidHeaderName { .. })
        ));
        assert_eq!(
            base()
                .signed_content([SignedPart::Timestamp])
                .build()
                .unwrap_err(),
            SchemeError::ContentWithoutBody
        );
        assert_eq!(
            base()
                .signed_content([SignedPart::Id, SignedPart::Body])
                .build()
                .unwrap_err(),
            SchemeError::ContentNeedsId
        );
        assert_eq!(
            base()
                .signed_content([SignedPart::Timestamp, SignedPart::Body])
                .build()
                .unwrap_err(),
            SchemeError::ContentNeedsTimestamp
        );
        assert_eq!(
            base()
                .key_value("t", "v1")
                .timestamp_header("x-ts")
                .build()
                .unwrap_err(),
            SchemeError::TwoTimestamps
        );
        assert_eq!(
            base()
                .signed_content(vec![SignedPart::Body; 9])
                .build()
                .unwrap_err(),
            SchemeError::TooManyParts
        );
    }
}
