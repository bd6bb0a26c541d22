//! The adapters' idempotency slot under store trouble: `Retry-After` from the claim's time
//! left, an unconfirmed done-marker written again, and one log line per outage.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)] // Test code.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_executor::block_on;
use hookverify::adapter::{AdapterIdempotency, Rejection, SlotClaim};
use hookverify::idempotency::{
    Claim, ClaimOutcome, IdempotencyStore, ManualClock, MemoryStore, StoreError,
};

#[test]
fn retry_after_is_the_time_the_claim_has_left() {
    let clock = ManualClock::new();
    let store = MemoryStore::builder().clock(clock.clone()).build();
    let idempotency = AdapterIdempotency::new(store).lease(Duration::from_secs(60));
    let first = idempotency.slot();
    assert_eq!(block_on(first.claim("k")).unwrap(), SlotClaim::New);
    // The first delivery's handler crashed: its claim stays until the lease ends.
    assert_eq!(
        block_on(idempotency.slot().claim("k")).unwrap(),
        SlotClaim::InProgress {
            retry_after: Duration::from_secs(61)
        }
    );
    clock.advance(Duration::from_secs(50));
    assert_eq!(
        block_on(idempotency.slot().claim("k")).unwrap(),
        SlotClaim::InProgress {
            retry_after: Duration::from_secs(11)
        }
    );
    clock.advance(Duration::from_secs(11));
    assert_eq!(
        block_on(idempotency.slot().claim("k")).unwrap(),
        SlotClaim::New
    );
}

/// A memory store whose `complete` fails (as unreachable) a given number of times first.
#[derive(Clone)]
struct Flaky {
    inner: MemoryStore,
    complete_failures: Arc<AtomicUsize>,
    complete_calls: Arc<AtomicUsize>,
    claim_down: Arc<std::sync::atomic::AtomicBool>,
}

impl IdempotencyStore for Flaky {
    async fn claim(&self, key: &str, lease: Duration) -> Result<ClaimOutcome, StoreError> {
        if self.claim_down.load(Ordering::SeqCst) {
            return Err(StoreError::unavailable("connection refused"));
        }
        self.inner.claim(key, lease).await
    }
    async fn complete(&self, claim: &Claim, keep_for: Duration) -> Result<(), StoreError> {
        self.complete_calls.fetch_add(1, Ordering::SeqCst);
        let left = self.complete_failures.load(Ordering::SeqCst);
        if left > 0 {
            self.complete_failures.store(left - 1, Ordering::SeqCst);
            return Err(StoreError::unavailable("reply lost"));
        }
        self.inner.complete(claim, keep_for).await
    }
    async fn release(&self, claim: &Claim) -> Result<(), StoreError> {
        self.inner.release(claim).await
    }
}

fn flaky(failures: usize) -> Flaky {
    Flaky {
        inner: MemoryStore::new(),
        complete_failures: Arc::new(AtomicUsize::new(failures)),
        complete_calls: Arc::new(AtomicUsize::new(0)),
        claim_down: Arc::new(std::sync::atomic::AtomicBool::new(false)),
    }
}

#[test]
fn an_unconfirmed_done_marker_is_written_again() {
    let store = flaky(2);
    let idempotency = AdapterIdempotency::new(store.clone());
    let slot = idempotency.slot();
    assert_eq!(block_on(slot.claim("evt")).unwrap(), SlotClaim::New);
    block_on(slot.finish(true));
    assert_eq!(store.complete_calls.load(Ordering::SeqCst), 3);
    // The marker is there: the provider's retry is a duplicate, not a second processing.
    assert_eq!(
        block_on(idempotency.slot().claim("evt")).unwrap(),
        SlotClaim::Done
    );

    // A store that never confirms: four attempts in all, then the event is left to its lease.
    let store = flaky(usize::MAX);
    let idempotency = AdapterIdempotency::new(store.clone());
    let slot = idempotency.slot();
    assert_eq!(block_on(slot.claim("evt")).unwrap(), SlotClaim::New);
    block_on(slot.finish(true));
    assert_eq!(store.complete_calls.load(Ordering::SeqCst), 4);
}

/// Captured log output.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn an_outage_is_logged_once_and_its_503s_carry_retry_after() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let store = flaky(0);
    let idempotency = AdapterIdempotency::new(store.clone());
    tracing::subscriber::with_default(subscriber, || {
        store.claim_down.store(true, Ordering::SeqCst);
        for i in 0..50 {
            let err = block_on(idempotency.slot().claim(&format!("k{i}"))).unwrap_err();
            let rejection = Rejection::StoreUnavailable(err).traced();
            assert_eq!(rejection.status(), 503);
            assert_eq!(rejection.retry_after_secs(), Some(5));
        }
        store.claim_down.store(false, Ordering::SeqCst);
        assert_eq!(
            block_on(idempotency.slot().claim("after")).unwrap(),
            SlotClaim::New
        );
    });
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let errors = text.lines().filter(|l| l.contains("ERROR")).count();
    assert_eq!(errors, 1, "one error line per outage:\n{text}");
    assert!(text.contains("idempotency store unavailable"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("reachable again") && l.contains("refused=50")),
        "{text}"
    );
}
