//! The Postgres inbox against a real Postgres (`HOOKVERIFY_DATABASE_URL`, set by
//! `scripts/test.sh`): duplicates collapse at the insert, workers run the handler in the
//! transaction that marks the event done, failures back off and end `dead`, dead events replay,
//! and a worker that dies mid-event leaves it to the next one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Verifier, sendable};
use hookverify_postgres::{
    Accepted, Backoff, BoxFuture, HandlerError, Inbox, InboxEvent, InboxHandler, Worker,
};
use sqlx::postgres::PgPoolOptions;
use sqlx::{AssertSqlSafe, PgConnection, Row};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn database_url() -> String {
    std::env::var("HOOKVERIFY_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "HOOKVERIFY_DATABASE_URL is not set: run scripts/test.sh (it installs and starts \
             Postgres), or start one and export HOOKVERIFY_DATABASE_URL=postgres://user@127.0.0.1:PORT/db"
        )
    })
}

/// An inbox on tables of its own, migrated, and its effects table.
async fn inbox(name: &str) -> (Inbox, String) {
    let pool = PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(2))
        .connect(&database_url())
        .await
        .unwrap();
    let table = format!("inbox_{name}_{}", std::process::id());
    let inbox = Inbox::new(pool).table(&table).unwrap();
    inbox.migrate().await.unwrap();
    let effects = format!("{table}_effects");
    sqlx::query(AssertSqlSafe(format!(
        "CREATE TABLE IF NOT EXISTS {effects} (key text PRIMARY KEY, n int NOT NULL)"
    )))
    .execute(inbox.pool())
    .await
    .unwrap();
    (inbox, effects)
}

/// A verified, parsed Sendable event with delivery id `id`.
fn parsed(id: &str) -> (hookverify::Parsed<sendable::Event>, Vec<(String, String)>) {
    let body = br#"{"type":"message.read","createdAt":"2026-03-02T10:30:00.000Z","data":{"id":"wamid.1"}}"#;
    let headers = Signer::new(&Scheme::sendable(), SECRET)
        .unwrap()
        .sign(&Message::new(body).id(id))
        .unwrap();
    let pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    let parsed = Verifier::new(Scheme::sendable(), SECRET)
        .unwrap()
        .verify_and_parse::<sendable::Event>(&headers, &body[..])
        .unwrap();
    (parsed, pairs)
}

/// Parses the event with its provider's type, counts it in `effects` (in the worker's
/// transaction), and fails the first `fail_first` attempts.
struct Counting {
    effects: String,
    fail_first: u32,
    permanent: bool,
    hang: bool,
    seen: Arc<AtomicU32>,
}

impl InboxHandler for Counting {
    fn handle<'a>(
        &'a self,
        event: &'a InboxEvent,
        tx: &'a mut PgConnection,
    ) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            self.seen.fetch_add(1, Ordering::SeqCst);
            assert_eq!(
                event.builtin_provider(),
                Some(hookverify::Provider::Sendable)
            );
            let parsed = event.parse::<sendable::Event>().unwrap();
            assert!(matches!(parsed.event, sendable::Event::MessageRead(_)));
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {0} (key, n) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET n = {0}.n + 1",
                self.effects
            )))
            .bind(event.idempotency_key())
            .execute(&mut *tx)
            .await
            .unwrap();
            if self.hang {
                std::future::pending::<()>().await;
            }
            if event.attempt <= self.fail_first {
                return Err(if self.permanent {
                    HandlerError::Permanent("no such account".into())
                } else {
                    HandlerError::Temporary(format!("attempt {} fails", event.attempt))
                });
            }
            Ok(())
        })
    }
}

fn counting(effects: &str, fail_first: u32) -> (Counting, Arc<AtomicU32>) {
    let seen = Arc::new(AtomicU32::new(0));
    (
        Counting {
            effects: effects.to_owned(),
            fail_first,
            permanent: false,
            hang: false,
            seen: Arc::clone(&seen),
        },
        seen,
    )
}

