//! The signature header's grammar: list entries, `key=value` parts, prefixes, and the bounded
//! walk over candidate signatures. No cryptography here.

use std::borrow::Cow;

use crate::error::{HeaderProblem, VerifyError};
use crate::scheme::{Name, SchemeSpec, SigFormat};

/// What kind of signature an entry of the header holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EntryKind {
    /// An HMAC tag.
    Mac,
    /// An ed25519 signature (`v1a` in Standard Webhooks).
    Ed25519,
    /// The shared secret itself (token schemes).
    Token,
    /// A DER ECDSA P-256 signature (SendGrid).
    Ecdsa,
}

/// Receives the candidate signatures of a header, in order, with their positions.
pub(super) trait EntryVisitor {
    /// One candidate: its position in the header, its kind, and its still-encoded value.
    fn entry(&mut self, index: usize, kind: EntryKind, value: &[u8]);
}

/// Walks the candidate signatures of `text` that the verifier has keys for (`hmac`, `ed25519`),
/// handing each to `visitor`. Entries of other versions or keys are skipped.
///
/// # Errors
///
/// [`VerifyError::TooManySignatures`] once a list has more than `max_signatures` entries (the
/// walk stops there: the work stays bounded); [`VerifyError::MalformedSignatureHeader`] when a
/// required prefix is missing. `key=value` headers are bounded by [`prescan_signature`], which
/// runs first.
pub(super) fn walk_entries(
    format: &SigFormat,
    text: &[u8],
    name: &Name,
    (hmac, ed25519): (bool, bool),
    single: EntryKind,
    max_signatures: usize,
    visitor: &mut impl EntryVisitor,
) -> Result<(), VerifyError> {
    match format {
        SigFormat::List {
            hmac_version,
            ed25519_version,
            ..
        } => {
            for (index, entry) in list_entries(text).enumerate() {
                if index >= max_signatures {
                    return Err(VerifyError::TooManySignatures {
                        name: name.clone(),
                        max: max_signatures,
                    });
                }
                let (version, value) = split_first(entry, b',');
                let value = value.unwrap_or_default();
                if short_eq(version, hmac_version.as_bytes()) {
                    if hmac {
                        visitor.entry(index, EntryKind::Mac, value);
                    }
                } else if ed25519
                    && ed25519_version
                        .as_deref()
                        .is_some_and(|v| short_eq(version, v.as_bytes()))
                {
                    visitor.entry(index, EntryKind::Ed25519, value);
                }
            }
        }
        SigFormat::KeyValue {
            signature_key,
            leading_version,
            separator,
            ..
        } => {
            for (index, part) in key_value_parts(text, leading_version.as_deref(), *separator) {
                if let (key, Some(value)) = split_first(part, b'=')
                    && short_eq(key, signature_key.as_bytes())
                {
                    visitor.entry(index, EntryKind::Mac, value);
                }
            }
        }
        SigFormat::Token => visitor.entry(0, EntryKind::Token, text),
        SigFormat::Single {
            prefix,
            prefix_required,
            ..
        } => {
            let value = match prefix
                .as_deref()
                .map(|p| (p, text.strip_prefix(p.as_bytes())))
            {
                Some((_, Some(rest))) => rest,
                Some((expected, None)) if *prefix_required => {
                    return Err(VerifyError::MalformedSignatureHeader {
                        name: name.clone(),
                        problem: HeaderProblem::MissingPrefix {
                            expected: Cow::Owned(expected.to_owned()),
                        },
                    });
                }
                _ => text,
            };
            visitor.entry(0, single, value);
        }
    }
    Ok(())
}

pub(super) fn visible_ascii(value: &[u8]) -> bool {
    value.iter().all(|b| (0x20..0x7f).contains(b))
}

/// The non-empty space-separated entries of a list header, found eight bytes at a time
/// ([`find_byte`]): no per-byte loop, and no `memchr` call per entry (these headers are short).
fn list_entries(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let (entry, tail) = split_first(rest, b' ');
            rest = tail.unwrap_or_default();
            if !entry.is_empty() {
                return Some(entry);
            }
        }
    })
}

/// Splits at the first `separator`; the whole input and an empty tail when there is none.
fn split_first(bytes: &[u8], separator: u8) -> (&[u8], Option<&[u8]>) {
    match find_byte(bytes, separator) {
        Some(at) => {
            let (head, tail) = bytes.split_at_checked(at).unwrap_or((bytes, &[]));
            (head, Some(tail.get(1..).unwrap_or_default()))
        }
        None => (bytes, None),
    }
}

