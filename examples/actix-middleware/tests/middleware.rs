//! The `actix-middleware` example end to end: verified events reach the plain `web::Json`
//! handler once; forged ones never do.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::process::Stdio;
use std::time::Duration;

use hookverify::Provider;
use hookverify::sign::{Message, Signer};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::Command;

const SECRET: &str = "whsec_stripe_test_0123456789abcdef";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_json_handlers_behind_the_middleware() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_actix-middleware"))
        .args(["--provider", "stripe", "--secret", SECRET, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), stdout.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let url = format!(
        "http://{}/webhooks/events",
        first.strip_prefix("listening on ").expect(&first)
    );

    let body = hookverify_samples::body("stripe", "payment_intent.succeeded").unwrap();
    let headers = Signer::new(&Provider::Stripe.scheme(), SECRET)
        .unwrap()
        .sign(&Message::new(body.as_bytes()))
        .unwrap();
    let client = reqwest::Client::new();
    for expected in ["ok", "already processed"] {
        let mut request = client.post(&url).body(body);
        for (name, value) in headers.iter() {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), expected);
    }
    let forged = client
        .post(&url)
        .header("Stripe-Signature", "t=1,v1=00")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);

    let line = tokio::time::timeout(Duration::from_secs(10), stdout.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let event: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["provider"], "stripe");
    assert_eq!(event["event_type"], "payment_intent.succeeded");
    assert_eq!(event["idempotency_key"], "evt_3MtwBwLkdIwHu7ix28a3tqPa");
    child.kill().await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(500), stdout.next_line())
            .await
            .map_or(true, |l| l.unwrap().is_none())
    );
}
