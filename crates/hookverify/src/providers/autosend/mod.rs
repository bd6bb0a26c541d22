//! AutoSend (autosend.com): email API.
//!
//! Two envelope generations are accepted: the newer `{ "type", "createdAt", "data" }` and the
//! older `{ "event", "timestamp", "data" }`; when neither names the type, the `X-Webhook-Event`
//! header does. Idempotency key: the `X-Webhook-Delivery-Id` header. Addresses may be a plain
//! string or `{ "email", "name" }`; both parse into [`Address`].

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

use crate::providers::{Confidence, Provider, ProviderInfo};
use std::borrow::Cow;
use std::time::Duration;

use crate::scheme::{HeaderNames, IdFormat, Scheme, SignedPart};
use crate::timestamp::{TimestampUnit, Tolerance};

/// AutoSend's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "autosend",
    aliases: &[],
    title: "AutoSend",
    source: "AutoSend webhook documentation (newer and older revisions)",
    confidence: Confidence::Documented,
    headers: "`X-Webhook-Signature` (optional `hmac-sha256=`), `X-Webhook-Timestamp`, `X-Webhook-Delivery-Id`, `X-Webhook-Event`",
    signed: "body",
    signature: "hex",
    secret: "the whole string, `whsec_` included",
    timestamp: "header, ms or s (13+ digits = ms), 300 s past / 60 s future; not signed",
    idempotency_key: "`X-Webhook-Delivery-Id`",
};

/// AutoSend: `X-Webhook-Signature` is the hex HMAC of the body alone (optional
/// `hmac-sha256=` prefix), keyed with the whole secret string including `whsec_`.
/// `X-Webhook-Timestamp` is required and checked (13+ digits are milliseconds), 5 minutes
/// back and 1 minute ahead; it is *not* signed, so replay protection rests on it and on
/// de-duplication by `X-Webhook-Delivery-Id`.
pub fn scheme() -> Scheme {
    Scheme::custom("autosend")
        .header_names(
            HeaderNames::new("X-Webhook-Signature")
                .timestamp("X-Webhook-Timestamp")
                .delivery_id("X-Webhook-Delivery-Id")
                .event_type("X-Webhook-Event"),
        )
        .signature_prefix("hmac-sha256=", false)
        .hex()
        .timestamp_unit(TimestampUnit::Auto)
        .signed_content([SignedPart::Body])
        .tolerance(Tolerance::new(
            Duration::from_secs(300),
            Duration::from_secs(60),
        ))
        .signing_header("User-Agent", "AutoSend-Webhooks/1.0")
        .generated_ids(IdFormat::Prefixed(Cow::Borrowed("job_")))
        .builtin(Provider::AutoSend)
}