/// The position of the first `needle` in `bytes`, eight bytes at a time: a lane of
/// `word ^ needle` is zero where the needle is, and `(x - 0x01…) & !x & 0x80…` marks the lowest
/// zero lane exactly (a borrow can only mark lanes above a zero one). Header structure, not
/// secret data: the early exit is fine.
pub(super) fn find_byte(bytes: &[u8], needle: u8) -> Option<usize> {
    const LANES: u64 = 0x0101_0101_0101_0101;
    const TOP: u64 = 0x8080_8080_8080_8080;
    let pattern = LANES.wrapping_mul(u64::from(needle));
    let (words, tail) = bytes.as_chunks::<8>();
    let mut offset = 0_usize;
    for word in words {
        let x = u64::from_le_bytes(*word) ^ pattern;
        let found = x.wrapping_sub(LANES) & !x & TOP;
        if found != 0 {
            // trailing_zeros / 8 is the lane: at most 7.
            return Some(offset.saturating_add((found.trailing_zeros() / 8) as usize));
        }
        offset = offset.saturating_add(8);
    }
    tail.iter()
        .position(|&b| b == needle)
        .map(|at| offset.saturating_add(at))
}

/// Equality for the few-byte tags and keys of signature headers, without a `memcmp` call.
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

fn trim_spaces(mut bytes: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' '] = bytes {
        bytes = rest;
    }
    bytes
}

/// The `separator`-separated parts of a `key=value` header with their positions, minus a
/// leading version element such as SendPilot's `v1`.
fn key_value_parts<'t, 'v>(
    text: &'t [u8],
    leading_version: Option<&'v str>,
    separator: u8,
) -> impl Iterator<Item = (usize, &'t [u8])> + use<'t, 'v> {
    text.split(move |&b| b == separator)
        .map(trim_spaces)
        .enumerate()
        .filter(move |(index, part)| {
            !(*index == 0 && Some(*part) == leading_version.map(str::as_bytes))
        })
}

/// Validates the signature header's shape and counts its candidates before any crypto work.
/// Returns the timestamp for schemes that carry it inside the header.
pub(super) fn prescan_signature<'t>(
    spec: &SchemeSpec,
    text: &'t [u8],
    name: &Name,
    max_signatures: usize,
) -> Result<Option<&'t [u8]>, VerifyError> {
    let malformed = |problem| VerifyError::MalformedSignatureHeader {
        name: name.clone(),
        problem,
    };
    let too_many = || VerifyError::TooManySignatures {
        name: name.clone(),
        max: max_signatures,
    };
    match &spec.signature {
        SigFormat::List { .. } | SigFormat::Single { .. } | SigFormat::Token => Ok(None),
        SigFormat::KeyValue {
            timestamp_key,
            signature_key,
            leading_version,
            separator,
            ..
        } => {
            let mut timestamp = None;
            let mut count: usize = 0;
            for (_, part) in key_value_parts(text, leading_version.as_deref(), *separator) {
                let (key, Some(value)) = split_first(part, b'=') else {
                    return Err(malformed(if looks_like_standard_list(text) {
                        HeaderProblem::LooksLikeStandardWebhooks
                    } else {
                        HeaderProblem::PartWithoutEquals
                    }));
                };
                if timestamp_key
                    .as_deref()
                    .is_some_and(|t| key == t.as_bytes())
                {
                    if timestamp.replace(value).is_some() {
                        return Err(malformed(HeaderProblem::RepeatedTimestamp));
                    }
                } else if key == signature_key.as_bytes() {
                    count = count.saturating_add(1);
                    if count > max_signatures {
                        return Err(too_many());
                    }
                }
            }
            match timestamp {
                // A header of signatures alone (PagerDuty) has no timestamp to find.
                _ if timestamp_key.is_none() => Ok(None),
                Some(timestamp) => Ok(Some(timestamp)),
                None if looks_like_standard_list(text) => {
                    Err(malformed(HeaderProblem::LooksLikeStandardWebhooks))
                }
                None => Err(malformed(HeaderProblem::MissingTimestamp)),
            }
        }
    }
}

fn looks_like_standard_list(text: &[u8]) -> bool {
    !text.windows(2).any(|w| w == b"t=")
        && list_entries(text).any(|entry| match split_first(entry, b',') {
            (version, Some(value)) => {
                let digits = value
                    .iter()
                    .rposition(|&b| b != b'=')
                    .map_or(&[][..], |end| value.get(..=end).unwrap_or_default());
                version.starts_with(b"v")
                    && digits.len() >= 40
                    && digits
                        .iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
            }
            (_, None) => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The word-at-a-time search and the entry splitter agree with the standard library's
        /// byte-by-byte ones on any input (spaces, commas and high bytes frequent).
        #[test]
        fn word_search_agrees_with_the_byte_loop(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    3 => proptest::sample::select(b" ,=v1".to_vec()),
                    2 => proptest::num::u8::ANY,
                ],
                0..70,
            ),
            needle in proptest::sample::select(vec![b' ', b',', b'=', 0x80, 0xFF, 0x00]),
        ) {
            proptest::prop_assert_eq!(
                find_byte(&bytes, needle),
                bytes.iter().position(|&b| b == needle)
            );
            let ours: Vec<&[u8]> = list_entries(&bytes).collect();
            let theirs: Vec<&[u8]> =
                bytes.split(|&b| b == b' ').filter(|entry| !entry.is_empty()).collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }
}
