//! The Redis inbox under load, against the Redis in `HOOKVERIFY_REDIS_URL`:
//!
//! 1. accepted events/s (32 concurrent tasks on one multiplexed connection, 1 KiB bodies, every
//!    event new) against raw `XADD`s of the same fields into another stream from the same
//!    client (what `redis-benchmark -t xadd` measures, with our entry);
//! 2. worker throughput: a backlog drained by 1 and by 4 running workers (`Worker::run`; the
//!    handler does one `HINCRBY`, like the example's effect);
//! 3. accept-to-handled latency (p50, p99) at 1 000 events/s with four running workers blocked
//!    on `XREADGROUP`.
//!
//! ```sh
//! HOOKVERIFY_REDIS_URL=redis://127.0.0.1:6379 \
//!   cargo run --release -p hookverify-benches --example redis_inbox_bench -- [SECONDS]
//! ```

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss
)] // Measurement code.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hookverify::adapter::{HandlerError, InboxEntry, InboxEvent};
use hookverify_redis::{BoxFuture, Inbox, InboxHandler, Worker};
use redis::aio::ConnectionManager;

#[path = "shared/inbox_load.rs"]
mod inbox_load;

use inbox_load::{Latencies, body, headers, rate};

/// Workers running during the latency measurement.
const LATENCY_WORKERS: usize = 4;

/// The example's effect: one `HINCRBY`.
struct Effect(ConnectionManager, String);

impl InboxHandler for Effect {
    fn handle<'a>(&'a self, event: &'a InboxEvent) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            let mut conn = self.0.clone();
            redis::cmd("HINCRBY")
                .arg(&self.1)
                .arg(event.idempotency_key())
                .arg(1)
                .query_async::<i64>(&mut conn)
                .await
                .map_err(|e| HandlerError::Temporary(e.to_string()))?;
            Ok(())
        })
    }
}

/// Records when each event was handled.
struct Latency(Latencies);

impl InboxHandler for Latency {
    fn handle<'a>(&'a self, event: &'a InboxEvent) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            self.0.handled(event.idempotency_key());
            Ok(())
        })
    }
}

async fn inbox(url: &str, prefix: &str) -> Inbox {
    Inbox::builder(url).prefix(prefix).connect().await.unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let url = std::env::var("HOOKVERIFY_REDIS_URL").expect("HOOKVERIFY_REDIS_URL");
    let seconds: u64 = std::env::args().nth(1).map_or(5, |s| s.parse().unwrap());
    let run = std::process::id();
    let client = redis::Client::open(url.as_str()).unwrap();
    let conn = ConnectionManager::new(client).await.unwrap();
    let body = Arc::new(body());
    let headers = Arc::new(headers());

    // 1. Accept vs raw XADD, alternating, three rounds each.
    let accepting = inbox(&url, &format!("{{bench-{run}-accept}}:")).await;
    let raw_stream = format!("{{bench-{run}-accept}}:raw");
    let mut accept_rates = Vec::new();
    let mut xadd_rates = Vec::new();
    for round in 0..3 {
        let (i, b, h) = (accepting.clone(), Arc::clone(&body), Arc::clone(&headers));
        accept_rates.push(
            rate(32, seconds, move |n| {
                let (i, b, h) = (i.clone(), Arc::clone(&b), Arc::clone(&h));
                async move {
                    let key = format!("r{run}_{round}_{n}");
                    i.accept(InboxEntry::new("sendable", "message.read", &key, &b, &h))
                        .await
                        .unwrap();
                }
            })
            .await,
        );
        let (c, b, h, stream) = (
            conn.clone(),
            Arc::clone(&body),
            Arc::clone(&headers),
            raw_stream.clone(),
        );
        xadd_rates.push(
            rate(32, seconds, move |n| {
                let (mut c, b, h, stream) =
                    (c.clone(), Arc::clone(&b), Arc::clone(&h), stream.clone());
                async move {
                    let mut xadd = redis::cmd("XADD");
                    xadd.arg(&stream)
                        .arg("*")
                        .arg("key")
                        .arg(format!("sendable:r{run}_{round}_{n}"))
                        .arg("provider")
                        .arg("sendable")
                        .arg("type")
                        .arg("message.read")
                        .arg("body")
                        .arg(&b[..])
                        .arg("headers")
                        .arg(
                            h.iter()
                                .map(|(name, value)| format!("{name}:{value}"))
                                .collect::<Vec<_>>()
                                .join("\n"),
                        );
                    xadd.query_async::<String>(&mut c).await.unwrap();
                }
            })
            .await,
        );
    }
    let mut ratios = Vec::new();
    for (round, (a, x)) in accept_rates.iter().zip(&xadd_rates).enumerate() {
        println!(
            "round {}: accept {a:.0} events/s, raw XADD {x:.0} entries/s, ratio {:.2}",
            round + 1,
            a / x
        );
        ratios.push(a / x);
    }
    ratios.sort_by(f64::total_cmp);
    println!("median ratio {:.2}", ratios[ratios.len() / 2]);

    // 2. Worker throughput: drain a backlog with 1, then 4 workers.
    for workers in [1usize, 4] {
        let backlog = 4000;
        let draining = inbox(&url, &format!("{{bench-{run}-w{workers}}}:")).await;
        draining.create_group().await.unwrap();
        for n in 0..backlog {
            let key = format!("r{run}_w{workers}_{n}");
            draining
                .accept(InboxEntry::new(
                    "sendable",
                    "message.read",
                    &key,
                    &body,
                    &headers,
                ))
                .await
                .unwrap();
        }
        let effects = format!("{{bench-{run}-w{workers}}}:effects");
        let started = Instant::now();
        // `Worker::run`, the production loop (it acknowledges each event in the round trip
        // that takes the next), until every event took effect.
        let tasks: Vec<_> = (0..workers)
            .map(|_| {
                let worker = Worker::new(draining.clone(), Effect(conn.clone(), effects.clone()));
                tokio::spawn(worker.run())
            })
            .collect();
        let mut count = conn.clone();
        loop {
            let handled: usize = redis::cmd("HLEN")
                .arg(&effects)
                .query_async(&mut count)
                .await
                .unwrap();
            if handled >= backlog {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let took = started.elapsed();
        for task in tasks {
            task.abort();
        }
        println!(
            "{workers} worker(s): {:.0} events/s ({backlog} events in {:.2} s)",
            backlog as f64 / took.as_secs_f64(),
            took.as_secs_f64()
        );
    }

    // 3. Latency from accept to handled at 1 000 events/s, four running workers.
    let latency_inbox = inbox(&url, &format!("{{bench-{run}-latency}}:")).await;
    latency_inbox.create_group().await.unwrap();
    let latencies = Latencies::default();
    let running: Vec<_> = (0..LATENCY_WORKERS)
        .map(|_| {
            let worker = Worker::new(latency_inbox.clone(), Latency(latencies.clone()))
                .poll_interval(Duration::from_secs(1));
            tokio::spawn(worker.run())
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    latencies
        .measure(run, seconds, |key| {
            let (inbox, body, headers) = (
                latency_inbox.clone(),
                Arc::clone(&body),
                Arc::clone(&headers),
            );
            async move {
                inbox
                    .accept(InboxEntry::new(
                        "sendable",
                        "message.read",
                        &key,
                        &body,
                        &headers,
                    ))
                    .await
                    .unwrap();
            }
        })
        .await;
    for worker in running {
        worker.abort();
    }
}
