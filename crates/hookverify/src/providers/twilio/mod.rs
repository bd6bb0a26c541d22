//! Twilio: HMAC-SHA1 of the URL Twilio called followed by the form fields (sorted by name, each
//! name then its value), base64 in `X-Twilio-Signature`, keyed with the account's auth token.
//! The URL is part of what is signed: verifying needs it, through a
//! [`RequestContext`](crate::RequestContext) or, in the web adapters, the app's public URL.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, HmacAlgorithm, IdFormat, Scheme, SignedPart};

/// Twilio's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "twilio",
    aliases: &[],
    title: "Twilio",
    source: "Twilio docs, \"Webhooks security\"; twilio/twilio-python tests/unit/test_request_validator.py",
    confidence: Confidence::Documented,
    headers: "`X-Twilio-Signature: <base64>`, `I-Twilio-Idempotency-Token`",
    signed: "URL, then the form fields sorted, each `{name}{value}`; a JSON body: the URL alone, its `bodySHA256` parameter the body's SHA-256",
    signature: "base64 HMAC-SHA1",
    secret: "the account's auth token, its bytes",
    timestamp: "none",
    idempotency_key: "`I-Twilio-Idempotency-Token`, else the body's SHA-256",
};

/// Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1(url + sorted form fields)>`, keyed with the
/// auth token. No timestamp. The idempotency key is `I-Twilio-Idempotency-Token` (the same on
/// Twilio's retries), else the body's hash.
///
/// The URL is the one configured in Twilio (scheme, host, path, query, exactly). As Twilio's
/// SDKs do, it also verifies with its port removed or the default port added
/// ([`SchemeBuilder::url_port_variants`](crate::SchemeBuilder::url_port_variants)): Twilio signs
/// some URLs with `:443` and some without. A JSON body is signed through the URL: Twilio adds its SHA-256 as
/// the `bodySHA256` query parameter, signs the URL alone, and the body must hash to it
/// ([`SchemeBuilder::body_hash_in_url`](crate::SchemeBuilder::body_hash_in_url)).
pub fn scheme() -> Scheme {
    Scheme::custom("twilio")
        .header_names(
            HeaderNames::new("X-Twilio-Signature")
                .optional_delivery_id("I-Twilio-Idempotency-Token"),
        )
        .base64()
        .hmac(HmacAlgorithm::Sha1)
        .signed_content([SignedPart::Url, SignedPart::FormParams])
        .body_hash_in_url("bodySHA256")
        .url_port_variants()
        .generated_ids(IdFormat::Prefixed("idem_".into()))
        .builtin(Provider::Twilio)
}
