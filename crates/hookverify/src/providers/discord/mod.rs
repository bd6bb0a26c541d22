//! Discord interactions: an ed25519 signature of the timestamp followed by the body, hex in
//! `X-Signature-Ed25519`, the timestamp in `X-Signature-Timestamp`, checked against the
//! application's public key (hex, from the developer portal). The body's `type` says what the
//! interaction is (`1` is the endpoint check: answer `{"type":1}`).

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, IdempotencyRule, Scheme, SignedPart};
use crate::secret::SecretEncoding;

/// Discord's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "discord",
    aliases: &["discord-interactions"],
    title: "Discord interactions",
    source: "Discord docs, \"Receiving and responding: security and authorization\"; signed as discord/discord-interactions-js src/__tests__/utils/SharedTestUtils.ts does; computed vectors",
    confidence: Confidence::Documented,
    headers: "`X-Signature-Ed25519: <hex>`, `X-Signature-Timestamp`",
    signed: "`{ts}{body}`",
    signature: "hex ed25519",
    secret: "the application's public key, hex",
    timestamp: "header, seconds, ±300 s (Discord's SDKs check none; Discord does not retry)",
    idempotency_key: "body field `id` (the interaction's id)",
};

/// Discord: `X-Signature-Ed25519: <hex ed25519(timestamp + body)>`, verified with the
/// application's hex public key. The idempotency key is the interaction's `id`.
///
/// ```
/// use hookverify::sign::{Message, Signer};
/// use hookverify::{Scheme, Verifier};
///
/// // A test private key (the ed25519 seed, hex); Discord keeps the real one.
/// let signer = Signer::new(&Scheme::discord(), &"9d".repeat(32))?;
/// let public_key = signer.verifying_secret().unwrap(); // hex, as the developer portal shows it
/// let body: &[u8] = br#"{"id":"787053080478613555","type":1,"version":1}"#;
/// let headers = signer.sign(&Message::new(body))?;
/// let verifier = Verifier::new(Scheme::discord(), public_key)?;
/// assert!(verifier.verify(&headers, body).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scheme() -> Scheme {
    Scheme::custom("discord")
        .header_names(HeaderNames::new("X-Signature-Ed25519").timestamp("X-Signature-Timestamp"))
        .hex()
        .key_encoding(SecretEncoding::Ed25519Hex)
        .signed_content([SignedPart::Timestamp, SignedPart::Body])
        .idempotency(IdempotencyRule::BodyField {
            fields: &["id"],
            then_header: false,
            then_body_hash: true,
        })
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::Discord)
}
