//! Inputs the fuzzers (`fuzz/`, `scripts/fuzz.sh`) found, kept as ordinary tests so they run on
//! every `scripts/test.sh`. Each test names its target and what the input showed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // Test code.

use hookverify::{Secret, SecretEncoding};

/// Target `secret`, first 10-second run: the secret `hmac, 22 bytes, redact` is a substring of
/// its own redacted `Debug` form, so "the output does not contain the input" cannot be the
/// check. The library was right; the property is that `Debug` is exactly the redacted form and
/// independent of the secret's content.
#[test]
fn secret_debug_is_exactly_the_redacted_form() {
    let input: &[u8] = b"\x10hmac, 22 bytes, redact";
    let (min, text) = input.split_first().unwrap();
    let text = std::str::from_utf8(text).unwrap();
    let secret = Secret::parse(text, SecretEncoding::Raw, usize::from(*min)).unwrap();
    let other = Secret::parse("zzzzzzzzzzzzzzzzzzzzzz", SecretEncoding::Raw, 16).unwrap();
    assert_eq!(format!("{secret:?}"), "Secret(hmac, 22 bytes, redacted)");
    assert_eq!(
        format!("{secret:?}"),
        format!("{other:?}"),
        "Debug depends on the content"
    );
}
