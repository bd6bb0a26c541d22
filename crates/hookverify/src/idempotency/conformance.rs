//! The conformance suite every [`IdempotencyStore`] must pass (feature `conformance`).
//!
//! Store crates run it from their tests, against a real backend:
//!
//! ```
//! use hookverify::idempotency::{MemoryStore, conformance};
//!
//! # futures_executor::block_on(async {
//! let store = MemoryStore::new();
//! // The sleep function comes from your runtime (`tokio::time::sleep`); the suite has none.
//! conformance::run_all(&store, |d| async move { std::thread::sleep(d) }).await;
//! # });
//! ```
//!
//! Each check is also public, so a store's test file can list them one by one. Failures panic
//! with a message naming the check, like any test assertion. Keys are prefixed with a random
//! run id, so the suite can run repeatedly against one shared server.

#![allow(clippy::panic)] // A conformance suite reports a failed check by panicking, like a test.

use std::future::Future;
use std::time::Duration;

use futures_util::future::join_all;

use super::{Claim, ClaimOutcome, IdempotencyStore, StoreError};

const LONG: Duration = Duration::from_secs(60);
const SHORT: Duration = Duration::from_millis(300);
const PAST_SHORT: Duration = Duration::from_millis(700);

fn run_id() -> String {
    let mut bytes = [0_u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        panic!("conformance: the system random source failed");
    }
    format!("conformance:{}:", hex::encode(bytes))
}

async fn new_claim<S: IdempotencyStore>(store: &S, key: &str, lease: Duration) -> Claim {
    match store.claim(key, lease).await {
        Ok(ClaimOutcome::New(claim)) => claim,
        other => panic!("conformance: claiming fresh key {key:?} must give New, got {other:?}"),
    }
}

async fn expect<S: IdempotencyStore>(store: &S, key: &str, expected: &ClaimOutcome, check: &str) {
    match store.claim(key, LONG).await {
        Ok(outcome) if &outcome == expected => {}
        other => panic!("conformance: {check}: expected {expected:?}, got {other:?}"),
    }
}

/// Runs every check.
pub async fn run_all<S, F, Fut>(store: &S, sleep: F)
where
    S: IdempotencyStore,
    F: Fn(Duration) -> Fut,
    Fut: Future<Output = ()>,
{
    state_machine(store).await;
    release_lets_the_retry_through(store).await;
    keys_are_independent(store).await;
    one_winner_among_concurrent_claimers(store).await;
    lease_expiry_and_fencing(store, &sleep).await;
    done_marker_expiry(store, &sleep).await;
    lease_remaining_is_bounded(store).await;
}

/// `lease_remaining` tells nothing, or the live claim's time left (within its lease); never a
/// time for a done or unknown key.
pub async fn lease_remaining_is_bounded<S: IdempotencyStore>(store: &S) {
    let key = format!("{}remaining", run_id());
    let remaining = |key: String| async move {
        match store.lease_remaining(&key).await {
            Ok(left) => left,
            Err(err) => panic!("conformance: lease_remaining failed: {err}"),
        }
    };
    assert_eq!(
        remaining(key.clone()).await,
        None,
        "conformance: an unknown key has no lease"
    );
    let claim = new_claim(store, &key, LONG).await;
    if let Some(left) = remaining(key.clone()).await {
        assert!(
            !left.is_zero() && left <= LONG,
            "conformance: a live claim's time left is within its lease ({left:?})"
        );
    }
    if let Err(err) = store.complete(&claim, LONG).await {
        panic!("conformance: completing a held claim failed: {err}");
    }
    assert_eq!(
        remaining(key).await,
        None,
        "conformance: a done key has no lease"
    );
}

/// New → InProgress → complete → Done; a claim completes once.
pub async fn state_machine<S: IdempotencyStore>(store: &S) {
    let key = format!("{}state", run_id());
    let claim = new_claim(store, &key, LONG).await;
    assert_eq!(claim.key(), key, "conformance: the claim names its key");
    expect(store, &key, &ClaimOutcome::InProgress, "a held key").await;
    if let Err(err) = store.complete(&claim, LONG).await {
        panic!("conformance: completing a held claim failed: {err}");
    }
    expect(store, &key, &ClaimOutcome::Done, "a completed key").await;
    assert_eq!(
        store.complete(&claim, LONG).await,
        Err(StoreError::ClaimLost),
        "conformance: a claim completes only once"
    );
    assert_eq!(
        store.release(&claim).await,
        Err(StoreError::ClaimLost),
        "conformance: a completed claim cannot be released"
    );
    expect(store, &key, &ClaimOutcome::Done, "still done").await;
}

