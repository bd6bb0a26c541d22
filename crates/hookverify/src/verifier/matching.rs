//! Keys, MACs and the constant-time match of candidate signatures against them.

use arrayvec::ArrayVec;
use ed25519_dalek::VerifyingKey;
use ed25519_dalek::ed25519::signature::MultipartVerifier as _;
use subtle::ConstantTimeEq as _;

use super::builder::MAX_SECRETS;
use super::grammar::{EntryKind, EntryVisitor};
use crate::error::SignatureProblem;
use crate::message::{Fields, HmacKey, MAX_MAC_LEN, SignedMessage, Tag};
use crate::request::hex_value;
use crate::scheme::SignatureEncoding;
use crate::scheme::SignedPart;
use crate::timestamp::Timestamp;

const ED25519_SIG_LEN: usize = 64;

/// A token's MAC is over the token alone.
pub(super) const TOKEN_CONTENT: &[SignedPart] = &[SignedPart::Body];

/// One verification key, prepared once.
pub(super) enum Key {
    /// A pre-keyed HMAC state, cloned per request.
    Hmac(HmacKey),
    /// An ed25519 public key (`whpk_`, or hex for Discord).
    Ed25519(VerifyingKey),
    /// A P-256 public key (SendGrid).
    EcdsaP256(p256::ecdsa::VerifyingKey),
}

/// A key and the end of its rotation window.
pub(super) struct KeyEntry {
    pub(super) key: Key,
    pub(super) expires_at: Option<Timestamp>,
    /// For token schemes: the MAC of the secret under itself, computed once; a token matches
    /// when its MAC under the key is this one (a constant-time compare of fixed-size tags, never
    /// of the secret).
    pub(super) token: Option<Tag>,
}

impl KeyEntry {
    pub(super) fn active_at(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|end| now <= end)
    }
}

/// What matching established.
#[derive(Default)]
pub(super) struct Outcome {
    /// The index of the first key that matched a candidate.
    pub(super) matched: Option<usize>,
    /// How many well-formed candidates were checked.
    pub(super) candidates: usize,
    /// The first malformed candidate: its position and what is wrong.
    pub(super) first_invalid: Option<(usize, SignatureProblem)>,
}

/// Checks each candidate against the selected keys. The MACs of the message are computed once,
/// at the first well-formed HMAC candidate, and compared in constant time against each.
pub(super) struct Matcher<'k, 'm, F> {
    keys: &'k [KeyEntry],
    use_key: F,
    message: &'m SignedMessage<'m>,
    encoding: SignatureEncoding,
    /// The tag length of the scheme's HMAC.
    tag_len: usize,
    /// The message's MAC under each key, in key order (a zero tag for a key not selected),
    /// once the first well-formed candidate asks; only as many as there are keys are written.
    macs: ArrayVec<Tag, MAX_SECRETS>,
    pub(super) outcome: Outcome,
}

impl<'k, 'm, F: Fn(&KeyEntry) -> bool> Matcher<'k, 'm, F> {
    /// A matcher over the keys `use_key` selects.
    pub(super) fn new(
        keys: &'k [KeyEntry],
        message: &'m SignedMessage<'m>,
        encoding: SignatureEncoding,
        tag_len: usize,
        use_key: F,
    ) -> Self {
        Matcher {
            keys,
            use_key,
            message,
            encoding,
            tag_len,
            macs: ArrayVec::new(),
            outcome: Outcome::default(),
        }
    }

    fn check_mac(&mut self, candidate: &Tag) {
        if self.macs.is_empty() {
            for entry in self.keys.iter().take(MAX_SECRETS) {
                let mac = match (&entry.key, (self.use_key)(entry)) {
                    (Key::Hmac(state), true) => self.message.mac(state),
                    _ => Tag::ZERO,
                };
                // At most MAX_SECRETS keys (taken above): never full here.
                let _ = self.macs.try_push(mac);
            }
        }
        for (index, (entry, mac)) in self.keys.iter().zip(&self.macs).enumerate() {
            // Every selected key is compared, match or not: no early exit on a match.
            if matches!(entry.key, Key::Hmac(_))
                && (self.use_key)(entry)
                && mac_eq(mac, candidate)
                && self.outcome.matched.is_none()
            {
                self.outcome.matched = Some(index);
            }
        }
    }

