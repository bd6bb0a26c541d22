//! What the Postgres and the Redis inbox benchmarks share: the event, the load loops and the
//! latency record.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BODY: usize = 1024;

/// A 1 KiB Sendable-shaped body.
pub(crate) fn body() -> Vec<u8> {
    let mut body = br#"{"type":"message.read","data":{"text":""#.to_vec();
    while body.len() + 3 < BODY {
        body.push(b'a' + (body.len() % 26) as u8);
    }
    body.extend_from_slice(br#""}}"#);
    body
}

/// The headers stored with each event.
pub(crate) fn headers() -> Vec<(String, String)> {
    vec![
        ("svix-id".into(), "msg_x".into()),
        ("svix-timestamp".into(), "1700000000".into()),
        ("svix-signature".into(), format!("v1,{}", "A".repeat(44))),
        ("content-type".into(), "application/json".into()),
    ]
}

/// `tasks` concurrent loops of `op(n)` for `seconds`; operations per second.
pub(crate) async fn rate<F, Fut>(tasks: usize, seconds: u64, op: F) -> f64
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

/// When each event was accepted, and how long after that it was handled.
#[derive(Clone, Default)]
pub(crate) struct Latencies {
    accepted: Arc<Mutex<HashMap<String, Instant>>>,
    handled: Arc<Mutex<Vec<Duration>>>,
}

impl Latencies {
    /// A worker handled the event with idempotency key `key`.
    pub(crate) fn handled(&self, key: &str) {
        if let Some(at) = self.accepted.lock().unwrap().get(key) {
            self.handled.lock().unwrap().push(at.elapsed());
        }
    }

    /// Accepts `1000 * seconds` events at 1 000 per second through `accept(key)`, waits for the
    /// workers (at most 30 s), and prints p50, p99 and the maximum.
    pub(crate) async fn measure<F, Fut>(&self, run: u32, seconds: u64, accept: F)
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let mut tick = tokio::time::interval(Duration::from_millis(1));
        let total = 1000 * seconds as usize;
        let mut sends = Vec::with_capacity(total);
        for n in 0..total {
            tick.tick().await;
            let key = format!("r{run}_lat_{n}");
            self.accepted
                .lock()
                .unwrap()
                .insert(key.clone(), Instant::now());
            sends.push(tokio::spawn(accept(key)));
        }
        for send in sends {
            send.await.unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.handled.lock().unwrap().len() < total && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut all = self.handled.lock().unwrap().clone();
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
}
