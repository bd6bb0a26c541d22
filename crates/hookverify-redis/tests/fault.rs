//! Redis stopped in the middle of a run of claims: those calls return `Unavailable` (quickly,
//! no panic, never "new"); Redis started again: the same client works again.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)] // Test code.

mod common;

use std::time::{Duration, Instant};

use hookverify::idempotency::{ClaimOutcome, IdempotencyStore, StoreError};
use hookverify_redis::{ConnectError, RedisStore};

const LEASE: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outage_gives_unavailable_and_the_same_client_recovers() {
    let mut server = common::RedisServer::start();
    let store = RedisStore::builder(server.url())
        .timeout(Duration::from_millis(500))
        .connect()
        .await
        .unwrap();

    for i in 0..20 {
        assert!(matches!(
            store.claim(&format!("before-{i}"), LEASE).await,
            Ok(ClaimOutcome::New(_))
        ));
    }

    server.stop();
    for i in 0..10 {
        let started = Instant::now();
        match store.claim(&format!("during-{i}"), LEASE).await {
            Err(err @ StoreError::Unavailable { .. }) => {
                // A refused connection keeps redis' own error as the source; a timeout has none.
                assert!(!err.to_string().is_empty());
                if let Some(source) = std::error::Error::source(&err) {
                    assert!(!source.to_string().is_empty(), "{err:?}");
                }
            }
            other => panic!("claim during the outage must be Unavailable, got {other:?}"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "an outage must not hang a request"
        );
    }

    server.restart();
    // The connection manager reconnects by itself; allow it a moment.
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut recovered = None;
    while Instant::now() < deadline {
        match store.claim("after", LEASE).await {
            Ok(outcome) => {
                recovered = Some(outcome);
                break;
            }
            Err(StoreError::Unavailable { .. }) => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(other) => panic!("unexpected error after restart: {other:?}"),
        }
    }
    assert!(
        matches!(recovered, Some(ClaimOutcome::New(_))),
        "the same client works again: {recovered:?}"
    );
    for i in 0..20 {
        assert!(matches!(
            store.claim(&format!("after-{i}"), LEASE).await,
            Ok(ClaimOutcome::New(_))
        ));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_at_start_up() {
    let port = common::free_port();
    let url = format!("redis://127.0.0.1:{port}");
    assert!(matches!(
        RedisStore::connect(url.clone()).await,
        Err(ConnectError::Connect(_))
    ));
    // Lazy: starts, and answers Unavailable until Redis is up.
    let lazy = RedisStore::builder(url)
        .timeout(Duration::from_millis(500))
        .connect_lazy()
        .unwrap();
    assert!(matches!(
        lazy.claim("k", LEASE).await,
        Err(StoreError::Unavailable { .. })
    ));
}

#[tokio::test]
async fn invalid_url() {
    assert!(matches!(
        RedisStore::connect("http://nope").await,
        Err(ConnectError::InvalidUrl(_))
    ));
}
