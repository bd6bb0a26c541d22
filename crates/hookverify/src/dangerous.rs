//! Insecure paths, fenced off so that using one is a visible decision in code review.
//!
//! Nothing here is needed to receive webhooks. Each function names what it gives up.

use crate::error::VerifyError;
use crate::headers::Headers;
use crate::timestamp::Timestamp;
use crate::verifier::{Clock, Verified, Verifier};

/// Verifies the signature but **not** the timestamp window: a captured request verifies
/// forever. For replaying stored requests through a handler, or checking a request captured
/// long ago; never for live traffic. Secret expiry still follows the system clock.
///
/// ```
/// use hookverify::{Scheme, Verifier, dangerous};
///
/// let verifier = Verifier::new(Scheme::standard_webhooks(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let headers = [
///     ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
///     ("webhook-timestamp", "1614265330"),
///     ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
/// ];
/// let body = br#"{"test": 2432232314}"#;
/// assert!(verifier.verify(&headers, body).is_err()); // from 2021: far too old
/// assert!(dangerous::verify_ignoring_timestamp(&verifier, &headers, body).is_ok());
/// # Ok::<(), hookverify::BuildError>(())
/// ```
///
/// # Errors
///
/// Every [`VerifyError`] except the two timestamp-window ones.
pub fn verify_ignoring_timestamp<H: Headers + ?Sized>(
    verifier: &Verifier,
    headers: &H,
    body: &[u8],
) -> Result<Verified, VerifyError> {
    verifier.verify_inner(headers, body, Timestamp::now(), Clock::Ignore)
}

/// Parses a body **without verifying it**: anyone can have sent it. For inspecting captured
/// payloads, fuzzing the parsers and tests; never for a live endpoint. Metadata comes from the
/// headers as they are (no timestamp, secret index 0); the idempotency key follows the scheme's
/// rule.
///
/// ```
/// use hookverify::{Scheme, dangerous, sendpilot};
///
/// let body: &[u8] = br#"{"eventId":"evt_1","eventType":"campaign.started","timestamp":"2024-02-24T10:30:00Z","data":{"campaignId":"cmp_1"}}"#;
/// let parsed = dangerous::parse_unverified::<sendpilot::Event>(&Scheme::sendpilot(), &[("x", "y")], body)?;
/// assert!(matches!(parsed.event, sendpilot::Event::CampaignStarted(_)));
/// assert_eq!(parsed.idempotency_key(), "evt_1");
/// # Ok::<(), hookverify::ParseError>(())
/// ```
///
/// # Errors
///
/// A [`ParseError`](crate::ParseError) when the body is not an `E`.
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub fn parse_unverified<E: crate::WebhookEvent>(
    scheme: &crate::Scheme,
    headers: &(impl Headers + ?Sized),
    body: impl Into<bytes::Bytes>,
) -> Result<crate::Parsed<E>, crate::ParseError> {
    crate::parse_verified(body.into(), Verified::unverified(scheme, headers))
}
