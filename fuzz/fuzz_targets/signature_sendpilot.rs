//! SendPilot's `Webhook-Signature: [v1,]t=<ts>,s=<hex>[,s=...]`: any bytes. Never panics;
//! never verifies without the key.
//!
//! Input: a little-endian `u16` signature length, the signature header value, then the body.
#![no_main]

use hookverify::{Scheme, Timestamp, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((signature, body)) = hookverify_fuzz::split_len_prefixed(data) else {
        return;
    };
    let verifier = Verifier::new(Scheme::sendpilot(), hookverify_fuzz::RAW_KEY).unwrap();
    let headers: [(&str, &[u8]); 1] = [("webhook-signature", signature)];
    let result = verifier.verify_at(&headers, body, Timestamp::from_unix_seconds(1_700_000_000));
    assert!(result.is_err(), "verified without the key: {result:?}");
});
