//! The per-request idempotency state machine shared by the adapters, over a type-erased store.
//!
//! A web framework adapter installs an [`AdapterIdempotency`] (a middleware or layer), creates a
//! [`RequestSlot`] per request and puts it where its extractor finds it. The extractor, once the
//! request is verified and parsed, calls [`RequestSlot::claim`]; the middleware, once the
//! handler has answered, calls [`RequestSlot::finish`] with whether the answer was 2xx. The
//! status contract ([`crate::adapter`]) follows from [`SlotClaim`]: `Done` → 200 without the handler,
//! `InProgress` → 409 with `Retry-After`, a [`StoreError`] → 503.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::idempotency::{
    Claim, ClaimOutcome, DEFAULT_KEEP_FOR, DEFAULT_LEASE, IdempotencyStore, StoreError,
};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An object-safe view of any [`IdempotencyStore`] (one boxed future per call), so adapters
/// need not be generic over the store.
trait DynStore: Send + Sync {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<ClaimOutcome, StoreError>>;
    fn complete<'a>(
        &'a self,
        claim: &'a Claim,
        keep_for: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn release<'a>(&'a self, claim: &'a Claim) -> BoxFuture<'a, Result<(), StoreError>>;
    fn lease_remaining<'a>(
        &'a self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>>;
}

impl<S: IdempotencyStore> DynStore for S {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<ClaimOutcome, StoreError>> {
        Box::pin(IdempotencyStore::claim(self, key, lease))
    }

    fn complete<'a>(
        &'a self,
        claim: &'a Claim,
        keep_for: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(IdempotencyStore::complete(self, claim, keep_for))
    }

    fn release<'a>(&'a self, claim: &'a Claim) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(IdempotencyStore::release(self, claim))
    }

    fn lease_remaining<'a>(
        &'a self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Duration>, StoreError>> {
        Box::pin(IdempotencyStore::lease_remaining(self, key))
    }
}

/// One log line per store outage instead of one per refused request: the first failure is
/// logged at `error`, the rest counted, and the recovery logged with the count.
#[derive(Default)]
struct Outage {
    refused: AtomicU64,
    since: Mutex<Option<Instant>>,
}

impl Outage {
    fn failed(&self, err: &StoreError) {
        if self.refused.fetch_add(1, Ordering::Relaxed) == 0 {
            if let Ok(mut since) = self.since.lock() {
                *since = Some(Instant::now());
            }
            tracing::error!(error = %err, source = ?std::error::Error::source(err).map(ToString::to_string), "idempotency store unavailable: answering 503 with Retry-After until it recovers (one line per outage)");
        } else {
            tracing::debug!(error = %err, "idempotency store still unavailable: 503");
        }
    }

    fn succeeded(&self) {
        let refused = self.refused.swap(0, Ordering::Relaxed);
        if refused > 0 {
            let lasted = self
                .since
                .lock()
                .ok()
                .and_then(|mut since| since.take())
                .map(|since| since.elapsed());
            tracing::warn!(refused, lasted = ?lasted, "idempotency store reachable again; the requests refused with 503 meanwhile are retried by their senders");
        }
    }
}

/// Delays between attempts to write a done-marker the store did not confirm.
const COMPLETE_RETRIES: [Duration; 3] = [
    Duration::from_millis(50),
    Duration::from_millis(250),
    Duration::from_millis(1000),
];

struct Settings {
    store: Arc<dyn DynStore>,
    lease: Duration,
    keep_for: Duration,
    retry_after: Duration,
    outage: Arc<Outage>,
}

/// A store and the settings an adapter de-duplicates with. Cheap to clone.
#[derive(Clone)]
pub struct AdapterIdempotency {
    settings: Arc<Settings>,
}

impl std::fmt::Debug for AdapterIdempotency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdapterIdempotency")
            .field("lease", &self.settings.lease)
            .field("keep_for", &self.settings.keep_for)
            .field("retry_after", &self.settings.retry_after)
            .finish_non_exhaustive()
    }
}

impl AdapterIdempotency {
    /// De-duplicates with `store`: lease [`DEFAULT_LEASE`], done-markers kept
    /// [`DEFAULT_KEEP_FOR`], `Retry-After` 5 s.
    pub fn new(store: impl IdempotencyStore + 'static) -> Self {
        AdapterIdempotency {
            settings: Arc::new(Settings {
                store: Arc::new(store),
                lease: DEFAULT_LEASE,
                keep_for: DEFAULT_KEEP_FOR,
                retry_after: Duration::from_secs(5),
                outage: Arc::new(Outage::default()),
            }),
        }
    }

    fn map(self, f: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings {
            store: Arc::clone(&self.settings.store),
            lease: self.settings.lease,
            keep_for: self.settings.keep_for,
            retry_after: self.settings.retry_after,
            outage: Arc::clone(&self.settings.outage),
        };
        f(&mut settings);
        AdapterIdempotency {
            settings: Arc::new(settings),
        }
    }

    /// How long a claim holds an event before a crashed handler's claim expires by itself.
    #[must_use]
    pub fn lease(self, lease: Duration) -> Self {
        self.map(|s| s.lease = lease)
    }

    /// How long a processed event is remembered.
    #[must_use]
    pub fn keep_for(self, keep_for: Duration) -> Self {
        self.map(|s| s.keep_for = keep_for)
    }

