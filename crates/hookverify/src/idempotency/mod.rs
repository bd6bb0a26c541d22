//! Idempotency: process each event once, and never acknowledge one that was not processed.
//!
//! Delivery is at-least-once, and a plain "seen" set loses events: if the id is recorded and the
//! handler then fails, the provider's retry is skipped. So the store works with *leases*:
//!
//! 1. [`IdempotencyStore::claim`] the event's key for a lease: [`ClaimOutcome::New`] (go ahead),
//!    [`ClaimOutcome::InProgress`] (another delivery holds it: answer 409 so the provider retries
//!    later), or [`ClaimOutcome::Done`] (already processed: answer 200, do nothing);
//! 2. on success, [`complete`](IdempotencyStore::complete) the claim, which keeps a done-marker
//!    for the provider's retry horizon; on failure, [`release`](IdempotencyStore::release) it so
//!    the retry is processed;
//! 3. a lease neither completed nor released (a crashed process) expires by itself.
//!
//! Every claim carries a fencing token: a claimer whose lease expired and was re-claimed by
//! someone else gets [`StoreError::ClaimLost`] and cannot complete or release the new claim.
//!
//! [`Idempotency::run`] runs that state machine around a handler, so users never write it.
//! [`MemoryStore`] is the embedded store; `hookverify-redis` shares state across machines.
//!
//! # Choosing the lease
//!
//! The lease ([`DEFAULT_LEASE`], 60 s) must be longer than the handler ever runs: a handler still
//! working when its lease ends can be overtaken by a retry and the event processed twice. It is
//! also how long a claim left by a crashed process blocks its event; while it does, the adapters
//! answer 409 with `Retry-After` set to the time the claim has left (stores that can tell,
//! [`IdempotencyStore::lease_remaining`]: memory and Redis), so the provider comes back when
//! the event can be processed. Providers retry on their own schedules, all far longer than a
//! minute (Standard Webhooks/Svix: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; Stripe: for up
//! to three days with exponential backoff), so a crashed delivery is processed on a later retry.
//! GitHub does not retry by itself: redeliver from its settings page. The done-marker
//! ([`DEFAULT_KEEP_FOR`], 24 h) should outlast the provider's retry horizon (Stripe: 3 days).
//!
//! A done-marker write the store does not confirm (an outage, or a reply lost after the write) is
//! tried again three times within about a second by the adapters; if it still fails, the event
//! may be processed again once its lease ends, and a warning says so.
//!
//! # Why `impl Future` in the trait
//!
//! The store trait uses native `async` trait methods (written as `fn ... -> impl Future + Send`,
//! stable since Rust 1.75) rather than `async-trait` boxes: no allocation per call and no runtime
//! dependency, and the `+ Send` bound lets the futures run on multi-threaded runtimes. The cost is
//! that the trait is not object-safe; adapters are generic over the store instead.

mod memory;

#[cfg(feature = "conformance")]
#[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
pub mod conformance;

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt as _;

pub use memory::{
    Clock, DEFAULT_CAPACITY, ManualClock, MemoryStore, MemoryStoreBuilder, SystemClock,
};

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store cannot be reached (Redis down, timed out). Adapters answer 503 so the provider
    /// retries: never 200 for an event that was not processed.
    #[error("the idempotency store is unavailable: {reason}")]
    Unavailable {
        /// What failed, in words (`no answer from Redis within 2s`).
        reason: String,
        /// The backend's own error, when there is one (a `redis::RedisError`, ...).
        #[source]
        source: Option<BackendError>,
    },
    /// The in-memory store is full of live claims and done-markers it must not forget.
    #[error("the idempotency store is full ({capacity} entries, all live)")]
    Full {
        /// The configured capacity.
        capacity: usize,
    },
    /// The claim's lease expired and the key was claimed again (or completed, or released):
    /// this claim can no longer complete or release it.
    #[error("the claim was lost: its lease expired and the key was claimed again")]
    ClaimLost,
}

impl StoreError {
    /// [`StoreError::Unavailable`] with no underlying error (a timeout, an unexpected reply).
    pub fn unavailable(reason: impl Into<String>) -> Self {
        StoreError::Unavailable {
            reason: reason.into(),
            source: None,
        }
    }

    /// [`StoreError::Unavailable`] caused by the backend's error `source`, kept as the
    /// [`Error::source`](std::error::Error::source) of the result.
    pub fn backend(
        reason: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        StoreError::Unavailable {
            reason: reason.into(),
            source: Some(BackendError(Arc::new(source))),
        }
    }
}

