//! The inbox example on Postgres, black-box: its `receive` and `work` processes against a real
//! Postgres (`HOOKVERIFY_DATABASE_URL`, set by `scripts/test.sh`), a fresh database per test,
//! real HTTP.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

mod common;

use common::{Process, deliver, deliver_all};

use sqlx::{AssertSqlSafe, Row};

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

/// Starts `receive` on the Postgres at `database_url`; its base URL.
async fn receiver(database_url: &str) -> (Process, String) {
    common::receiver(&["--database-url", database_url]).await
}

/// Starts `work` on the Postgres at `database_url`.
fn worker(database_url: &str, extra: &[&str]) -> Process {
    common::worker(&["--database-url", database_url], extra)
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
async fn two_receivers_three_workers_2000_events_delivered_two_or_three_times_take_effect_once() {
    let database_url = fresh_database("scale").await;
    let (_a, url_a) = receiver(&database_url).await;
    let (_b, url_b) = receiver(&database_url).await;
    let workers = [
        worker(&database_url, &[]),
        worker(&database_url, &[]),
        worker(&database_url, &[]),
    ];
    let ids: Vec<String> = (0..2000).map(|i| format!("msg_{i}")).collect();
    let results = deliver_all(&[url_a, url_b], ids).await;
    for (id, statuses) in &results {
        assert!(statuses.iter().all(|s| *s == 200), "{id}: {statuses:?}");
    }
    let effects = wait_for_effects(&database_url, 2000, Duration::from_secs(120)).await;
    assert_eq!(effects.len(), 2000, "every event handled");
    let twice: Vec<_> = effects.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "handled more than once: {twice:?}");
    let lines: Vec<serde_json::Value> = workers.iter().flat_map(Process::events).collect();
    assert_eq!(lines.len(), 2000, "one line per event, none handled twice");
    let line = &lines[0];
    assert_eq!(line["provider"], "sendable");
    assert_eq!(line["event_type"], "message.read");
    assert_eq!(line["attempt"], 1);
    assert!(effects.contains_key(line["idempotency_key"].as_str().unwrap()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failing_attempts_are_retried_with_backoff_and_take_effect_once() {
    let database_url = fresh_database("retry").await;
    let (_receiver, url) = receiver(&database_url).await;
    let work = worker(&database_url, &["--fail-first", "2"]);
    let client = reqwest::Client::new();
    let started = Instant::now();
    assert_eq!(deliver(&client, &url, "msg_retry").await, 200);
    let effects = wait_for_effects(&database_url, 1, Duration::from_secs(30)).await;
    let took = started.elapsed();
    assert_eq!(effects.get("msg_retry"), Some(&1), "{effects:?}");
    // Backoff: ~1 s after attempt 1, ~2 s after attempt 2 (±20 % jitter).
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

/// A private Postgres cluster this test may stop and start (`HOOKVERIFY_PG_BIN`, set by
/// `scripts/test.sh`, is the directory of `initdb` and `pg_ctl`).
struct Cluster {
    bin: std::path::PathBuf,
    dir: std::path::PathBuf,
    port: u16,
}

fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Cluster {
    fn pg(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let status = if running_as_root() {
            std::process::Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .stdout(Stdio::null())
                .status()
        } else {
            std::process::Command::new(&program)
                .args(args)
                .stdout(Stdio::null())
                .status()
        }
        .unwrap();
        assert!(status.success(), "{tool} {args:?} failed");
    }

    fn new() -> Cluster {
        let bin = std::env::var("HOOKVERIFY_PG_BIN").unwrap_or_else(|_| {
            panic!(
                "HOOKVERIFY_PG_BIN is not set: run scripts/test.sh, or export the directory of \
                 initdb and pg_ctl (e.g. /usr/lib/postgresql/15/bin)"
            )
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("hookverify-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        if running_as_root() {
            let status = std::process::Command::new("chown")
                .args(["postgres"])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(status.success());
        }
        let cluster = Cluster {
            bin: bin.into(),
            dir,
            port,
        };
        let data = cluster.data();
        cluster.pg("initdb", &["-D", &data, "-A", "trust", "-U", "postgres"]);
        cluster.start();
        cluster
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("postgres.log").display().to_string();
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops it the hard way: the server processes quit without a checkpoint (what a crash or
    /// a kill leaves), so only what was committed to the WAL survives.
    fn stop(&self) {
        self.pg(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| self.stop());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_stopped_and_restarted_mid_run_loses_nothing_acknowledged() {
    let cluster = Cluster::new();
    let url = cluster.url();
    let (_receiver, receiver_url) = receiver(&url).await;
    let _worker = worker(&url, &[]);
    let urls = [receiver_url.clone()];
    let mut acknowledged: Vec<String> = Vec::new();
    // Up: every delivery is 200 (the receiver migrates in the background; wait for it).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let probe = deliver(&reqwest::Client::new(), &receiver_url, "probe").await;
        if probe == 200 {
            acknowledged.push("probe".to_owned());
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the receiver never got ready: {probe}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    acknowledged.extend(
        common::deliver_through_an_outage(&urls, 50, || cluster.stop(), || cluster.start()).await,
    );

    // Every acknowledged event took effect exactly once.
    let effects = wait_for_effects(&url, acknowledged.len(), Duration::from_secs(60)).await;
    for id in &acknowledged {
        assert_eq!(effects.get(id), Some(&1), "{id}: {:?}", effects.get(id));
    }
    assert_eq!(effects.len(), acknowledged.len());
}
