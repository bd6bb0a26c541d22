//! `MemoryStore` throughput: claim + complete pairs, on one thread and on two.
//!
//! Run: `cargo bench -p hookverify-benches --bench store`. Each measured batch uses a fresh store
//! and keys made before the clock starts, so the figure is the store alone.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)] // Benchmark code: a panic is a broken benchmark.

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hookverify::idempotency::{ClaimOutcome, MemoryStore};

const LEASE: Duration = Duration::from_secs(60);
const KEEP: Duration = Duration::from_secs(3600);

fn keys(n: u64, thread: u64) -> Vec<String> {
    // Realistic keys: provider prefix + a Svix-style message id (~36 bytes).
    (0..n)
        .map(|i| format!("sendable:msg_2KWPBgLl{thread:02}{i:014}"))
        .collect()
}

fn pairs(store: &MemoryStore, keys: &[String]) {
    for key in keys {
        match store.claim_now(black_box(key), LEASE) {
            Ok(ClaimOutcome::New(claim)) => store.complete_now(&claim, KEEP).unwrap(),
            other => panic!("{other:?}"),
        }
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("memory-store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("claim+complete, 1 thread", |b| {
        b.iter_custom(|iters| {
            let store = MemoryStore::builder().capacity(iters as usize + 1).build();
            let keys = keys(iters, 0);
            let start = Instant::now();
            pairs(&store, &keys);
            start.elapsed()
        });
    });
    group.bench_function("claim+complete, 2 threads", |b| {
        b.iter_custom(|iters| {
            let store = MemoryStore::builder().capacity(iters as usize + 2).build();
            let half = iters / 2 + 1;
            let (k0, k1) = (keys(half, 0), keys(half, 1));
            let barrier = Barrier::new(3);
            let mut elapsed = Duration::ZERO;
            std::thread::scope(|scope| {
                let workers: Vec<_> = [&k0, &k1]
                    .into_iter()
                    .map(|keys| {
                        let (store, barrier) = (&store, &barrier);
                        scope.spawn(move || {
                            barrier.wait();
                            pairs(store, keys);
                        })
                    })
                    .collect();
                barrier.wait();
                let start = Instant::now();
                for worker in workers {
                    worker.join().unwrap();
                }
                elapsed = start.elapsed();
            });
            elapsed
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
