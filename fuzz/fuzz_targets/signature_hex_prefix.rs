//! One hex signature behind a prefix: GitHub (`sha256=` required), AutoSend (`hmac-sha256=`
//! optional), SendKit (`sha256=` optional). Any bytes. Never panics; never verifies without the
//! key.
//!
//! Input: a scheme selector byte, a little-endian `u16` signature length, the signature header
//! value, then the body.
#![no_main]

use hookverify::{Scheme, Timestamp, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some((signature, body)) = hookverify_fuzz::split_len_prefixed(rest) else {
        return;
    };
    let now = Timestamp::from_unix_seconds(1_700_000_000);
    let key = hookverify_fuzz::RAW_KEY;
    let result = match selector % 3 {
        0 => Verifier::new(Scheme::github(), key).unwrap().verify_at(
            &[
                ("x-hub-signature-256", signature),
                ("x-github-delivery", b"d1".as_slice()),
            ],
            body,
            now,
        ),
        1 => Verifier::new(Scheme::autosend(), key).unwrap().verify_at(
            &[
                ("x-webhook-signature", signature),
                ("x-webhook-timestamp", b"1700000000000".as_slice()),
                ("x-webhook-delivery-id", b"job_1".as_slice()),
            ],
            body,
            now,
        ),
        _ => Verifier::new(Scheme::sendkit(), key).unwrap().verify_at(
            &[("x-webhook-signature", signature)],
            body,
            now,
        ),
    };
    assert!(result.is_err(), "verified without the key: {result:?}");
});
