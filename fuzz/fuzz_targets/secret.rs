//! Secret parsing: any string, the shared-secret encodings (base64, raw, hex), any minimum. Never panics; refuses empty and
//! whitespace-padded secrets; `Debug` never shows the secret.
//!
//! Errors cannot show it either, by construction: `SecretError` is `Copy` and carries only
//! `usize` fields. (A first version of this target asserted "the Debug output does not contain
//! the input", which the fuzzer defeated with the input `hmac, 22 bytes, redact`: a substring of
//! the redacted form itself. The check is now on the exact form.)
#![no_main]

use hookverify::{Secret, SecretEncoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&min, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    for encoding in [
        SecretEncoding::Base64,
        SecretEncoding::Raw,
        SecretEncoding::Hex,
    ] {
        match Secret::parse(text, encoding, usize::from(min)) {
            Ok(secret) => {
                assert!(!text.is_empty());
                assert!(
                    !text.starts_with(char::is_whitespace) && !text.ends_with(char::is_whitespace)
                );
                let debug = format!("{secret:?}");
                let redacted = debug
                    .strip_prefix("Secret(hmac, ")
                    .and_then(|rest| rest.strip_suffix(" bytes, redacted)"))
                    .is_some_and(|len| {
                        len.parse::<usize>()
                            .is_ok_and(|len| len >= usize::from(min))
                    });
                assert!(
                    redacted || debug == "Secret(ed25519 public key)",
                    "Debug shows more than the length: {debug}"
                );
            }
            Err(err) => assert!(!err.to_string().is_empty()),
        }
    }
});
