//! Twitch EventSub (webhook transport): HMAC-SHA256 of the message id, the RFC 3339 timestamp
//! and the body, `Twitch-Eventsub-Message-Signature: sha256=<hex>`. Three message types share
//! the scheme (`Twitch-Eventsub-Message-Type`): `notification`, `webhook_callback_verification`
//! (answer 200 with the body's `challenge` as plain text) and `revocation`.

#[cfg(feature = "events")]
mod events;
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::*;

#[cfg(feature = "events")]
#[doc = "The typed event the registry dispatches to: [`Payload`]."]
pub type Event = Payload;

use std::time::Duration;

use crate::providers::{Confidence, Provider, ProviderInfo};
use crate::scheme::{HeaderNames, IdFormat, Scheme, SignedPart};
use crate::timestamp::{TimestampUnit, Tolerance};

/// Twitch's names and documentation row.
pub const INFO: ProviderInfo = ProviderInfo {
    slug: "twitch",
    aliases: &["twitch-eventsub"],
    title: "Twitch EventSub",
    source: "Twitch docs, \"Handling webhook events\" (verifying the event message); computed vectors",
    confidence: Confidence::Documented,
    headers: "`Twitch-Eventsub-Message-Signature: sha256=<hex>`, `Twitch-Eventsub-Message-Id`, `Twitch-Eventsub-Message-Timestamp`, `Twitch-Eventsub-Subscription-Type`",
    signed: "`{id}{ts}{body}`",
    signature: "hex",
    secret: "the subscription's secret, its bytes",
    timestamp: "header, RFC 3339, 10 min back (Twitch's advice), 60 s ahead",
    idempotency_key: "`Twitch-Eventsub-Message-Id`",
};

/// Twitch EventSub: `sha256=<hex HMAC-SHA256(id + timestamp + body)>` keyed with the secret
/// given when subscribing. The timestamp is RFC 3339 with nanoseconds; Twitch tells receivers to
/// refuse messages older than 10 minutes (60 s ahead is allowed for clock skew). The message id
/// is the idempotency key (a retry carries the same one); the event type is
/// `Twitch-Eventsub-Subscription-Type` (`channel.follow`).
pub fn scheme() -> Scheme {
    Scheme::custom("twitch")
        .header_names(
            HeaderNames::new("Twitch-Eventsub-Message-Signature")
                .id("Twitch-Eventsub-Message-Id")
                .timestamp("Twitch-Eventsub-Message-Timestamp")
                .event_type("Twitch-Eventsub-Subscription-Type"),
        )
        .signature_prefix("sha256=", true)
        .hex()
        .timestamp_unit(TimestampUnit::Rfc3339)
        .signed_content([SignedPart::Id, SignedPart::Timestamp, SignedPart::Body])
        .tolerance(Tolerance::new(
            Duration::from_secs(600),
            Duration::from_secs(60),
        ))
        .signing_header("Twitch-Eventsub-Message-Type", "notification")
        .generated_ids(IdFormat::Uuid)
        .builtin(Provider::Twitch)
}
