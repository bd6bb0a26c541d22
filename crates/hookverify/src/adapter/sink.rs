//! "Accept into the inbox": where an adapter's no-handler route puts verified events, for
//! workers to process in the background (`hookverify-postgres`'s `Inbox`, or any store).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::idempotency::StoreError;

/// A boxed, `Send` future.
pub type SinkFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One verified, parsed event to store: what a worker needs to parse it again.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct InboxEntry<'a> {
    /// The provider's slug (`sendable`, `stripe`, ...).
    pub provider: &'a str,
    /// The event type as sent.
    pub event_type: &'a str,
    /// The idempotency key (without a provider prefix): duplicates collapse on it.
    pub idempotency_key: &'a str,
    /// The exact verified body.
    pub body: &'a [u8],
    /// The request's headers, minus credentials ([`kept_header`]).
    pub headers: &'a [(String, String)],
}

impl<'a> InboxEntry<'a> {
    /// An entry.
    pub fn new(
        provider: &'a str,
        event_type: &'a str,
        idempotency_key: &'a str,
        body: &'a [u8],
        headers: &'a [(String, String)],
    ) -> Self {
        InboxEntry {
            provider,
            event_type,
            idempotency_key,
            body,
            headers,
        }
    }
}

/// What [`EventSink::accept`] did. Both answer 200: the event is durably stored either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Accepted {
    /// Stored for the workers.
    New,
    /// An event with this key is stored already.
    Duplicate,
}

impl Accepted {
    /// The body the accept routes answer 200 with.
    pub fn answer(self) -> &'static str {
        match self {
            Accepted::Duplicate => "duplicate: already accepted",
            Accepted::New => "accepted",
        }
    }
}

/// Durable storage for verified events, behind the adapters' accept-into-the-inbox routes.
///
/// The route answers 2xx only after `accept` returned `Ok` (the event is committed), and 503
/// with `Retry-After` on an error, so the provider retries and nothing acknowledged is lost.
pub trait EventSink: Send + Sync + 'static {
    /// Stores `entry` unless its idempotency key is there already.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the storage cannot be reached.
    fn accept<'a>(&'a self, entry: InboxEntry<'a>) -> SinkFuture<'a, Result<Accepted, StoreError>>;
}

impl<S: EventSink + ?Sized> EventSink for Arc<S> {
    fn accept<'a>(&'a self, entry: InboxEntry<'a>) -> SinkFuture<'a, Result<Accepted, StoreError>> {
        (**self).accept(entry)
    }
}

/// Whether a request header is stored with an event: everything but credentials
/// (`Authorization`, `Proxy-Authorization`, `Cookie`), which a worker never needs.
pub fn kept_header(name: &str) -> bool {
    !["authorization", "proxy-authorization", "cookie"]
        .iter()
        .any(|secret| name.eq_ignore_ascii_case(secret))
}

/// A shared [`EventSink`] for a router's state or an app's data: what the adapters'
/// accept-into-the-inbox routes read.
#[derive(Clone)]
pub struct InboxSink(Arc<dyn EventSink>);

impl InboxSink {
    /// Wraps `sink`.
    pub fn new(sink: impl EventSink) -> Self {
        InboxSink(Arc::new(sink))
    }

    /// Stores `entry` in the wrapped sink.
    ///
    /// # Errors
    ///
    /// The sink's [`StoreError`]: answer 503.
    pub async fn accept(&self, entry: InboxEntry<'_>) -> Result<Accepted, StoreError> {
        self.0.accept(entry).await
    }
}

impl InboxSink {
    /// What both adapters' accept routes do once the request verified and parsed: stores event
    /// `event_type` of provider `E` with its key, body and the request's kept headers.
    ///
    /// # Errors
    ///
    /// [`Rejection::StoreUnavailable`](super::Rejection::StoreUnavailable) (503 with `Retry-After`) when the sink cannot store it.
    pub async fn store<E: crate::ProviderEvent>(
        &self,
        event_type: &str,
        idempotency_key: &str,
        body: &[u8],
        headers: &[(String, String)],
    ) -> Result<Accepted, super::Rejection> {
        let entry = InboxEntry::new(
            E::PROVIDER.name(),
            event_type,
            idempotency_key,
            body,
            headers,
        );
        self.accept(entry)
            .await
            .map_err(super::Rejection::StoreUnavailable)
    }
}

impl std::fmt::Debug for InboxSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboxSink").finish_non_exhaustive()
    }
}

/// The headers to store with an event: every `(name, value)` pair that [`kept_header`] keeps
/// and whose value is text.
pub fn kept_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Vec<(String, String)> {
    headers
        .into_iter()
        .filter(|(name, _)| kept_header(name))
        .filter_map(|(name, value)| {
            Some((name.to_owned(), std::str::from_utf8(value).ok()?.to_owned()))
        })
        .collect()
}
