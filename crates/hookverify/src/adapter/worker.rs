//! What every inbox backend's workers share: the stored event a handler sees, how a handler
//! fails, and the retry delays (`hookverify-postgres` and `hookverify-redis` use these).

use bytes::Bytes;

use crate::{ParseError, Parsed, Provider, ProviderEvent, dangerous};

/// One stored event, as a worker's handler sees it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct InboxEvent {
    /// The backend's id for it (a Postgres row id, a Redis stream entry id), for logs.
    pub id: String,
    /// `provider:idempotency-key`.
    pub key: String,
    /// The provider slug it was accepted for.
    pub provider: String,
    /// The event type as sent.
    pub event_type: String,
    /// The verified raw body.
    pub body: Bytes,
    /// The request headers kept with it ([`kept_header`](super::kept_header)).
    pub headers: Vec<(String, String)>,
    /// This attempt's number, from 1.
    pub attempt: u32,
}

impl InboxEvent {
    /// An event, for backends and tests.
    pub fn new(
        id: impl Into<String>,
        key: impl Into<String>,
        provider: impl Into<String>,
        event_type: impl Into<String>,
        body: impl Into<Bytes>,
        headers: Vec<(String, String)>,
        attempt: u32,
    ) -> Self {
        InboxEvent {
            id: id.into(),
            key: key.into(),
            provider: provider.into(),
            event_type: event_type.into(),
            body: body.into(),
            headers,
            attempt,
        }
    }

    /// The idempotency key without the provider prefix.
    pub fn idempotency_key(&self) -> &str {
        self.key
            .split_once(':')
            .map_or(self.key.as_str(), |(_, key)| key)
    }

    /// The provider, when [`InboxEvent::provider`] names a built-in one: call
    /// [`Provider::visit`] with it to get the provider's event type (typed dispatch without a
    /// `match` of your own), then [`InboxEvent::parse`].
    pub fn builtin_provider(&self) -> Option<Provider> {
        self.provider.parse().ok()
    }

    /// Parses the stored body into `E`, a provider's typed event (typed dispatch: call it with
    /// the event type of [`InboxEvent::provider`]). The body verified when it was accepted, so
    /// it is not verified again; the body is shared, not copied.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when the body is not an `E`.
    pub fn parse<E: ProviderEvent>(&self) -> Result<Parsed<E>, ParseError> {
        dangerous::parse_unverified::<E>(&E::PROVIDER.scheme(), &self.headers, self.body.clone())
    }
}

/// How a handler failed: temporary failures are retried with backoff, permanent ones go
/// straight to the dead letters.
#[derive(Debug)]
#[non_exhaustive]
pub enum HandlerError {
    /// Retry later (a dependency is down).
    Temporary(String),
    /// Retrying will not help (the event refers to nothing we know).
    Permanent(String),
}

impl HandlerError {
    /// The message, and whether the failure is permanent.
    pub fn into_parts(self) -> (String, bool) {
        match self {
            HandlerError::Temporary(message) => (message, false),
            HandlerError::Permanent(message) => (message, true),
        }
    }
}

impl std::fmt::Display for HandlerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HandlerError::Temporary(message) => write!(f, "temporary failure: {message}"),
            HandlerError::Permanent(message) => write!(f, "permanent failure: {message}"),
        }
    }
}

impl std::error::Error for HandlerError {}

/// Retry delays: `base * 2^(attempt-1)`, capped, with ±`jitter` of it at random.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Backoff {
    /// The first retry's delay.
    pub base: std::time::Duration,
    /// The longest delay.
    pub max: std::time::Duration,
    /// Random spread, as a fraction of the delay (0.0 to 1.0).
    pub jitter: f64,
}

impl Default for Backoff {
    /// 1 s, doubling, capped at 1 h, ±20 %.
    fn default() -> Self {
        Backoff {
            base: std::time::Duration::from_secs(1),
            max: std::time::Duration::from_secs(3600),
            jitter: 0.2,
        }
    }
}

impl Backoff {
    /// A backoff starting at `base`, capped at `max`, ±`jitter`.
    pub fn new(base: std::time::Duration, max: std::time::Duration, jitter: f64) -> Self {
        Backoff {
            base,
            max,
            jitter: jitter.clamp(0.0, 1.0),
        }
    }

    /// The delay after failed attempt number `attempt` (from 1).
    pub fn delay(&self, attempt: u32) -> std::time::Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        let delay = self.base.saturating_mul(1_u32 << exponent).min(self.max);
        let mut random = [0u8; 8];
        // Without randomness, no jitter: still a valid delay.
        let unit = getrandom::fill(&mut random)
            .map(|()| (u64::from_le_bytes(random) >> 11) as f64 / (1_u64 << 53) as f64)
            .unwrap_or(0.5);
        delay.mul_f64((1.0 - self.jitter + 2.0 * self.jitter * unit).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_up_to_its_cap_within_the_jitter() {
        let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(10), 0.2);
        for (attempt, expected) in [
            (1, 1.0),
            (2, 2.0),
            (3, 4.0),
            (4, 8.0),
            (5, 10.0),
            (40, 10.0),
        ] {
            let delay = backoff.delay(attempt).as_secs_f64();
            assert!(
                delay >= expected * 0.8 - 1e-9 && delay <= expected * 1.2 + 1e-9,
                "attempt {attempt}: {delay}"
            );
        }
        let exact = Backoff::new(Duration::from_millis(5), Duration::from_secs(1), 0.0);
        assert_eq!(exact.delay(1), Duration::from_millis(5));
        assert_eq!(exact.delay(3), Duration::from_millis(20));
    }

    #[test]
    fn the_idempotency_key_drops_the_provider_prefix() {
        let event = InboxEvent::new(
            "1",
            "stripe:evt_1",
            "stripe",
            "t",
            &b"{}"[..],
            Vec::new(),
            1,
        );
        assert_eq!(event.idempotency_key(), "evt_1");
        assert_eq!(event.builtin_provider(), Some(Provider::Stripe));
    }
}
