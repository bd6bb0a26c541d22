//! Adyen (standard webhooks with HMAC signatures): the signature travels **in the body**, in
//! every notification item's `additionalData.hmacSignature` — base64 HMAC-SHA256, keyed with
//! the hex HMAC key from the Customer Area, over eight of the item's fields joined by `:`:
//! `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
//! (an absent field is empty text; values are not escaped, as Adyen's SDKs sign them).
//!
//! A body may carry several items (`notificationItems`); **every** item must verify, so an
//! unsigned item cannot ride along with a signed one. Adyen signs no timestamp: a captured
//! notification can be replayed, and the idempotency key (the body's SHA-256, the same on
//! Adyen's retries) turns a replay into a duplicate. Adyen identifies an event by
//! `eventCode` and `pspReference` together: use them for business-level de-duplication.
//! Adyen expects a 2xx answer (older integrations: the body `[accepted]`).

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdempotencyRule, Scheme, SignedPart};
use crate::secret::SecretEncoding;

/// Adyen's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "adyen",
    aliases: &["adyen-hmac"],
    title: "Adyen (HMAC)",
    source: "Adyen docs, \"Verify HMAC signatures\"; Adyen/adyen-java-api-library src/test/java/com/adyen/util/HMACValidatorTest.java, Adyen/adyen-php-api-library tests/Adyen/Util/HmacSignatureTest.php, Adyen/adyen-ruby-api-library spec/utils/hmac_validator_spec.rb",
    confidence: Confidence::Documented,
    headers: "none: each `notificationItems[].NotificationRequestItem.additionalData.hmacSignature`",
    signed: "`{pspReference}:{originalReference}:{merchantAccountCode}:{merchantReference}:{amount.value}:{amount.currency}:{eventCode}:{success}` per item; every item must verify",
    signature: "base64 HMAC-SHA256",
    secret: "the HMAC key, hex",
    timestamp: "none (Adyen signs none)",
    idempotency_key: "the body's SHA-256 (Adyen: `eventCode` + `pspReference` identify an event)",
};

/// Adyen: base64 HMAC-SHA256 (hex key) of eight fields of each notification item, joined by
/// `:`, in the item's `additionalData.hmacSignature`.
pub fn scheme() -> Scheme {
    let colon = || SignedPart::literal(":");
    Scheme::custom("adyen")
        .signature_in_body("notificationItems/*/NotificationRequestItem")
        .header_names(HeaderNames::new("additionalData.hmacSignature").event_type("eventCode"))
        .base64()
        .key_encoding(SecretEncoding::Hex)
        .signed_content([
            SignedPart::field("pspReference"),
            colon(),
            SignedPart::field("originalReference"),
            colon(),
            SignedPart::field("merchantAccountCode"),
            colon(),
            SignedPart::field("merchantReference"),
            colon(),
            SignedPart::field("amount.value"),
            colon(),
            SignedPart::field("amount.currency"),
            colon(),
            SignedPart::field("eventCode"),
            colon(),
            SignedPart::field("success"),
        ])
        .idempotency(IdempotencyRule::BodyHash)
        .builtin(Provider::Adyen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Timestamp, Verifier, VerifyError};

    /// Adyen/adyen-php-api-library tests/Adyen/Util/HmacSignatureTest.php, in a body.
    const KEY: &str = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00";
    const ITEM: &str = r#"{"pspReference": "7914073381342284", "merchantAccountCode": "TestMerchant", "merchantReference": "TestPayment-1407325143704", "amount": {"value": 1130, "currency": "EUR"}, "eventCode": "AUTHORISATION", "success": "true", "additionalData": {"hmacSignature": "Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I="}}"#;

    fn body(items: &[&str]) -> String {
        let items: Vec<String> = items
            .iter()
            .map(|item| format!(r#"{{"NotificationRequestItem": {item}}}"#))
            .collect();
        format!(
            r#"{{"live": "false", "notificationItems": [{}]}}"#,
            items.join(",")
        )
    }

    #[test]
    fn every_item_must_verify() {
        let verifier = Verifier::new(scheme(), KEY).unwrap();
        let none: [(&str, &str); 0] = [];
        let now = Timestamp::from_unix_seconds(1_700_000_000);
        let one = body(&[ITEM]);
        let verified = verifier.verify_at(&none, one.as_bytes(), now).unwrap();
        assert_eq!(verified.event_type(), Some("AUTHORISATION"));
        assert!(
            verifier
                .verify_at(&none, body(&[ITEM, ITEM]).as_bytes(), now)
                .is_ok()
        );
        let unsigned = ITEM.replace(
            r#", "additionalData": {"hmacSignature": "Ny9gS2veKo5E4w8/OL6xz1/wvT/hYkAXy1xNc/QvO4I="}"#,
            "",
        );
        assert_eq!(
            verifier
                .verify_at(&none, body(&[ITEM, &unsigned]).as_bytes(), now)
                .unwrap_err(),
            VerifyError::MissingBodyField {
                name: "NotificationRequestItem.additionalData.hmacSignature".into()
            }
        );
        let refund = ITEM.replace("AUTHORISATION", "REFUND");
        assert!(matches!(
            verifier.verify_at(&none, body(&[ITEM, &refund]).as_bytes(), now),
            Err(VerifyError::SignatureMismatch { .. })
        ));
        assert!(matches!(
            verifier.verify_at(&none, body(&[]).as_bytes(), now),
            Err(VerifyError::MissingBodyField { .. })
        ));
    }
}
