//! `demo`, `listen` + `send` against each other, and every `verify --explain` diagnosis, with
//! the spawned binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod common;

use common::{hookverify, listen, text};
use hookverify::sign::{Message, Signer};
use hookverify::{Provider, Scheme, SecretEncoding, Timestamp};

const STD: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_STD: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

#[test]
fn demo_exits_0_and_shows_every_provider() {
    let out = hookverify(&["demo"]);
    let stdout = text(&out.stdout);
    let unexpected: Vec<&str> = stdout.lines().filter(|l| l.starts_with('✗')).collect();
    assert_eq!(
        out.status.code(),
        Some(0),
        "unexpected rows: {unexpected:#?}\n{}",
        text(&out.stderr)
    );
    for provider in Provider::ALL {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("✓  {}", provider.name()))),
            "{provider} missing:\n{stdout}"
        );
    }
    assert!(stdout.contains("every outcome as expected"), "{stdout}");
    // One line per provider by default; every request's row with --verbose.
    assert!(
        stdout.lines().count() < Provider::ALL.len() + 10,
        "not compact:\n{stdout}"
    );
    let verbose = hookverify(&["demo", "--verbose"]);
    assert_eq!(verbose.status.code(), Some(0));
    let verbose = text(&verbose.stdout);
    for case in [
        "tampered body",
        "stale (signed 10 min past its window)",
        "wrong secret",
        "oversized (> 64 KiB)",
        "duplicate delivery",
    ] {
        assert!(verbose.contains(case), "{case} missing");
    }
    // Piped: no colour codes.
    assert!(!stdout.contains('\u{1b}'), "escape codes in piped output");

    let json = hookverify(&["demo", "--json"]);
    assert_eq!(json.status.code(), Some(0));
    let rows: Vec<serde_json::Value> = text(&json.stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() > 100, "{} rows", rows.len());
    assert!(rows.iter().all(|r| r["as_expected"] == true));
    // One valid event per documented event type: every sample was processed.
    let processed = rows
        .iter()
        .filter(|r| r["outcome"].as_str().unwrap().starts_with("processed"))
        .count();
    assert_eq!(processed, hookverify_samples::SAMPLES.len());
}

