//! Error types of the verification phase and of verifier configuration.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::secret::SecretError;
use crate::timestamp::{Timestamp, TimestampError};

/// What is wrong with a signature header as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// The value has bytes outside visible ASCII.
    NotAscii,
    /// A comma-separated part has no `=`.
    PartWithoutEquals,
    /// The timestamp key (`t=`) appears more than once.
    RepeatedTimestamp,
    /// The timestamp key (`t=`) is absent.
    MissingTimestamp,
    /// The required prefix (such as `sha256=`) is absent.
    MissingPrefix {
        /// The prefix the scheme requires.
        expected: Cow<'static, str>,
    },
    /// The value is a Standard Webhooks list (`v1,<base64>`), not this scheme's format.
    LooksLikeStandardWebhooks,
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderProblem::NotAscii => f.write_str("it contains bytes outside visible ASCII"),
            HeaderProblem::PartWithoutEquals => f.write_str("a comma-separated part has no `=`"),
            HeaderProblem::RepeatedTimestamp => f.write_str("the timestamp appears more than once"),
            HeaderProblem::MissingTimestamp => f.write_str("it has no timestamp part"),
            HeaderProblem::MissingPrefix { expected } => write!(f, "it does not start with `{expected}`"),
            HeaderProblem::LooksLikeStandardWebhooks => f.write_str(
                "it is a Standard Webhooks/Svix signature list (`v1,<base64>`); verify it with the standard-webhooks scheme",
            ),
        }
    }
}

/// What is wrong with one candidate signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureProblem {
    /// The entry has a version tag but no signature (`v1,`).
    Empty,
    /// The value is not valid in the scheme's encoding.
    BadEncoding {
        /// `hex` or `base64`.
        encoding: &'static str,
    },
    /// The value decodes to the wrong number of bytes (truncated or overlong).
    WrongLength {
        /// Bytes a signature of this kind has.
        expected: usize,
        /// Bytes this one has (or would have).
        found: usize,
    },
}

impl fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureProblem::Empty => f.write_str("it is empty"),
            SignatureProblem::BadEncoding { encoding } => write!(f, "it is not valid {encoding}"),
            SignatureProblem::WrongLength { expected, found } => {
                write!(
                    f,
                    "it is {found} bytes long, a signature is {expected} (truncated or overlong)"
                )
            }
        }
    }
}

struct Secs(Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.subsec_millis() == 0 {
            write!(f, "{} s", self.0.as_secs())
        } else {
            write!(f, "{}.{:03} s", self.0.as_secs(), self.0.subsec_millis())
        }
    }
}

