//! The signed message: which bytes a scheme signs, in order, and the MAC over them.
//!
//! The one definition both sides use: the [verifier](crate::Verifier) feeds a request's parts
//! to the MAC, the [signer](crate::sign::Signer) feeds a test message's, and neither builds a
//! joined copy of the body.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::scheme::{MAX_PARTS, SignedPart};

/// HMAC-SHA256, the MAC of every HMAC scheme.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The length of an HMAC-SHA256 tag.
pub(crate) const MAC_LEN: usize = 32;

/// The signed parts of one message, in the scheme's order, borrowed from the request.
pub(crate) struct SignedMessage<'a> {
    parts: [&'a [u8]; MAX_PARTS],
    len: usize,
}

impl<'a> SignedMessage<'a> {
    /// Lays out `content` with the request's id, timestamp (raw bytes, as sent) and body.
    pub(crate) fn new(
        content: &'a [SignedPart],
        id: &'a [u8],
        timestamp: &'a [u8],
        body: &'a [u8],
    ) -> Self {
        let mut parts: [&'a [u8]; MAX_PARTS] = [&[]; MAX_PARTS];
        let mut len: usize = 0;
        for (slot, part) in parts.iter_mut().zip(content) {
            *slot = match part {
                SignedPart::Id => id,
                SignedPart::Timestamp => timestamp,
                SignedPart::Body => body,
                SignedPart::Literal(bytes) => bytes,
            };
            len = len.saturating_add(1);
        }
        SignedMessage { parts, len }
    }

    /// The parts in order.
    pub(crate) fn parts(&self) -> &[&'a [u8]] {
        self.parts.get(..self.len).unwrap_or_default()
    }

    /// The MAC of the message under a pre-keyed state (the state is cloned, not re-keyed).
    pub(crate) fn mac(&self, keyed: &HmacSha256) -> [u8; MAC_LEN] {
        let mut state = keyed.clone();
        for part in self.parts() {
            state.update(part);
        }
        state.finalize().into_bytes().into()
    }
}
