//! The inbox example on Redis, black-box: its `receive` and `work` processes against a
//! `redis-server` of each test's own (on PATH; `scripts/test.sh` installs it), real HTTP.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code.

use std::collections::HashMap;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{Process, deliver, deliver_all};

/// A `redis-server` of the test's own, on a free loopback port, with its AOF in a temporary
/// directory (`appendonly yes`, `appendfsync always`: an acknowledged write is on disk).
struct Redis {
    port: u16,
    dir: PathBuf,
    child: std::sync::Mutex<Option<Child>>,
}

impl Redis {
    fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir =
            std::env::temp_dir().join(format!("hookverify-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let redis = Redis {
            port,
            dir,
            child: std::sync::Mutex::new(None),
        };
        redis.restart();
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn restart(&self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): run scripts/test.sh (it installs it), or \
                     install it so that it is on PATH"
                )
            });
        *self.child.lock().unwrap() = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        // Accepting connections is not enough: loading the AOF answers LOADING until done.
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok()
                && redis::Client::open(self.url())
                    .and_then(|c| c.get_connection())
                    .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c))
                    .is_ok()
            {
                return;
            }
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: what a crash leaves.
    fn kill(&self) {
        if let Some(mut child) = self.child.lock().unwrap().take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn store(&self) -> [String; 2] {
        ["--redis".to_owned(), self.url()]
    }

    /// `HGETALL effects`.
    fn effects(&self) -> HashMap<String, i64> {
        redis::Client::open(self.url())
            .and_then(|c| c.get_connection())
            .and_then(|mut c| redis::cmd("HGETALL").arg("effects").query(&mut c))
            .unwrap_or_default()
    }

    fn wait_for_effects(&self, count: usize, within: Duration) -> HashMap<String, i64> {
        let deadline = Instant::now() + within;
        loop {
            let effects = self.effects();
            if effects.len() >= count || Instant::now() > deadline {
                return effects;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn args(store: &[String; 2]) -> [&str; 2] {
    [store[0].as_str(), store[1].as_str()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_receivers_three_workers_2000_events_delivered_two_or_three_times_take_effect_once() {
    let redis = Redis::start();
    let store = redis.store();
    let (_a, url_a) = common::receiver(&args(&store)).await;
    let (_b, url_b) = common::receiver(&args(&store)).await;
    let workers = [
        common::worker(&args(&store), &[]),
        common::worker(&args(&store), &[]),
        common::worker(&args(&store), &[]),
    ];
    let ids: Vec<String> = (0..2000).map(|i| format!("msg_{i}")).collect();
    let results = deliver_all(&[url_a, url_b], ids).await;
    for (id, statuses) in &results {
        assert!(statuses.iter().all(|s| *s == 200), "{id}: {statuses:?}");
    }
    let effects = redis.wait_for_effects(2000, Duration::from_secs(120));
    assert_eq!(effects.len(), 2000, "every event handled");
    let twice: Vec<_> = effects.iter().filter(|(_, n)| **n != 1).collect();
    println!("handled more than once: {} of 2000", twice.len());
    assert!(twice.is_empty(), "handled more than once: {twice:?}");
    let lines: Vec<serde_json::Value> = workers.iter().flat_map(Process::events).collect();
    assert_eq!(lines.len(), 2000, "one line per event, none handled twice");
    assert_eq!(lines[0]["provider"], "sendable");
    assert_eq!(lines[0]["attempt"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failing_attempts_are_retried_with_backoff_and_take_effect_once() {
    let redis = Redis::start();
    let store = redis.store();
    let (_receiver, url) = common::receiver(&args(&store)).await;
    let work = common::worker(&args(&store), &["--fail-first", "2"]);
    let client = reqwest::Client::new();
    let started = Instant::now();
    assert_eq!(deliver(&client, &url, "msg_retry").await, 200);
    let effects = redis.wait_for_effects(1, Duration::from_secs(30));
    let took = started.elapsed();
    assert_eq!(effects.get("msg_retry"), Some(&1), "{effects:?}");
    // Backoff from the delivery count: ~1 s after delivery 1, ~2 s after delivery 2 (±20 %).
    assert!(
        took >= Duration::from_millis(2400) && took < Duration::from_secs(10),
        "handled on attempt 3 after {took:?}"
    );
    let attempts: Vec<u64> = work
        .events()
        .iter()
        .map(|e| e["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_event_leaves_it_to_another() {
    let redis = Redis::start();
    let store = redis.store();
    let (_receiver, url) = common::receiver(&args(&store)).await;
    let claim = ["--claim-idle-ms", "1000"];
    let mut slow = common::worker(
        &args(&store),
        &[claim[0], claim[1], "--handler-delay-ms", "60000"],
    );
    let client = reqwest::Client::new();
    assert_eq!(deliver(&client, &url, "msg_kill").await, 200);
    slow.wait_for("msg_kill", Duration::from_secs(30)).await;
    slow.child.start_kill().unwrap(); // SIGKILL, mid-event
    slow.child.wait().await.unwrap();
    let killed = Instant::now();
    let other = common::worker(&args(&store), &claim);
    let effects = redis.wait_for_effects(1, Duration::from_secs(30));
    assert_eq!(effects.get("msg_kill"), Some(&1), "{effects:?}");
    // Reclaimed once the dead worker's claim went idle for a second.
    assert!(killed.elapsed() >= Duration::from_millis(500));
    let line = other.wait_for("msg_kill", Duration::from_secs(5)).await;
    // The pending list counted the killed worker's delivery.
    assert!(line.contains(r#""attempt":2"#), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unreachable_redis_is_503_within_two_seconds() {
    // Nothing listens on port 1; the receiver still starts and answers.
    let (_receiver, url) = common::receiver(&["--redis", "redis://127.0.0.1:1"]).await;
    let client = reqwest::Client::new();
    let started = Instant::now();
    assert_eq!(deliver(&client, &url, "msg_down").await, 503);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_killed_and_restarted_with_aof_mid_run_loses_nothing_acknowledged() {
    let redis = Redis::start();
    let store = redis.store();
    let (_receiver, receiver_url) = common::receiver(&args(&store)).await;
    // 5 ms per event: the worker is still working through the first 200 when Redis dies.
    let worker = common::worker(
        &args(&store),
        &["--claim-idle-ms", "1000", "--handler-delay-ms", "5"],
    );
    let urls = [receiver_url.clone()];
    // Killed (SIGKILL) mid-backlog, then restarted from its AOF.
    let acknowledged =
        common::deliver_through_an_outage(&urls, 200, || redis.kill(), || redis.restart()).await;

    // Every acknowledged event took effect; at least once on Redis (an event whose effect was
    // written just before the kill and whose acknowledgement was not can run twice).
    let effects = redis.wait_for_effects(acknowledged.len(), Duration::from_secs(60));
    for id in &acknowledged {
        assert!(effects.get(id).is_some_and(|n| *n >= 1), "{id} lost");
    }
    assert_eq!(effects.len(), acknowledged.len());
    let twice = effects.values().filter(|n| **n > 1).count();
    println!(
        "handled twice across the crash: {twice} of {}; {} attempts printed",
        acknowledged.len(),
        worker.events().len()
    );
    assert!(
        twice <= 1,
        "{twice} events handled twice (one worker has one event in flight)"
    );
}