/// Why a request did not verify.
///
/// Each variant names the header or check that failed; none ever contains secret material. The
/// reason is for logs and for the operator: adapters answer every variant with the same generic
/// 401 body, so a forger learns nothing. [`VerifyError::hint`] gives a one-line suggestion.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is absent.
    #[error("missing header `{name}`")]
    MissingHeader {
        /// The header's name.
        name: Cow<'static, str>,
    },
    /// A header appears more than once, which makes the request ambiguous.
    #[error("header `{name}` appears more than once")]
    RepeatedHeader {
        /// The header's name.
        name: Cow<'static, str>,
    },
    /// Headers of two naming conventions (`svix-*` and `webhook-*`) with different values.
    #[error(
        "headers of two sets are mixed: `{first}` and `{second}` (send one complete set, `webhook-*` or `svix-*`)"
    )]
    MixedHeaderSets {
        /// A header of the first set that is present.
        first: Cow<'static, str>,
        /// A header of the second set that is present.
        second: Cow<'static, str>,
    },
    /// A header value is longer than the configured limit.
    #[error("header `{name}` is {len} bytes, over the limit of {max}")]
    HeaderTooLong {
        /// The header's name.
        name: Cow<'static, str>,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An id or event type header is not valid UTF-8.
    #[error("header `{name}` is not valid UTF-8")]
    InvalidHeaderValue {
        /// The header's name.
        name: Cow<'static, str>,
    },
    /// The signature header does not have the scheme's shape.
    #[error("signature header `{name}` is malformed: {problem}")]
    MalformedSignatureHeader {
        /// The header's name.
        name: Cow<'static, str>,
        /// What is wrong.
        problem: HeaderProblem,
    },
    /// More candidate signatures than the configured limit.
    #[error("header `{name}` has more than {max} signatures")]
    TooManySignatures {
        /// The header's name.
        name: Cow<'static, str>,
        /// The limit.
        max: usize,
    },
    /// One candidate signature is malformed.
    #[error("signature #{index} in `{name}` is invalid: {problem}")]
    InvalidSignature {
        /// The header's name.
        name: Cow<'static, str>,
        /// Zero-based position of the entry in the header.
        index: usize,
        /// What is wrong.
        problem: SignatureProblem,
    },
    /// The header has no signature of a version this verifier checks (for example only `v2`).
    #[error("header `{name}` has no `{expected}` signature")]
    NoSupportedSignature {
        /// The header's name.
        name: Cow<'static, str>,
        /// The version(s) the verifier checks.
        expected: Cow<'static, str>,
    },
    /// The timestamp is not a strict unsigned number.
    #[error("timestamp in `{name}` is invalid: {source}")]
    InvalidTimestamp {
        /// The header holding it.
        name: Cow<'static, str>,
        /// What is wrong.
        source: TimestampError,
    },
    /// The timestamp is older than the tolerance.
    #[error("timestamp is {age} old, over the tolerance of {tolerance}", age = Secs(*age), tolerance = Secs(*tolerance))]
    TimestampTooOld {
        /// How old it is.
        age: Duration,
        /// The tolerance for the past.
        tolerance: Duration,
    },
    /// The timestamp is further in the future than the tolerance.
    #[error("timestamp is {ahead} in the future, over the tolerance of {tolerance}", ahead = Secs(*ahead), tolerance = Secs(*tolerance))]
    TimestampTooNew {
        /// How far ahead it is.
        ahead: Duration,
        /// The tolerance for the future.
        tolerance: Duration,
    },
    /// Well-formed signatures, none made with any active secret.
    #[error("no signature matched ({candidates} candidate(s), {secrets} active secret(s))")]
    SignatureMismatch {
        /// Candidate signatures checked.
        candidates: usize,
        /// Active secrets tried.
        secrets: usize,
    },
    /// The signature was made with a secret that has expired (for example after rotation).
    #[error("the signature matches secret #{index}, which expired at {expired_at} (unix seconds)")]
    SecretExpired {
        /// The expired secret's position in the verifier.
        index: usize,
        /// When it expired.
        expired_at: Timestamp,
    },
    /// The scheme signs the request's method or URL, and the verifier was not given it: wrap
    /// the headers in a [`RequestContext`](crate::RequestContext). A setup error, not a forgery:
    /// web adapters answer 500, so the sender retries once the setup is fixed.
    #[error(
        "the scheme signs the request's {what}, and none was given (wrap the headers in a `RequestContext`; web adapters: set the public URL)"
    )]
    MissingRequestContext {
        /// `method` or `URL`.
        what: &'static str,
    },
    /// A field of the form body the scheme signs does not decode to UTF-8 text.
    #[error("the signed form body has a field that does not decode to UTF-8 text")]
    FormNotUtf8,
    /// The form body the scheme signs has more fields than a sender sends.
    #[error("the signed form body has more than {max} fields")]
    TooManyFormFields {
        /// The limit.
        max: usize,
    },
    /// The body's SHA-256 differs from the one the signed URL carries (Twilio's `bodySHA256`
    /// query parameter), or the parameter is malformed or repeated.
    #[error("the body's SHA-256 does not match the URL's `{name}` parameter")]
    BodyHashMismatch {
        /// The query parameter.
        name: Cow<'static, str>,
    },
    /// A field the scheme reads from the body (Mailgun's `signature.token`) is absent.
    #[error("the body has no `{name}` field")]
    MissingBodyField {
        /// The field, as `object.field`.
        name: Cow<'static, str>,
    },
    /// A field the scheme reads from the body appears more than once, which makes the request
    /// ambiguous.
    #[error("the body's `{name}` field appears more than once")]
    RepeatedBodyField {
        /// The field, as `object.field`.
        name: Cow<'static, str>,
    },
    /// The body that carries the signature (Mailgun) is neither a JSON object nor a form, or
    /// a signature field in it is not text.
    #[error("the body carrying the signature is malformed: {problem}")]
    MalformedSignedBody {
        /// What is wrong.
        problem: BodyProblem,
    },
}

/// What is wrong with a body that carries its own signature (Mailgun).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyProblem {
    /// It starts like a JSON object (`{`) but is not valid JSON.
    NotJson {
        /// The line of the first error (from 1).
        line: usize,
        /// Its column (from 1).
        column: usize,
    },
    /// The object holding the signature (`signature`) appears more than once, or is not an
    /// object.
    BadObject {
        /// The object's name.
        name: Cow<'static, str>,
    },
    /// A signature field is neither a string, a whole number nor a boolean, or an object on
    /// a field's dotted path is not an object.
    NotText {
        /// The field, as `object.field`.
        name: Cow<'static, str>,
    },
    /// A form field the scheme reads does not decode to UTF-8 text.
    FormNotUtf8,
    /// More signed records (Adyen's notification items) than one body may carry.
    TooManyRecords {
        /// The limit.
        max: usize,
    },
}

