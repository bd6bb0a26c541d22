//! [`MemoryStore`]: the embedded idempotency store.

use std::fmt;
use std::future::{Future, ready};
use std::hash::BuildHasher as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use hashbrown::HashMap;

use super::{Claim, ClaimOutcome, IdempotencyStore, StoreError};

/// A monotonic millisecond clock; injectable so tests control expiry.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since an arbitrary fixed origin; never decreases.
    fn now_millis(&self) -> u64;
}

/// The real monotonic clock.
#[derive(Debug)]
pub struct SystemClock {
    origin: Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// A clock moved by hand, for tests. Clones share the same time.
#[derive(Clone, Debug, Default)]
pub struct ManualClock {
    millis: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock at time zero.
    pub fn new() -> Self {
        ManualClock::default()
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let _ = self
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(by))
            });
    }
}

impl Clock for ManualClock {
    fn now_millis(&self) -> u64 {
        self.millis.load(Ordering::SeqCst)
    }
}

/// The default capacity of a [`MemoryStore`]: about 10 MB of entries with typical keys.
pub const DEFAULT_CAPACITY: usize = 100_000;

#[derive(Clone, Copy, Debug)]
struct Entry {
    token: u64,
    expires_at: u64,
    done: bool,
}

type Shard = Mutex<HashMap<Arc<str>, Entry>>;

struct Inner {
    shards: Box<[Shard]>,
    shard_mask: u64,
    per_shard: usize,
    capacity: usize,
    hasher: hashbrown::DefaultHashBuilder,
    clock: Arc<dyn Clock>,
    tokens: AtomicU64,
}

/// The embedded [`IdempotencyStore`]: one process, many threads.
///
/// - **Sharded**: keys are spread over up to 64 independently locked shards, so two cores rarely
///   wait for each other. Each lock is held for one hash-map operation.
/// - **Bounded**: about `capacity` entries (each shard takes its share plus ~6% slack, so the
///   total never exceeds the capacity by more than that). When a shard is full, expired entries are evicted
///   first. If it is still full, the done-markers closest to expiry are evicted (a later retry of
///   one of those long-finished events could then be processed again), and *live claims are
///   never evicted*: if a shard is full of in-progress claims, `claim` returns
///   [`StoreError::Full`], the adapter answers 503, and the provider retries later. Nothing is
///   silently forgotten while in progress.
/// - **Clock injectable** ([`MemoryStore::builder`]`.clock(..)`), for tests that control expiry.
///
/// Cheap to clone: clones share the same entries.
///
/// ```
/// use std::time::Duration;
/// use hookverify::idempotency::{ClaimOutcome, IdempotencyStore, MemoryStore};
///
/// # futures_executor::block_on(async {
/// let store = MemoryStore::builder().capacity(10_000).build();
/// let ClaimOutcome::New(claim) = store.claim("evt_1", Duration::from_secs(30)).await? else { panic!() };
/// assert_eq!(store.claim("evt_1", Duration::from_secs(30)).await?, ClaimOutcome::InProgress);
/// store.complete(&claim, Duration::from_secs(3600)).await?;
/// assert_eq!(store.claim("evt_1", Duration::from_secs(30)).await?, ClaimOutcome::Done);
/// # Ok::<(), hookverify::idempotency::StoreError>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("capacity", &self.inner.capacity)
            .field("shards", &self.inner.shards.len())
            .finish_non_exhaustive()
    }
}

/// Configures a [`MemoryStore`].
#[derive(Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct MemoryStoreBuilder {
    capacity: usize,
    clock: Arc<dyn Clock>,
}

impl MemoryStoreBuilder {
    /// The most entries (claims and done-markers) the store holds; at least 1.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// The clock deciding expiry (default: [`SystemClock`]).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Builds the store.
    pub fn build(self) -> MemoryStore {
        // Enough shards to spread two busy cores, few enough that each shard still holds a
        // useful share of the capacity (>= 256 entries).
        let shards = (self.capacity / 256)
            .clamp(1, 64)
            .next_power_of_two()
            .min(64);
        // Keys do not spread perfectly evenly, so each shard gets its share plus a little slack:
        // the store fills up to (at least) its capacity before any shard is full, and never
        // holds more than about 6% over it.
        let share = self.capacity.div_ceil(shards);
        let per_shard = if shards == 1 {
            share
        } else {
            share.saturating_add(share / 16).saturating_add(8)
        };
        let shard_vec: Vec<_> = (0..shards)
            .map(|_| Mutex::new(HashMap::with_capacity(per_shard.min(4096))))
            .collect();
        MemoryStore {
            inner: Arc::new(Inner {
                shards: shard_vec.into_boxed_slice(),
                shard_mask: u64::try_from(shards.saturating_sub(1)).unwrap_or(0),
                per_shard,
                capacity: self.capacity,
                hasher: hashbrown::DefaultHashBuilder::default(),
                clock: self.clock,
                tokens: AtomicU64::new(first_token()),
            }),
        }
    }
}

