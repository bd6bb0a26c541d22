//! The `hookverify` binary end to end: every public vector, sign/verify round trips for every
//! provider, exit codes and output formats.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use std::collections::BTreeMap;

mod common;

use common::{hookverify, text, write};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    scheme: String,
    secret: String,
    headers: BTreeMap<String, String>,
    body: String,
    now: i64,
    expect: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[test]
fn every_public_and_sdk_vector_through_the_binary() {
    let public: File = serde_json::from_str(hookverify_samples::PUBLIC_VECTORS).unwrap();
    let sdk: File = serde_json::from_str(hookverify_samples::SDK_VECTORS).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for v in public.vectors.into_iter().chain(sdk.vectors) {
        let body = write(dir.path(), "body", v.body.as_bytes());
        let now = v.now.to_string();
        let min = v.secret.len().min(16).to_string();
        // HubSpot's legacy vectors: `--provider hubspot` with the version header HubSpot sends.
        let (provider, version) = match v.scheme.as_str() {
            "hubspot-v1" => ("hubspot", Some("X-HubSpot-Signature-Version: v1")),
            "hubspot-v2" => ("hubspot", Some("X-HubSpot-Signature-Version: v2")),
            // `--provider gitlab` with only `X-Gitlab-Token`: the secret token.
            "gitlab-token" => ("gitlab", None),
            other => (other, None),
        };
        let mut args = vec![
            "verify",
            "--provider",
            provider,
            "--secret",
            &v.secret,
            "--body-file",
            &body,
            "--now",
            &now,
            "--min-secret-len",
            &min,
            "--json",
        ];
        let headers: Vec<String> = v
            .headers
            .iter()
            .map(|(k, value)| format!("{k}: {value}"))
            .collect();
        for header in headers.iter().map(String::as_str).chain(version) {
            args.push("--header");
            args.push(header);
        }
        if let Some(method) = &v.method {
            args.extend(["--method", method]);
        }
        if let Some(url) = &v.url {
            args.extend(["--url", url]);
        }
        let out = hookverify(&args);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: stdout is not JSON ({e}): {}",
                v.name,
                text(&out.stdout)
            )
        });
        match v.expect.as_str() {
            "valid" => {
                assert_eq!(
                    out.status.code(),
                    Some(0),
                    "{}: {}",
                    v.name,
                    text(&out.stdout)
                );
                assert_eq!(report["valid"], true, "{}", v.name);
            }
            _ => {
                assert_eq!(
                    out.status.code(),
                    Some(1),
                    "{}: {}",
                    v.name,
                    text(&out.stdout)
                );
                assert_eq!(report["valid"], false, "{}", v.name);
                assert!(
                    report["error"].as_str().is_some_and(|e| !e.is_empty()),
                    "{}",
                    v.name
                );
                assert!(
                    report["hint"].as_str().is_some_and(|h| !h.is_empty()),
                    "{}",
                    v.name
                );
            }
        }
    }
}

