//! The catalog providers' `Payload` (the body kept whole): event types and idempotency keys from
//! headers, top-level names and JSON pointers, on the bodies of the providers' own SDK tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // Test code.

use bytes::Bytes;
use hookverify::sign::{Message, Signer};
use hookverify::{
    ParseError, Scheme, Timestamp, Verifier, VerifyAndParseError, coinbase_commerce,
    idempotency_key_of, razorpay,
};

const SECRET: &str = "demo_secret_0123456789abcdef";

fn coinbase_body() -> &'static str {
    hookverify_samples::body("coinbase-commerce", "charge:created").unwrap()
}

#[test]
fn coinbase_commerce_reads_the_nested_type_and_event_id() {
    let scheme = Scheme::coinbase_commerce();
    let body = coinbase_body();
    let headers = Signer::new(&scheme, SECRET)
        .unwrap()
        .sign(&Message::new(body.as_bytes()))
        .unwrap();
    let verifier = Verifier::new(scheme, SECRET).unwrap();
    let parsed = verifier
        .verify_and_parse::<coinbase_commerce::Event>(&headers, Bytes::from_static(body.as_bytes()))
        .unwrap();
    assert_eq!(parsed.event_type(), "charge:created");
    assert_eq!(
        parsed.idempotency_key(),
        "24934862-d980-46cb-9402-43c81b0cdba6"
    );
    assert_eq!(
        parsed.event.pointer("/event/data/code"),
        Some(&serde_json::json!("66BEOV2A"))
    );
    assert_eq!(parsed.event.variant(), "coinbase-commerce::Payload");
    // The raw-body path (adapters that do not parse) derives the same key.
    let verified = verifier.verify(&headers, body.as_bytes()).unwrap();
    assert_eq!(
        idempotency_key_of(&verified, body.as_bytes()),
        parsed.idempotency_key()
    );
}

#[test]
fn razorpay_keys_on_the_event_id_header_else_the_body_hash() {
    let scheme = Scheme::razorpay();
    let body = hookverify_samples::body("razorpay", "payment.authorized").unwrap();
    let signer = Signer::new(&scheme, SECRET).unwrap();
    let verifier = Verifier::new(scheme, SECRET).unwrap();
    let with_id = signer
        .sign(&Message::new(body.as_bytes()).id("evt_Fc6sNeFpOAWfDz"))
        .unwrap();
    let parsed = verifier
        .verify_and_parse::<razorpay::Event>(&with_id, Bytes::from_static(body.as_bytes()))
        .unwrap();
    assert_eq!(parsed.event_type(), "payment.authorized");
    assert_eq!(parsed.idempotency_key(), "evt_Fc6sNeFpOAWfDz");
    // Without the header: the body's hash, still the same for every retry of these bytes.
    let mut without: Vec<(String, String)> = with_id.into_vec();
    without.retain(|(name, _)| !name.eq_ignore_ascii_case("X-Razorpay-Event-Id"));
    let parsed = verifier
        .verify_and_parse::<razorpay::Event>(&without, Bytes::from_static(body.as_bytes()))
        .unwrap();
    assert!(
        parsed.idempotency_key().starts_with("sha256:"),
        "{}",
        parsed.idempotency_key()
    );
}

#[test]
fn a_verified_body_that_is_not_an_object_or_has_no_type_is_a_parse_error() {
    let scheme = Scheme::razorpay();
    let signer = Signer::new(&scheme, SECRET).unwrap();
    let verifier = Verifier::new(scheme, SECRET).unwrap();
    for (body, expect_missing_type) in [
        (&b"[1,2,3]"[..], false),
        (&br#"{"entity":"event"}"#[..], true),
    ] {
        let headers = signer.sign(&Message::new(body)).unwrap();
        let err = verifier
            .verify_and_parse_at::<razorpay::Event>(
                &headers,
                Bytes::from_static(body),
                Timestamp::now(),
            )
            .unwrap_err();
        match err {
            VerifyAndParseError::Parse(ParseError::MissingEventType { provider }) => {
                assert!(expect_missing_type);
                assert_eq!(provider, "razorpay");
            }
            VerifyAndParseError::Parse(ParseError::Envelope { provider, .. }) => {
                assert!(!expect_missing_type);
                assert_eq!(provider, "razorpay");
            }
            other => panic!("{other:?}"),
        }
    }
}