/// Tokens start at a random point so tokens of two processes (or restarts) do not collide.
fn first_token() -> u64 {
    let mut bytes = [0_u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes) >> 1,
        Err(_) => 1,
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// A store with [`DEFAULT_CAPACITY`] and the system clock.
    pub fn new() -> Self {
        MemoryStore::builder().build()
    }

    /// Starts configuring a store.
    pub fn builder() -> MemoryStoreBuilder {
        MemoryStoreBuilder {
            capacity: DEFAULT_CAPACITY,
            clock: Arc::new(SystemClock::default()),
        }
    }

    /// The configured capacity.
    pub fn capacity(&self) -> usize {
        self.inner.capacity
    }

    /// How many entries (live or expired but not yet evicted) the store holds now.
    pub fn len(&self) -> usize {
        self.inner
            .shards
            .iter()
            .map(|shard| lock(shard).len())
            .sum()
    }

    /// Whether the store holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn shard(&self, key: &str) -> &Shard {
        let hash = self.inner.hasher.hash_one(key);
        let index = usize::try_from(hash & self.inner.shard_mask).unwrap_or(0);
        // `index <= shard_mask < shards.len()`; the fallback is never taken.
        self.inner
            .shards
            .get(index)
            .or_else(|| self.inner.shards.first())
            .unwrap_or_else(|| unreachable_shard())
    }

    fn next_token(&self) -> u64 {
        self.inner.tokens.fetch_add(1, Ordering::Relaxed)
    }

    /// The synchronous claim (every operation of this store completes without waiting).
    pub fn claim_now(&self, key: &str, lease: Duration) -> Result<ClaimOutcome, StoreError> {
        let now = self.inner.clock.now_millis();
        let expires_at = now.saturating_add(millis(lease));
        let mut map = lock(self.shard(key));
        if let Some((shared, entry)) = map.get_key_value_mut(key) {
            if entry.expires_at > now {
                return Ok(if entry.done {
                    ClaimOutcome::Done
                } else {
                    ClaimOutcome::InProgress
                });
            }
            // Expired lease or done-marker: claim it afresh, with a new token.
            let token = self.next_token();
            *entry = Entry {
                token,
                expires_at,
                done: false,
            };
            return Ok(ClaimOutcome::New(Claim::new(Arc::clone(shared), token)));
        }
        if map.len() >= self.inner.per_shard {
            make_room(&mut map, now, self.inner.per_shard);
            if map.len() >= self.inner.per_shard {
                return Err(StoreError::Full {
                    capacity: self.inner.capacity,
                });
            }
        }
        let token = self.next_token();
        let shared: Arc<str> = Arc::from(key);
        map.insert(
            Arc::clone(&shared),
            Entry {
                token,
                expires_at,
                done: false,
            },
        );
        Ok(ClaimOutcome::New(Claim::new(shared, token)))
    }

    /// The synchronous complete.
    pub fn complete_now(&self, claim: &Claim, keep_for: Duration) -> Result<(), StoreError> {
        let now = self.inner.clock.now_millis();
        let mut map = lock(self.shard(claim.key()));
        match map.get_mut(claim.key()) {
            Some(entry) if entry.token == claim.token() && !entry.done => {
                entry.done = true;
                entry.expires_at = now.saturating_add(millis(keep_for));
                Ok(())
            }
            _ => Err(StoreError::ClaimLost),
        }
    }

    /// The synchronous [`IdempotencyStore::lease_remaining`]: the live claim's time left.
    pub fn lease_remaining_now(&self, key: &str) -> Option<Duration> {
        let now = self.inner.clock.now_millis();
        let map = lock(self.shard(key));
        map.get(key)
            .filter(|entry| !entry.done && entry.expires_at > now)
            .map(|entry| Duration::from_millis(entry.expires_at.saturating_sub(now)))
    }

    /// The synchronous release.
    pub fn release_now(&self, claim: &Claim) -> Result<(), StoreError> {
        let mut map = lock(self.shard(claim.key()));
        match map.get(claim.key()) {
            Some(entry) if entry.token == claim.token() && !entry.done => {
                map.remove(claim.shared_key().as_ref());
                Ok(())
            }
            _ => Err(StoreError::ClaimLost),
        }
    }
}

