//! `RedisStore` load: `C` concurrent claimers doing `N` claims in total, each on a fresh key (the
//! full claim path: the Lua script's GET + SET PX). Prints claims per second.
//!
//! ```sh
//! cargo run --release -p hookverify-benches --example redis_load -- redis://127.0.0.1:6379 50 200000
//! ```
//! Compare with `redis-benchmark -p 6379 -t set -c 50 -n 200000 -q` (see scripts/bench-redis.sh).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)] // Measurement code.

use std::time::{Duration, Instant};

use hookverify::idempotency::{ClaimOutcome, IdempotencyStore};
use hookverify_redis::RedisStore;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("URL");
    let concurrency: usize = args.next().map_or(50, |s| s.parse().unwrap());
    let total: usize = args.next().map_or(100_000, |s| s.parse().unwrap());
    let store = RedisStore::connect(url).await.unwrap();
    let run = std::process::id();
    let per_task = total / concurrency;

    // Warm-up: load the scripts, open the connection.
    for i in 0..100 {
        let _ = store
            .claim(&format!("warmup:{run}:{i}"), Duration::from_secs(60))
            .await
            .unwrap();
    }

    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|task| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..per_task {
                    let key = format!("load:{run}:{task}:{i}");
                    match store.claim(&key, Duration::from_secs(60)).await {
                        Ok(ClaimOutcome::New(_)) => {}
                        other => panic!("{other:?}"),
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let elapsed = start.elapsed();
    let done = per_task * concurrency;
    println!(
        "RedisStore claim: {done} claims, concurrency {concurrency}: {:.0} claims per second",
        done as f64 / elapsed.as_secs_f64()
    );
}
