//! [`Verified`]: what a successful verification established.

use std::fmt;

use arrayvec::ArrayString;

#[cfg(feature = "events")]
use crate::headers::{HeaderLookup, Headers};
use crate::providers::Provider;
#[cfg(feature = "events")]
use crate::scheme::{HeaderName, Scheme};
use crate::scheme::{IdempotencyRule, Name};
use crate::timestamp::Timestamp;

/// Ids and event types up to this many bytes are kept inline: no heap allocation per request.
const INLINE: usize = 62;

/// A short header value, inline when it fits (delivery ids, UUIDs, event types), else boxed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Text {
    Inline(ArrayString<INLINE>),
    Heap(Box<str>),
}

impl Text {
    pub(crate) fn new(value: &str) -> Text {
        ArrayString::from(value).map_or_else(|_| Text::Heap(Box::from(value)), Text::Inline)
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            Text::Inline(text) => text.as_str(),
            Text::Heap(text) => text,
        }
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// What a successful verification established.
///
/// Everything here comes from the verified request: the id and timestamp were signed (when the
/// scheme signs them), the event type and delivery id come from headers of a request whose
/// signature matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub(crate) scheme: Name,
    pub(crate) provider: Option<Provider>,
    pub(crate) id: Option<Text>,
    pub(crate) timestamp: Option<Timestamp>,
    pub(crate) secret_index: usize,
    pub(crate) event_type: Option<Text>,
    pub(crate) idempotency: IdempotencyRule,
}

impl Verified {
    /// The scheme's name.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The built-in provider, if the scheme is one.
    pub fn provider(&self) -> Option<Provider> {
        self.provider
    }

    /// The message or delivery id (`webhook-id`, `X-Webhook-Delivery-Id`, `X-GitHub-Delivery`,
    /// `x-webhook-event-id`), when the scheme has one and it was sent.
    pub fn id(&self) -> Option<&str> {
        self.id.as_ref().map(Text::as_str)
    }

    /// The signed timestamp, for schemes that carry one.
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.timestamp
    }

    /// Which secret matched: its 0-based position in the order secrets were added to the
    /// builder (0 is the first secret).
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }

    /// The event type from headers (`X-Webhook-Event`, `X-GitHub-Event`, ...), when present.
    pub fn event_type(&self) -> Option<&str> {
        self.event_type.as_ref().map(Text::as_str)
    }

    /// The idempotency key when the scheme takes it from headers alone (Standard Webhooks,
    /// Sendable, AutoSend, GitHub, custom schemes with an id header).
    ///
    /// `None` when the rule needs the body (SendPilot `eventId`, Stripe `id`, Sent, SendKit):
    /// the full rule is applied by parsing, see
    /// [`Parsed::idempotency_key`](crate::Parsed::idempotency_key), and
    /// [`Verified::idempotency_rule`] says where the key comes from.
    pub fn idempotency_key_from_headers(&self) -> Option<&str> {
        match self.idempotency {
            IdempotencyRule::DeliveryIdHeader => self.id(),
            _ => None,
        }
    }

    /// Where this scheme's idempotency key comes from.
    pub fn idempotency_rule(&self) -> IdempotencyRule {
        self.idempotency
    }

    /// Metadata read from headers *without* any verification, for `dangerous` only: the id and
    /// event type of the first header set that has them; no timestamp, secret index 0.
    #[cfg(feature = "events")]
    pub(crate) fn unverified<H: Headers + ?Sized>(scheme: &Scheme, headers: &H) -> Self {
        let spec = &*scheme.spec;
        let text = |name: &HeaderName| match headers.lookup_key(&name.key) {
            HeaderLookup::One(value) => std::str::from_utf8(value).ok().map(Text::new),
            HeaderLookup::Missing | HeaderLookup::Repeated => None,
        };
        let id = spec
            .header_sets
            .iter()
            .find_map(|set| set.delivery_id.as_ref().and_then(|(name, _)| text(name)));
        let event_type = spec
            .header_sets
            .iter()
            .find_map(|set| set.event_type.as_ref().and_then(&text));
        Verified {
            scheme: spec.name.clone(),
            provider: spec.provider,
            id,
            timestamp: None,
            secret_index: 0,
            event_type,
            idempotency: spec.idempotency,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_inline_up_to_the_limit_and_boxed_beyond() {
        let short = "a".repeat(INLINE);
        assert!(matches!(Text::new(&short), Text::Inline(_)));
        assert_eq!(Text::new(&short).as_str(), short);
        let long = "b".repeat(INLINE + 1);
        assert!(matches!(Text::new(&long), Text::Heap(_)));
        assert_eq!(Text::new(&long).as_str(), long);
        assert_eq!(format!("{:?}", Text::new("x")), "\"x\"");
    }
}
