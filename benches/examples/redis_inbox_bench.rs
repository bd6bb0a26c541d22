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

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookverify::adapter::{HandlerError, InboxEntry, InboxEvent};
use hookverify_redis::{BoxFuture, Inbox, InboxHandler, Worker};
use redis::aio::ConnectionManager;

const BODY: usize = 1024;
/// Workers running during the latency measurement.
const LATENCY_WORKERS: usize = 4;

fn body() -> Vec<u8> {
    let mut body = br#"{"type":"message.read","data":{"text":""#.to_vec();
    while body.len() + 3 < BODY {
        body.push(b'a' + (body.len() % 26) as u8);
    }
    body.extend_from_slice(br#""}}"#);
    body
}

fn headers() -> Vec<(String, String)> {
    vec![
        ("svix-id".into(), "msg_x".into()),
        ("svix-timestamp".into(), "1700000000".into()),
        ("svix-signature".into(), format!("v1,{}", "A".repeat(44))),
        ("content-type".into(), "application/json".into()),
    ]
}

/// `tasks` concurrent loops of `op(n)` for `seconds`; operations per second.
async fn rate<F, Fut>(tasks: usize, seconds: u64, op: F) -> f64
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (op, next) = (op.clone(), Arc::clone(&next));
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    op(next.fetch_add(1, Ordering::Relaxed)).await;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.unwrap();
    }
    next.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

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

/// Records when each event was handled, against when it was accepted.
struct Latency {
    accepted: Arc<Mutex<HashMap<String, Instant>>>,
    latencies: Arc<Mutex<Vec<Duration>>>,
}

impl InboxHandler for Latency {
    fn handle<'a>(&'a self, event: &'a InboxEvent) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            if let Some(at) = self.accepted.lock().unwrap().get(event.idempotency_key()) {
                self.latencies.lock().unwrap().push(at.elapsed());
            }
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
    let accepted = Arc::new(Mutex::new(HashMap::new()));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let running: Vec<_> = (0..LATENCY_WORKERS)
        .map(|_| {
            let worker = Worker::new(
                latency_inbox.clone(),
                Latency {
                    accepted: Arc::clone(&accepted),
                    latencies: Arc::clone(&latencies),
                },
            )
            .poll_interval(Duration::from_secs(1));
            tokio::spawn(worker.run())
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    let total = 1000 * seconds as usize;
    let mut sends = Vec::with_capacity(total);
    for n in 0..total {
        tick.tick().await;
        let (inbox, body, headers, accepted) = (
            latency_inbox.clone(),
            Arc::clone(&body),
            Arc::clone(&headers),
            Arc::clone(&accepted),
        );
        sends.push(tokio::spawn(async move {
            let key = format!("r{run}_lat_{n}");
            let at = Instant::now();
            accepted.lock().unwrap().insert(key.clone(), at);
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
        }));
    }
    for send in sends {
        send.await.unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while latencies.lock().unwrap().len() < total && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for worker in running {
        worker.abort();
    }
    let mut all = latencies.lock().unwrap().clone();
    all.sort();
    let pick = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    println!(
        "latency at 1000 events/s ({} events, {} handled): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        total,
        all.len(),
        pick(0.50).as_secs_f64() * 1000.0,
        pick(0.99).as_secs_f64() * 1000.0,
        all.last().unwrap().as_secs_f64() * 1000.0
    );
}
