//! The Standard Webhooks signature list (`v1,<b64> v1a,<b64> ...`), as an attacker sends it:
//! any bytes, with valid id and timestamp headers so parsing reaches the list. Never panics;
//! never verifies (the key is not in the input).
//!
//! Input: a little-endian `u16` signature length, the signature header value, then the body.
#![no_main]

use hookverify::{Scheme, Timestamp, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((signature, body)) = hookverify_fuzz::split_len_prefixed(data) else {
        return;
    };
    let verifier = Verifier::new(Scheme::standard_webhooks(), hookverify_fuzz::BASE64_KEY).unwrap();
    let headers: [(&str, &[u8]); 3] = [
        ("webhook-id", b"msg_fuzz"),
        ("webhook-timestamp", b"1700000000"),
        ("webhook-signature", signature),
    ];
    let result = verifier.verify_at(&headers, body, Timestamp::from_unix_seconds(1_700_000_000));
    assert!(result.is_err(), "verified without the key: {result:?}");
    if let Err(err) = result {
        assert!(!err.to_string().is_empty() && !err.hint().is_empty());
    }
});
