//! Jira Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256(body)>` keyed with the webhook's secret (the WebSub convention); no timestamp. The event type is the body's `webhookEvent` (`jira:issue_created`), the idempotency key `X-Atlassian-Webhook-Identifier` (the same on every retry).

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, Scheme, SignedPart};

/// Jira Cloud's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "jira",
    aliases: &["atlassian"],
    title: "Jira Cloud",
    source: "Atlassian developer docs, \"Jira webhooks: secure admin webhooks\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-Hub-Signature: sha256=<hex>`, `X-Atlassian-Webhook-Identifier`",
    signed: "body",
    signature: "hex",
    secret: "the webhook's secret, its bytes",
    timestamp: "none",
    idempotency_key: "`X-Atlassian-Webhook-Identifier`, else the body's SHA-256",
};

/// Jira Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256(body)>` keyed with the webhook's secret (the WebSub convention); no timestamp. The event type is the body's `webhookEvent` (`jira:issue_created`), the idempotency key `X-Atlassian-Webhook-Identifier` (the same on every retry).
pub fn scheme() -> Scheme {
    Scheme::custom("jira")
        .header_names(
            HeaderNames::new("X-Hub-Signature")
                .optional_delivery_id("X-Atlassian-Webhook-Identifier"),
        )
        .signature_prefix("sha256=", true)
        .hex()
        .signed_content([SignedPart::Body])
        .builtin(Provider::Jira)
}
