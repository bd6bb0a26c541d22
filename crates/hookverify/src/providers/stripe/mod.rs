//! Stripe: the event object `{ "id", "type", "created", "data": { "object" }, ... }`.
//!
//! [`Event`] accepts every type (Stripe has hundreds) and keeps `data.object` raw; read it with
//! [`Event::object_as`]. Idempotency key: the body's `id` (`evt_...`).

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{IdempotencyRule, Scheme};

/// Stripe's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "stripe",
    aliases: &[],
    title: "Stripe",
    source: "Stripe webhook signing documentation; stripe-node tests",
    confidence: Confidence::Documented,
    headers: "`Stripe-Signature: t=<ts>,v1=<hex>[,v1=…][,v0=…]`",
    signed: "`{t}.{body}`",
    signature: "hex, every `v1` tried, `v0` ignored",
    secret: "the whole `whsec_…` string",
    timestamp: "in the header, seconds, ±300 s",
    idempotency_key: "body `id`",
};

/// Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=...]`; every `v1` is tried, `v0` and
/// other schemes ignored. Signs `{t}.{body}` with the whole `whsec_...` string as the key;
/// ±5 minutes. Idempotency key: the body's `id`.
pub fn scheme() -> Scheme {
    Scheme::custom("stripe")
        .signature_header("Stripe-Signature")
        .key_value("t", "v1")
        .hex()
        .idempotency(IdempotencyRule::BodyField {
            fields: &["id"],
            then_header: false,
            then_body_hash: false,
        })
        .builtin(Provider::Stripe)
}
