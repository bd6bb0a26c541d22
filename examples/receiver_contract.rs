//! The receiver examples' shared contract (`axum-receiver` and `actix-receiver` take the same
//! flags and print the same lines), checked end to end against a binary: it prints
//! `listening on 127.0.0.1:PORT` when ready, one JSON line per processed event on stdout, and
//! the rejection reasons on stderr. Included by each example's `tests/receiver.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code.

use std::process::Stdio;
use std::time::Duration;

use hookverify::Provider;
use hookverify::sign::{Message, Signer};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::Command;

const SECRET: &str = "sp_secret_0123456789abcdef";

/// Runs the receiver binary at `path` and checks its contract.
pub(crate) async fn prints_one_line_per_processed_event(path: &str) {
    let mut child = Command::new(path)
        .args(["--provider", "sendpilot", "--secret", SECRET, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), stdout.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let addr = first.strip_prefix("listening on 127.0.0.1:").expect(&first);
    let url = format!("http://127.0.0.1:{addr}/");

    let client = reqwest::Client::new();
    let body = hookverify_samples::body("sendpilot", "reply.received").unwrap();
    let headers = Signer::new(&Provider::SendPilot.scheme(), SECRET)
        .unwrap()
        .sign(&Message::new(body.as_bytes()))
        .unwrap();
    for _ in 0..2 {
        let mut request = client.post(&url).body(body);
        for (name, value) in headers.iter() {
            request = request.header(name, value);
        }
        assert_eq!(request.send().await.unwrap().status(), 200);
    }
    let line = tokio::time::timeout(Duration::from_secs(10), stdout.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let event: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["provider"], "sendpilot");
    assert_eq!(event["event_type"], "reply.received");
    assert_eq!(event["idempotency_key"], "evt_1708456789123_reply0001");

    // A forged request: 401, and the precise reason on stderr (not stdout).
    let forged = client
        .post(&url)
        .header("Webhook-Signature", "v1,t=1,s=00")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut saw_reason = false;
    while tokio::time::Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(10), stderr.next_line()).await {
            Ok(Ok(Some(line))) if line.contains("webhook rejected") => {
                saw_reason = line.contains("signature #0") || line.contains("timestamp");
                // stderr is a pipe here, not a terminal: no colour codes in the log.
                assert!(
                    !line.contains('\u{1b}'),
                    "ANSI codes in a piped log: {line:?}"
                );
                break;
            }
            Ok(Ok(Some(_))) => {}
            _ => break,
        }
    }
    assert!(saw_reason, "the rejection reason is logged on stderr");

    // Only the one processed event was printed.
    child.kill().await.unwrap();
    let rest: Vec<String> = {
        let mut lines = Vec::new();
        while let Ok(Ok(Some(line))) =
            tokio::time::timeout(Duration::from_millis(500), stdout.next_line()).await
        {
            lines.push(line);
        }
        lines
    };
    assert!(rest.is_empty(), "unexpected stdout lines: {rest:?}");
}
