//! The server side of the axum load benchmark: one route, `POST /`, either a plain `Bytes`
//! handler or the verifying `Webhook` extractor behind the memory idempotency layer.
//!
//! ```sh
//! target/release/examples/axum_bench_server plain 4001
//! target/release/examples/axum_bench_server webhook 4002
//! ```
//! Runs on one Tokio worker thread, so the load generator gets the other core.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Benchmark code.

use axum::Router;
use axum::routing::post;
use bytes::Bytes;
use hookverify::Verifiers;
use hookverify::idempotency::MemoryStore;
use hookverify::{Scheme, Verifier, sendable, standard_webhooks};
use hookverify_axum::{IdempotencyLayer, Webhook};

pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn plain(body: Bytes) -> String {
    body.len().to_string()
}

async fn envelope(webhook: Webhook<standard_webhooks::Envelope>) -> String {
    webhook.body.len().to_string()
}

async fn typed(webhook: Webhook<sendable::Event>) -> String {
    webhook.body.len().to_string()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().expect("mode: plain | webhook | webhook-typed");
    let port: u16 = args.next().map_or(4000, |p| p.parse().unwrap());
    let app: Router = match mode.as_str() {
        "plain" => Router::new().route("/", post(plain)),
        "webhook" => Router::new()
            .route("/", post(envelope))
            .layer(IdempotencyLayer::new(
                MemoryStore::builder().capacity(10_000_000).build(),
            ))
            .with_state(Verifiers::new().with::<standard_webhooks::Envelope>(
                Verifier::new(Scheme::standard_webhooks(), SECRET).unwrap(),
            )),
        "webhook-typed" => Router::new()
            .route("/", post(typed))
            .layer(IdempotencyLayer::new(
                MemoryStore::builder().capacity(10_000_000).build(),
            ))
            .with_state(
                Verifiers::new()
                    .with::<sendable::Event>(Verifier::new(Scheme::sendable(), SECRET).unwrap()),
            ),
        other => panic!("unknown mode {other}"),
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    println!("listening on {}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