/// `listen` on a free port; returns the child, its address, and its stdout lines.
#[test]
fn listen_and_send_against_each_other() {
    let secret = "sp_secret_0123456789abcdef";
    let (mut child, addr, mut lines) = listen(&["--provider", "sendpilot", "--secret", secret]);
    let url = format!("http://{addr}/");

    let sent = hookverify(&[
        "send",
        "--provider",
        "sendpilot",
        "--secret",
        secret,
        "--url",
        &url,
        "--event",
        "reply.received",
        "--repeat",
        "2",
    ]);
    let stdout = text(&sent.stdout);
    assert_eq!(sent.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("#1 POST") && stdout.contains("200 OK") && stdout.contains(" ms"),
        "{stdout}"
    );
    assert!(
        stdout.contains("already processed"),
        "the repeat is a duplicate: {stdout}"
    );

    let processed: serde_json::Value =
        serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(processed["outcome"], "processed");
    assert_eq!(processed["event_type"], "reply.received");
    assert_eq!(processed["variant"], "ReplyReceived");
    let duplicate: serde_json::Value =
        serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(duplicate["outcome"], "rejected");
    assert_eq!(duplicate["status"], 200);

    // A wrong secret: send exits 1, listen shows the precise reason.
    let forged = hookverify(&[
        "send",
        "--provider",
        "sendpilot",
        "--secret",
        "not-the-secret-0123456789",
        "--url",
        &url,
    ]);
    assert_eq!(forged.status.code(), Some(1));
    assert!(text(&forged.stdout).contains("401"));
    let rejected: serde_json::Value =
        serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(rejected["status"], 401);
    assert!(
        rejected["reason"]
            .as_str()
            .unwrap()
            .contains("no signature matched"),
        "{rejected}"
    );

    // A body from a file.
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(
        &body,
        r#"{"eventId":"evt_file","eventType":"campaign.started","data":{"campaignId":"c1"}}"#,
    )
    .unwrap();
    let from_file = hookverify(&[
        "send",
        "--provider",
        "sendpilot",
        "--secret",
        secret,
        "--url",
        &url,
        "--body-file",
        body.to_str().unwrap(),
    ]);
    assert_eq!(
        from_file.status.code(),
        Some(0),
        "{}",
        text(&from_file.stdout)
    );
    let line: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(line["idempotency_key"], "evt_file");
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn help_has_an_example_for_every_subcommand() {
    for sub in ["demo", "listen", "send", "sign", "verify"] {
        let out = hookverify(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{sub}");
        assert!(text(&out.stdout).contains("Example:"), "{sub}");
    }
}

/// Runs `verify --json` on a request and returns the diagnosis kinds.
fn diagnoses(
    dir: &Path,
    provider: &str,
    secrets: &[&str],
    headers: &[(String, String)],
    body: &[u8],
    extra: &[&str],
) -> Vec<String> {
    let headers_file = dir.join("headers");
    let lines: String = headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    std::fs::write(&headers_file, lines).unwrap();
    let body_file = dir.join("body");
    std::fs::write(&body_file, body).unwrap();
    let mut args = vec![
        "verify",
        "--provider",
        provider,
        "--headers-file",
        headers_file.to_str().unwrap(),
        "--body-file",
        body_file.to_str().unwrap(),
        "--json",
    ];
    for secret in secrets {
        args.push("--secret");
        args.push(secret);
    }
    args.extend_from_slice(extra);
    let out = hookverify(&args);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    report["diagnoses"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|d| d["kind"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn sign(scheme: &Scheme, secret: &str, body: &[u8], at: Timestamp) -> Vec<(String, String)> {
    Signer::new(scheme, secret)
        .unwrap()
        .sign(&Message::new(body).id("msg_explain").timestamp(at))
        .unwrap()
        .into_vec()
}

#[test]
fn each_explain_diagnosis() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = r#"{"type":"contact.created","data":{"name":"Zoë","id":1}}"#.as_bytes();
    let std = Scheme::standard_webhooks();
    let at = Timestamp::from_unix_seconds(now());

    // The body was re-serialized (pretty-printed) before verification.
    let headers = sign(&std, STD, body, at);
    let value: serde_json::Value = serde_json::from_slice(body).unwrap();
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    assert_eq!(
        diagnoses(d, "standard-webhooks", &[STD], &headers, &pretty, &[]),
        ["reserialized-body"]
    );
    // Unicode escaped by the framework.
    let escaped = br#"{"type":"contact.created","data":{"name":"Zo\u00eb","id":1}}"#;
    assert_eq!(
        diagnoses(d, "standard-webhooks", &[STD], &headers, escaped, &[]),
        ["reserialized-body"]
    );

    // The sender used the secret string's raw bytes where Standard Webhooks base64-decodes it.
    let raw_std = Scheme::custom("standard-webhooks-raw-key")
        .signature_header("webhook-signature")
        .versioned_list("v1")
        .base64()
        .id_header("webhook-id")
        .timestamp_header("webhook-timestamp")
        .key_encoding(SecretEncoding::Raw)
        .build()
        .unwrap();
    let headers = sign(&raw_std, STD, body, at);
    // GitLab's signing token is exactly that layout with the raw key, so the request also fits
    // `--provider gitlab`, and the explanation says so too.
    assert_eq!(
        diagnoses(d, "standard-webhooks", &[STD], &headers, body, &[]),
        ["secret-encoding", "wrong-provider"]
    );
    // And the other way: AutoSend's raw-key scheme, with a key that was base64-decoded.
    let decoded_autosend = Scheme::custom("autosend-decoded")
        .signature_header("X-Webhook-Signature")
        .hex()
        .timestamp_header("X-Webhook-Timestamp")
        .delivery_id_header("X-Webhook-Delivery-Id")
        .signed_content([hookverify::SignedPart::Body])
        .key_encoding(SecretEncoding::Base64)
        .build()
        .unwrap();
    let headers = sign(&decoded_autosend, STD, body, at);
    assert_eq!(
        diagnoses(d, "autosend", &[STD], &headers, body, &[]),
        ["secret-encoding"]
    );

    // Clock skew: valid signature, 1000 s old.
    let headers = sign(&std, STD, body, Timestamp::from_unix_seconds(now() - 1000));
    assert_eq!(
        diagnoses(d, "standard-webhooks", &[STD], &headers, body, &[]),
        ["clock-skew"]
    );

    // Milliseconds where seconds are expected.
    let headers = sign(&std, STD, body, Timestamp::from_unix_seconds(now() * 1000));
    assert_eq!(
        diagnoses(d, "standard-webhooks", &[STD], &headers, body, &[]),
        ["milliseconds"]
    );

    // The request is a Stripe one.
    let headers = sign(&Scheme::stripe(), STD, body, at);
    assert_eq!(
        diagnoses(d, "sendpilot", &[STD], &headers, body, &[]),
        ["wrong-provider"]
    );

    // Mixed svix-/webhook- headers.
    let mut headers = sign(&std, STD, body, at);
    for (name, _) in &mut headers {
        if name == "webhook-id" {
            *name = "svix-id".to_owned();
        }
    }
    assert_eq!(
        diagnoses(d, "standard-webhooks", &[STD], &headers, body, &[]),
        ["mixed-headers"]
    );

    // Signed with another configured secret.
    let headers = sign(&std, OTHER_STD, body, at);
    assert_eq!(
        diagnoses(
            d,
            "standard-webhooks",
            &[STD],
            &headers,
            body,
            &["--other-secret", OTHER_STD]
        ),
        ["other-secret"]
    );

    // Nothing fits: an unrelated secret.
    let headers = sign(&std, OTHER_STD, body, at);
    assert!(diagnoses(d, "standard-webhooks", &[STD], &headers, body, &[]).is_empty());
    let out = {
        std::fs::write(
            d.join("headers"),
            headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}\n"))
                .collect::<String>(),
        )
        .unwrap();
        hookverify(&[
            "verify",
            "--provider",
            "svix",
            "--secret",
            STD,
            "--headers-file",
            d.join("headers").to_str().unwrap(),
            "--body-file",
            d.join("body").to_str().unwrap(),
        ])
    };
    assert!(
        text(&out.stderr).contains("none of the usual mistakes fits"),
        "{}",
        text(&out.stderr)
    );
    let _ = Duration::ZERO;
}
