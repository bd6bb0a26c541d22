//! The actix-web middleware and extractor over real HTTP: the middleware verifies before the
//! handler, puts the exact bytes back for `web::Json`, de-duplicates, and refuses what it must.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{App, HttpServer, web};
use hookverify::idempotency::MemoryStore;
use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp, Verifier, Verifiers, sendable};
use hookverify_actix_web::{VerifiedWebhook, VerifyWebhooks, Webhook};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[derive(serde::Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
}

async fn json_handler(
    verified: VerifiedWebhook,
    event: web::Json<Envelope>,
    calls: web::Data<AtomicUsize>,
) -> String {
    calls.fetch_add(1, Ordering::SeqCst);
    format!("{} {}", event.kind, verified.idempotency_key())
}

async fn bytes_handler(body: web::Bytes) -> String {
    format!("{} bytes", body.len())
}

async fn no_middleware(_: VerifiedWebhook) -> &'static str {
    "unreachable"
}

fn start(calls: Arc<AtomicUsize>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let store = MemoryStore::new();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let calls = web::Data::from(calls);
            HttpServer::new(move || {
                let verifier = Verifier::new(Scheme::sendable(), SECRET).unwrap();
                App::new()
                    .app_data(calls.clone())
                    .service(
                        web::scope("/mw")
                            .wrap(
                                VerifyWebhooks::new(verifier.clone())
                                    .idempotency(store.clone())
                                    .body_limit(4096),
                            )
                            .route("/json", web::post().to(json_handler))
                            .route("/bytes", web::post().to(bytes_handler)),
                    )
                    .service(
                        web::scope("/down")
                            .wrap(
                                VerifyWebhooks::new(verifier).idempotency(hookverify_redis_down()),
                            )
                            .route("/json", web::post().to(json_handler)),
                    )
                    .route("/bare", web::post().to(no_middleware))
                    .app_data(Verifiers::new())
                    .route(
                        "/extractor",
                        web::post().to(|_: Webhook<sendable::Event>| async { "unreachable" }),
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
    format!("http://{addr}")
}

/// An in-memory store that is always down.
fn hookverify_redis_down() -> impl hookverify::idempotency::IdempotencyStore + Clone {
    #[derive(Clone)]
    struct Down;
    impl hookverify::idempotency::IdempotencyStore for Down {
        async fn claim(
            &self,
            _: &str,
            _: std::time::Duration,
        ) -> Result<hookverify::idempotency::ClaimOutcome, hookverify::idempotency::StoreError>
        {
            Err(hookverify::idempotency::StoreError::unavailable("down"))
        }
        async fn complete(
            &self,
            _: &hookverify::idempotency::Claim,
            _: std::time::Duration,
        ) -> Result<(), hookverify::idempotency::StoreError> {
            Ok(())
        }
        async fn release(
            &self,
            _: &hookverify::idempotency::Claim,
        ) -> Result<(), hookverify::idempotency::StoreError> {
            Ok(())
        }
    }
    Down
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    body: &[u8],
    id: &str,
    tamper: bool,
) -> (u16, String) {
    let headers = Signer::new(&Scheme::sendable(), SECRET)
        .unwrap()
        .sign(&Message::new(body).id(id).timestamp(Timestamp::now()))
        .unwrap();
    let mut body = body.to_vec();
    if tamper {
        body[5] ^= 1;
    }
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in headers.iter() {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_middleware_verifies_then_hands_the_exact_bytes_to_plain_extractors() {
    let calls = Arc::new(AtomicUsize::new(0));
    let base = start(Arc::clone(&calls));
    let client = reqwest::Client::new();
    let body =
        br#"{"type":"message.sent","createdAt":"2026-03-02T10:30:00Z","data":{"id":"wamid.1"}}"#;
    // Wait for the server thread.
    for _ in 0..200 {
        if client.get(&base).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }

    let (status, text) = post(&client, &format!("{base}/mw/json"), body, "msg_mw_1", false).await;
    assert_eq!((status, text.as_str()), (200, "message.sent msg_mw_1"));
    let (status, text) = post(&client, &format!("{base}/mw/json"), body, "msg_mw_1", false).await;
    assert_eq!(
        (status, text.as_str()),
        (200, "already processed"),
        "duplicate: the handler does not run"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let (status, text) = post(&client, &format!("{base}/mw/json"), body, "msg_mw_2", true).await;
    assert_eq!((status, text.as_str()), (401, "invalid webhook signature"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let (status, text) = post(
        &client,
        &format!("{base}/mw/bytes"),
        body,
        "msg_mw_3",
        false,
    )
    .await;
    assert_eq!(
        (status, text),
        (200, format!("{} bytes", body.len())),
        "web::Bytes sees the exact body"
    );

    // Verified but not JSON: the contract's 422, not `web::Json`'s 400; the handler never runs.
    let (status, text) = post(
        &client,
        &format!("{base}/mw/json"),
        b"not json at all",
        "msg_mw_8",
        false,
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.starts_with("unprocessable webhook payload"), "{text}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let big = format!(r#"{{"type":"message.sent","pad":"{}"}}"#, "x".repeat(8192));
    let (status, _) = post(
        &client,
        &format!("{base}/mw/json"),
        big.as_bytes(),
        "msg_mw_4",
        false,
    )
    .await;
    assert_eq!(status, 413);

    let (status, _) = post(
        &client,
        &format!("{base}/down/json"),
        body,
        "msg_mw_5",
        false,
    )
    .await;
    assert_eq!(status, 503);

    let (status, text) = post(&client, &format!("{base}/bare"), body, "msg_mw_6", false).await;
    assert_eq!(status, 500);
    assert!(text.contains("VerifyWebhooks::new(verifier)"), "{text}");

    let (status, text) = post(
        &client,
        &format!("{base}/extractor"),
        body,
        "msg_mw_7",
        false,
    )
    .await;
    assert_eq!(status, 500);
    assert!(
        text.contains("no webhook verifier registered for") && text.contains("app_data"),
        "{text}"
    );
}
