//! Two independent clients sharing one Redis: 200 ids, each delivered 3 times concurrently
//! across both clients, are each processed exactly once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // Test code.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hookverify::idempotency::{Failure, Idempotency, Outcome};
use hookverify_redis::RedisStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_id_processed_exactly_once_across_two_clients() {
    let url = common::redis_url();
    let run = format!("multi-{}-{}", std::process::id(), common::free_port());
    let a = Idempotency::new(RedisStore::connect(url.clone()).await.unwrap());
    let b = Idempotency::new(RedisStore::connect(url).await.unwrap());
    let processed: Arc<Vec<AtomicUsize>> =
        Arc::new((0..200).map(|_| AtomicUsize::new(0)).collect());

    let mut tasks = Vec::new();
    for copy in 0..3 {
        for id in 0..200_usize {
            let idempotency = if (id + copy) % 2 == 0 {
                a.clone()
            } else {
                b.clone()
            };
            let processed = Arc::clone(&processed);
            let key = format!("{run}:{id}");
            tasks.push(tokio::spawn(async move {
                idempotency
                    .run(&key, || async {
                        processed[id].fetch_add(1, Ordering::SeqCst);
                        // Some work, so concurrent copies overlap with the claim held.
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        Ok::<_, Failure<()>>(())
                    })
                    .await
            }));
        }
    }
    let mut outcomes = (0, 0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(Outcome::Processed(())) => outcomes.0 += 1,
            Ok(Outcome::Duplicate) => outcomes.1 += 1,
            Ok(Outcome::InProgress) => outcomes.2 += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    for (id, count) in processed.iter().enumerate() {
        assert_eq!(count.load(Ordering::SeqCst), 1, "id {id}");
    }
    assert_eq!(outcomes.0, 200);
    assert_eq!(outcomes.1 + outcomes.2, 400);
}
