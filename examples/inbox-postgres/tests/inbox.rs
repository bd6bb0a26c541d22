//! The inbox example, black-box: its `receive` and `work` processes against a real Postgres
//! (`HOOKVERIFY_DATABASE_URL`, set by `scripts/test.sh`), a fresh database per test, real HTTP.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp};
use sqlx::{AssertSqlSafe, Row};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn admin_url() -> String {
    std::env::var("HOOKVERIFY_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "HOOKVERIFY_DATABASE_URL is not set: run scripts/test.sh (it installs and starts \
             Postgres), or start one and export HOOKVERIFY_DATABASE_URL=postgres://user@127.0.0.1:PORT/db"
        )
    })
}

/// A new, empty database; its URL.
async fn fresh_database(name: &str) -> String {
    let admin = admin_url();
    let database = format!("inbox_{name}_{}", std::process::id());
    let pool = sqlx::PgPool::connect(&admin).await.unwrap();
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {database}")))
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .execute(&pool)
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{database}")
}

/// A running example process and the lines it printed.
struct Process {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn start(args: &[&str]) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_inbox-postgres"))
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

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits for a line that contains `needle`.
    async fn wait_for(&self, needle: &str, within: Duration) -> String {
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
    fn events(&self) -> Vec<serde_json::Value> {
        self.lines()
            .iter()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }
}

/// Starts `receive` for Sendable; its base URL.
async fn receiver(database_url: &str) -> (Process, String) {
    let process = Process::start(&[
        "receive",
        "--provider",
        "sendable",
        "--secret",
        SECRET,
        "--database-url",
        database_url,
        "--port",
        "0",
    ]);
    let line = process
        .wait_for("listening on", Duration::from_secs(30))
        .await;
    let address = line.trim_start_matches("listening on ").to_owned();
    (process, format!("http://{address}/"))
}

fn worker(database_url: &str, extra: &[&str]) -> Process {
    let mut args = vec!["work", "--database-url", database_url];
    args.extend_from_slice(extra);
    Process::start(&args)
}

/// Posts Sendable event `id` (signed now); the status.
async fn deliver(client: &reqwest::Client, url: &str, id: &str) -> u16 {
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

/// `effects` as key → n.
async fn effects(database_url: &str) -> HashMap<String, i32> {
    let pool = sqlx::PgPool::connect(database_url).await.unwrap();
    let rows = sqlx::query("SELECT key, n FROM effects")
        .fetch_all(&pool)
        .await
        .unwrap_or_default();
    rows.iter().map(|row| (row.get(0), row.get(1))).collect()
}

async fn wait_for_effects(
    database_url: &str,
    count: usize,
    within: Duration,
) -> HashMap<String, i32> {
    let deadline = Instant::now() + within;
    loop {
        let effects = effects(database_url).await;
        if effects.len() >= count || Instant::now() > deadline {
            return effects;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn duplicates_collapse_and_every_event_takes_effect_once_across_workers() {
    let database_url = fresh_database("dup").await;
    let (_receiver, url) = receiver(&database_url).await;
    let workers = [worker(&database_url, &[]), worker(&database_url, &[])];
    let client = reqwest::Client::new();
    // 60 events, each delivered three times at once.
    let mut deliveries = Vec::new();
    for i in 0..60 {
        for _ in 0..3 {
            let (client, url) = (client.clone(), url.clone());
            deliveries.push(tokio::spawn(async move {
                deliver(&client, &url, &format!("msg_{i}")).await
            }));
        }
    }
    for delivery in deliveries {
        assert_eq!(delivery.await.unwrap(), 200);
    }
    let effects = wait_for_effects(&database_url, 60, Duration::from_secs(30)).await;
    assert_eq!(effects.len(), 60, "every event handled");
    assert!(
        effects.values().all(|n| *n == 1),
        "each exactly once: {effects:?}"
    );
    let lines: usize = workers.iter().map(|w| w.events().len()).sum();
    assert_eq!(lines, 60, "one line per event");
    let line = &workers.iter().flat_map(Process::events).next().unwrap();
    assert_eq!(line["provider"], "sendable");
    assert_eq!(line["event_type"], "message.read");
    assert_eq!(line["attempt"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failing_attempts_are_retried_with_backoff_and_take_effect_once() {
    let database_url = fresh_database("retry").await;
    let (_receiver, url) = receiver(&database_url).await;
    let work = worker(&database_url, &["--fail-first", "2"]);
    let client = reqwest::Client::new();
    assert_eq!(deliver(&client, &url, "msg_retry").await, 200);
    let effects = wait_for_effects(&database_url, 1, Duration::from_secs(30)).await;
    assert_eq!(effects.get("msg_retry"), Some(&1), "{effects:?}");
    let attempts: Vec<u64> = work
        .events()
        .iter()
        .map(|e| e["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_event_leaves_it_to_another() {
    let database_url = fresh_database("kill").await;
    let (_receiver, url) = receiver(&database_url).await;
    let mut slow = worker(&database_url, &["--handler-delay-ms", "60000"]);
    let client = reqwest::Client::new();
    assert_eq!(deliver(&client, &url, "msg_kill").await, 200);
    slow.wait_for("msg_kill", Duration::from_secs(30)).await;
    slow.child.start_kill().unwrap(); // SIGKILL, mid-event
    slow.child.wait().await.unwrap();
    let other = worker(&database_url, &[]);
    let effects = wait_for_effects(&database_url, 1, Duration::from_secs(30)).await;
    assert_eq!(effects.get("msg_kill"), Some(&1), "{effects:?}");
    let line = other.wait_for("msg_kill", Duration::from_secs(5)).await;
    // The killed attempt was never recorded: its transaction died with the connection.
    assert!(line.contains(r#""attempt":1"#), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unreachable_database_is_503_within_two_seconds() {
    // Nothing listens on port 1; the receiver still starts and answers.
    let (_receiver, url) = receiver("postgres://nobody@127.0.0.1:1/none").await;
    let client = reqwest::Client::new();
    let started = Instant::now();
    assert_eq!(deliver(&client, &url, "msg_down").await, 503);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
