//! Box: HMAC-SHA256 of the body followed by the RFC 3339 delivery timestamp, base64, in
//! `BOX-SIGNATURE-PRIMARY` (by the primary key) and `BOX-SIGNATURE-SECONDARY` (by the
//! secondary key): give the verifier both keys, and either header may match, so the keys
//! rotate one at a time.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use std::time::Duration;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, Scheme, SignedPart};
use crate::timestamp::{TimestampUnit, Tolerance};

/// Box's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "box",
    aliases: &["box-com"],
    title: "Box",
    source: "Box docs, \"Signature verification\"; box/box-python-sdk test/unit/object/test_webhook.py",
    confidence: Confidence::Documented,
    headers: "`BOX-SIGNATURE-PRIMARY`, `BOX-SIGNATURE-SECONDARY` (base64), `BOX-DELIVERY-TIMESTAMP`, `BOX-DELIVERY-ID`",
    signed: "`{body}{ts}`",
    signature: "base64; either header, any key",
    secret: "the primary and secondary signature keys, their bytes",
    timestamp: "header, RFC 3339, 10 min back (Box's SDKs), 60 s ahead",
    idempotency_key: "`BOX-DELIVERY-ID`",
};

/// Box: `BOX-SIGNATURE-PRIMARY: <base64 HMAC-SHA256(body + timestamp)>` by the primary key and
/// `BOX-SIGNATURE-SECONDARY` by the secondary key; the timestamp is `BOX-DELIVERY-TIMESTAMP`
/// (RFC 3339 with an offset, `2020-01-01T00:00:00-07:00`). Box's SDKs refuse messages older
/// than 10 minutes and any from the future; 60 s ahead is allowed here for clock skew. Box's
/// `BOX-SIGNATURE-VERSION` (`1`) and `BOX-SIGNATURE-ALGORITHM` (`HmacSHA256`) headers are
/// not checked: another version would not match anyway.
///
/// ```
/// use hookverify::{Scheme, Timestamp, Verifier};
///
/// // box/box-python-sdk test/unit/object/test_webhook.py: signed by both sample keys.
/// let body = r#"{"type":"webhook_event","webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"Test.txt"}}"#;
/// let headers = [
///     ("box-delivery-id", "f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f"),
///     ("box-delivery-timestamp", "2020-01-01T00:00:00-07:00"),
///     ("box-signature-primary", "6TfeAW3A1PASkgboxxA5yqHNKOwFyMWuEXny/FPD5hI="),
///     ("box-signature-secondary", "v+1CD1Jdo3muIcbpv5lxxgPglOqMfsNHPV899xWYydo="),
/// ];
/// let now = Timestamp::from_unix_seconds(1_577_862_000); // the delivery time
/// // Only the secondary key configured (the primary is being rotated): still verifies.
/// let verifier = Verifier::new(Scheme::box_com(), "SampleSecondaryKey")?;
/// let verified = verifier.verify_at(&headers, body.as_bytes(), now)?;
/// assert_eq!(verified.id(), Some("f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scheme() -> Scheme {
    Scheme::custom("box")
        .header_names(
            HeaderNames::new("BOX-SIGNATURE-PRIMARY")
                .second_signature("BOX-SIGNATURE-SECONDARY")
                .timestamp("BOX-DELIVERY-TIMESTAMP")
                .delivery_id("BOX-DELIVERY-ID"),
        )
        .base64()
        .timestamp_unit(TimestampUnit::Rfc3339)
        .signed_content([SignedPart::Body, SignedPart::Timestamp])
        .tolerance(Tolerance::new(
            Duration::from_secs(600),
            Duration::from_secs(60),
        ))
        .signing_header("BOX-SIGNATURE-VERSION", "1")
        .signing_header("BOX-SIGNATURE-ALGORITHM", "HmacSHA256")
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::BoxCom)
}
