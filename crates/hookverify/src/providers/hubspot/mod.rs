//! HubSpot: signature v3, HMAC-SHA256 of the method, the URL, the body and the millisecond
//! timestamp, base64 in `X-HubSpot-Signature-v3`, keyed with the app's client secret. The
//! legacy v1 and v2 signatures (a plain SHA-256 of the secret and the content) are
//! [`scheme_v1`] and [`scheme_v2`].

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, HmacAlgorithm, Scheme, SignedPart};
use crate::timestamp::TimestampUnit;

/// HubSpot's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "hubspot",
    aliases: &["hubspot-v3"],
    title: "HubSpot (v3)",
    source: "HubSpot docs, \"Validating requests\"; HubSpot/hubspot-api-nodejs test/unit/signature.spec.ts (v1/v2 vectors; v3 computed as its test does)",
    confidence: Confidence::Documented,
    headers: "`X-HubSpot-Signature-v3: <base64>`, `X-HubSpot-Request-Timestamp`",
    signed: "`{method}{url}{body}{ts}`, the URL's `%3A` `%2F` `%3F` ... decoded",
    signature: "base64",
    secret: "the app's client secret, its bytes",
    timestamp: "header, Unix milliseconds, ±5 min (HubSpot: reject older than 5 minutes)",
    idempotency_key: "the body's SHA-256 (a batch of notifications)",
};

/// HubSpot v3: `X-HubSpot-Signature-v3: <base64 HMAC-SHA256(method + url + body + timestamp)>`,
/// the timestamp in `X-HubSpot-Request-Timestamp` (Unix milliseconds). The body is a JSON array
/// of notifications; the idempotency key is its hash.
///
/// HubSpot decodes the percent-escapes of `: / ? @ ! $ ' ( ) * , ;` in the URL before signing
/// ([`SchemeBuilder::decode_url_escapes`](crate::SchemeBuilder::decode_url_escapes)): give the
/// URL as HubSpot called it, escapes and all.
pub fn scheme() -> Scheme {
    Scheme::custom("hubspot")
        .header_names(
            HeaderNames::new("X-HubSpot-Signature-v3").timestamp("X-HubSpot-Request-Timestamp"),
        )
        .base64()
        .decode_url_escapes()
        .timestamp_unit(TimestampUnit::Milliseconds)
        .signed_content([
            SignedPart::Method,
            SignedPart::Url,
            SignedPart::Body,
            SignedPart::Timestamp,
        ])
        .builtin(Provider::HubSpot)
}

/// HubSpot's legacy v1 signature (`X-HubSpot-Signature-Version: v1`): `X-HubSpot-Signature`,
/// the hex SHA-256 of the client secret followed by the body. Not an HMAC, no timestamp: use v3
/// where the app can.
///
/// ```
/// use hookverify::{Verifier, hubspot};
///
/// // HubSpot/hubspot-api-nodejs test/unit/signature.spec.ts, "is valid v1".
/// let body = r#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]"#;
/// let headers = [("X-HubSpot-Signature", "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de")];
/// let verifier = Verifier::new(hubspot::scheme_v1(), "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy")?;
/// assert!(verifier.verify(&headers, body.as_bytes()).is_ok());
/// # Ok::<(), hookverify::BuildError>(())
/// ```
pub fn scheme_v1() -> Scheme {
    legacy("hubspot-v1", "v1", [SignedPart::Body].to_vec())
}

/// HubSpot's legacy v2 signature (`X-HubSpot-Signature-Version: v2`): `X-HubSpot-Signature`,
/// the hex SHA-256 of the client secret, the method, the URL and the body. Verifying needs a
/// [`RequestContext`](crate::RequestContext).
pub fn scheme_v2() -> Scheme {
    legacy(
        "hubspot-v2",
        "v2",
        [SignedPart::Method, SignedPart::Url, SignedPart::Body].to_vec(),
    )
}

/// The scheme of a signature version as `X-HubSpot-Signature-Version` names it: `v1`, `v2`
/// or `v3` (any case); `None` for another.
pub fn scheme_for_version(version: &str) -> Option<Scheme> {
    match version.to_ascii_lowercase().as_str() {
        "v1" => Some(scheme_v1()),
        "v2" => Some(scheme_v2()),
        "v3" => Some(scheme()),
        _ => None,
    }
}

fn legacy(name: &'static str, version: &'static str, content: Vec<SignedPart>) -> Scheme {
    Scheme::custom(name)
        .header_names(HeaderNames::new("X-HubSpot-Signature"))
        .hex()
        .hmac(HmacAlgorithm::PrefixedSha256)
        .signed_content(content)
        .signing_header("X-HubSpot-Signature-Version", version)
        .builtin(Provider::HubSpot)
}