    fn check_token(&mut self, token: &[u8]) {
        let message = SignedMessage::new(
            TOKEN_CONTENT,
            Fields {
                body: token,
                ..Fields::default()
            },
        );
        for (index, entry) in self.keys.iter().enumerate() {
            if let (Key::Hmac(state), Some(expected), true) =
                (&entry.key, &entry.token, (self.use_key)(entry))
                && mac_eq(&message.mac(state), expected)
                && self.outcome.matched.is_none()
            {
                self.outcome.matched = Some(index);
            }
        }
    }

    fn check_ecdsa(&mut self, signature: &p256::ecdsa::Signature) {
        for (index, entry) in self.keys.iter().enumerate() {
            if let (Key::EcdsaP256(public), true) = (&entry.key, (self.use_key)(entry))
                && self.outcome.matched.is_none()
                && public
                    .multipart_verify(&self.message.parts(), signature)
                    .is_ok()
            {
                self.outcome.matched = Some(index);
            }
        }
    }

    fn check_ed25519(&mut self, signature: &ed25519_dalek::Signature) {
        for (index, entry) in self.keys.iter().enumerate() {
            if let (Key::Ed25519(public), true) = (&entry.key, (self.use_key)(entry))
                && self.outcome.matched.is_none()
                && public
                    .multipart_verify(&self.message.parts(), signature)
                    .is_ok()
            {
                self.outcome.matched = Some(index);
            }
        }
    }
}

impl<F: Fn(&KeyEntry) -> bool> EntryVisitor for Matcher<'_, '_, F> {
    fn entry(&mut self, index: usize, kind: EntryKind, value: &[u8]) {
        let checked = match kind {
            EntryKind::Mac => {
                decode_mac(value, self.encoding, self.tag_len).map(|mac| self.check_mac(&mac))
            }
            EntryKind::Ed25519 => {
                decode_ed25519(value, self.encoding).map(|sig| self.check_ed25519(&sig))
            }
            EntryKind::Ecdsa => decode_ecdsa(value).map(|sig| self.check_ecdsa(&sig)),
            EntryKind::Token if value.is_empty() => Err(SignatureProblem::Empty),
            EntryKind::Token => {
                self.check_token(value);
                Ok(())
            }
        };
        match checked {
            Ok(()) => self.outcome.candidates = self.outcome.candidates.saturating_add(1),
            Err(problem) => {
                self.outcome.first_invalid.get_or_insert((index, problem));
            }
        }
    }
}

/// Constant-time equality of two tags of one algorithm: the differences of all eight 64-bit
/// words of the zero-padded buffers are OR-ed together with no data-dependent branch, and only
/// the final word is compared (with `subtle`). Byte-wise `subtle` comparison costs a barrier
/// per byte; this costs one. Both tags have the scheme's length (a candidate of another length
/// is refused when decoded), so equal buffers mean equal tags.
pub(super) fn mac_eq(a: &Tag, b: &Tag) -> bool {
    let (a, _) = a.buffer().as_chunks::<8>();
    let (b, _) = b.buffer().as_chunks::<8>();
    let diff = a.iter().zip(b).fold(0_u64, |acc, (x, y)| {
        acc | (u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y))
    });
    bool::from(diff.ct_eq(&0))
}

/// Decodes a MAC of `len` bytes (at most [`MAX_MAC_LEN`]). Length is checked on the encoded
/// form first, so nothing larger than a fixed stack buffer is ever decoded.
pub(super) fn decode_mac(
    value: &[u8],
    encoding: SignatureEncoding,
    len: usize,
) -> Result<Tag, SignatureProblem> {
    let mut out = Tag::zeroed(len.min(MAX_MAC_LEN));
    decode_fixed(value, encoding, out.as_mut_slice())?;
    Ok(out)
}

/// An ed25519 signature: base64 in Standard Webhooks' list, hex where the scheme says so
/// (Discord).
fn decode_ed25519(
    value: &[u8],
    encoding: SignatureEncoding,
) -> Result<ed25519_dalek::Signature, SignatureProblem> {
    let mut out = [0_u8; ED25519_SIG_LEN];
    decode_fixed(value, encoding, &mut out)?;
    Ok(ed25519_dalek::Signature::from_bytes(&out))
}

/// The longest DER ECDSA P-256 signature: 72 bytes (96 base64 characters).
const MAX_DER_LEN: usize = 72;