/// A store backend's own error, shared so [`StoreError`] stays `Clone`. Two are equal when they
/// print the same.
#[derive(Clone)]
pub struct BackendError(Arc<dyn std::error::Error + Send + Sync>);

impl BackendError {
    /// The backend's error.
    pub fn get(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl fmt::Debug for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for BackendError {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for BackendError {}

/// A held lease on one key, with its fencing token.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Claim {
    key: Arc<str>,
    token: u64,
}

impl Claim {
    /// A claim on `key` with fencing token `token` (for store implementations).
    pub fn new(key: impl Into<Arc<str>>, token: u64) -> Self {
        Claim {
            key: key.into(),
            token,
        }
    }

    /// The claimed key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The fencing token: unique per successful claim of a key.
    pub fn token(&self) -> u64 {
        self.token
    }

    pub(crate) fn shared_key(&self) -> &Arc<str> {
        &self.key
    }
}

/// The result of [`IdempotencyStore::claim`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "a `New` claim must be completed or released"]
pub enum ClaimOutcome {
    /// Nobody holds the key: the caller holds it now and must complete or release the claim.
    New(Claim),
    /// Another delivery holds a live lease on the key.
    InProgress,
    /// The key was processed; its done-marker is still kept.
    Done,
}

/// A store of claims and done-markers, atomic across threads (and, for shared backends, across
/// processes). See the [module docs](self) for the state machine.
pub trait IdempotencyStore: Send + Sync {
    /// Claims `key` for `lease` unless it is held or done.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] or [`StoreError::Full`]: the caller must not process the event
    /// (answer 503), and must not treat it as new.
    fn claim(
        &self,
        key: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<ClaimOutcome, StoreError>> + Send;

    /// Marks the claimed key done, keeping the marker for `keep_for`.
    ///
    /// # Errors
    ///
    /// [`StoreError::ClaimLost`] when the claim's lease expired and someone else claimed the key;
    /// [`StoreError::Unavailable`] when the store cannot be reached.
    fn complete(
        &self,
        claim: &Claim,
        keep_for: Duration,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Forgets the claim so the next delivery of the key is processed.
    ///
    /// # Errors
    ///
    /// [`StoreError::ClaimLost`] when the claim no longer holds the key (nothing is changed then);
    /// [`StoreError::Unavailable`] when the store cannot be reached (the lease then expires by
    /// itself).
    fn release(&self, claim: &Claim) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// How long the live claim on `key` has left, when the store can tell (`None` when it
    /// cannot, or when the key is not claimed). Adapters answer a delivery that finds the key
    /// in progress with this as `Retry-After`, so a claim left by a crashed handler is retried
    /// when it expires rather than every few seconds. The default tells nothing.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the store cannot be reached.
    fn lease_remaining(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Duration>, StoreError>> + Send {
        let _ = key;
        std::future::ready(Ok(None))
    }
}

impl<S: IdempotencyStore + ?Sized> IdempotencyStore for Arc<S> {
    fn claim(
        &self,
        key: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<ClaimOutcome, StoreError>> + Send {
        (**self).claim(key, lease)
    }

    fn complete(
        &self,
        claim: &Claim,
        keep_for: Duration,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        (**self).complete(claim, keep_for)
    }

    fn release(&self, claim: &Claim) -> impl Future<Output = Result<(), StoreError>> + Send {
        (**self).release(claim)
    }

    fn lease_remaining(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Duration>, StoreError>> + Send {
        (**self).lease_remaining(key)
    }
}

/// How a handler failed, which decides whether the provider should retry.
///
/// Providers retry on non-2xx answers. A *temporary* failure (a database down, a timeout)
/// should be retried: the claim is released and the adapter answers 503. A *permanent* failure
/// (the event refers to an account you deleted) would fail again on every retry: the claim is
/// completed, the failure logged, and the adapter answers 200 so the provider stops.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure<E> {
    /// Retry later: release the claim, answer 503.
    Temporary(E),
    /// Do not retry: complete the claim, log, answer 200.
    Permanent(E),
}

impl<E> Failure<E> {
    /// The error inside.
    pub fn into_inner(self) -> E {
        match self {
            Failure::Temporary(e) | Failure::Permanent(e) => e,
        }
    }
}

/// What [`Idempotency::run`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome<T, E> {
    /// The handler ran and succeeded; the key is done.
    Processed(T),
    /// The handler reported a permanent failure; the key is done so the provider stops retrying.
    FailedPermanently(E),
    /// The key was already processed: the handler was not called.
    Duplicate,
    /// Another delivery of the same event is being processed: the handler was not called.
    InProgress,
}

/// Why [`Idempotency::run`] did not produce an [`Outcome`]: both mean "answer non-2xx so the
/// provider retries".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RunError<E> {
    /// The store failed before the handler ran; nothing ran.
    #[error("idempotency store: {0}")]
    Store(StoreError),
    /// The handler reported a temporary failure; the claim was released.
    #[error("temporary failure")]
    Temporary(E),
}

/// Default lease: longer than any provider's delivery timeout (SendPilot 30 s, AutoSend 10 s).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
/// Default time a done-marker is kept: past every documented retry horizon (the longest is
/// SendPilot's: 1 hour after the first attempt; Svix retries for about a day).
pub const DEFAULT_KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// Runs claim → handler → complete or release around a handler, for any store.
///
/// ```
/// use hookverify::idempotency::{Failure, Idempotency, MemoryStore, Outcome};
///
/// # futures_executor::block_on(async {
/// let idempotency = Idempotency::new(MemoryStore::new());
/// let first = idempotency.run("stripe:evt_1", || async { Ok::<_, Failure<String>>("sent the receipt") }).await;
/// assert_eq!(first, Ok(Outcome::Processed("sent the receipt")));
/// let again = idempotency.run("stripe:evt_1", || async { Ok::<_, Failure<String>>("sent it twice!") }).await;
/// assert_eq!(again, Ok(Outcome::Duplicate));
/// # });
/// ```
#[derive(Clone, Debug)]
pub struct Idempotency<S> {
    store: S,
    lease: Duration,
    keep_for: Duration,
}

impl<S: IdempotencyStore> Idempotency<S> {
    /// With the default lease (60 s) and done-marker lifetime (24 h).
    pub fn new(store: S) -> Self {
        Idempotency {
            store,
            lease: DEFAULT_LEASE,
            keep_for: DEFAULT_KEEP_FOR,
        }
    }

    /// How long a claim holds the key before it expires on its own (a crashed handler).
    #[must_use]
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long a done-marker is kept (at least the provider's retry horizon).
    #[must_use]
    pub fn keep_for(mut self, keep_for: Duration) -> Self {
        self.keep_for = keep_for;
        self
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The lease in force.
    pub fn lease_duration(&self) -> Duration {
        self.lease
    }

    /// The done-marker lifetime in force.
    pub fn keep_duration(&self) -> Duration {
        self.keep_for
    }

    /// Claims `key`; runs `handler` only for a new claim; completes on success or permanent
    /// failure; releases on temporary failure *and on panic* (then resumes the panic), so the
    /// provider's retry is processed.
    ///
    /// A failure to complete *after* the handler succeeded is logged (`tracing`, warn) and not
    /// returned: the work is done, and the lease expiring is the worst case.
    ///
    /// # Errors
    ///
    /// [`RunError::Store`] when the claim could not be made (nothing ran), and
    /// [`RunError::Temporary`] when the handler failed temporarily (the claim was released).
    pub async fn run<T, E, F, Fut>(
        &self,
        key: &str,
        handler: F,
    ) -> Result<Outcome<T, E>, RunError<E>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, Failure<E>>>,
    {
        let claim = match self.store.claim(key, self.lease).await {
            Ok(ClaimOutcome::New(claim)) => claim,
            Ok(ClaimOutcome::Done) => return Ok(Outcome::Duplicate),
            Ok(ClaimOutcome::InProgress) => return Ok(Outcome::InProgress),
            Err(err) => return Err(RunError::Store(err)),
        };
        let result = AssertUnwindSafe(handler()).catch_unwind().await;
        match result {
            Ok(Ok(value)) => {
                self.complete(&claim).await;
                Ok(Outcome::Processed(value))
            }
            Ok(Err(Failure::Permanent(err))) => {
                tracing::warn!(
                    key,
                    "webhook handler failed permanently; the event will not be retried"
                );
                self.complete(&claim).await;
                Ok(Outcome::FailedPermanently(err))
            }
            Ok(Err(Failure::Temporary(err))) => {
                self.release(&claim).await;
                Err(RunError::Temporary(err))
            }
            Err(panic) => {
                self.release(&claim).await;
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// Completes `claim`, logging (not returning) a failure: used once the handler has run.
    pub async fn complete(&self, claim: &Claim) {
        if let Err(err) = self.store.complete(claim, self.keep_for).await {
            tracing::warn!(key = claim.key(), error = %err, "could not mark a processed webhook as done");
        }
    }

    /// Releases `claim`, logging (not returning) a failure: the lease then expires by itself.
    pub async fn release(&self, claim: &Claim) {
        if let Err(err) = self.store.release(claim).await {
            tracing::warn!(key = claim.key(), error = %err, "could not release a webhook claim; it expires with its lease");
        }
    }
}
