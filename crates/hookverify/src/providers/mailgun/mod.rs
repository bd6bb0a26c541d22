//! Mailgun: the signature travels **in the body**, `{"signature": {"timestamp", "token",
//! "signature"}, "event-data": {…}}`, the signature the hex HMAC-SHA256 of `timestamp` followed
//! by `token`, keyed with the HTTP webhook signing key. A legacy form-encoded webhook carries the
//! same three fields as form fields; both are read.
//!
//! Mailgun signs its timestamp and token, **not the event**: anyone holding one captured
//! delivery could send another event under its signature. The token is therefore the
//! idempotency key — a captured signature replayed with another event is a duplicate of the
//! first delivery — and the timestamp window bounds how long a captured one could be used. Keep
//! the idempotency store's retention at least as long as the tolerance.
//!
//! A subaccount's event also carries `parent-signature`, made with the primary account's key:
//! either signature may match either configured key.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use std::borrow::Cow;
use std::time::Duration;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, Scheme, SignedPart};
use crate::timestamp::Tolerance;

/// Mailgun's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "mailgun",
    aliases: &[],
    title: "Mailgun",
    source: "Mailgun docs, \"Securing webhooks\"; mailgun/mailgun-php tests/Api/WebhookTest.php",
    confidence: Confidence::Documented,
    headers: "none: the body's `signature` object (`timestamp`, `token`, `signature`, `parent-signature`), or form fields",
    signed: "`{timestamp}{token}` (**not** the event)",
    signature: "hex HMAC-SHA256; `parent-signature` by the primary account's key",
    secret: "the HTTP webhook signing key, its bytes",
    timestamp: "body, seconds, 9 h back (Mailgun's SDKs check none; its retries span 8 h), 5 min ahead",
    idempotency_key: "the signed `token`",
};

/// Mailgun: hex HMAC-SHA256 of `timestamp + token`, all three in the body's `signature`
/// object (or form fields).
///
/// Tolerance: Mailgun's SDKs do not check the timestamp, and Mailgun retries a failed delivery
/// for about 8 hours (10 min, 10 min, 15 min, 30 min, 1 h, 2 h, 4 h); refusing older ones earlier
/// could drop events, so the window is 9 hours back, 5 minutes ahead. Replays within it are
/// caught by the idempotency key, the signed token.
pub fn scheme() -> Scheme {
    Scheme::custom("mailgun")
        .signature_in_body("signature")
        .header_names(
            HeaderNames::new("signature")
                .id("token")
                .timestamp("timestamp")
                .second_signature("parent-signature"),
        )
        .hex()
        .signed_content([SignedPart::Timestamp, SignedPart::Id])
        .tolerance(Tolerance::new(
            Duration::from_secs(9 * 60 * 60),
            Duration::from_secs(300),
        ))
        .generated_ids(IdFormat::Prefixed(Cow::Borrowed("")))
        .builtin(Provider::Mailgun)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Timestamp, Verifier, VerifyError};

    const KEY: &str = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";

    fn body(token: &str, signature_field: &str) -> String {
        format!(
            r#"{{"signature":{{"timestamp":"1403645220","token":"{token}",{signature_field}}},"event-data":{{"event":"delivered","id":"e1"}}}}"#
        )
    }

    #[test]
    fn parent_signature_alone_verifies_and_fields_are_named_in_errors() {
        let verifier = Verifier::new(scheme(), KEY).unwrap();
        let now = Timestamp::from_unix_seconds(1_403_645_220);
        let token = "5egbgr1vjgqxtrnp65xfznchgdccwh5d6i09vijqi3whgowmn6";
        let good = "9cfc5c41582e51246e73c88d34db3af0a3a2692a76fbab81492842f000256d33";
        let other = "0".repeat(64);
        let none: [(&str, &str); 0] = [];
        let parent = body(
            token,
            &format!(r#""signature":"{other}","parent-signature":"{good}""#),
        );
        assert!(verifier.verify_at(&none, parent.as_bytes(), now).is_ok());
        let missing = body(token, r#""parent-signature":"00""#);
        assert_eq!(
            verifier
                .verify_at(&none, missing.as_bytes(), now)
                .unwrap_err(),
            VerifyError::MissingBodyField {
                name: "signature.signature".into()
            }
        );
        assert!(!scheme().signs_body());
        assert!(scheme().signature_in_body());
    }
}
