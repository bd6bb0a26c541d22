//! Hostile headers over real HTTP: a 1 MiB header value, a header just over hookverify's own
//! limit, and 10 000 signatures in one header. Each gets the right status and, where hookverify
//! sees the request, its typed error; the handler never runs. (The 100 MiB body is in
//! `body_limit.rs`, which needs a process to itself to count allocations.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use hookverify::Verifiers;
use hookverify::adapter::Rejection;
use hookverify::{Scheme, Timestamp, Verifier, VerifyError, sendable};
use hookverify_axum::{Webhook, WebhookRejection};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Answers with the rejection's status and the name of the typed error, so the client can
/// check both; counts the requests that got through.
async fn report(
    calls: Arc<AtomicUsize>,
    webhook: Result<Webhook<sendable::Event>, WebhookRejection>,
) -> (StatusCode, String) {
    match webhook {
        Ok(_) => {
            calls.fetch_add(1, Ordering::SeqCst);
            (StatusCode::OK, "handled".to_owned())
        }
        Err(rejection) => {
            let kind = match rejection.kind() {
                Rejection::Verify(VerifyError::HeaderTooLong { len, max, .. }) => {
                    format!("HeaderTooLong {len} {max}")
                }
                Rejection::Verify(VerifyError::TooManySignatures { max, .. }) => {
                    format!("TooManySignatures {max}")
                }
                other => format!("other: {other}"),
            };
            (rejection.status(), kind)
        }
    }
}

/// `/default` uses the default limits; `/wide` reads headers up to 1 MiB, so 10 000 signatures
/// reach the signature count limit.
async fn start() -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let (a, b) = (Arc::clone(&calls), Arc::clone(&calls));
    let default = Verifiers::new()
        .with::<sendable::Event>(Verifier::new(Scheme::sendable(), SECRET).unwrap());
    let wide = Verifiers::new().with::<sendable::Event>(
        Verifier::builder(Scheme::sendable())
            .secret(SECRET)
            .max_header_len(1024 * 1024)
            .build()
            .unwrap(),
    );
    let app = Router::new()
        .route("/default", post(move |w| report(a, w)).with_state(default))
        .route("/wide", post(move |w| report(b, w)).with_state(wide));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, calls)
}

async fn post_signature(
    base: &str,
    path: &str,
    signature: &str,
) -> reqwest::Result<(StatusCode, String)> {
    // A fresh connection each time: the server may close one after refusing a request.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let response = client
        .post(format!("{base}{path}"))
        .header("svix-id", "msg_hostile")
        .header(
            "svix-timestamp",
            Timestamp::now().unix_seconds().to_string(),
        )
        .header("svix-signature", signature)
        .body(r#"{"type":"message.sent","data":{}}"#)
        .send()
        .await?;
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    Ok((status, response.text().await?))
}

/// Sends a request with a 1 MiB signature header over a raw TCP connection and returns the
/// status the server answered. A raw client, because the server answers 431 and closes after
/// reading only part of the head: an HTTP client still writing then fails with a reset before
/// it looks at the answer, while here the writer ignores that and the reader keeps what arrived.
async fn status_for_huge_header(base: &str, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = base.trim_start_matches("http://");
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\nsvix-id: msg_hostile\r\nsvix-timestamp: {}\r\nsvix-signature: v1,{}\r\ncontent-length: 2\r\n\r\n{{}}",
        Timestamp::now().unix_seconds(),
        "A".repeat(1024 * 1024)
    );
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(head.as_bytes()).await;
        let _ = writer.shutdown().await;
    });
    let mut answer = Vec::new();
    // A reset after the answer is expected; what was read before it stays in `answer`.
    let _ = reader.read_to_end(&mut answer).await;
    writing.await.unwrap();
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3));
    status
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{path}: no HTTP answer: {text:?}"))
}

#[tokio::test]
async fn a_1_mib_header_value_is_refused_by_the_server_with_431() {
    let (base, calls) = start().await;
    for path in ["/default", "/wide"] {
        let status = status_for_huge_header(&base, path).await;
        // hyper's header buffer (about 400 KiB) is smaller than the value: the server refuses
        // it before any handler or extractor runs.
        assert_eq!(
            status,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "{path}"
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    // The server is still fine.
    let (status, kind) = post_signature(&base, "/default", "v1,AAAA").await.unwrap();
    assert_eq!(
        (status, kind.starts_with("other")),
        (StatusCode::UNAUTHORIZED, true)
    );
}

#[tokio::test]
async fn a_header_over_the_verifier_limit_is_401_header_too_long() {
    let (base, calls) = start().await;
    let value = format!("v1,{}", "A".repeat(64 * 1024));
    let (status, kind) = post_signature(&base, "/default", &value).await.unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(kind, format!("HeaderTooLong {} 8192", value.len()));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn ten_thousand_signatures_are_401_with_the_typed_error() {
    let (base, calls) = start().await;
    let many = vec!["v1,dGVzdA=="; 10_000].join(" ");
    let (status, kind) = post_signature(&base, "/default", &many).await.unwrap();
    assert_eq!(
        (status, kind),
        (
            StatusCode::UNAUTHORIZED,
            format!("HeaderTooLong {} 8192", many.len())
        )
    );
    let (status, kind) = post_signature(&base, "/wide", &many).await.unwrap();
    assert_eq!(
        (status, kind),
        (StatusCode::UNAUTHORIZED, "TooManySignatures 16".to_owned())
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// Without `Result`, the extractor's own rejection answers: 401 with the generic body.
#[tokio::test]
async fn the_plain_extractor_answers_401_with_the_generic_body() {
    let verifiers = Verifiers::new()
        .with::<sendable::Event>(Verifier::new(Scheme::sendable(), SECRET).unwrap());
    let app = Router::new()
        .route(
            "/hook",
            post(|_: Webhook<sendable::Event>| async { "handled" }),
        )
        .with_state(verifiers);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let many = vec!["v1,dGVzdA=="; 10_000].join(" ");
    let (status, body) = post_signature(&base, "/hook", &many).await.unwrap();
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::UNAUTHORIZED, "invalid webhook signature")
    );
}
