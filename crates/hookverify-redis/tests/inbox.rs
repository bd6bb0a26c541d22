//! The Redis inbox against a real Redis (`HOOKVERIFY_REDIS_URL`, set by `scripts/test.sh`):
//! duplicates never enter the stream, workers retry with backoff from the delivery count,
//! poison events land in the dead-letter stream and replay, a silent worker's event is
//! reclaimed while a slow one keeps its own, and an unreachable Redis is an error in time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hookverify::adapter::{EventSink, InboxEntry};
use hookverify::idempotency::StoreError;
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Verifier, sendable};
use hookverify_redis::{
    Accepted, Backoff, BoxFuture, HandlerError, Inbox, InboxEvent, InboxHandler, Worker,
};

/// A stream entry: its id and fields.
type Entry = (String, Vec<(String, Vec<u8>)>);

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// An inbox with keys of its own on the shared Redis.
async fn inbox(name: &str) -> Inbox {
    let prefix = format!(
        "{{test-inbox-{name}-{}-{}}}:",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    Inbox::builder(common::redis_url())
        .prefix(prefix)
        .connect()
        .await
        .unwrap()
}

async fn redis() -> redis::aio::MultiplexedConnection {
    redis::Client::open(common::redis_url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

/// A verified, parsed Sendable event with delivery id `id`, and its headers.
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

async fn accept(inbox: &Inbox, id: &str) -> Accepted {
    let (parsed, headers) = parsed(id);
    inbox
        .accept_parsed("sendable", &parsed, &headers)
        .await
        .unwrap()
}

/// Records every attempt; fails the first `fail_first` attempts of each event (permanently when
/// `permanent`), or sleeps `delay` first.
#[derive(Clone, Default)]
struct Recording {
    attempts: Arc<Mutex<Vec<(String, u32, Instant)>>>,
    fail_first: u32,
    permanent: bool,
    delay: Duration,
}

impl InboxHandler for Recording {
    fn handle<'a>(&'a self, event: &'a InboxEvent) -> BoxFuture<'a, Result<(), HandlerError>> {
        Box::pin(async move {
            // Typed dispatch from the stored body and headers.
            let parsed = event
                .parse::<sendable::Event>()
                .map_err(|e| HandlerError::Permanent(e.to_string()))?;
            assert!(matches!(parsed.event, sendable::Event::MessageRead(_)));
            self.attempts.lock().unwrap().push((
                event.idempotency_key().to_owned(),
                event.attempt,
                Instant::now(),
            ));
            tokio::time::sleep(self.delay).await;
            if event.attempt <= self.fail_first {
                let message = format!("attempt {} fails", event.attempt);
                return Err(if self.permanent {
                    HandlerError::Permanent(message)
                } else {
                    HandlerError::Temporary(message)
                });
            }
            Ok(())
        })
    }
}

impl Recording {
    fn attempts(&self) -> Vec<(String, u32)> {
        self.attempts
            .lock()
            .unwrap()
            .iter()
            .map(|(key, attempt, _)| (key.clone(), *attempt))
            .collect()
    }
}

/// Runs `worker` until `done` says so (or fails after `within`).
async fn drive<H: InboxHandler>(
    worker: &Worker<H>,
    within: Duration,
    mut done: impl FnMut() -> bool,
) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "not done within {within:?}");
        if !worker.run_once().await.unwrap() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_never_enter_the_stream_and_each_event_is_handled_once() {
    let inbox = inbox("dup").await;
    assert_eq!(accept(&inbox, "msg_1").await, Accepted::New);
    assert_eq!(accept(&inbox, "msg_1").await, Accepted::Duplicate);
    assert_eq!(accept(&inbox, "msg_2").await, Accepted::New);
    // Through the adapters' trait too.
    let entry = InboxEntry::new("sendable", "message.read", "msg_2", b"{}", &[]);
    assert_eq!(
        EventSink::accept(&inbox, entry).await.unwrap(),
        Accepted::Duplicate
    );
    let status = inbox.status().await.unwrap();
    assert_eq!(status.stream_length, 2);
    assert!(status.oldest_pending.is_some());

    // The stored entry keeps the exact body and the headers.
    let mut conn = redis().await;
    let entries: Vec<Entry> = redis::cmd("XRANGE")
        .arg(inbox.stream_key())
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .unwrap();
    let (parsed, headers) = parsed("msg_1");
    let fields = &entries[0].1;
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_eq!(field("key"), b"sendable:msg_1");
    assert_eq!(field("type"), b"message.read");
    assert_eq!(field("body"), parsed.raw_body().as_bytes());
    let packed = String::from_utf8(field("headers")).unwrap();
    for (name, value) in &headers {
        assert!(
            packed.lines().any(|line| line == format!("{name}:{value}")),
            "{name} in {packed}"
        );
    }

    let handler = Recording::default();
    let worker = Worker::new(inbox.clone(), handler.clone());
    drive(&worker, Duration::from_secs(10), || {
        handler.attempts().len() == 2
    })
    .await;
    assert!(!worker.run_once().await.unwrap(), "nothing left");
    let mut keys: Vec<_> = handler.attempts();
    keys.sort();
    assert_eq!(
        keys,
        [("msg_1".to_owned(), 1), ("msg_2".to_owned(), 1)],
        "each once, first attempt"
    );
    let status = inbox.status().await.unwrap();
    assert_eq!(
        (status.stream_length, status.pending, status.dead),
        (0, 0, 0)
    );
    // Still a duplicate after processing: the marker outlives the entry.
    assert_eq!(accept(&inbox, "msg_1").await, Accepted::Duplicate);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_back_off_by_delivery_count_then_succeed() {
    let inbox = inbox("retry").await;
    accept(&inbox, "msg_retry").await;
    let handler = Recording {
        fail_first: 2,
        ..Recording::default()
    };
    let worker = Worker::new(inbox.clone(), handler.clone())
        .backoff(Backoff::new(
            Duration::from_millis(300),
            Duration::from_secs(5),
            0.0,
        ))
        .max_attempts(5);
    drive(&worker, Duration::from_secs(10), || {
        handler.attempts().len() == 3
    })
    .await;
    assert_eq!(
        handler.attempts(),
        [
            ("msg_retry".to_owned(), 1),
            ("msg_retry".to_owned(), 2),
            ("msg_retry".to_owned(), 3)
        ]
    );
    let times: Vec<Instant> = handler
        .attempts
        .lock()
        .unwrap()
        .iter()
        .map(|a| a.2)
        .collect();
    let (first, second) = (times[1] - times[0], times[2] - times[1]);
    assert!(
        first >= Duration::from_millis(290) && first < Duration::from_millis(1500),
        "{first:?}"
    );
    assert!(
        second >= Duration::from_millis(590) && second < Duration::from_millis(2000),
        "{second:?}"
    );
    let status = inbox.status().await.unwrap();
    assert_eq!(
        (status.stream_length, status.pending, status.retrying),
        (0, 0, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poison_event_lands_in_the_dead_letters_after_n_deliveries_and_replays() {
    let inbox = inbox("dead").await;
    accept(&inbox, "msg_poison").await;
    let handler = Recording {
        fail_first: u32::MAX,
        ..Recording::default()
    };
    let worker = Worker::new(inbox.clone(), handler.clone())
        .backoff(Backoff::new(Duration::ZERO, Duration::ZERO, 0.0))
        .max_attempts(3);
    drive(&worker, Duration::from_secs(10), || {
        handler.attempts().len() == 3
    })
    .await;
    assert!(!worker.run_once().await.unwrap(), "no fourth delivery");
    let status = inbox.status().await.unwrap();
    assert_eq!(
        (status.stream_length, status.pending, status.dead),
        (0, 0, 1)
    );
    // The dead letter keeps the event, the error and the delivery count.
    let mut conn = redis().await;
    let dead: Vec<Entry> = redis::cmd("XRANGE")
        .arg(inbox.dead_letter_key())
        .arg("-")
        .arg("+")
        .query_async(&mut conn)
        .await
        .unwrap();
    let fields = &dead[0].1;
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_eq!(field("key"), b"sendable:msg_poison");
    assert_eq!(field("error"), b"attempt 3 fails");
    assert_eq!(field("deliveries"), b"3");

    // Replayed, it starts again from delivery 1 and succeeds this time.
    assert_eq!(inbox.retry_dead().await.unwrap(), 1);
    assert_eq!(inbox.status().await.unwrap().dead, 0);
    let fixed = Recording::default();
    let worker = Worker::new(inbox.clone(), fixed.clone());
    drive(&worker, Duration::from_secs(10), || {
        fixed.attempts().len() == 1
    })
    .await;
    assert_eq!(fixed.attempts(), [("msg_poison".to_owned(), 1)]);
    assert_eq!(inbox.status().await.unwrap().stream_length, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_failure_is_dead_at_once() {
    let inbox = inbox("permanent").await;
    accept(&inbox, "msg_perm").await;
    let handler = Recording {
        fail_first: 1,
        permanent: true,
        ..Recording::default()
    };
    let worker = Worker::new(inbox.clone(), handler.clone()).max_attempts(8);
    drive(&worker, Duration::from_secs(10), || {
        handler.attempts().len() == 1
    })
    .await;
    assert!(!worker.run_once().await.unwrap());
    assert_eq!(inbox.status().await.unwrap().dead, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_workers_event_is_reclaimed_by_another() {
    let inbox = inbox("reclaim").await;
    accept(&inbox, "msg_stalled").await;
    inbox.create_group().await.unwrap();
    // A consumer that reads the event and then dies (never acknowledges, never refreshes).
    let mut conn = redis().await;
    let _: redis::Value = redis::cmd("XREADGROUP")
        .arg("GROUP")
        .arg("workers")
        .arg("dead-worker")
        .arg("COUNT")
        .arg(1)
        .arg("STREAMS")
        .arg(inbox.stream_key())
        .arg(">")
        .query_async(&mut conn)
        .await
        .unwrap();
    let handler = Recording::default();
    let worker = Worker::new(inbox.clone(), handler.clone())
        .claim_idle(Duration::from_millis(300))
        .poll_interval(Duration::from_millis(50));
    assert!(
        !worker.run_once().await.unwrap(),
        "not yet idle long enough"
    );
    let started = Instant::now();
    drive(&worker, Duration::from_secs(10), || {
        handler.attempts().len() == 1
    })
    .await;
    assert!(started.elapsed() >= Duration::from_millis(250));
    // The first delivery went to the dead consumer: this is the second.
    assert_eq!(handler.attempts(), [("msg_stalled".to_owned(), 2)]);
    let status = inbox.status().await.unwrap();
    assert_eq!((status.stream_length, status.pending), (0, 0));
    assert_eq!(inbox.purge_consumers(Duration::ZERO).await.unwrap(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_handler_keeps_its_event() {
    let inbox = inbox("slow").await;
    accept(&inbox, "msg_slow").await;
    let slow = Recording {
        delay: Duration::from_millis(1200),
        ..Recording::default()
    };
    let claim = Duration::from_millis(300);
    let slow_worker = Worker::new(inbox.clone(), slow.clone())
        .claim_idle(claim)
        .poll_interval(Duration::from_millis(50));
    let other = Recording::default();
    let other_worker = Worker::new(inbox.clone(), other.clone())
        .claim_idle(claim)
        .poll_interval(Duration::from_millis(50));
    let running = tokio::spawn(async move { slow_worker.run_once().await });
    while slow.attempts().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // While the slow handler runs (4x the claim time), the other worker never gets the event.
    let deadline = Instant::now() + Duration::from_millis(1100);
    while Instant::now() < deadline {
        other_worker.run_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(running.await.unwrap().unwrap());
    assert!(other.attempts().is_empty(), "{:?}", other.attempts());
    assert_eq!(slow.attempts(), [("msg_slow".to_owned(), 1)]);
    assert_eq!(inbox.status().await.unwrap().stream_length, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_worker_wakes_for_new_events() {
    let inbox = inbox("run").await;
    let handler = Recording::default();
    let worker = Worker::new(inbox.clone(), handler.clone()).poll_interval(Duration::from_secs(5));
    let running = tokio::spawn(worker.run());
    // Let it create the group and block on the stream.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let accepted = Instant::now();
    accept(&inbox, "msg_wake").await;
    let deadline = Instant::now() + Duration::from_secs(3);
    while handler.attempts().is_empty() {
        assert!(Instant::now() < deadline, "not woken");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Woken by the blocking read, well before the 5 s poll.
    assert!(accepted.elapsed() < Duration::from_secs(1));
    running.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_is_unavailable_within_the_timeout() {
    let port = common::free_port();
    let inbox = Inbox::builder(format!("redis://127.0.0.1:{port}"))
        .timeout(Duration::from_millis(500))
        .connect_lazy()
        .unwrap();
    let started = Instant::now();
    let entry = InboxEntry::new("sendable", "message.read", "msg_down", b"{}", &[]);
    let err = inbox.accept(entry).await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(inbox.status().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_for_replicas_refuses_when_there_are_none() {
    // The test Redis has no replicas: asking for one must fail (503), not pretend.
    let prefix = format!("{{test-inbox-wait-{}}}:", std::process::id());
    let inbox = Inbox::builder(common::redis_url())
        .prefix(prefix)
        .wait_for_replicas(1, Duration::from_millis(100))
        .connect()
        .await
        .unwrap();
    let entry = InboxEntry::new("sendable", "message.read", "msg_wait", b"{}", &[]);
    let err = inbox.accept(entry).await.unwrap_err();
    assert!(err.to_string().contains("replicas"), "{err}");
    // Stored anyway; the provider's retry is a duplicate that waits again, and fails again.
    let err = inbox.accept(entry).await.unwrap_err();
    assert!(err.to_string().contains("replicas"), "{err}");
    assert_eq!(inbox.status().await.unwrap().stream_length, 1);
}