/// A base64 DER ECDSA P-256 signature (length-checked on the encoded form first).
fn decode_ecdsa(value: &[u8]) -> Result<p256::ecdsa::Signature, SignatureProblem> {
    use base64::Engine as _;
    let bad = SignatureProblem::BadEncoding {
        encoding: "base64 DER",
    };
    if value.is_empty() {
        return Err(SignatureProblem::Empty);
    }
    if value.len() > 96 {
        return Err(SignatureProblem::WrongLength {
            expected: MAX_DER_LEN,
            found: (value.len() / 4).saturating_mul(3),
        });
    }
    let mut buffer = [0_u8; 96];
    let written = crate::secret::BASE64
        .decode_slice(value, &mut buffer)
        .map_err(|_| bad)?;
    let der = buffer.get(..written).unwrap_or_default();
    p256::ecdsa::Signature::from_der(der).map_err(|_| bad)
}

/// Decodes `value` (exactly twice `out`'s length) into `out`, checking every digit (no early
/// exit on the signature's bytes); `false` for any non-hex digit. The hot path of every
/// hex-signed scheme: eight digits at a time as one `u64` ([`decode_hex_word`]), the rest
/// through one table lookup per digit.
fn decode_hex_exact(value: &[u8], out: &mut [u8]) -> bool {
    let (words, value_tail) = value.as_chunks::<8>();
    let (out_words, out_tail) = out.as_chunks_mut::<4>();
    let mut invalid = 0_u64;
    for (word, slot) in words.iter().zip(out_words.iter_mut()) {
        let (bytes, bad) = decode_hex_word(u64::from_le_bytes(*word));
        *slot = bytes;
        invalid |= bad;
    }
    // What is left: fewer than eight digits (the lengths of the two tails agree, as
    // `value.len() == 2 * out.len()`).
    let mut tail_invalid = 0_u8;
    for (pair, slot) in value_tail.chunks_exact(2).zip(out_tail.iter_mut()) {
        let (high, low) = match pair {
            [high, low] => (hex_value(*high), hex_value(*low)),
            _ => (0xFF, 0xFF),
        };
        tail_invalid |= (high | low) & 0xF0;
        *slot = high.wrapping_shl(4) | (low & 0x0F);
    }
    (invalid | u64::from(tail_invalid)) == 0
}

/// Eight hex digits (little-endian in `word`: the first digit in the low byte) as four bytes,
/// and a non-zero second value when any of them is not a hex digit. Byte-parallel arithmetic
/// with no branch and no table: every lane is ASCII (checked), so adding a constant below
/// `0x80` to a lane never carries into the next, and each lane's top bit answers one range
/// test.
fn decode_hex_word(word: u64) -> ([u8; 4], u64) {
    const LANES: u64 = 0x0101_0101_0101_0101;
    const TOP: u64 = 0x8080_8080_8080_8080;
    let non_ascii = word & TOP;
    let word = word & !TOP;
    // '0'..='9': at least 0x30 and not above 0x39.
    let digit = word.wrapping_add(LANES.wrapping_mul(0x80 - 0x30))
        & !word.wrapping_add(LANES.wrapping_mul(0x7F - 0x39))
        & TOP;
    // 'a'..='f' once lower-cased (setting 0x20 lower-cases 'A'..='F' and moves no digit).
    let lower = word | LANES.wrapping_mul(0x20);
    let letter = lower.wrapping_add(LANES.wrapping_mul(0x80 - 0x61))
        & !lower.wrapping_add(LANES.wrapping_mul(0x7F - 0x66))
        & TOP;
    let invalid = non_ascii | ((digit | letter) ^ TOP);
    // A digit's value is its low nibble; a letter's is its low nibble plus nine ('a' = 0x61).
    let nibbles = (word & LANES.wrapping_mul(0x0F)).wrapping_add((letter >> 7).wrapping_mul(9));
    // Pairs of nibbles into bytes, then the bytes of the 16- and 32-bit lanes together.
    const EVEN: u64 = 0x00FF_00FF_00FF_00FF;
    let pairs = ((nibbles & EVEN) << 4) | ((nibbles >> 8) & EVEN);
    let pairs = (pairs | (pairs >> 8)) & 0x0000_FFFF_0000_FFFF;
    let pairs = (pairs | (pairs >> 16)) & 0x0000_0000_FFFF_FFFF;
    let [a, b, c, d, ..] = pairs.to_le_bytes();
    ([a, b, c, d], invalid)
}

