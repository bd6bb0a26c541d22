//! Shopify: the body is the resource the topic names (an order, a product, ...), the event type
//! is the `X-Shopify-Topic` header (`orders/create`). [`Payload`] reads the fields most
//! resources share and keeps the rest.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, Scheme, SignedPart};

/// Shopify's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "shopify",
    aliases: &[],
    title: "Shopify",
    source: "Shopify docs, \"Verify webhooks\"; Shopify/shopify-api-js packages/shopify-api/lib/webhooks/__tests__/validate.test.ts",
    confidence: Confidence::Documented,
    headers: "`X-Shopify-Hmac-Sha256: <base64>`, `X-Shopify-Topic`, `X-Shopify-Event-Id`",
    signed: "body",
    signature: "base64",
    secret: "the app's client secret, its bytes",
    timestamp: "none (`X-Shopify-Triggered-At` is not signed)",
    idempotency_key: "`X-Shopify-Event-Id`, else the body's SHA-256",
};

/// Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256(body)>` keyed with the app's client
/// secret; no signed timestamp. The topic (`orders/create`) is `X-Shopify-Topic`; the
/// idempotency key is `X-Shopify-Event-Id` (the same for every delivery of one event, retries
/// included, as Shopify's guide to duplicate webhooks says), else the body's hash.
pub fn scheme() -> Scheme {
    Scheme::custom("shopify")
        .header_names(
            HeaderNames::new("X-Shopify-Hmac-Sha256")
                .optional_delivery_id("X-Shopify-Event-Id")
                .event_type("X-Shopify-Topic"),
        )
        .base64()
        .signed_content([SignedPart::Body])
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::Shopify)
}
