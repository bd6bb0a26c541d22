//! Shared by the example's black-box tests: its processes, signed deliveries over real HTTP.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test helpers.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A running example process and the lines it printed.
pub struct Process {
    pub child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Process {
    pub fn start(args: &[&str]) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_inbox"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let sink = Arc::clone(&lines);
        tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                sink.lock().unwrap().push(line);
            }
        });
        Process { child, lines }
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits for a line that contains `needle`.
    pub async fn wait_for(&self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            if let Some(line) = self.lines().into_iter().find(|l| l.contains(needle)) {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no line with {needle:?}: {:?}",
                self.lines()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// JSON lines printed by a worker.
    pub fn events(&self) -> Vec<serde_json::Value> {
        self.lines()
            .iter()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

/// Starts `receive` for Sendable on `store` (`["--database-url", URL]` or `["--redis", URL]`);
/// its base URL.
pub async fn receiver(store: &[&str]) -> (Process, String) {
    let mut args = vec![
        "receive",
        "--provider",
        "sendable",
        "--secret",
        SECRET,
        "--port",
        "0",
    ];
    args.extend_from_slice(store);
    let process = Process::start(&args);
    let line = process
        .wait_for("listening on", Duration::from_secs(30))
        .await;
    let address = line.trim_start_matches("listening on ").to_owned();
    (process, format!("http://{address}/"))
}

/// Starts `work` on `store` with `extra` options.
pub fn worker(store: &[&str], extra: &[&str]) -> Process {
    let mut args = vec!["work"];
    args.extend_from_slice(store);
    args.extend_from_slice(extra);
    Process::start(&args)
}

/// Posts Sendable event `id` (signed now); the status.
pub async fn deliver(client: &reqwest::Client, url: &str, id: &str) -> u16 {
    let body = format!(
        r#"{{"type":"message.read","createdAt":"2026-03-02T10:30:00.000Z","data":{{"id":"wamid.{id}"}}}}"#
    );
    let headers = Signer::new(&Scheme::sendable(), SECRET)
        .unwrap()
        .sign(
            &Message::new(body.as_bytes())
                .id(id)
                .timestamp(Timestamp::now()),
        )
        .unwrap();
    let mut request = client.post(url).body(body);
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    request.send().await.unwrap().status().as_u16()
}

/// Delivers events `ids` to the receivers in turn, each 2 or 3 times at once, at most 16 events
/// in flight; the statuses per event.
pub async fn deliver_all(urls: &[String], ids: Vec<String>) -> Vec<(String, Vec<u16>)> {
    let client = reqwest::Client::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(16));
    let tasks: Vec<_> = ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let (client, limit) = (client.clone(), Arc::clone(&limit));
            let urls = urls.to_vec();
            tokio::spawn(async move {
                let _permit = limit.acquire_owned().await.unwrap();
                let copies = 2 + i % 2;
                let sends: Vec<_> = (0..copies)
                    .map(|copy| {
                        let (client, url, id) = (
                            client.clone(),
                            urls[(i + copy) % urls.len()].clone(),
                            id.clone(),
                        );
                        tokio::spawn(async move { deliver(&client, &url, &id).await })
                    })
                    .collect();
                let mut statuses = Vec::new();
                for send in sends {
                    statuses.push(send.await.unwrap());
                }
                (id, statuses)
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

/// Adds the events that got a 200 to `acknowledged`; returns the ones refused (503 only).
pub fn acknowledge(
    results: Vec<(String, Vec<u16>)>,
    acknowledged: &mut Vec<String>,
) -> Vec<String> {
    let mut refused = Vec::new();
    for (id, statuses) in results {
        if statuses.contains(&200) {
            acknowledged.push(id);
        } else {
            assert!(statuses.iter().all(|s| *s == 503), "{id}: {statuses:?}");
            refused.push(id);
        }
    }
    refused
}

/// Delivers `count` events before and after an outage of the store, and 10 during it (each
/// refused one again until it is acknowledged, as providers do): `stop` takes the store down,
/// `start` brings it back; the receivers are the same processes throughout. Asserts that every
/// delivery while down is 503 within 2 s and that everything else is 200; returns the ids that
/// were acknowledged.
pub async fn deliver_through_an_outage(
    urls: &[String],
    count: usize,
    stop: impl FnOnce(),
    start: impl FnOnce(),
) -> Vec<String> {
    let mut acknowledged: Vec<String> = Vec::new();
    let before: Vec<String> = (0..count).map(|i| format!("before_{i}")).collect();
    let refused = acknowledge(deliver_all(urls, before).await, &mut acknowledged);
    assert!(refused.is_empty(), "{refused:?}");

    stop();
    let started = Instant::now();
    let during: Vec<String> = (0..10).map(|i| format!("during_{i}")).collect();
    let refused = acknowledge(deliver_all(urls, during.clone()).await, &mut acknowledged);
    assert_eq!(
        refused.len(),
        10,
        "nothing is acknowledged while the store is down"
    );
    // 16 at a time, each within 2 s.
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );

    start();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut pending = during;
    while !pending.is_empty() {
        assert!(Instant::now() < deadline, "never recovered: {pending:?}");
        pending = acknowledge(deliver_all(urls, pending).await, &mut acknowledged);
        if !pending.is_empty() {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    let after: Vec<String> = (0..count).map(|i| format!("after_{i}")).collect();
    let refused = acknowledge(deliver_all(urls, after).await, &mut acknowledged);
    assert!(refused.is_empty(), "{refused:?}");
    acknowledged
}
