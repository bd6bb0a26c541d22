//! Form-encoded bodies (Slack, Twilio) as they arrive after verification: any bytes through
//! `Form` parsing, the generic form path into a user's struct, and the idempotency key of a raw
//! body. Never panics; what `Form` accepts keeps every field it was given.
#![no_main]

use std::collections::HashMap;

use bytes::Bytes;
use hookverify::{Form, Json, Scheme, dangerous, idempotency_key_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(form) = Form::parse(body) {
        // Every `&`-separated pair is a field (empty pairs are skipped by the decoder).
        let pairs = body.split(|&b| b == b'&').filter(|p| !p.is_empty()).count();
        assert_eq!(form.fields.len(), pairs, "{body:?}");
    }
    // The typed and generic paths over a scheme keyed on body fields, without verification.
    let scheme = Scheme::custom("fuzz-form")
        .signature_header("x-sig")
        .idempotency(hookverify::IdempotencyRule::BodyField {
            fields: &["trigger_id", "event_id"],
            then_header: false,
            then_body_hash: true,
        })
        .build()
        .expect("a valid scheme");
    let headers: [(&str, &str); 0] = [];
    if let Ok(parsed) =
        dangerous::parse_unverified::<Form>(&scheme, &headers, Bytes::copy_from_slice(body))
    {
        assert!(!parsed.idempotency_key().is_empty());
    }
    let _ = dangerous::parse_unverified::<Json<HashMap<String, String>>>(
        &scheme,
        &headers,
        Bytes::copy_from_slice(body),
    );
    let verified =
        dangerous::parse_unverified::<Json<serde_json::Value>>(&scheme, &headers, &b"{}"[..])
            .expect("an empty object parses")
            .verified;
    assert!(!idempotency_key_of(&verified, body).is_empty());
});
