//! GitLab: the webhook's *signing token* (Standard Webhooks headers: HMAC-SHA256 of
//! `{webhook-id}.{webhook-timestamp}.{body}`, `webhook-signature: v1,<base64>`), or, for hooks
//! with only a *secret token*, [`token_scheme`]: `X-Gitlab-Token` carrying the secret itself.
//! The event type is `X-Gitlab-Event` (`Push Hook`).

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, Scheme};

/// GitLab's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "gitlab",
    aliases: &[],
    title: "GitLab (signing token; secret token via `gitlab::token_scheme`)",
    source: "GitLab merge request 230944 \"Add webhook HMAC signing token\" (Standard Webhooks layout); key as raw bytes inferred; computed vectors",
    confidence: Confidence::Inferred,
    headers: "`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`, `X-Gitlab-Event`; or `X-Gitlab-Token`",
    signed: "`{id}.{ts}.{body}`; token: nothing",
    signature: "base64; token: the secret itself",
    secret: "the signing token, its bytes (inferred); token: compared in constant time",
    timestamp: "header, seconds, ±300 s; token: none",
    idempotency_key: "`webhook-id` (GitLab's `Idempotency-Key`); token: `Idempotency-Key`, else the body's SHA-256",
};

/// GitLab's signing token: the Standard Webhooks layout (`webhook-id`, `webhook-timestamp`,
/// `webhook-signature: v1,<base64 HMAC-SHA256(id.ts.body)>`), keyed with the token's bytes.
/// Inferred: GitLab documents the layout; whether the token is used as text or base64-decoded
/// is not stated. A `whsec_` token would be [`Scheme::standard_webhooks`]'s.
pub fn scheme() -> Scheme {
    Scheme::custom("gitlab")
        .header_names(
            HeaderNames::new("webhook-signature")
                .id("webhook-id")
                .timestamp("webhook-timestamp")
                .event_type("X-Gitlab-Event"),
        )
        .versioned_list("v1")
        .base64()
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::GitLab)
}

/// GitLab's secret token: `X-Gitlab-Token` carries the secret itself, compared in constant time.
/// Nothing is signed: the body is not authenticated and a captured request replays; prefer the
/// signing token where the GitLab version has it.
///
/// ```
/// use hookverify::{Verifier, gitlab};
///
/// let verifier = Verifier::new(gitlab::token_scheme(), "a-gitlab-secret-token")?;
/// let headers = [("X-Gitlab-Token", "a-gitlab-secret-token"), ("X-Gitlab-Event", "Push Hook")];
/// let verified = verifier.verify(&headers, br#"{"object_kind":"push"}"#)?;
/// assert_eq!(verified.event_type(), Some("Push Hook"));
/// assert!(verifier.verify(&[("X-Gitlab-Token", "a-guess")], b"{}").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn token_scheme() -> Scheme {
    Scheme::custom("gitlab-token")
        .header_names(
            HeaderNames::new("X-Gitlab-Token")
                .optional_delivery_id("Idempotency-Key")
                .event_type("X-Gitlab-Event"),
        )
        .token()
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::GitLab)
}

/// The scheme a request uses: the signing token's when it carries `webhook-signature`, the
/// secret token's when it carries only `X-Gitlab-Token`.
pub fn scheme_for<H: crate::Headers + ?Sized>(headers: &H) -> Scheme {
    let present = |name: &str| headers.lookup(name).is_present();
    if !present("webhook-signature") && present("x-gitlab-token") {
        token_scheme()
    } else {
        scheme()
    }
}
