//! Helpers shared by the fuzz targets.

use hookverify::SecretEncoding;

/// The key the negative targets verify with. It appears nowhere else (not in the vectors, the
/// samples or the seeds), so no input can carry a signature made with it.
pub const BASE64_KEY: &str = "whsec_ZnV6ei1rZXktbm90LXVzZWQtYW55d2hlcmUtZWxzZQ==";

/// The raw-encoded counterpart of [`BASE64_KEY`].
pub const RAW_KEY: &str = "fuzz-key-not-used-anywhere-else";

/// The fuzz key in the encoding a scheme expects.
pub fn key_for(encoding: SecretEncoding) -> &'static str {
    match encoding {
        SecretEncoding::Base64 => BASE64_KEY,
        // Public keys (Discord, SendGrid) no seed, vector or test signs with (SendGrid's: the
        // "bad key" of its SDK test), so nothing the fuzzer finds may verify.
        SecretEncoding::Ed25519Hex => {
            "c853ad0f0cd2b619aea92ceec4fd56a24d6499d584ce79257e45cfd8139b60a7"
        }
        SecretEncoding::EcdsaP256 => {
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA=="
        }
        // Adyen: RAW_KEY's bytes, in hex.
        SecretEncoding::Hex => "66757a7a2d6b65792d6e6f742d757365642d616e7977686572652d656c7365",
        _ => RAW_KEY,
    }
}

/// Splits `data` into a value of the length given by its first two bytes (little-endian,
/// clamped to what is there) and the rest.
pub fn split_len_prefixed(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = data.split_first_chunk::<2>()?;
    Some(rest.split_at(rest.len().min(usize::from(u16::from_le_bytes(*len)))))
}

/// Standard base64 with padding (a few lines rather than a dependency for the fuzz crate).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
