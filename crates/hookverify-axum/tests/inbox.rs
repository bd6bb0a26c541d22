//! `accept_into_inbox` over real HTTP through axum, with an in-memory sink: 200 once
//! stored (duplicates too), the headers kept minus credentials, 401 before anything is stored,
//! 503 with `Retry-After` while the sink is down; and the same route, unchanged, on the Redis
//! inbox of `hookverify-redis` (`HOOKVERIFY_REDIS_URL`, set by `scripts/test.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::FromRef;
use axum::routing::post;
use hookverify::adapter::{Accepted, EventSink, InboxEntry, SinkFuture};
use hookverify::idempotency::StoreError;
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Verifier, Verifiers, sendable};
use hookverify_axum::{InboxSink, accept_into_inbox};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Stored entries: (provider, event type, key, body, header names).
type Stored = Vec<(String, String, String, Vec<u8>, Vec<String>)>;

#[derive(Clone, Default)]
struct Memory {
    stored: Arc<Mutex<Stored>>,
    down: Arc<AtomicBool>,
}

impl EventSink for Memory {
    fn accept<'a>(&'a self, entry: InboxEntry<'a>) -> SinkFuture<'a, Result<Accepted, StoreError>> {
        Box::pin(async move {
            if self.down.load(Ordering::SeqCst) {
                return Err(StoreError::unavailable("test sink down"));
            }
            let mut stored = self.stored.lock().unwrap();
            if stored
                .iter()
                .any(|(_, _, key, _, _)| key == entry.idempotency_key)
            {
                return Ok(Accepted::Duplicate);
            }
            stored.push((
                entry.provider.to_owned(),
                entry.event_type.to_owned(),
                entry.idempotency_key.to_owned(),
                entry.body.to_vec(),
                entry.headers.iter().map(|(n, _)| n.clone()).collect(),
            ));
            Ok(Accepted::New)
        })
    }
}

#[derive(Clone, FromRef)]
struct State {
    verifiers: Verifiers,
    inbox: InboxSink,
}

async fn start(sink: InboxSink) -> String {
    let app: Router = Router::new()
        .route("/", post(accept_into_inbox::<sendable::Event>))
        .with_state(State {
            verifiers: Verifiers::new()
                .with::<sendable::Event>(Verifier::new(Scheme::sendable(), SECRET).unwrap()),
            inbox: sink,
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/")
}

async fn deliver(client: &reqwest::Client, url: &str, id: &str, secret: &str) -> reqwest::Response {
    let body = br#"{"type":"message.read","createdAt":"2026-03-02T10:30:00.000Z","data":{"id":"wamid.1"}}"#;
    let headers = Signer::new(&Scheme::sendable(), secret)
        .unwrap()
        .sign(&Message::new(body).id(id))
        .unwrap();
    let mut request = client
        .post(url)
        .header("authorization", "Bearer not-stored")
        .body(&body[..]);
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_into_inbox_stores_once_and_answers_per_the_contract() {
    let sink = Memory::default();
    let url = start(InboxSink::new(sink.clone())).await;
    let client = reqwest::Client::new();
    for _ in 0..2 {
        let response = deliver(&client, &url, "msg_1", SECRET).await;
        assert_eq!(response.status(), 200);
    }
    {
        let stored = sink.stored.lock().unwrap();
        assert_eq!(stored.len(), 1);
        let (provider, event_type, key, body, headers) = &stored[0];
        assert_eq!(
            (provider.as_str(), event_type.as_str(), key.as_str()),
            ("sendable", "message.read", "msg_1")
        );
        assert!(body.starts_with(br#"{"type":"message.read""#));
        assert!(headers.iter().any(|h| h == "svix-signature"), "{headers:?}");
        assert!(!headers.iter().any(|h| h == "authorization"), "{headers:?}");
    }
    // A forgery is 401 and stores nothing.
    let response = deliver(
        &client,
        &url,
        "msg_2",
        "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    )
    .await;
    assert_eq!(response.status(), 401);
    // The sink down: 503 with Retry-After, nothing acknowledged.
    sink.down.store(true, Ordering::SeqCst);
    let response = deliver(&client, &url, "msg_3", SECRET).await;
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(sink.stored.lock().unwrap().len(), 1);
}

/// Records what a worker sees.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(String, u32, bool)>>>);

impl hookverify_redis::InboxHandler for Seen {
    fn handle<'a>(
        &'a self,
        event: &'a hookverify::adapter::InboxEvent,
    ) -> hookverify_redis::BoxFuture<'a, Result<(), hookverify::adapter::HandlerError>> {
        Box::pin(async move {
            let typed = event
                .parse::<sendable::Event>()
                .is_ok_and(|parsed| matches!(parsed.event, sendable::Event::MessageRead(_)));
            self.0
                .lock()
                .unwrap()
                .push((event.key.clone(), event.attempt, typed));
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_into_inbox_works_unchanged_on_the_redis_inbox() {
    let redis_url = std::env::var("HOOKVERIFY_REDIS_URL").unwrap_or_else(|_| {
        panic!(
            "HOOKVERIFY_REDIS_URL is not set: run scripts/test.sh (it installs and starts Redis), \
             or start one and export HOOKVERIFY_REDIS_URL=redis://127.0.0.1:PORT"
        )
    });
    let inbox = hookverify_redis::Inbox::builder(redis_url)
        .prefix(format!("{{axum-inbox-{}}}:", std::process::id()))
        .connect()
        .await
        .unwrap();
    let url = start(InboxSink::new(inbox.clone())).await;
    let client = reqwest::Client::new();
    for _ in 0..3 {
        assert_eq!(deliver(&client, &url, "msg_r1", SECRET).await.status(), 200);
    }
    let forged = deliver(
        &client,
        &url,
        "msg_r2",
        "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    )
    .await;
    assert_eq!(forged.status(), 401);
    assert_eq!(inbox.status().await.unwrap().stream_length, 1);
    let seen = Seen::default();
    let worker = hookverify_redis::Worker::new(inbox.clone(), seen.clone());
    assert!(worker.run_once().await.unwrap());
    assert!(!worker.run_once().await.unwrap());
    assert_eq!(
        seen.0.lock().unwrap().as_slice(),
        [("sendable:msg_r1".to_owned(), 1, true)]
    );
}
