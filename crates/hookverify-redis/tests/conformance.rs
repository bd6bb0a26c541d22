//! The shared conformance suite against a real Redis.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

mod common;

use hookverify::idempotency::conformance;
use hookverify_redis::RedisStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_store_passes_the_conformance_suite() {
    let store = RedisStore::connect(common::redis_url()).await.unwrap();
    conformance::run_all(&store, tokio::time::sleep).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_store_with_the_lua_claim_passes_the_conformance_suite() {
    let store = RedisStore::builder(common::redis_url())
        .lua_claim(true)
        .connect()
        .await
        .unwrap();
    conformance::run_all(&store, tokio::time::sleep).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_prefixes_do_not_see_each_other() {
    use hookverify::idempotency::{ClaimOutcome, IdempotencyStore};
    use std::time::Duration;
    let a = RedisStore::builder(common::redis_url())
        .prefix("test-a:")
        .connect()
        .await
        .unwrap();
    let b = RedisStore::builder(common::redis_url())
        .prefix("test-b:")
        .connect()
        .await
        .unwrap();
    let key = format!("shared-{}", std::process::id());
    let ClaimOutcome::New(claim) = a.claim(&key, Duration::from_secs(5)).await.unwrap() else {
        panic!()
    };
    assert!(matches!(
        b.claim(&key, Duration::from_secs(5)).await.unwrap(),
        ClaimOutcome::New(_)
    ));
    a.release(&claim).await.unwrap();
}

/// The 409's `Retry-After` comes from here: a live claim's `PTTL`, nothing for a done key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lease_remaining_is_the_claims_pttl() {
    use hookverify::idempotency::{ClaimOutcome, IdempotencyStore};
    use std::time::Duration;
    let store = RedisStore::connect(common::redis_url()).await.unwrap();
    let key = format!("remaining-{}-{}", std::process::id(), line!());
    let ClaimOutcome::New(claim) = store.claim(&key, Duration::from_secs(30)).await.unwrap() else {
        panic!("a fresh key is new")
    };
    let left = store.lease_remaining(&key).await.unwrap().unwrap();
    assert!(
        left > Duration::from_secs(25) && left <= Duration::from_secs(30),
        "{left:?}"
    );
    store
        .complete(&claim, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(store.lease_remaining(&key).await.unwrap(), None);
}
