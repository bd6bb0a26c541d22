//! Verifying and parsing allocate nothing proportional to the body beyond what the typed payload
//! itself owns: `Parsed`, `Unknown` and `Misfit` share the request's bytes instead of copying
//! them. A counting allocator measures `verify_and_parse` of 1 KiB and 1 MiB bodies whose bulk
//! is a field the payload ignores.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)] // Test code: a panic here is a failing test.

use std::alloc::System;

use bytes::Bytes;
use hookverify::sign::{Message, Signer};
use hookverify::{Json, Provider, Timestamp, Verifier, WebhookEvent, sendpilot, standard_webhooks};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A small payload: what the typed event owns does not grow with the padding.
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "deserialized to prove the body parses")]
struct Small {
    id: String,
}

/// `prefix` + `len` bytes of padding in an ignored string field + `suffix`.
fn padded(prefix: &str, len: usize, suffix: &str) -> Bytes {
    let mut body = prefix.as_bytes().to_vec();
    body.extend(std::iter::repeat_n(b'p', len));
    body.extend_from_slice(suffix.as_bytes());
    Bytes::from(body)
}

/// Bytes allocated by `verify_and_parse_at::<E>` of `body`, and the variant name it gave.
fn measure<E: WebhookEvent>(
    verifier: &Verifier,
    signer: &Signer,
    body: &Bytes,
    describe: impl Fn(&E) -> String,
) -> (usize, String) {
    let now = Timestamp::from_unix_seconds(1_700_000_000);
    let headers = signer
        .sign(&Message::new(body).id("msg_1").timestamp(now))
        .unwrap();
    let body = body.clone();
    let region = Region::new(GLOBAL);
    let parsed = verifier
        .verify_and_parse_at::<E>(&headers, body, now)
        .unwrap();
    let bytes = region.change().bytes_allocated;
    assert_eq!(parsed.raw().len(), parsed.raw_body().as_bytes().len());
    (bytes, describe(&parsed.event))
}

/// This file holds a single test so that no other test thread allocates meanwhile.
#[test]
fn verify_and_parse_shares_the_body_instead_of_copying_it() {
    type Measure = fn(usize) -> (usize, String);
    let cases: [(&str, Measure); 5] = [
        ("standard_webhooks::Envelope<Small>", |len| {
            let verifier = Verifier::new(Provider::StandardWebhooks.scheme(), SECRET).unwrap();
            let signer = Signer::new(&Provider::StandardWebhooks.scheme(), SECRET).unwrap();
            let body = padded(
                r#"{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"ct_1"},"padding":""#,
                len,
                r#""}"#,
            );
            measure::<standard_webhooks::Envelope<Small>>(&verifier, &signer, &body, |e| {
                e.event_type.clone()
            })
        }),
        ("Json<Small>", |len| {
            let verifier = Verifier::new(Provider::StandardWebhooks.scheme(), SECRET).unwrap();
            let signer = Signer::new(&Provider::StandardWebhooks.scheme(), SECRET).unwrap();
            let body = padded(r#"{"type":"a.b","id":"x","padding":""#, len, r#""}"#);
            measure::<Json<Small>>(&verifier, &signer, &body, |_| "Json".to_owned())
        }),
        ("sendpilot known type", |len| {
            sendpilot_case(len, r#"{"campaignId":"c1"}"#, "campaign.started")
        }),
        ("sendpilot unknown type", |len| {
            sendpilot_case(len, r#"{"x":1}"#, "campaign.exploded")
        }),
        ("sendpilot misfit", |len| {
            sendpilot_case(len, r#"{"campaignId":7}"#, "campaign.started")
        }),
    ];
    for (name, run) in cases {
        let (small, variant) = run(1024);
        let (large, large_variant) = run(1024 * 1024);
        assert_eq!(variant, large_variant, "{name}");
        assert!(
            large <= small + 256 && large < 16 * 1024,
            "{name} ({variant}): {large} bytes allocated for a 1 MiB body, {small} for 1 KiB"
        );
    }
}

fn sendpilot_case(len: usize, data: &str, event_type: &str) -> (usize, String) {
    let secret = "sp_secret_0123456789abcdef";
    let verifier = Verifier::new(Provider::SendPilot.scheme(), secret).unwrap();
    let signer = Signer::new(&Provider::SendPilot.scheme(), secret).unwrap();
    let body = padded(
        &format!(
            r#"{{"eventId":"evt_1","eventType":"{event_type}","timestamp":"2024-02-24T10:30:00Z","data":{data},"padding":""#
        ),
        len,
        r#""}"#,
    );
    measure::<sendpilot::Event>(&verifier, &signer, &body, |event| {
        event.variant().to_owned()
    })
}
