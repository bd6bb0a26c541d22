//! Verification over arbitrary headers and body, for every built-in scheme: whatever the names,
//! values, repeats and sizes, it never panics and never verifies without the key.
//!
//! Input (so seeds can be real deliveries): a provider selector byte, the clock as a
//! little-endian `i64` of Unix milliseconds, then header records — a name selector byte (into
//! [`NAMES`]; `0xff` ends the headers), a little-endian `u16` length and the value — and the
//! rest is the body.
#![no_main]

use hookverify::{Provider, Timestamp, Verifier};
use libfuzzer_sys::fuzz_target;

/// Header names the schemes read, so the fuzzer spends its time on values.
const NAMES: [&str; 16] = [
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "svix-id",
    "svix-timestamp",
    "svix-signature",
    "x-webhook-signature",
    "x-webhook-id",
    "x-webhook-timestamp",
    "x-webhook-event-id",
    "x-webhook-delivery-id",
    "x-webhook-event",
    "stripe-signature",
    "x-hub-signature-256",
    "x-github-delivery",
    "x-github-event",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some((now, mut rest)) = rest.split_first_chunk::<8>() else {
        return;
    };
    let mut headers: Vec<(&str, &[u8])> = Vec::new();
    while let Some((&name, after)) = rest.split_first() {
        if name == 0xff {
            rest = after;
            break;
        }
        let Some((value, after)) = hookverify_fuzz::split_len_prefixed(after) else {
            break;
        };
        headers.push((NAMES[usize::from(name) % NAMES.len()], value));
        rest = after;
    }
    let body = rest;
    let provider = Provider::ALL[usize::from(selector) % Provider::ALL.len()];
    let verifier = Verifier::new(
        provider.scheme(),
        hookverify_fuzz::key_for(provider.scheme().secret_encoding()),
    )
    .unwrap();
    let result = verifier.verify_at(
        &headers,
        body,
        Timestamp::from_unix_millis(i64::from_le_bytes(*now)),
    );
    assert!(
        result.is_err(),
        "{provider}: verified without the key: {result:?}"
    );
});
