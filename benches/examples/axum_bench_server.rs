//! The server side of the axum load benchmark: one route, `POST /`, in one of five modes:
//!
//! - `plain`: a `Bytes` handler (the ceiling);
//! - `webhook`: `Webhook<standard_webhooks::Envelope<LoadMessage>>` behind the memory
//!   idempotency layer (verify, typed parse, de-duplication);
//! - `webhook-typed`: `Webhook<sendable::Event>` (a provider enum) behind the same layer;
//! - `hand-written`: the `svix` crate's verify, a `serde_json` typed parse and a
//!   `Mutex<HashMap>` seen-set in a plain handler (what users write today);
//! - `minimal`: a pre-keyed HMAC, the same typed parse and a sharded set insert.
//!
//! ```sh
//! target/release/examples/axum_bench_server plain 4001
//! target/release/examples/axum_bench_server webhook 4002
//! ```
//! Runs on one Tokio worker thread, so the load generator gets the other core.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Benchmark code.

#[path = "shared/receivers.rs"]
mod receivers;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use bytes::Bytes;
use hookverify::Verifiers;
use hookverify::idempotency::MemoryStore;
use hookverify::{Scheme, Verifier, sendable, standard_webhooks};
use hookverify_axum::{IdempotencyLayer, Webhook};
use receivers::{HandWritten, LoadMessage, Minimal, SECRET};

async fn plain(body: Bytes) -> String {
    body.len().to_string()
}

async fn envelope(webhook: Webhook<standard_webhooks::Envelope<LoadMessage>>) -> String {
    webhook.event.data.id.len().to_string()
}

async fn typed(webhook: Webhook<sendable::Event>) -> String {
    webhook.body.len().to_string()
}

async fn hand_written(
    State(receiver): State<Arc<HandWritten>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let (status, read) = receiver.handle(&headers, &body);
    (StatusCode::from_u16(status).unwrap(), read.to_string())
}

async fn minimal(
    State(receiver): State<Arc<Minimal>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let (status, read) = receiver.handle(
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
        &body,
    );
    (StatusCode::from_u16(status).unwrap(), read.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args
        .next()
        .expect("mode: plain | webhook | webhook-typed | hand-written | minimal");
    let port: u16 = args.next().map_or(4000, |p| p.parse().unwrap());
    let app: Router = match mode.as_str() {
        "plain" => Router::new().route("/", post(plain)),
        "webhook" => Router::new()
            .route("/", post(envelope))
            .layer(IdempotencyLayer::new(
                MemoryStore::builder().capacity(10_000_000).build(),
            ))
            .with_state(
                Verifiers::new().with::<standard_webhooks::Envelope<LoadMessage>>(
                    Verifier::new(Scheme::standard_webhooks(), SECRET).unwrap(),
                ),
            ),
        "webhook-nodedup" => Router::new().route("/", post(envelope)).with_state(
            Verifiers::new().with::<standard_webhooks::Envelope<LoadMessage>>(
                Verifier::new(Scheme::standard_webhooks(), SECRET).unwrap(),
            ),
        ),
        "webhook-typed" => Router::new()
            .route("/", post(typed))
            .layer(IdempotencyLayer::new(
                MemoryStore::builder().capacity(10_000_000).build(),
            ))
            .with_state(
                Verifiers::new()
                    .with::<sendable::Event>(Verifier::new(Scheme::sendable(), SECRET).unwrap()),
            ),
        "hand-written" => Router::new()
            .route("/", post(hand_written))
            .with_state(Arc::new(HandWritten::new())),
        "minimal" => Router::new()
            .route("/", post(minimal))
            .with_state(Arc::new(Minimal::new())),
        other => panic!("unknown mode {other}"),
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    println!("listening on {}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