impl fmt::Display for BodyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyProblem::NotJson { line, column } => {
                write!(f, "it is not valid JSON (line {line}, column {column})")
            }
            BodyProblem::BadObject { name } => {
                write!(f, "`{name}` is not one JSON object")
            }
            BodyProblem::NotText { name } => {
                write!(
                    f,
                    "`{name}` is neither a string, a whole number nor a boolean"
                )
            }
            BodyProblem::FormNotUtf8 => {
                f.write_str("a signature field of the form does not decode to UTF-8 text")
            }
            BodyProblem::TooManyRecords { max } => {
                write!(f, "it carries more than {max} signed records")
            }
        }
    }
}

impl VerifyError {
    /// A one-line suggestion for whoever debugs the failure.
    pub fn hint(&self) -> &'static str {
        match self {
            VerifyError::MissingHeader { .. } => {
                "is the right provider selected, and does a proxy strip headers before they reach the app?"
            }
            VerifyError::RepeatedHeader { .. } => {
                "a proxy or client added the header twice; a sender sends each signature header once"
            }
            VerifyError::MixedHeaderSets { .. } => {
                "a request carries either webhook-* or svix-* headers; check middleware that renames or adds headers"
            }
            VerifyError::HeaderTooLong { .. } | VerifyError::TooManySignatures { .. } => {
                "real senders send a handful of signatures; raise the limit on the verifier builder if yours sends more"
            }
            VerifyError::InvalidHeaderValue { .. } => {
                "the header has bytes that are not UTF-8; check the sender"
            }
            VerifyError::MalformedSignatureHeader { .. } | VerifyError::InvalidSignature { .. } => {
                "the signature header is not in this provider's format: is the right provider selected?"
            }
            VerifyError::NoSupportedSignature { .. } => {
                "the header only has signature versions this verifier does not check: is the key type right (whsec_ for v1, whpk_ for v1a)?"
            }
            VerifyError::InvalidTimestamp { .. } => {
                "timestamps are unsigned whole numbers, as the sender wrote them"
            }
            VerifyError::TimestampTooOld { .. } => {
                "a replay, a request held in a queue, or this machine's clock is behind: check NTP; the tolerance is configurable"
            }
            VerifyError::TimestampTooNew { .. } => {
                "this machine's clock is behind the sender's, or the timestamp is in milliseconds where seconds are expected"
            }
            VerifyError::SignatureMismatch { .. } => {
                "wrong secret, a secret in the wrong encoding, or a body changed before verification (re-serialized JSON, trimmed whitespace)"
            }
            VerifyError::SecretExpired { .. } => {
                "the sender still signs with a rotated-out secret: finish the rotation on the provider's side or extend the expiry"
            }
            VerifyError::MissingRequestContext { .. } => {
                "this provider signs the URL it called: give the verifier the public URL (adapters: `Verifiers::public_url`; CLI: --url)"
            }
            VerifyError::FormNotUtf8 => {
                "the sender percent-encodes UTF-8 text; this body is not a real delivery"
            }
            VerifyError::TooManyFormFields { .. } => {
                "senders send a few dozen form fields; this body is not a real delivery"
            }
            VerifyError::BodyHashMismatch { .. } => {
                "the body changed after it was sent (re-serialized JSON, a proxy), or the URL is not the one the sender called"
            }
            VerifyError::MissingBodyField { .. } | VerifyError::RepeatedBodyField { .. } => {
                "this provider signs inside the body (Mailgun's `signature` object or form fields, Adyen's `additionalData.hmacSignature` per item): is the right provider selected, and does the body reach the verifier unchanged?"
            }
            VerifyError::MalformedSignedBody { .. } => {
                "the body is not what the sender posts: is the right provider selected, and is the body passed before any parsing?"
            }
        }
    }
}

/// Why a [`Verifier`](crate::Verifier) could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No secret was configured.
    #[error("a verifier needs at least one secret")]
    NoSecrets,
    /// More secrets than a verifier holds.
    #[error("a verifier holds at most {max} secrets")]
    TooManySecrets {
        /// The limit.
        max: usize,
    },
    /// A secret could not be parsed.
    #[error("the secret at index {index} (counting from 0) is invalid: {source}")]
    Secret {
        /// The secret's position, in the order added.
        index: usize,
        /// What is wrong with it.
        source: SecretError,
    },
    /// A limit was set to a value the verifier cannot use.
    #[error("{what} must be between 1 and {max}")]
    Limit {
        /// Which limit.
        what: &'static str,
        /// Its largest allowed value.
        max: usize,
    },
}