async fn effect(inbox: &Inbox, effects: &str, key: &str) -> i32 {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT n FROM {effects} WHERE key = $1"
    )))
    .bind(key)
    .fetch_optional(inbox.pool())
    .await
    .unwrap()
    .map_or(0, |row| row.get::<i32, _>(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_collapse_and_each_event_is_handled_once() {
    let (inbox, effects) = inbox("dup").await;
    let (event, headers) = parsed("msg_dup_1");
    let accepts: Vec<_> = (0..10)
        .map(|_| {
            let (inbox, event, headers) = (inbox.clone(), event.clone(), headers.clone());
            tokio::spawn(async move {
                inbox
                    .accept_parsed("sendable", &event, &headers)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut new = 0;
    for accept in accepts {
        new += usize::from(accept.await.unwrap() == Accepted::New);
    }
    assert_eq!(new, 1);
    let (handler, seen) = counting(&effects, 0);
    let worker = Worker::new(inbox.clone(), handler);
    assert!(worker.run_once().await.unwrap());
    assert!(!worker.run_once().await.unwrap(), "nothing else is due");
    assert_eq!(seen.load(Ordering::SeqCst), 1);
    assert_eq!(effect(&inbox, &effects, "msg_dup_1").await, 1);
    let status = inbox.status().await.unwrap();
    assert_eq!((status.pending, status.done, status.dead), (0, 1, 0));
    // A delivery after processing is still a duplicate (until the done row is purged).
    assert_eq!(
        inbox
            .accept_parsed("sendable", &event, &headers)
            .await
            .unwrap(),
        Accepted::Duplicate
    );
    assert_eq!(inbox.purge_done(Duration::ZERO).await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_back_off_then_succeed_and_their_writes_roll_back() {
    let (inbox, effects) = inbox("retry").await;
    let (event, headers) = parsed("msg_retry_1");
    inbox
        .accept_parsed("sendable", &event, &headers)
        .await
        .unwrap();
    let (handler, seen) = counting(&effects, 2);
    let worker = Worker::new(inbox.clone(), handler).backoff(Backoff::new(
        Duration::from_millis(100),
        Duration::from_secs(1),
        0.0,
    ));
    assert!(worker.run_once().await.unwrap()); // attempt 1 fails
    assert!(
        !worker.run_once().await.unwrap(),
        "not due before its backoff"
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(worker.run_once().await.unwrap()); // attempt 2 fails (backoff 200 ms)
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert!(worker.run_once().await.unwrap()); // attempt 3 succeeds
    assert_eq!(seen.load(Ordering::SeqCst), 3);
    // The failed attempts' writes rolled back: exactly one effect.
    assert_eq!(effect(&inbox, &effects, "msg_retry_1").await, 1);
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT status, attempts FROM inbox_retry_{} WHERE key = 'sendable:msg_retry_1'",
        std::process::id()
    )))
    .fetch_one(inbox.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>(0), "done");
    assert_eq!(row.get::<i32, _>(1), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_that_keeps_failing_is_dead_until_replayed() {
    let (inbox, effects) = inbox("dead").await;
    let (event, headers) = parsed("msg_dead_1");
    inbox
        .accept_parsed("sendable", &event, &headers)
        .await
        .unwrap();
    let (handler, _) = counting(&effects, u32::MAX);
    let worker = Worker::new(inbox.clone(), handler)
        .max_attempts(3)
        .backoff(Backoff::new(Duration::ZERO, Duration::ZERO, 0.0));
    for _ in 0..3 {
        assert!(worker.run_once().await.unwrap());
    }
    assert!(
        !worker.run_once().await.unwrap(),
        "dead events are not taken"
    );
    let status = inbox.status().await.unwrap();
    assert_eq!((status.pending, status.dead), (0, 1));
    assert_eq!(effect(&inbox, &effects, "msg_dead_1").await, 0);

    // A permanent failure is dead at once.
    let (event, headers) = parsed("msg_dead_2");
    inbox
        .accept_parsed("sendable", &event, &headers)
        .await
        .unwrap();
    let (mut handler, _) = counting(&effects, u32::MAX);
    handler.permanent = true;
    let permanent = Worker::new(inbox.clone(), handler);
    assert!(permanent.run_once().await.unwrap());
    assert_eq!(inbox.status().await.unwrap().dead, 2);

    // Replayed, with a handler that works now.
    assert_eq!(inbox.retry_dead().await.unwrap(), 2);
    let (handler, _) = counting(&effects, 0);
    let fixed = Worker::new(inbox.clone(), handler);
    assert!(fixed.run_once().await.unwrap());
    assert!(fixed.run_once().await.unwrap());
    assert_eq!(effect(&inbox, &effects, "msg_dead_1").await, 1);
    assert_eq!(effect(&inbox, &effects, "msg_dead_2").await, 1);
    assert_eq!(inbox.status().await.unwrap().dead, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_dies_mid_event_leaves_it_to_the_next() {
    let (inbox, effects) = inbox("killed").await;
    let (event, headers) = parsed("msg_killed_1");
    inbox
        .accept_parsed("sendable", &event, &headers)
        .await
        .unwrap();
    let (mut handler, seen) = counting(&effects, 0);
    handler.hang = true;
    let stuck = Worker::new(inbox.clone(), handler);
    let task = tokio::spawn(async move { stuck.run_once().await });
    while seen.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // While it holds the row, another worker skips it.
    let (handler, other_seen) = counting(&effects, 0);
    let other = Worker::new(inbox.clone(), handler);
    assert!(!other.run_once().await.unwrap());
    // The worker dies: its transaction (and row lock) goes with it.
    task.abort();
    let _ = task.await;
    let mut handled = false;
    for _ in 0..100 {
        if other.run_once().await.unwrap() {
            handled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(handled, "the event went back to the queue");
    assert_eq!(other_seen.load(Ordering::SeqCst), 1);
    assert_eq!(effect(&inbox, &effects, "msg_killed_1").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_worker_wakes_on_notify() {
    let (inbox, effects) = inbox("notify").await;
    let (handler, seen) = counting(&effects, 0);
    // A long poll interval: only the notification can wake it in time.
    let worker = Worker::new(inbox.clone(), handler).poll_interval(Duration::from_secs(30));
    let running = tokio::spawn(worker.run());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (event, headers) = parsed("msg_notify_1");
    inbox
        .accept_parsed("sendable", &event, &headers)
        .await
        .unwrap();
    let mut waited = Duration::ZERO;
    while seen.load(Ordering::SeqCst) == 0 && waited < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
    }
    running.abort();
    assert_eq!(seen.load(Ordering::SeqCst), 1, "woken within {waited:?}");
    assert!(waited < Duration::from_secs(5));
}