/// Release forgets the claim, so the next delivery is processed.
pub async fn release_lets_the_retry_through<S: IdempotencyStore>(store: &S) {
    let key = format!("{}release", run_id());
    let first = new_claim(store, &key, LONG).await;
    if let Err(err) = store.release(&first).await {
        panic!("conformance: releasing a held claim failed: {err}");
    }
    let second = new_claim(store, &key, LONG).await;
    assert_ne!(
        first.token(),
        second.token(),
        "conformance: every claim gets a new token"
    );
    assert_eq!(
        store.release(&first).await,
        Err(StoreError::ClaimLost),
        "conformance: a released claim cannot release the next one"
    );
    expect(
        store,
        &key,
        &ClaimOutcome::InProgress,
        "the second claim still holds",
    )
    .await;
}

/// Different keys never interfere; long and unusual keys work.
pub async fn keys_are_independent<S: IdempotencyStore>(store: &S) {
    let prefix = run_id();
    let odd = format!(
        "{prefix}sha256:{} ünïcode {{}} \"quoted\" \n",
        "f".repeat(200)
    );
    let a = new_claim(store, &format!("{prefix}a"), LONG).await;
    let _b = new_claim(store, &format!("{prefix}b"), LONG).await;
    let c = new_claim(store, &odd, LONG).await;
    if let Err(err) = store.complete(&a, LONG).await {
        panic!("conformance: complete failed: {err}");
    }
    expect(
        store,
        &format!("{prefix}b"),
        &ClaimOutcome::InProgress,
        "b is unaffected by a",
    )
    .await;
    expect(store, &odd, &ClaimOutcome::InProgress, "an unusual key").await;
    if let Err(err) = store.release(&c).await {
        panic!("conformance: release failed: {err}");
    }
    let _ = new_claim(store, &odd, LONG).await;
}

/// 64 concurrent claimers of one key: exactly one `New`, the rest `InProgress`.
pub async fn one_winner_among_concurrent_claimers<S: IdempotencyStore>(store: &S) {
    let key = format!("{}contended", run_id());
    let outcomes = join_all((0..64).map(|_| store.claim(&key, LONG))).await;
    let mut new = 0_usize;
    for outcome in outcomes {
        match outcome {
            Ok(ClaimOutcome::New(_)) => new = new.saturating_add(1),
            Ok(ClaimOutcome::InProgress) => {}
            other => panic!("conformance: concurrent claim gave {other:?}"),
        }
    }
    assert_eq!(
        new, 1,
        "conformance: exactly one of 64 concurrent claimers wins"
    );
}

/// An expired lease can be re-claimed, and the stale claimer is fenced off.
pub async fn lease_expiry_and_fencing<S, F, Fut>(store: &S, sleep: &F)
where
    S: IdempotencyStore,
    F: Fn(Duration) -> Fut,
    Fut: Future<Output = ()>,
{
    let key = format!("{}lease", run_id());
    let stale = new_claim(store, &key, SHORT).await;
    sleep(PAST_SHORT).await;
    let fresh = new_claim(store, &key, LONG).await;
    assert_ne!(
        stale.token(),
        fresh.token(),
        "conformance: a re-claim gets a new token"
    );
    assert_eq!(
        store.complete(&stale, LONG).await,
        Err(StoreError::ClaimLost),
        "conformance: a stale claimer cannot complete the new claim"
    );
    assert_eq!(
        store.release(&stale).await,
        Err(StoreError::ClaimLost),
        "conformance: a stale claimer cannot release the new claim"
    );
    expect(
        store,
        &key,
        &ClaimOutcome::InProgress,
        "the new claim survives the stale claimer",
    )
    .await;
    if let Err(err) = store.complete(&fresh, LONG).await {
        panic!("conformance: the new claim could not complete: {err}");
    }
    expect(
        store,
        &key,
        &ClaimOutcome::Done,
        "completed by the new claimer",
    )
    .await;
}

/// A done-marker expires after `keep_for`, and the key can be claimed again.
pub async fn done_marker_expiry<S, F, Fut>(store: &S, sleep: &F)
where
    S: IdempotencyStore,
    F: Fn(Duration) -> Fut,
    Fut: Future<Output = ()>,
{
    let key = format!("{}done", run_id());
    let claim = new_claim(store, &key, LONG).await;
    if let Err(err) = store.complete(&claim, SHORT).await {
        panic!("conformance: complete failed: {err}");
    }
    sleep(PAST_SHORT).await;
    let _ = new_claim(store, &key, LONG).await;
}
