//! Linear: `Linear-Signature: <hex HMAC-SHA256(body)>` keyed with the webhook's signing secret. Linear puts its timestamp inside the signed body (`webhookTimestamp`, milliseconds): it is covered by the signature, but its age is not checked here (compare it with your clock within a minute, as Linear suggests). The event type is the body's `type` (`Issue`), the idempotency key `Linear-Delivery`.

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

/// Linear's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "linear",
    aliases: &[],
    title: "Linear",
    source: "Linear developers docs, \"Webhooks: securing webhooks\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`Linear-Signature: <hex>`, `Linear-Delivery`",
    signed: "body",
    signature: "hex",
    secret: "the webhook's signing secret, its bytes",
    timestamp: "none checked here: the signed body's `webhookTimestamp` (ms) is left to the handler",
    idempotency_key: "`Linear-Delivery`, else the body's SHA-256",
};

/// Linear: `Linear-Signature: <hex HMAC-SHA256(body)>` keyed with the webhook's signing secret. Linear puts its timestamp inside the signed body (`webhookTimestamp`, milliseconds): it is covered by the signature, but its age is not checked here (compare it with your clock within a minute, as Linear suggests). The event type is the body's `type` (`Issue`), the idempotency key `Linear-Delivery`.
pub fn scheme() -> Scheme {
    Scheme::custom("linear")
        .header_names(HeaderNames::new("Linear-Signature").optional_delivery_id("Linear-Delivery"))
        .hex()
        .signed_content([SignedPart::Body])
        .builtin(Provider::Linear)
}
