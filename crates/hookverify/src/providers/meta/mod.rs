//! Meta (WhatsApp Cloud API, Messenger, Instagram): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(body)>` keyed with the app secret; no timestamp. The event type is the first change's `field` (`messages`), else the body's `object` (`whatsapp_business_account`); Meta sends no delivery id, so the idempotency key is the body's hash (a retry repeats the bytes). The subscription check (`hub.challenge`, a GET) is not a signed delivery.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{IdempotencyRule, Scheme, SignedPart};

/// Meta (WhatsApp Cloud API, Messenger, Instagram)'s names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "meta",
    aliases: &["whatsapp", "facebook"],
    title: "Meta (WhatsApp Cloud API, Messenger, Instagram)",
    source: "Meta for Developers docs, \"Webhooks: validate payloads\"; computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-Hub-Signature-256: sha256=<hex>`",
    signed: "body",
    signature: "hex",
    secret: "the app secret, its bytes",
    timestamp: "none",
    idempotency_key: "the body's SHA-256 (Meta sends no delivery id)",
};

/// Meta (WhatsApp Cloud API, Messenger, Instagram): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(body)>` keyed with the app secret; no timestamp. The event type is the first change's `field` (`messages`), else the body's `object` (`whatsapp_business_account`); Meta sends no delivery id, so the idempotency key is the body's hash (a retry repeats the bytes). The subscription check (`hub.challenge`, a GET) is not a signed delivery.
pub fn scheme() -> Scheme {
    Scheme::custom("meta")
        .signature_header("X-Hub-Signature-256")
        .signature_prefix("sha256=", true)
        .hex()
        .signed_content([SignedPart::Body])
        .idempotency(IdempotencyRule::BodyHash)
        .builtin(Provider::Meta)
}
