#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub mod adapter;
mod b64;
pub mod dangerous;
mod embedded;
mod error;
#[cfg(feature = "events")]
mod events;
mod headers;
pub mod idempotency;
mod message;
pub mod providers;
mod request;
pub mod scheme;
mod secret;
pub mod sign;
mod timestamp;
mod verifier;
mod verifiers;

pub use error::{BodyProblem, BuildError, HeaderProblem, SignatureProblem, VerifyError};
#[cfg(feature = "events")]
#[allow(deprecated)]
pub use events::Error;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::{
    Form, Json, Meta, Misfit, ParseError, Parsed, RawBody, Typed, Unknown, VerifyAndParseError,
    WebhookEvent, idempotency_key_of, parse_verified,
};
pub use headers::{HeaderKey, HeaderLookup, Headers};
pub use providers::{
    Confidence, Provider, ProviderInfo, UnknownProvider, adyen, autosend, bitbucket, box_com,
    calendly, coinbase_commerce, discord, github, gitlab, hubspot, intercom, jira, lemonsqueezy,
    linear, mailgun, meta, mux, paddle, pagerduty, razorpay, sendable, sendgrid, sendkit,
    sendpilot, sent, sentry, shopify, slack, square, standard_webhooks, stripe, twilio, twitch,
    typeform, vercel, woocommerce, xero, zendesk, zoom,
};
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use providers::{ProviderEvent, ProviderVisitor};
pub use request::RequestContext;
#[allow(deprecated)]
pub use scheme::CustomScheme;
pub use scheme::{
    HeaderNames, HmacAlgorithm, IdFormat, IdempotencyRule, Scheme, SchemeBuilder, SchemeError,
    SignatureEncoding, SignedPart,
};
pub use secret::{DEFAULT_MIN_SECRET_LEN, Secret, SecretEncoding, SecretError};
pub use timestamp::{Timestamp, TimestampError, TimestampUnit, Tolerance};
pub use verifier::{
    DEFAULT_MAX_HEADER_LEN, DEFAULT_MAX_SIGNATURES, MAX_HEADER_LEN_LIMIT, MAX_SECRETS,
    MAX_SIGNATURES_LIMIT, Verified, Verifier, VerifierBuilder,
};
pub use verifiers::{DEFAULT_BODY_LIMIT, Verifiers};

/// The repository README's examples, compiled and run as doc tests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct RepositoryReadme;
