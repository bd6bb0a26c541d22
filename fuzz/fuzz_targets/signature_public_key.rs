//! The public-key schemes on hostile input: Discord (hex ed25519) and SendGrid (base64 DER
//! ECDSA P-256) with arbitrary signature, timestamp and body. The fuzzer holds no private key,
//! so nothing may verify, and nothing may panic. Half the inputs give the signature as raw
//! bytes that are base64-encoded here, so the DER parser sees arbitrary DER directly.
#![no_main]

use hookverify::{Provider, Timestamp, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some((signature, rest)) = hookverify_fuzz::split_len_prefixed(rest) else {
        return;
    };
    let Some((timestamp, body)) = hookverify_fuzz::split_len_prefixed(rest) else {
        return;
    };
    let provider = if selector & 1 == 0 {
        Provider::Discord
    } else {
        Provider::SendGrid
    };
    let encoded;
    let signature: &[u8] = if selector & 2 == 0 {
        signature
    } else {
        encoded = match provider {
            Provider::Discord => signature
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            _ => hookverify_fuzz::base64(signature),
        };
        encoded.as_bytes()
    };
    let (signature_name, timestamp_name) = match provider {
        Provider::Discord => ("x-signature-ed25519", "x-signature-timestamp"),
        _ => (
            "x-twilio-email-event-webhook-signature",
            "x-twilio-email-event-webhook-timestamp",
        ),
    };
    let headers: [(&str, &[u8]); 2] = [(signature_name, signature), (timestamp_name, timestamp)];
    let verifier = Verifier::new(
        provider.scheme(),
        hookverify_fuzz::key_for(provider.scheme().secret_encoding()),
    )
    .unwrap();
    let now = std::str::from_utf8(timestamp)
        .ok()
        .and_then(|t| t.parse::<i64>().ok())
        .map_or(
            Timestamp::from_unix_seconds(1_700_000_000),
            Timestamp::from_unix_seconds,
        );
    let result = verifier.verify_at(&headers, body, now);
    assert!(result.is_err(), "{provider}: verified without the key");
});
