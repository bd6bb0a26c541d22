//! A 100 MiB body streamed over real HTTP is refused with 413 without the server buffering it:
//! the bytes allocated while the request runs stay far below the body's size. (This file holds
//! one test so that nothing else allocates meanwhile.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)] // Test code.

use std::alloc::System;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::routing::post;
use bytes::Bytes;
use hookverify::Verifiers;
use hookverify::{Scheme, Verifier, sendable};
use hookverify_axum::Webhook;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const CHUNK: usize = 64 * 1024;
const TOTAL: usize = 100 * 1024 * 1024;
static ZEROS: [u8; CHUNK] = [b' '; CHUNK];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_100_mib_body_is_413_without_buffering() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let handler = move |_: Webhook<sendable::Event>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async {}
    };
    let verifier =
        Verifier::new(Scheme::sendable(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let app = Router::new()
        .route("/hook", post(handler))
        .with_state(Verifiers::new().with::<sendable::Event>(verifier));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = reqwest::Client::new();
    // Warm up the connection pool and the server, outside the measured region.
    let _ = client.post(&url).body("{}").send().await.unwrap();

    // Chunked (no Content-Length): the server must stop reading at its limit. The chunks are
    // views of one static buffer, so the client allocates nothing per chunk.
    let stream = futures_util::stream::iter(
        (0..TOTAL / CHUNK).map(|_| Ok::<_, std::io::Error>(Bytes::from_static(&ZEROS))),
    );
    let region = Region::new(GLOBAL);
    let response = client
        .post(&url)
        .header("svix-id", "msg_big")
        .header("svix-timestamp", "1700000000")
        .header("svix-signature", "v1,AAAA")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    let allocated = region.change().bytes_allocated;

    match response {
        Ok(response) => assert_eq!(response.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE),
        // The server may answer 413 and close while the client is still sending; the client
        // then sees a broken pipe instead of the response. Either way the body was refused.
        Err(err) => assert!(err.is_request() || err.is_body(), "unexpected error: {err}"),
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler must not run");
    // The limit is 1 MiB (the default); allow it and some buffers, far from 100 MiB.
    assert!(
        allocated < 8 * 1024 * 1024,
        "{allocated} bytes allocated while refusing a 100 MiB body"
    );
}