fn decode_fixed(
    value: &[u8],
    encoding: SignatureEncoding,
    out: &mut [u8],
) -> Result<(), SignatureProblem> {
    let expected = out.len();
    if value.is_empty() {
        return Err(SignatureProblem::Empty);
    }
    let bad_encoding = SignatureProblem::BadEncoding {
        encoding: encoding.name(),
    };
    match encoding {
        SignatureEncoding::Hex => {
            if value.len() == expected.saturating_mul(2) && decode_hex_exact(value, out) {
                return Ok(());
            }
            if !value.iter().all(u8::is_ascii_hexdigit) {
                return Err(bad_encoding);
            }
            Err(SignatureProblem::WrongLength {
                expected,
                found: value.len() / 2,
            })
        }
        SignatureEncoding::Base64 => {
            use base64::Engine as _;
            if crate::b64::decode_exact(value, out) {
                return Ok(());
            }
            // Not the canonical shape: let the `base64` crate decide and say what is wrong.
            // 64 bytes of signature is 88 base64 characters; anything past 128 is overlong.
            let mut buffer = [0_u8; 96];
            if value.len() > 128 {
                return Err(SignatureProblem::WrongLength {
                    expected,
                    found: (value.len() / 4).saturating_mul(3),
                });
            }
            let written = crate::secret::BASE64
                .decode_slice(value, &mut buffer)
                .map_err(|_| bad_encoding)?;
            let decoded = buffer.get(..written).unwrap_or_default();
            if decoded.len() != expected {
                return Err(SignatureProblem::WrongLength {
                    expected,
                    found: decoded.len(),
                });
            }
            out.copy_from_slice(decoded);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_hex_decoding_agrees_with_the_hex_crate() {
        let mut inputs: Vec<Vec<u8>> = vec![
            b"00ff10Aa".to_vec(),
            b"0g".to_vec(),
            b"g0".to_vec(),
            b"  ".to_vec(),
            b"FfEe".to_vec(),
        ];
        // Every byte in either position of a pair.
        for byte in 0..=255_u8 {
            inputs.push(vec![byte, b'a']);
            inputs.push(vec![b'7', byte]);
        }
        // Every byte in every position of a word-sized run (the byte-parallel path), next to
        // a tail, and every digit of both cases in every position.
        let base = b"0123456789abcdefABCDEF0a".to_vec();
        for position in 0..base.len() {
            for byte in 0..=255_u8 {
                let mut input = base.clone();
                if let Some(slot) = input.get_mut(position) {
                    *slot = byte;
                }
                inputs.push(input);
            }
        }
        for shift in 0..16 {
            let digits = b"0123456789abcdefABCDEF";
            inputs.push(
                digits
                    .iter()
                    .cycle()
                    .skip(shift)
                    .take(64)
                    .copied()
                    .collect(),
            );
        }
        for input in inputs {
            let mut ours = vec![0_u8; input.len() / 2];
            let mut theirs = vec![0_u8; input.len() / 2];
            let ok = decode_hex_exact(&input, &mut ours);
            let expected = hex::decode_to_slice(&input, &mut theirs).is_ok();
            assert_eq!(ok, expected, "{input:?}");
            if ok {
                assert_eq!(ours, theirs, "{input:?}");
            }
        }
    }

    proptest::proptest! {
        /// Any even-length input, mostly hex digits with any byte mixed in: the byte-parallel
        /// decoder accepts exactly what the `hex` crate accepts and yields the same bytes.
        #[test]
        fn hex_decoding_matches_the_hex_crate_on_any_input(
            input in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(b"0123456789abcdefABCDEF".to_vec()),
                    1 => proptest::num::u8::ANY,
                ],
                0..80,
            )
        ) {
            let input = input.get(..input.len() & !1).unwrap_or_default();
            let mut ours = vec![0_u8; input.len() / 2];
            let mut theirs = vec![0_u8; input.len() / 2];
            let ok = decode_hex_exact(input, &mut ours);
            let expected = hex::decode_to_slice(input, &mut theirs).is_ok();
            proptest::prop_assert_eq!(ok, expected);
            if ok {
                proptest::prop_assert_eq!(ours, theirs);
            }
        }
    }
}