#[cold]
fn unreachable_shard() -> &'static Shard {
    // A store always has at least one shard; this exists only so indexing needs no panic path.
    static EMPTY: std::sync::OnceLock<Shard> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Locks a shard. A panic while holding the lock cannot leave an entry half-written (every
/// critical section is one map operation), so a poisoned lock is safe to keep using.
fn lock(shard: &Shard) -> MutexGuard<'_, HashMap<Arc<str>, Entry>> {
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Frees space in a full shard: expired entries first; then the done-markers closest to expiry,
/// a sixteenth of the shard at a time so the scan is amortised; never a live claim.
fn make_room(map: &mut HashMap<Arc<str>, Entry>, now: u64, per_shard: usize) {
    map.retain(|_, entry| entry.expires_at > now);
    if map.len() < per_shard {
        return;
    }
    let mut done: Vec<(u64, Arc<str>)> = map
        .iter()
        .filter(|(_, entry)| entry.done)
        .map(|(key, entry)| (entry.expires_at, Arc::clone(key)))
        .collect();
    let evict = (per_shard / 16).max(1).min(done.len());
    if evict == 0 {
        return;
    }
    done.select_nth_unstable_by_key(evict.saturating_sub(1), |(expires_at, _)| *expires_at);
    for (_, key) in done.iter().take(evict) {
        map.remove(key.as_ref());
    }
}

impl IdempotencyStore for MemoryStore {
    fn claim(
        &self,
        key: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<ClaimOutcome, StoreError>> + Send {
        ready(self.claim_now(key, lease))
    }

    fn complete(
        &self,
        claim: &Claim,
        keep_for: Duration,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.complete_now(claim, keep_for))
    }

    fn release(&self, claim: &Claim) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.release_now(claim))
    }

    fn lease_remaining(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Duration>, StoreError>> + Send {
        ready(Ok(self.lease_remaining_now(key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEASE: Duration = Duration::from_secs(30);
    const KEEP: Duration = Duration::from_secs(3600);

    fn store(capacity: usize) -> (MemoryStore, ManualClock) {
        let clock = ManualClock::new();
        (
            MemoryStore::builder()
                .capacity(capacity)
                .clock(clock.clone())
                .build(),
            clock,
        )
    }

    fn new_claim(store: &MemoryStore, key: &str) -> Claim {
        match store.claim_now(key, LEASE).unwrap() {
            ClaimOutcome::New(claim) => claim,
            other => panic!("{key}: {other:?}"),
        }
    }

    #[test]
    fn lease_and_done_marker_expire_on_the_injected_clock() {
        let (store, clock) = store(100);
        let first = new_claim(&store, "k");
        clock.advance(LEASE - Duration::from_millis(1));
        assert_eq!(
            store.claim_now("k", LEASE).unwrap(),
            ClaimOutcome::InProgress
        );
        clock.advance(Duration::from_millis(1));
        let second = new_claim(&store, "k");
        assert_ne!(first.token(), second.token());
        // Fencing: the stale claimer can neither complete nor release the new claim.
        assert_eq!(store.complete_now(&first, KEEP), Err(StoreError::ClaimLost));
        assert_eq!(store.release_now(&first), Err(StoreError::ClaimLost));
        store.complete_now(&second, KEEP).unwrap();
        clock.advance(KEEP - Duration::from_millis(1));
        assert_eq!(store.claim_now("k", LEASE).unwrap(), ClaimOutcome::Done);
        clock.advance(Duration::from_millis(1));
        new_claim(&store, "k");
    }

    #[test]
    fn full_of_live_claims_is_an_error_never_a_silent_eviction() {
        let (store, clock) = store(8);
        let claims: Vec<Claim> = (0..8)
            .map(|i| new_claim(&store, &format!("k{i}")))
            .collect();
        assert_eq!(
            store.claim_now("k8", LEASE),
            Err(StoreError::Full { capacity: 8 })
        );
        // Every claim is still held.
        for claim in &claims {
            assert_eq!(
                store.claim_now(claim.key(), LEASE).unwrap(),
                ClaimOutcome::InProgress
            );
        }
        // A done-marker may be evicted to make room for a new claim (the documented
        // degradation: a late retry of that long-finished event could run again)...
        store.complete_now(&claims[0], KEEP).unwrap();
        new_claim(&store, "k8");
        // ...but live claims never are: the store is full of them again.
        assert_eq!(
            store.claim_now("k9", LEASE),
            Err(StoreError::Full { capacity: 8 })
        );
        for claim in claims.iter().skip(1) {
            assert_eq!(
                store.claim_now(claim.key(), LEASE).unwrap(),
                ClaimOutcome::InProgress
            );
        }
        // Expired entries are evicted before anything else.
        clock.advance(LEASE);
        for i in 0..8 {
            new_claim(&store, &format!("later{i}"));
        }
    }

    #[test]
    fn expired_entries_are_evicted_first() {
        let (store, clock) = store(4);
        let a = new_claim(&store, "a");
        store.complete_now(&a, Duration::from_secs(1)).unwrap();
        let b = new_claim(&store, "b");
        store.complete_now(&b, KEEP).unwrap();
        new_claim(&store, "c");
        new_claim(&store, "d");
        clock.advance(Duration::from_secs(2)); // `a` expired; `c`, `d` leases still live
        new_claim(&store, "e");
        assert_eq!(
            store.claim_now("b", LEASE).unwrap(),
            ClaimOutcome::Done,
            "live done-marker kept"
        );
        assert_eq!(
            store.claim_now("c", LEASE).unwrap(),
            ClaimOutcome::InProgress
        );
    }

    #[test]
    fn many_threads_one_key_exactly_one_new() {
        let store = MemoryStore::new();
        let winners = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for _ in 0..64 {
                scope.spawn(|| {
                    if let ClaimOutcome::New(_) = store.claim_now("contended", LEASE).unwrap() {
                        winners.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(winners.load(Ordering::SeqCst), 1);
    }
}
