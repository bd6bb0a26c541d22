//! An exact-length base64 decoder for the signature hot path.
//!
//! It handles one shape only: standard-alphabet base64 of exactly `out.len()` bytes, with or
//! without padding, canonical (unused trailing bits zero). Anything else returns `false` and the
//! caller falls back to the `base64` crate, which then gives the verdict and the precise error.
//! So this decoder can only ever *accept less* than the crate; a property test checks that it
//! accepts exactly what the crate accepts for these lengths, with identical bytes.
//!
//! Why it exists: the general decoder costs about 450 instructions for a 44-character signature,
//! which was the largest single item of verification overhead after the header lookups; this one
//! costs about a third of that (see BENCHMARKS.md).

const INVALID: u8 = 0xff;

const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < alphabet.len() {
        // Both indices are in range: `i < 64` and an ASCII byte is below 256.
        #[allow(
            clippy::indexing_slicing,
            clippy::arithmetic_side_effects,
            clippy::cast_possible_truncation
        )]
        {
            table[alphabet[i] as usize] = i as u8;
            i += 1;
        }
    }
    table
};

fn lut(byte: u8) -> u32 {
    u32::from(DECODE.get(usize::from(byte)).copied().unwrap_or(INVALID))
}

/// Decodes `value` into all of `out`, or returns `false` without promising anything about
/// `out`'s contents.
pub(crate) fn decode_exact(value: &[u8], out: &mut [u8]) -> bool {
    let len = out.len();
    let remainder = len % 3;
    let significant = (len / 3)
        .saturating_mul(4)
        .saturating_add(if remainder == 0 {
            0
        } else {
            remainder.saturating_add(1)
        });
    let padding = if remainder == 0 {
        0
    } else {
        3_usize.saturating_sub(remainder)
    };
    let body = if value.len() == significant {
        value
    } else if value.len() == significant.saturating_add(padding) {
        match value.split_at_checked(significant) {
            Some((body, pad)) if pad.iter().all(|&b| b == b'=') => body,
            _ => return false,
        }
    } else {
        return false;
    };

    let (groups, tail) = body.as_chunks::<4>();
    let (out_groups, out_tail) = out.as_chunks_mut::<3>();
    if groups.len() != out_groups.len() {
        return false;
    }
    // Invalid characters map to 0xff; OR-ing everything and testing bit 7 once keeps the loop
    // branch-free.
    let mut invalid = 0_u32;
    for ([a, b, c, d], out) in groups.iter().zip(out_groups.iter_mut()) {
        let (a, b, c, d) = (lut(*a), lut(*b), lut(*c), lut(*d));
        invalid |= a | b | c | d;
        let word = (a << 18) | (b << 12) | (c << 6) | d;
        *out = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
    }
    let trailing_ok = match (tail, out_tail) {
        ([], []) => true,
        ([a, b], [x]) => {
            let (a, b) = (lut(*a), lut(*b));
            invalid |= a | b;
            let word = (a << 6) | b;
            *x = (word >> 4) as u8;
            word & 0xf == 0
        }
        ([a, b, c], [x, y]) => {
            let (a, b, c) = (lut(*a), lut(*b), lut(*c));
            invalid |= a | b | c;
            let word = (a << 12) | (b << 6) | c;
            *x = (word >> 10) as u8;
            *y = (word >> 2) as u8;
            word & 0x3 == 0
        }
        _ => false,
    };
    invalid & 0x80 == 0 && trailing_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use proptest::prelude::*;

    fn reference(value: &[u8], len: usize) -> Option<Vec<u8>> {
        let decoded = crate::secret::BASE64.decode(value).ok()?;
        (decoded.len() == len).then_some(decoded)
    }

    /// The fast decoder never accepts what the crate refuses, and never decodes differently.
    /// Returns whether the fast path accepted.
    fn check(value: &[u8], len: usize) -> bool {
        let mut out = vec![0; len];
        let fast = decode_exact(value, &mut out).then_some(out);
        if fast.is_some() {
            assert_eq!(
                fast,
                reference(value, len),
                "input {:?}",
                String::from_utf8_lossy(value)
            );
        }
        fast.is_some()
    }

    #[test]
    fn known_values() {
        let std = base64::engine::general_purpose::STANDARD;
        for len in [1, 2, 3, 31, 32, 33, 64] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let encoded = std.encode(&bytes);
            assert!(check(encoded.as_bytes(), len));
            assert!(check(encoded.trim_end_matches('=').as_bytes(), len));
        }
        assert!(!check(b"", 32));
        assert!(!check(b"=", 1));
        assert!(!check(b"AB==", 1)); // non-canonical trailing bits
        assert!(check(b"AQ==", 1));
        assert!(!check(b"AR==", 1)); // non-canonical trailing bits
        assert!(!check(b"AQ=", 1)); // short padding: left to the crate
        assert!(!check(b"A*==", 1));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn agrees_with_the_base64_crate_on_valid_input(bytes in proptest::collection::vec(any::<u8>(), 32..=32), pad in any::<bool>()) {
            let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
            let encoded = if pad { encoded } else { encoded.trim_end_matches('=').to_owned() };
            prop_assert!(check(encoded.as_bytes(), 32));
            let wide: Vec<u8> = bytes.iter().chain(bytes.iter()).copied().collect();
            prop_assert!(check(base64::engine::general_purpose::STANDARD.encode(&wide).as_bytes(), 64));
        }

        #[test]
        fn agrees_with_the_base64_crate_on_mutated_input(
            bytes in proptest::collection::vec(any::<u8>(), 32..=32),
            at in any::<prop::sample::Index>(),
            with in any::<u8>(),
            cut in 0_usize..3,
        ) {
            let mut encoded = base64::engine::general_purpose::STANDARD.encode(&bytes).into_bytes();
            let i = at.index(encoded.len());
            encoded[i] = with;
            encoded.truncate(encoded.len().saturating_sub(cut));
            check(&encoded, 32);
        }

        #[test]
        fn agrees_on_arbitrary_bytes(value in proptest::collection::vec(any::<u8>(), 40..=46)) {
            check(&value, 32);
        }
    }
}
