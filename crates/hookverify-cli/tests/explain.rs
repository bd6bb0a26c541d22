//! `hookverify verify` explanations through the binary: milliseconds, a dropped `whsec_`, Python's
//! JSON spacing, the wording when nothing fits, and the matched secret's label.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use std::process::Output;

mod common;

use common::{hookverify, write};

use hookverify::sign::{Message, Signer};
use hookverify::{Scheme, Timestamp, TimestampUnit};

const STRIPE_SECRET: &str = "whsec_stripe_test_0123456789abcdef";
const STD_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn header_args(headers: &hookverify::sign::SignedHeaders) -> Vec<String> {
    headers
        .iter()
        .flat_map(|(name, value)| ["--header".to_owned(), format!("{name}: {value}")])
        .collect()
}

fn verify(provider: &str, secret: &str, headers: &[String], body: &str, extra: &[&str]) -> Output {
    let mut args = vec!["verify", "--provider", provider, "--secret", secret];
    args.extend(headers.iter().map(String::as_str));
    args.extend(["--body-file", body]);
    args.extend(extra);
    hookverify(&args)
}

/// A Stripe-format header whose `t=` is in milliseconds (a sender writing the wrong unit).
fn stripe_in_millis(body: &[u8], at: Timestamp) -> Vec<String> {
    let millis = Scheme::custom("stripe-in-ms")
        .signature_header("Stripe-Signature")
        .key_value("t", "v1")
        .timestamp_unit(TimestampUnit::Milliseconds)
        .build()
        .unwrap();
    let headers = Signer::new(&millis, STRIPE_SECRET)
        .unwrap()
        .sign(&Message::new(body).timestamp(at))
        .unwrap();
    header_args(&headers)
}

#[test]
fn a_millisecond_timestamp_is_milliseconds_whatever_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let body_bytes = br#"{"id":"evt_1","type":"charge.succeeded"}"#;
    let body = write(dir.path(), "body.json", body_bytes);
    // Signed years ago: without --now the clock is far from it either way.
    let headers = stripe_in_millis(body_bytes, Timestamp::from_unix_seconds(1_698_204_546));

    let out = verify("stripe", STRIPE_SECRET, &headers, &body, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("explain (milliseconds)"), "{err}");
    assert!(!err.contains("clock-skew"), "{err}");
    assert!(
        !err.contains("--now 1698204546"),
        "no --now may be suggested: {err}"
    );

    // Following a millisecond clock is refused outright: it would make the request "valid".
    let out = verify(
        "stripe",
        STRIPE_SECRET,
        &headers,
        &body,
        &["--now", "1698204546271"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("looks like milliseconds"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_secret_without_its_whsec_prefix_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let body_bytes = br#"{"id":"evt_2","type":"charge.succeeded"}"#;
    let body = write(dir.path(), "body.json", body_bytes);
    let headers = Signer::new(&Scheme::stripe(), STRIPE_SECRET)
        .unwrap()
        .sign(&Message::new(body_bytes))
        .unwrap();
    let without = STRIPE_SECRET.strip_prefix("whsec_").unwrap();
    let out = verify("stripe", without, &header_args(&headers), &body, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("explain (secret-encoding)"), "{err}");
    assert!(err.contains("`whsec_` in front"), "{err}");
}

#[test]
fn pythons_default_json_spacing_is_among_the_reserializations() {
    let dir = tempfile::tempdir().unwrap();
    // The sender is Python: `json.dumps` writes ", " and ": " and escapes non-ASCII.
    let signed = br#"{"type": "contact.created", "data": {"name": "Z\u00fcrich", "tags": [1, 2]}}"#;
    let headers = Signer::new(&Scheme::standard_webhooks(), STD_SECRET)
        .unwrap()
        .sign(&Message::new(signed))
        .unwrap();
    // The receiver's framework parsed it and wrote it back compact, UTF-8, same key order.
    let received = "{\"type\":\"contact.created\",\"data\":{\"name\":\"Zürich\",\"tags\":[1,2]}}";
    let body = write(dir.path(), "body.json", received.as_bytes());
    let out = verify(
        "standard-webhooks",
        STD_SECRET,
        &header_args(&headers),
        &body,
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("explain (reserialized-body)"), "{err}");
    assert!(err.contains("Python's json.dumps"), "{err}");
}

#[test]
fn when_nothing_fits_it_does_not_guess() {
    let dir = tempfile::tempdir().unwrap();
    let body_bytes = br#"{"type":"x"}"#;
    let body = write(dir.path(), "body.json", body_bytes);
    let headers = Signer::new(
        &Scheme::standard_webhooks(),
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    )
    .unwrap()
    .sign(&Message::new(body_bytes))
    .unwrap();
    let out = verify(
        "standard-webhooks",
        STD_SECRET,
        &header_args(&headers),
        &body,
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("none of the usual mistakes fits"), "{err}");
    assert!(err.contains("cannot be told apart"), "{err}");
    assert!(!err.contains("most likely"), "{err}");
}

#[test]
fn the_matched_secret_is_labelled_like_verified_secret_index() {
    let dir = tempfile::tempdir().unwrap();
    let body_bytes = br#"{"type":"x"}"#;
    let body = write(dir.path(), "body.json", body_bytes);
    let other = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    let headers = Signer::new(&Scheme::standard_webhooks(), STD_SECRET)
        .unwrap()
        .sign(&Message::new(body_bytes))
        .unwrap();
    let out = verify(
        "standard-webhooks",
        other,
        &header_args(&headers),
        &body,
        &["--secret", STD_SECRET],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("matched secret:   index 1 (the 2nd given, of 2)"),
        "{stdout}"
    );
}