#[test]
fn stripe_vector_secret_is_refused_without_the_opt_in() {
    let dir = tempfile::tempdir().unwrap();
    let body = write(dir.path(), "body", b"{}");
    let out = hookverify(&[
        "verify",
        "--provider",
        "stripe",
        "--secret",
        "secret",
        "--body-file",
        &body,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("too short: 6 bytes"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn sign_then_verify_for_every_provider() {
    let dir = tempfile::tempdir().unwrap();
    let body = write(
        dir.path(),
        "body",
        br#"{"type":"email.sent","id":"evt_1","data":{}}"#,
    );
    for provider in [
        "standard-webhooks",
        "svix",
        "sendable",
        "sendpilot",
        "autosend",
        "sendkit",
        "sent",
        "stripe",
        "github",
    ] {
        let secret = match provider {
            "standard-webhooks" | "svix" | "sendable" | "sent" => {
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            }
            _ => "a-raw-secret-long-enough-to-pass",
        };
        let signed = hookverify(&[
            "sign",
            "--provider",
            provider,
            "--secret",
            secret,
            "--body-file",
            &body,
            "--id",
            "evt_42",
            "--timestamp",
            "1700000000",
        ]);
        assert_eq!(
            signed.status.code(),
            Some(0),
            "{provider}: {}",
            text(&signed.stderr)
        );
        let lines = text(&signed.stdout);
        assert!(
            lines.lines().all(|l| l.contains(": ")),
            "{provider}: {lines}"
        );
        let headers_file = write(dir.path(), "headers", lines.as_bytes());
        let ok = hookverify(&[
            "verify",
            "--provider",
            provider,
            "--secret",
            secret,
            "--headers-file",
            &headers_file,
            "--body-file",
            &body,
            "--now",
            "1700000010",
        ]);
        assert_eq!(
            ok.status.code(),
            Some(0),
            "{provider}: {}{}",
            text(&ok.stdout),
            text(&ok.stderr)
        );
        assert!(text(&ok.stdout).starts_with("valid: "), "{provider}");

        // A different secret: exit 1, the precise reason and a hint on stderr.
        let wrong_secret = if secret.starts_with("whsec_") {
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
        } else {
            "another-raw-secret-of-some-length"
        };
        let bad = hookverify(&[
            "verify",
            "--provider",
            provider,
            "--secret",
            wrong_secret,
            "--headers-file",
            &headers_file,
            "--body-file",
            &body,
            "--now",
            "1700000010",
        ]);
        assert_eq!(bad.status.code(), Some(1), "{provider}");
        let stderr = text(&bad.stderr);
        assert!(
            stderr.contains("invalid: no signature matched"),
            "{provider}: {stderr}"
        );
        assert!(stderr.contains("hint: "), "{provider}: {stderr}");
    }
}

#[test]
fn rotation_reports_which_secret_matched() {
    let dir = tempfile::tempdir().unwrap();
    let body = write(dir.path(), "body", b"{}");
    let old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let new = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let signed = hookverify(&[
        "sign",
        "--provider",
        "svix",
        "--secret",
        old,
        "--body-file",
        &body,
        "--timestamp",
        "1700000000",
    ]);
    let headers = write(dir.path(), "headers", &signed.stdout);
    let out = hookverify(&[
        "verify",
        "--provider",
        "svix",
        "--secret",
        new,
        "--secret",
        old,
        "--headers-file",
        &headers,
        "--body-file",
        &body,
        "--now",
        "1700000000",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["secret_index"], 1);
    assert_eq!(report["timestamp"], 1_700_000_000);
}

#[test]
fn unusable_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let body = write(dir.path(), "body", b"{}");
    for (args, needle) in [
        (
            vec![
                "verify",
                "--provider",
                "not-a-provider",
                "--secret",
                "x",
                "--body-file",
                &body,
            ],
            "unknown provider",
        ),
        (
            vec![
                "verify",
                "--provider",
                "svix",
                "--secret",
                "v1,abc",
                "--body-file",
                &body,
            ],
            "signature header entry",
        ),
        (
            vec![
                "verify",
                "--provider",
                "svix",
                "--secret",
                "whsec_!!!!",
                "--body-file",
                &body,
            ],
            "not valid base64",
        ),
        (
            vec![
                "verify",
                "--provider",
                "svix",
                "--secret",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "--body-file",
                "/nonexistent/body",
            ],
            "cannot read",
        ),
        (
            vec![
                "verify",
                "--provider",
                "svix",
                "--secret",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "--header",
                "no-colon",
                "--body-file",
                &body,
            ],
            "Name: value",
        ),
        (
            vec![
                "sign",
                "--provider",
                "github",
                "--secret",
                " padded secret value",
                "--body-file",
                &body,
            ],
            "whitespace",
        ),
    ] {
        let out = hookverify(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(needle),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn help_has_an_example_for_every_subcommand() {
    for sub in ["sign", "verify"] {
        let out = hookverify(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains("Example:"), "{sub}");
    }
}

#[test]
fn secrets_never_appear_in_output() {
    let dir = tempfile::tempdir().unwrap();
    let body = write(dir.path(), "body", b"{}");
    let secret = "a-raw-secret-long-enough-to-pass";
    for args in [
        vec![
            "verify",
            "--provider",
            "github",
            "--secret",
            secret,
            "--body-file",
            &body,
        ],
        vec![
            "verify",
            "--provider",
            "github",
            "--secret",
            secret,
            "--body-file",
            &body,
            "--json",
        ],
    ] {
        let out = hookverify(&args);
        assert!(!text(&out.stdout).contains(secret) && !text(&out.stderr).contains(secret));
    }
}

#[test]
fn verify_parse_reports_every_fixture_as_its_typed_variant() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    {
        for sample in hookverify_samples::SAMPLES {
            let provider = sample.provider.to_owned();
            let settings: serde_json::Value =
                serde_json::from_str(hookverify_samples::provider_settings(&provider).unwrap())
                    .unwrap();
            let secret = settings["secret"].as_str().unwrap();
            // Discord and SendGrid: the signer takes the test private key.
            let signing = settings["signing_secret"].as_str().unwrap_or(secret);
            let dir_name = sample.file;
            let event_type = sample.event_type.to_owned();
            let body = format!("{}/fixtures/{}", hookverify_samples::DATA_DIR, sample.file);
            let body = body.as_str();
            let signed = hookverify(&[
                "sign",
                "--provider",
                &provider,
                "--secret",
                signing,
                "--body-file",
                body,
                "--id",
                "dlv_1",
                "--event-type",
                &event_type,
                "--url",
                "https://hooks.example.com/in",
            ]);
            assert_eq!(
                signed.status.code(),
                Some(0),
                "{dir_name}/{event_type}: {}",
                text(&signed.stderr)
            );
            // Mailgun: no headers; stdout is the signed body.
            let in_body = provider
                .parse::<hookverify::Provider>()
                .unwrap()
                .scheme()
                .signature_in_body();
            let (headers, body) = if in_body {
                let signed_body = write(dir.path(), "signed-body", &signed.stdout);
                (write(dir.path(), "headers", b""), signed_body)
            } else {
                (
                    write(dir.path(), "headers", &signed.stdout),
                    body.to_owned(),
                )
            };
            let body = body.as_str();
            let out = hookverify(&[
                "verify",
                "--provider",
                &provider,
                "--secret",
                secret,
                "--headers-file",
                &headers,
                "--body-file",
                body,
                "--url",
                "https://hooks.example.com/in",
                "--parse",
                "--json",
            ]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{dir_name}/{event_type}: {}",
                text(&out.stdout)
            );
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let event = &report["event"];
            assert!(
                event["type"] == event_type.as_str() || event_type == "messages",
                "{dir_name}/{event_type}: {event}"
            );
            assert_ne!(event["variant"], "Unknown", "{dir_name}/{event_type}");
            assert!(
                event["idempotency_key"]
                    .as_str()
                    .is_some_and(|k| !k.is_empty())
            );
            checked += 1;
        }
    }
    assert!(checked >= 70, "only {checked} fixtures found");
}

#[test]
fn verify_parse_reports_a_misfit_with_its_type_key_and_error_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let verify = |body: &[u8], id: &str| {
        let body = write(dir.path(), &format!("body-{id}"), body);
        let signed = hookverify(&[
            "sign",
            "--provider",
            "sent",
            "--secret",
            secret,
            "--id",
            id,
            "--body-file",
            &body,
        ]);
        let headers = write(dir.path(), &format!("headers-{id}"), &signed.stdout);
        hookverify(&[
            "verify",
            "--provider",
            "sent",
            "--secret",
            secret,
            "--headers-file",
            &headers,
            "--body-file",
            &body,
            "--parse",
            "--json",
        ])
    };
    // The seed guide's envelope with camelCase data: a typed variant, not an error.
    let out = verify(
        br#"{"id":"evt_S1","event":{"type":"message.status.updated"},"data":{"messageId":"m1","status":"delivered"}}"#,
        "dlv-1",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["event"]["type"], "message.status.updated",
        "{report}"
    );
    assert_eq!(
        report["event"]["variant"], "MessageStatusUpdated",
        "{report}"
    );
    assert_eq!(report["event"]["idempotency_key"], "evt_S1", "{report}");

    // A known type whose payload does not fit: reported as a misfit, still exit 0.
    let out = verify(
        br#"{"id":"evt_S2","event":{"type":"message.delivered"},"data":{"messageId":["m1"]}}"#,
        "dlv-2",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["event"]["type"], "message.delivered", "{report}");
    assert_eq!(report["event"]["variant"], "Misfit", "{report}");
    assert_eq!(report["event"]["idempotency_key"], "evt_S2", "{report}");
    let misfit = report["event"]["misfit"].as_str().unwrap_or_default();
    assert!(misfit.contains("data.messageId"), "{report}");
}

#[test]
fn verify_parse_reports_an_unparseable_body_as_a_failure_after_verification() {
    let dir = tempfile::tempdir().unwrap();
    let body = write(
        dir.path(),
        "body",
        br#"{"createdAt":"x","data":{"id":"m"}}"#,
    );
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let signed = hookverify(&[
        "sign",
        "--provider",
        "sendable",
        "--secret",
        secret,
        "--body-file",
        &body,
    ]);
    let headers = write(dir.path(), "headers", &signed.stdout);
    let out = hookverify(&[
        "verify",
        "--provider",
        "sendable",
        "--secret",
        secret,
        "--headers-file",
        &headers,
        "--body-file",
        &body,
        "--parse",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the signature verified, but the body does not parse"),
        "{stderr}"
    );
    assert!(stderr.contains("envelope"), "{stderr}");
}

#[test]
fn url_signing_providers_take_url_and_method_and_exit_2_without_a_url() {
    let dir = tempfile::tempdir().unwrap();
    let body = write(dir.path(), "body", br#"{"example_field":"example_value"}"#);
    let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    let signed = hookverify(&[
        "sign",
        "--provider",
        "hubspot",
        "--secret",
        secret,
        "--body-file",
        &body,
        "--url",
        "https://www.example.com/webhook_uri",
        "--method",
        "POST",
    ]);
    assert_eq!(signed.status.code(), Some(0), "{}", text(&signed.stderr));
    let headers = write(dir.path(), "headers", &signed.stdout);
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--provider",
            "hubspot",
            "--secret",
            secret,
            "--headers-file",
            &headers,
            "--body-file",
            &body,
        ];
        args.extend_from_slice(extra);
        hookverify(&args)
    };
    let ok = verify(&["--url", "https://www.example.com/webhook_uri"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let other_url = verify(&["--url", "https://www.example.com/other"]);
    assert_eq!(
        other_url.status.code(),
        Some(1),
        "{}",
        text(&other_url.stderr)
    );
    let other_method = verify(&[
        "--url",
        "https://www.example.com/webhook_uri",
        "--method",
        "PUT",
    ]);
    assert_eq!(
        other_method.status.code(),
        Some(1),
        "{}",
        text(&other_method.stderr)
    );
    let no_url = verify(&[]);
    assert_eq!(no_url.status.code(), Some(2), "{}", text(&no_url.stderr));
    assert!(
        text(&no_url.stderr).contains("--url"),
        "{}",
        text(&no_url.stderr)
    );
}
