//! A 100 MiB body streamed over real HTTP is refused with 413 without the server buffering it,
//! through the extractor and through the middleware: the bytes allocated while each request
//! runs stay far below the body's size. (This file holds one test so that nothing else
//! allocates meanwhile.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)] // Test code.

use std::alloc::System;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{App, HttpServer, web};
use bytes::Bytes;
use hookverify::{Scheme, Verifier, Verifiers, sendable};
use hookverify_actix_web::{VerifiedWebhook, VerifyWebhooks, Webhook};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const CHUNK: usize = 64 * 1024;
const TOTAL: usize = 100 * 1024 * 1024;
static SPACES: [u8; CHUNK] = [b' '; CHUNK];
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn start(calls: Arc<AtomicUsize>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let data = web::Data::from(calls);
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                let verifier = Verifier::new(Scheme::sendable(), SECRET).unwrap();
                App::new()
                    .app_data(data.clone())
                    .app_data(Verifiers::new().with::<sendable::Event>(verifier.clone()))
                    .route(
                        "/extractor",
                        web::post().to(|_: Webhook<sendable::Event>, calls: web::Data<AtomicUsize>| async move {
                            calls.fetch_add(1, Ordering::SeqCst);
                            "handled"
                        }),
                    )
                    .service(
                        web::scope("/mw").wrap(VerifyWebhooks::new(verifier)).route(
                            "/hook",
                            web::post().to(|_: VerifiedWebhook, calls: web::Data<AtomicUsize>| async move {
                                calls.fetch_add(1, Ordering::SeqCst);
                                "handled"
                            }),
                        ),
                    )
            })
            .workers(1)
            .listen(listener)
            .unwrap()
            .run()
            .await
            .unwrap();
        });
    });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_100_mib_body_is_413_without_buffering() {
    let calls = Arc::new(AtomicUsize::new(0));
    let base = start(Arc::clone(&calls));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    // Wait for the server and warm it up, outside the measured regions.
    let mut ready = false;
    for _ in 0..100 {
        if client
            .post(format!("{base}/extractor"))
            .body("{}")
            .send()
            .await
            .is_ok()
        {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(ready, "the server did not start");

    for path in ["/extractor", "/mw/hook"] {
        // Chunked (no Content-Length): the server must stop reading at its limit. The chunks
        // are views of one static buffer, so the client allocates nothing per chunk.
        let stream = futures_util::stream::iter(
            (0..TOTAL / CHUNK).map(|_| Ok::<_, std::io::Error>(Bytes::from_static(&SPACES))),
        );
        let region = Region::new(GLOBAL);
        let response = client
            .post(format!("{base}{path}"))
            .header("svix-id", "msg_big")
            .header("svix-timestamp", "1700000000")
            .header("svix-signature", "v1,AAAA")
            .body(reqwest::Body::wrap_stream(stream))
            .send()
            .await;
        let allocated = region.change().bytes_allocated;
        eprintln!(
            "{path}: {:?} after {allocated} bytes allocated",
            response.as_ref().map(reqwest::Response::status)
        );
        match response {
            Ok(response) => assert_eq!(response.status().as_u16(), 413, "{path}"),
            // The server may answer 413 and close while the client is still sending; the
            // client then sees a broken pipe instead of the response. Either way the body was
            // refused (and the handler count below shows it never ran).
            Err(err) => assert!(
                err.is_request() || err.is_body(),
                "{path}: unexpected error: {err}"
            ),
        }
        // The limit is 1 MiB (the default); allow it and some buffers, far from 100 MiB.
        assert!(
            allocated < 8 * 1024 * 1024,
            "{path}: {allocated} bytes allocated while refusing a 100 MiB body"
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler must not run");
}