    /// The `Retry-After` to answer 409 with while another delivery is processing, when the
    /// store cannot tell how long the claim has left (default 5 s). Stores that can
    /// ([`IdempotencyStore::lease_remaining`]: memory, Redis) answer with the time left.
    #[must_use]
    pub fn retry_after(self, retry_after: Duration) -> Self {
        self.map(|s| s.retry_after = retry_after)
    }

    /// A fresh slot for one request.
    pub fn slot(&self) -> RequestSlot {
        RequestSlot {
            settings: Arc::clone(&self.settings),
            claim: Arc::new(OnceLock::new()),
        }
    }
}

/// What [`RequestSlot::claim`] found: the three outcomes of the lease state machine (a closed
/// set, so adapters can match it exhaustively).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotClaim {
    /// The request holds the claim now: run the handler.
    New,
    /// Already processed: answer 200 without the handler.
    Done,
    /// Another delivery is processing it: answer 409 with this `Retry-After`.
    InProgress {
        /// The `Retry-After` to send.
        retry_after: Duration,
    },
}

/// One request's idempotency state: the claim the extractor took, for the middleware to
/// complete or release. Cheap to clone (clones share the claim).
#[derive(Clone)]
pub struct RequestSlot {
    settings: Arc<Settings>,
    claim: Arc<OnceLock<Claim>>,
}

impl std::fmt::Debug for RequestSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestSlot")
            .field("claimed", &self.claim.get().map(Claim::key))
            .finish_non_exhaustive()
    }
}

/// The store key adapters use: `{scheme}:{idempotency key}`, so providers never collide.
pub fn namespaced_key(scheme: &str, idempotency_key: &str) -> String {
    let mut key = String::with_capacity(
        scheme
            .len()
            .saturating_add(idempotency_key.len())
            .saturating_add(1),
    );
    key.push_str(scheme);
    key.push(':');
    key.push_str(idempotency_key);
    key
}

impl RequestSlot {
    /// Claims `key` for this request.
    ///
    /// # Errors
    ///
    /// The store's error: answer 503 so the provider retries.
    pub async fn claim(&self, key: &str) -> Result<SlotClaim, StoreError> {
        let outcome = self.settings.store.claim(key, self.settings.lease).await;
        match &outcome {
            Ok(_) => self.settings.outage.succeeded(),
            Err(err) => self.settings.outage.failed(err),
        }
        match outcome? {
            ClaimOutcome::New(claim) => {
                if let Err(claim) = self.claim.set(claim) {
                    // A second claim on one request (two extractors): not kept, and released
                    // rather than left to expire.
                    let _ = self.settings.store.release(&claim).await;
                }
                Ok(SlotClaim::New)
            }
            ClaimOutcome::Done => Ok(SlotClaim::Done),
            ClaimOutcome::InProgress => {
                // The time the holder's lease has left, in whole seconds (at least 1): a claim
                // left by a crashed handler is retried when it expires, not every few seconds.
                let remaining = self
                    .settings
                    .store
                    .lease_remaining(key)
                    .await
                    .ok()
                    .flatten();
                let retry_after = remaining.map_or(self.settings.retry_after, |left| {
                    Duration::from_secs(left.as_secs().saturating_add(1))
                });
                Ok(SlotClaim::InProgress { retry_after })
            }
        }
    }

    /// Whether this request holds a claim.
    pub fn is_claimed(&self) -> bool {
        self.claim.get().is_some()
    }

    /// After the handler: completes the claim when `success` (a 2xx answer), releases it
    /// otherwise so the provider's retry is processed. Store failures are logged, not returned:
    /// the handler has run. An unconfirmed done-marker is written again three times (after
    /// 50 ms, 250 ms and 1 s) before giving up, since a processed event whose marker is lost is
    /// processed again once the lease expires.
    pub async fn finish(&self, success: bool) {
        let Some(claim) = self.claim.get() else {
            return;
        };
        let settings = &self.settings;
        if success {
            let mut delays = COMPLETE_RETRIES.iter();
            loop {
                let outcome = settings.store.complete(claim, settings.keep_for).await;
                let retry = match &outcome {
                    Err(StoreError::Unavailable { .. }) => delays.next(),
                    _ => None,
                };
                if let Some(delay) = retry {
                    sleep(*delay).await;
                    continue;
                }
                match outcome {
                    Ok(()) => break,
                    Err(err @ StoreError::ClaimLost) => {
                        tracing::warn!(key = claim.key(), error = %err, "a processed webhook's claim was lost before it was marked done (its lease expired and another delivery claimed it): it may be processed twice; use a lease longer than the handler runs");
                        break;
                    }
                    Err(err) => {
                        tracing::warn!(key = claim.key(), error = %err, "a processed webhook may not have been marked done (the store did not confirm the write; only the reply may have been lost): if it was not, a delivery after the lease processes it again");
                        break;
                    }
                }
            }
        } else if let Err(err) = settings.store.release(claim).await {
            tracing::warn!(key = claim.key(), error = %err, "could not release a webhook claim; it expires with its lease");
        }
    }
}

/// Sleeps without an async runtime of our own (the core has none): a short-lived timer thread
/// wakes the task. Used only on the rare retry path of [`RequestSlot::finish`].
async fn sleep(delay: Duration) {
    let (wake, woken) = futures_channel::oneshot::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("hookverify-retry-timer".to_owned())
        .spawn(move || {
            std::thread::sleep(delay);
            let _ = wake.send(());
        });
    if spawned.is_ok() {
        let _ = woken.await;
    }
}
