//! The memory store through the shared conformance suite, and the `Idempotency::run` helper's
//! state machine: processed once, duplicates skipped, temporary failures and panics released,
//! permanent failures completed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_executor::block_on;
use hookverify::idempotency::{
    ClaimOutcome, Failure, Idempotency, IdempotencyStore, ManualClock, MemoryStore, Outcome,
    RunError, StoreError, conformance,
};

#[test]
fn memory_store_passes_the_conformance_suite() {
    let store = MemoryStore::new();
    block_on(conformance::run_all(&store, |d| async move {
        std::thread::sleep(d)
    }));
}

#[test]
fn run_processes_once_and_skips_duplicates() {
    let idempotency = Idempotency::new(MemoryStore::new());
    let calls = AtomicUsize::new(0);
    let handler = || async {
        calls.fetch_add(1, Ordering::SeqCst);
        Ok::<_, Failure<&str>>("ok")
    };
    assert_eq!(
        block_on(idempotency.run("k", handler)),
        Ok(Outcome::Processed("ok"))
    );
    for _ in 0..3 {
        assert_eq!(
            block_on(idempotency.run("k", handler)),
            Ok(Outcome::Duplicate)
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn run_reports_in_progress_without_calling_the_handler() {
    let store = MemoryStore::new();
    let idempotency = Idempotency::new(store.clone());
    let ClaimOutcome::New(_held) = block_on(store.claim("k", Duration::from_secs(60))).unwrap()
    else {
        panic!("fresh key");
    };
    let outcome = block_on(idempotency.run("k", || async {
        panic!("must not run") as Result<(), Failure<()>>
    }));
    assert_eq!(outcome, Ok(Outcome::InProgress));
}

#[test]
fn temporary_failure_releases_so_the_retry_is_processed() {
    let idempotency = Idempotency::new(MemoryStore::new());
    let first = block_on(idempotency.run("k", || async {
        Err::<(), _>(Failure::Temporary("db down"))
    }));
    assert_eq!(first, Err(RunError::Temporary("db down")));
    let retry = block_on(idempotency.run("k", || async { Ok::<_, Failure<&str>>(7) }));
    assert_eq!(retry, Ok(Outcome::Processed(7)));
}

#[test]
fn permanent_failure_completes_so_the_provider_stops() {
    let idempotency = Idempotency::new(MemoryStore::new());
    let first = block_on(idempotency.run("k", || async {
        Err::<(), _>(Failure::Permanent("no such account"))
    }));
    assert_eq!(first, Ok(Outcome::FailedPermanently("no such account")));
    let retry = block_on(idempotency.run("k", || async { Ok::<(), Failure<&str>>(()) }));
    assert_eq!(retry, Ok(Outcome::Duplicate));
}

#[test]
fn a_panicking_handler_releases_its_claim() {
    let idempotency = Idempotency::new(MemoryStore::new());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        block_on(idempotency.run("k", || async {
            panic!("handler bug") as Result<(), Failure<()>>
        }))
    }));
    assert!(panicked.is_err(), "the panic propagates");
    let retry =
        block_on(idempotency.run("k", || async { Ok::<_, Failure<()>>("processed on retry") }));
    assert_eq!(retry, Ok(Outcome::Processed("processed on retry")));
}

#[test]
fn a_crashed_handler_is_retried_after_the_lease() {
    let clock = ManualClock::new();
    let store = MemoryStore::builder().clock(clock.clone()).build();
    let idempotency = Idempotency::new(store.clone()).lease(Duration::from_secs(30));
    // A process takes the claim and dies without completing or releasing it.
    let ClaimOutcome::New(_lost) = block_on(store.claim("k", Duration::from_secs(30))).unwrap()
    else {
        panic!("fresh key");
    };
    assert_eq!(
        block_on(idempotency.run("k", || async { Ok::<_, Failure<()>>(1) })),
        Ok(Outcome::InProgress)
    );
    clock.advance(Duration::from_secs(30));
    assert_eq!(
        block_on(idempotency.run("k", || async { Ok::<_, Failure<()>>(2) })),
        Ok(Outcome::Processed(2))
    );
}

#[test]
fn a_full_store_refuses_instead_of_forgetting() {
    let idempotency = Idempotency::new(MemoryStore::builder().capacity(1).build());
    let store = idempotency.store().clone();
    let ClaimOutcome::New(_held) = block_on(store.claim("busy", Duration::from_secs(60))).unwrap()
    else {
        panic!("fresh key");
    };
    let outcome = block_on(idempotency.run("other", || async { Ok::<_, Failure<()>>(()) }));
    assert_eq!(
        outcome,
        Err(RunError::Store(StoreError::Full { capacity: 1 }))
    );
}

#[test]
fn store_and_rejection_errors_keep_their_sources() {
    use std::error::Error as _;

    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
    let err = StoreError::backend("Redis refused the claim", io);
    assert_eq!(
        err.to_string(),
        "the idempotency store is unavailable: Redis refused the claim"
    );
    assert_eq!(err.source().unwrap().to_string(), "connection refused");
    assert!(StoreError::unavailable("timed out").source().is_none());
    assert_eq!(err.clone(), err);

    let rejection = hookverify::adapter::Rejection::StoreUnavailable(err);
    assert_eq!(rejection.status(), 503);
    assert!(
        rejection
            .reason()
            .ends_with("Redis refused the claim: connection refused")
    );
    let source = rejection.source().unwrap();
    assert_eq!(source.source().unwrap().to_string(), "connection refused");
}
